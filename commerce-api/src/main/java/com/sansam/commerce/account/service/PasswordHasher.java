package com.sansam.commerce.account.service;

import com.sansam.commerce.account.config.AccountConfig;
import io.quarkus.elytron.security.common.BcryptUtil;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * bcrypt through WildFly Elytron. Hashing is deliberately slow, so it runs on a worker thread and the
 * result comes back on the caller's Vert.x context (which Hibernate Reactive requires).
 */
@ApplicationScoped
public class PasswordHasher {

    /** A valid hash of a random password: compared against when the account does not exist, to keep timing even. */
    private final String decoyHash;

    private final Vertx vertx;
    private final int cost;

    public PasswordHasher(Vertx vertx, AccountConfig config) {
        this.vertx = vertx;
        this.cost = config.bcryptCost();
        this.decoyHash = BcryptUtil.bcryptHash(java.util.UUID.randomUUID().toString(), cost);
    }

    public Uni<String> hash(String password) {
        return vertx.executeBlocking(Uni.createFrom().item(() -> BcryptUtil.bcryptHash(password, cost)), false);
    }

    /** True when the password matches; a null hash (withdrawn or unknown account) never matches. */
    public Uni<Boolean> matches(String password, String hash) {
        return vertx.executeBlocking(
                Uni.createFrom().item(() -> {
                    boolean ok = BcryptUtil.matches(password, hash == null ? decoyHash : hash);
                    return ok && hash != null;
                }),
                false);
    }
}
