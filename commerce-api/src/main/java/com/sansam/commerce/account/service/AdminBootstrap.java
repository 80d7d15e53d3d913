package com.sansam.commerce.account.service;

import com.sansam.commerce.account.config.AccountConfig;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/** Creates the first admin from ADMIN_EMAIL / ADMIN_PASSWORD at start-up; nothing is hard-coded. */
@ApplicationScoped
public class AdminBootstrap {

    private static final Logger LOG = Logger.getLogger(AdminBootstrap.class);

    void onStart(@Observes StartupEvent event, AccountConfig config, AccountService accounts) throws Throwable {
        AccountConfig.Admin admin = config.admin();
        if (admin.email().isEmpty() || admin.password().isEmpty()) {
            LOG.info("No ADMIN_EMAIL/ADMIN_PASSWORD set: no admin account is created");
            return;
        }
        boolean created = VertxContextSupport.subscribeAndAwait(
                () -> accounts.ensureAdmin(admin.email().get(), admin.password().get(), admin.name()));
        if (created) {
            LOG.infof("Created the admin account %s", admin.email().get());
        }
    }
}
