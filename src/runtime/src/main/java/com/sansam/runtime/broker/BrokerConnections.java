package com.sansam.runtime.broker;

import com.rabbitmq.client.Address;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Opens connections of the RabbitMQ Java client to the broker the service is configured for (the same properties as
 * the messaging connector's): one node, or a cluster's nodes tried in a random order.
 */
@ApplicationScoped
public class BrokerConnections {

    private final String host;
    private final int port;
    private final List<Address> addresses;
    private final String username;
    private final String password;
    private final String virtualHost;
    private final String application;

    public BrokerConnections(
            @ConfigProperty(name = "rabbitmq-host", defaultValue = "127.0.0.1") String host,
            @ConfigProperty(name = "rabbitmq-port", defaultValue = "5672") int port,
            @ConfigProperty(name = "rabbitmq-addresses") Optional<String> addresses,
            @ConfigProperty(name = "rabbitmq-username", defaultValue = "guest") String username,
            @ConfigProperty(name = "rabbitmq-password", defaultValue = "guest") String password,
            @ConfigProperty(name = "rabbitmq-virtual-host", defaultValue = "/") String virtualHost,
            @ConfigProperty(name = "quarkus.application.name") String application) {
        this.host = host;
        this.port = port;
        // a cluster: every node's address (host:port,host:port…); each new connection tries them in a random order
        this.addresses = addresses
                .filter(a -> !a.isBlank())
                .map(a -> List.of(Address.parseAddresses(a)))
                .orElse(List.of());
        this.username = username;
        this.password = password;
        this.virtualHost = virtualHost;
        this.application = application;
    }

    /**
     * A new connection named after the service and {@code purpose}; {@code recovering}: the client re-opens it, its
     * channels and consumers itself after a failure (a consumer's), else it stays closed (a publisher re-opens on
     * demand and counts what was in flight as not published).
     */
    public Connection open(String purpose, boolean recovering) throws IOException {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(host);
        factory.setPort(port);
        factory.setUsername(username);
        factory.setPassword(password);
        factory.setVirtualHost(virtualHost);
        factory.setConnectionTimeout(3000);
        factory.setAutomaticRecoveryEnabled(recovering);
        factory.setNetworkRecoveryInterval(1000);
        String name = application + " " + purpose;
        try {
            if (addresses.isEmpty()) {
                return factory.newConnection(name);
            }
            List<Address> order = new ArrayList<>(addresses);
            Collections.shuffle(order);
            return factory.newConnection(order, name);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IOException("RabbitMQ did not answer in time", e);
        }
    }
}
