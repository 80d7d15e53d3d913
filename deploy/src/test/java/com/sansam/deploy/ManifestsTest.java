package com.sansam.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.sansam.runtime.broker.Topology;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Builds each overlay with kustomize and checks every resource offline: core resources must read into the
 * typed Kubernetes API model with no unknown field anywhere (a typo such as {@code readinessProbes} or a
 * string where a number belongs fails), operator resources must use the known API versions, and the
 * references between resources must hold. No cluster is needed.
 */
class ManifestsTest {

    private static final Map<String, Class<? extends HasMetadata>> CORE = Map.of(
            "apps/v1/Deployment", Deployment.class,
            "v1/Service", Service.class,
            "v1/ConfigMap", ConfigMap.class,
            "v1/Namespace", Namespace.class,
            "networking.k8s.io/v1/Ingress", Ingress.class,
            "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
            "networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class);

    /** Custom resources of the operators the platform relies on (deploy/README.md). */
    private static final Set<String> OPERATOR_KINDS = Set.of(
            "postgresql.cnpg.io/v1/Cluster",
            "postgresql.cnpg.io/v1/Database",
            "rabbitmq.com/v1beta1/RabbitmqCluster",
            "rabbitmq.com/v1beta1/Exchange",
            "rabbitmq.com/v1beta1/Queue",
            "rabbitmq.com/v1beta1/Binding",
            "redis.redis.opstreelabs.in/v1beta2/Redis",
            "redis.redis.opstreelabs.in/v1beta2/RedisReplication",
            "redis.redis.opstreelabs.in/v1beta2/RedisSentinel",
            "monitoring.coreos.com/v1/PrometheusRule",
            "monitoring.coreos.com/v1/PodMonitor",
            "keda.sh/v1alpha1/ScaledObject",
            "keda.sh/v1alpha1/TriggerAuthentication");

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void overlayBuildsIntoValidResources(String overlay) throws Exception {
        List<JsonNode> documents = build(overlay);
        List<HasMetadata> core = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        String namespace = null;
        for (JsonNode document : documents) {
            String type = document.path("apiVersion").asText() + "/"
                    + document.path("kind").asText();
            String name = document.path("metadata").path("name").asText();
            assertFalse(name.isEmpty(), type + " without a name");
            if (CORE.containsKey(type)) {
                HasMetadata resource = JSON.treeToValue(document, CORE.get(type));
                unknownFields(resource, type + " " + name, problems);
                core.add(resource);
                if (resource instanceof Namespace) {
                    namespace = name;
                }
            } else if (OPERATOR_KINDS.contains(type)) {
                assertTrue(document.path("spec").isObject(), type + " " + name + " has no spec");
            } else {
                problems.add("unexpected resource " + type + " " + name
                        + (type.endsWith("/Secret") ? " (Secrets are created by ops, never committed)" : ""));
            }
        }
        assertTrue(problems.isEmpty(), "problems in overlay " + overlay + ":\n" + String.join("\n", problems));
        assertNotNull(namespace, "the overlay creates its namespace");
        checkReferences(overlay, namespace, documents, core);
    }

    /**
     * An alert or a panel on a metric nobody exports stays silent forever: every metric the dashboard and the alert
     * rules read must be one the services' code registers (or one Quarkus' HTTP client binder exports).
     */
    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theDashboardAndTheAlertsReadMetricsTheServicesExport(String overlay) throws Exception {
        List<String> expressions = new ArrayList<>();
        int panels = 0;
        int rules = 0;
        for (JsonNode document : build(overlay)) {
            String kind = document.path("kind").asText();
            String name = document.path("metadata").path("name").asText();
            if (kind.equals("ConfigMap") && name.equals("sansam-grafana-dashboard")) {
                assertEquals(
                        "1",
                        document.path("metadata")
                                .path("labels")
                                .path("grafana_dashboard")
                                .asText(),
                        "Grafana's sidecar finds dashboards by this label");
                JsonNode dashboard =
                        JSON.readTree(document.path("data").path("sansam.json").asText());
                for (JsonNode panel : dashboard.path("panels")) {
                    panels++;
                    assertFalse(
                            panel.path("targets").isEmpty(),
                            "panel " + panel.path("title").asText() + " has no query");
                    panel.path("targets")
                            .forEach(target ->
                                    expressions.add(target.path("expr").asText()));
                }
            } else if (kind.equals("PrometheusRule")) {
                for (JsonNode group : document.path("spec").path("groups")) {
                    for (JsonNode rule : group.path("rules")) {
                        rules++;
                        assertFalse(rule.path("alert").asText().isEmpty(), "a rule without an alert name");
                        assertFalse(
                                rule.path("annotations")
                                        .path("summary")
                                        .asText()
                                        .isEmpty(),
                                rule.path("alert").asText() + " needs a summary");
                        expressions.add(rule.path("expr").asText());
                    }
                }
            }
        }
        assertTrue(panels >= 8, "the dashboard is there (" + panels + " panels)");
        assertTrue(rules >= 6, "the alert rules are there (" + rules + " rules)");
        Set<String> registered = registeredMetricNames();
        List<String> unknown = new ArrayList<>();
        java.util.regex.Matcher metric = java.util.regex.Pattern.compile("\\b(sansam_[a-z_]+|http_[a-z_]+)\\b")
                .matcher(String.join("\n", expressions));
        while (metric.find()) {
            String name = metric.group(1);
            String base = name.replaceAll("_(total|bucket|count|sum|max)$", "");
            if (!name.startsWith("http_client_requests_seconds")
                    && !registered.contains(base)
                    && !registered.contains(base.replaceAll("_seconds$", ""))) {
                unknown.add(name);
            }
        }
        assertTrue(unknown.isEmpty(), "read but never registered by any service: " + unknown);
    }

    /** The meter names (dots as underscores) the services' and runtime's code registers. */
    private static Set<String> registeredMetricNames() throws IOException {
        Set<String> names = new java.util.HashSet<>();
        java.util.regex.Pattern literal = java.util.regex.Pattern.compile("\"(sansam[._][a-z_.]+)\"");
        for (String module : List.of("commerce-api", "stock-worker", "chat-gateway", "src/runtime")) {
            try (var files = Files.walk(Path.of("..", module, "src", "main", "java"))) {
                for (Path file :
                        files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    java.util.regex.Matcher m = literal.matcher(Files.readString(file));
                    while (m.find()) {
                        names.add(m.group(1).replace('.', '_'));
                    }
                }
            }
        }
        return names;
    }

    private static void checkReferences(
            String overlay, String namespace, List<JsonNode> documents, List<HasMetadata> core) {
        for (JsonNode document : documents) {
            if (!"Namespace".equals(document.path("kind").asText())) {
                assertEquals(
                        namespace,
                        document.path("metadata").path("namespace").asText(),
                        document.path("kind").asText() + " "
                                + document.path("metadata").path("name").asText() + " is outside " + namespace);
            }
        }
        Map<String, Deployment> deployments = byName(core, Deployment.class);
        Set<String> configMaps = byName(core, ConfigMap.class).keySet();
        Map<String, Service> services = byName(core, Service.class);
        assertEquals(Set.of("commerce-api", "stock-worker", "chat-gateway"), deployments.keySet());

        for (Deployment deployment : deployments.values()) {
            String name = deployment.getMetadata().getName();
            assertTrue(
                    Boolean.TRUE.equals(deployment
                            .getSpec()
                            .getTemplate()
                            .getSpec()
                            .getSecurityContext()
                            .getRunAsNonRoot()),
                    name + " must run as non-root");
            assertTrue(
                    deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds() > 20,
                    name + ": the grace period must outlast quarkus.shutdown.timeout (20 s)");
            for (Container container :
                    deployment.getSpec().getTemplate().getSpec().getContainers()) {
                probe(name, "readiness", container.getReadinessProbe(), "/q/health/ready");
                probe(name, "liveness", container.getLivenessProbe(), "/q/health/live");
                probe(name, "startup", container.getStartupProbe(), "/q/health/started");
                var resources = container.getResources();
                assertNotNull(resources.getRequests().get("cpu"), name + " needs a CPU request");
                assertNotNull(resources.getRequests().get("memory"), name + " needs a memory request");
                assertNotNull(resources.getLimits().get("memory"), name + " needs a memory limit");
                for (EnvFromSource from : container.getEnvFrom()) {
                    assertTrue(
                            configMaps.contains(from.getConfigMapRef().getName()),
                            name + " reads a ConfigMap that is not there: "
                                    + from.getConfigMapRef().getName());
                }
                for (EnvVar env : container.getEnv()) {
                    if (env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null) {
                        assertFalse(
                                env.getValueFrom().getSecretKeyRef().getName().isBlank(), name + " " + env.getName());
                    }
                    assertFalse(
                            env.getName().contains("SECRET") && env.getValue() != null,
                            name + ": " + env.getName() + " must come from a Secret, not a literal");
                    assertNoBenchOnlySetting(name + " env", env.getName(), env.getValue());
                }
            }
            Service service = services.get(name);
            assertNotNull(service, name + " has no Service");
            assertTrue(
                    matches(service.getSpec().getSelector(), deployment),
                    "Service " + name + " selects no pod of its Deployment");
        }

        for (ConfigMap map : byName(core, ConfigMap.class).values()) {
            if (map.getData() != null) {
                map.getData()
                        .forEach((key, value) -> assertNoBenchOnlySetting(
                                "ConfigMap " + map.getMetadata().getName(), key, value));
            }
        }

        JsonNode broker = documents.stream()
                .filter(d -> d.path("kind").asText().equals("RabbitmqCluster"))
                .findFirst()
                .orElseThrow();
        // the RabbitMQ Cluster Operator labels the broker's pods with the cluster's name
        Map<String, String> brokerPods = Map.of(
                "app.kubernetes.io/name", broker.path("metadata").path("name").asText());
        for (PodDisruptionBudget pdb : byName(core, PodDisruptionBudget.class).values()) {
            Map<String, String> selects = pdb.getSpec().getSelector().getMatchLabels();
            assertTrue(
                    selects.equals(brokerPods) || deployments.values().stream().anyMatch(d -> matches(selects, d)),
                    "PodDisruptionBudget " + pdb.getMetadata().getName() + " selects no Deployment nor the broker");
        }
        if (overlay.equals("prod")) {
            checkBrokerSpread(broker, brokerPods, byName(core, PodDisruptionBudget.class));
            checkStockWorkerScaling(documents, deployments.keySet());
        }
        Map<String, HorizontalPodAutoscaler> hpas = byName(core, HorizontalPodAutoscaler.class);
        assertEquals(Set.of("commerce-api", "chat-gateway"), hpas.keySet());
        for (HorizontalPodAutoscaler hpa : hpas.values()) {
            assertTrue(deployments.containsKey(hpa.getSpec().getScaleTargetRef().getName()));
            assertTrue(hpa.getSpec().getMinReplicas() <= hpa.getSpec().getMaxReplicas());
        }

        List<Ingress> ingresses = List.copyOf(byName(core, Ingress.class).values());
        assertEquals(1, ingresses.size());
        Map<String, String> routes = ingresses.get(0).getSpec().getRules().stream()
                .flatMap(rule -> rule.getHttp().getPaths().stream())
                .collect(Collectors.toMap(
                        HTTPIngressPath::getPath,
                        path -> path.getBackend().getService().getName()));
        assertEquals("chat-gateway", routes.get("/ws/chat"), overlay + ": the WebSocket goes to the gateway");
        // chat-gateway admits the storefront's origin (else it falls back to localhost and refuses the real shop)
        String shop = "https://" + ingresses.get(0).getSpec().getRules().get(0).getHost();
        Map<String, ConfigMap> maps = byName(core, ConfigMap.class);
        String allowed =
                deployments
                        .get("chat-gateway")
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getEnvFrom()
                        .stream()
                        .map(from -> maps.get(from.getConfigMapRef().getName()))
                        .filter(map -> map != null
                                && map.getData() != null
                                && map.getData().containsKey("CHAT_ALLOWED_ORIGINS"))
                        .map(map -> map.getData().get("CHAT_ALLOWED_ORIGINS"))
                        .findFirst()
                        .orElse("");
        assertTrue(
                java.util.Arrays.asList(allowed.split(",")).contains(shop),
                overlay + ": CHAT_ALLOWED_ORIGINS (" + allowed + ") must name the shop's origin " + shop);
        assertEquals("chat-gateway", routes.get("/api/v1/chat"));
        assertEquals("commerce-api", routes.get("/api"));
        routes.values()
                .forEach(service -> assertTrue(
                        services.containsKey(service), "the Ingress routes to a missing Service " + service));

        // Only the ingress (and Prometheus) reach the public services; only Prometheus reaches stock-worker.
        Map<String, NetworkPolicy> policies = byName(core, NetworkPolicy.class);
        for (Deployment deployment : deployments.values()) {
            NetworkPolicy policy = policies.values().stream()
                    .filter(p -> matches(p.getSpec().getPodSelector().getMatchLabels(), deployment))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no NetworkPolicy selects "
                            + deployment.getMetadata().getName()));
            Set<String> from = policy.getSpec().getIngress().stream()
                    .flatMap(rule -> rule.getFrom().stream())
                    .map(peer -> peer.getNamespaceSelector().getMatchLabels().get("kubernetes.io/metadata.name"))
                    .collect(Collectors.toSet());
            Set<String> expected = deployment.getMetadata().getName().equals("stock-worker")
                    ? Set.of("monitoring")
                    : Set.of("ingress-nginx", "monitoring");
            assertEquals(
                    expected, from, "who may reach " + deployment.getMetadata().getName());
        }

        checkBrokerTopology(documents);
        checkCacheRedis(overlay, documents, core);
    }

    /**
     * Any search makes a catalogue cache entry: the cache's Redis must be capped and evicting, and must not be the
     * Redis that holds sessions (an evicting one would log users out, an uncapped one would fill up). It evicts only
     * keys with an expiry (the entries): the version counters have none and must never go.
     */
    @org.junit.jupiter.api.Test
    void benchOnlySettingsAreRefused() {
        org.junit.jupiter.api.Assertions.assertThrows(
                AssertionError.class, () -> assertNoBenchOnlySetting("test", "BCRYPT_COST", "4"));
        org.junit.jupiter.api.Assertions.assertThrows(
                AssertionError.class, () -> assertNoBenchOnlySetting("test", "SANSAM_ACCOUNT_BCRYPT_COST", "x"));
        assertNoBenchOnlySetting("test", "BCRYPT_COST", "12");
        org.junit.jupiter.api.Assertions.assertThrows(
                AssertionError.class, () -> assertNoBenchOnlySetting("test", "SIGNUP_MAX_PER_ADDRESS", "1000000"));
        assertNoBenchOnlySetting("test", "SIGNUP_MAX_PER_ADDRESS", "5");
    }

    /**
     * The benches prepare their buyers with a cheap password hash (BCRYPT_COST=4); a deployment never may: below
     * cost 10 a stolen hash is cracked quickly.
     */
    private static void assertNoBenchOnlySetting(String where, String key, String value) {
        if (key.equals("BCRYPT_COST") || key.equals("SANSAM_ACCOUNT_BCRYPT_COST")) {
            assertTrue(
                    value != null && value.matches("\\d+") && Integer.parseInt(value) >= 10,
                    where + ": " + key + "=" + value + " is below bcrypt cost 10 (only the benches may hash cheaply)");
        }
        // the benches sign up thousands of buyers from one machine; a deployment keeps the per-address limit
        if (key.equals("SIGNUP_MAX_PER_ADDRESS") || key.equals("SANSAM_ACCOUNT_SIGNUP_MAX_PER_ADDRESS")) {
            assertTrue(
                    value != null && value.matches("\\d+") && Integer.parseInt(value) <= 10,
                    where + ": " + key + "=" + value + " lets one address open more than 10 accounts an hour "
                            + "(only the benches may)");
        }
    }

    private static void checkCacheRedis(String overlay, List<JsonNode> documents, List<HasMetadata> core) {
        Map<String, ConfigMap> configMaps = byName(core, ConfigMap.class);
        // generated ConfigMaps carry a hash suffix
        java.util.function.Function<String, Map<String, String>> generated = prefix -> configMaps.values().stream()
                .filter(map -> map.getMetadata().getName().startsWith(prefix))
                .findFirst()
                .orElseThrow()
                .getData();
        Map<String, String> api = generated.apply("commerce-api");
        Map<String, String> platform = generated.apply("sansam-platform");
        String cacheUrl = api.get("REDIS_CACHE_URL");
        assertNotNull(cacheUrl, overlay + ": commerce-api's catalogue cache needs its own REDIS_CACHE_URL");
        String cacheHost = URI.create(cacheUrl).getHost();
        assertNotEquals(
                URI.create(platform.get("REDIS_URL")).getHost(),
                cacheHost,
                overlay + ": the cache shares the sessions' Redis");
        JsonNode redis = documents.stream()
                .filter(d -> d.path("kind").asText().equals("Redis")
                        && d.path("metadata").path("name").asText().equals(cacheHost))
                .findFirst()
                .orElseThrow(() -> new AssertionError(overlay + ": no Redis named " + cacheHost));
        String configName = redis.path("spec")
                .path("redisConfig")
                .path("additionalRedisConfig")
                .asText();
        ConfigMap config = configMaps.get(configName);
        assertNotNull(config, overlay + ": the cache Redis reads a missing ConfigMap '" + configName + "'");
        String conf = config.getData().getOrDefault("redis-additional.conf", "");
        assertTrue(
                conf.lines().anyMatch(l -> l.matches("maxmemory \\d+[mg]b")),
                overlay + ": the cache Redis has no maxmemory: " + conf);
        assertTrue(
                conf.lines().anyMatch(l -> l.equals("maxmemory-policy volatile-lru")),
                overlay + ": the cache Redis must evict entries, never the version counters (volatile-lru)");
    }

    /**
     * Production's broker: three nodes, never two on one machine (a required anti-affinity on the hostname), spread over
     * the zones, and a drain takes one at a time (its PodDisruptionBudget): every quorum queue keeps its majority.
     */
    private static void checkBrokerSpread(
            JsonNode broker, Map<String, String> brokerPods, Map<String, PodDisruptionBudget> pdbs) {
        JsonNode spec = broker.path("spec");
        assertEquals(3, spec.path("replicas").asInt(), "prod runs three broker nodes");
        JsonNode antiAffinity =
                spec.path("affinity").path("podAntiAffinity").path("requiredDuringSchedulingIgnoredDuringExecution");
        assertTrue(
                java.util.stream.StreamSupport.stream(antiAffinity.spliterator(), false)
                        .anyMatch(term -> term.path("topologyKey").asText().equals("kubernetes.io/hostname")
                                && JSON.convertValue(term.path("labelSelector").path("matchLabels"), Map.class)
                                        .equals(brokerPods)),
                "two broker nodes must never share a machine");
        JsonNode spread = spec.path("override")
                .path("statefulSet")
                .path("spec")
                .path("template")
                .path("spec")
                .path("topologySpreadConstraints");
        assertTrue(
                java.util.stream.StreamSupport.stream(spread.spliterator(), false)
                        .anyMatch(c -> c.path("topologyKey").asText().equals("topology.kubernetes.io/zone")),
                "the broker nodes are spread over the zones");
        assertTrue(
                pdbs.values().stream()
                        .anyMatch(pdb ->
                                pdb.getSpec().getSelector().getMatchLabels().equals(brokerPods)
                                        && pdb.getSpec().getMaxUnavailable() != null
                                        && pdb.getSpec().getMaxUnavailable().getIntVal() == 1),
                "a drain takes one broker node at a time");
    }

    /**
     * prod: KEDA scales the stock-worker on the depth of its command shards, every shard and nothing else, between two
     * replicas (one stands by) and one per shard, reading the broker with the operator's user.
     */
    private static void checkStockWorkerScaling(List<JsonNode> documents, Set<String> deployments) {
        List<JsonNode> scaled = documents.stream()
                .filter(d -> d.path("kind").asText().equals("ScaledObject"))
                .toList();
        assertEquals(1, scaled.size(), "one ScaledObject (stock-worker)");
        JsonNode spec = scaled.get(0).path("spec");
        assertEquals("stock-worker", spec.path("scaleTargetRef").path("name").asText());
        assertTrue(deployments.contains("stock-worker"));
        Topology.Route commands = Topology.route(com.sansam.messages.Messages.STOCK_COMMANDS_EXCHANGE);
        assertTrue(spec.path("minReplicaCount").asInt() >= 2, "a standby takes a dead replica's shards");
        assertTrue(
                spec.path("maxReplicaCount").asInt() <= commands.shards(),
                "more replicas than shards would stand idle");
        JsonNode triggers = spec.path("triggers");
        assertEquals(1, triggers.size());
        JsonNode trigger = triggers.get(0);
        assertEquals("rabbitmq", trigger.path("type").asText());
        JsonNode metadata = trigger.path("metadata");
        assertEquals("true", metadata.path("useRegex").asText());
        assertEquals("http", metadata.path("protocol").asText(), "a regex needs the management API");
        assertEquals("sum", metadata.path("operation").asText());
        assertEquals("QueueLength", metadata.path("mode").asText());
        java.util.regex.Pattern queues =
                java.util.regex.Pattern.compile(metadata.path("queueName").asText());
        for (String shard : commands.queues()) {
            assertTrue(queues.matcher(shard).find(), "the trigger counts " + shard);
        }
        for (Topology.Route route : Topology.ROUTES) {
            assertFalse(queues.matcher(route.deadLetterQueue()).find(), "not " + route.deadLetterQueue());
            if (route != commands) {
                route.queues()
                        .forEach(other -> assertFalse(queues.matcher(other).find(), "not " + other));
            }
        }
        String auth = trigger.path("authenticationRef").path("name").asText();
        JsonNode authentication = documents.stream()
                .filter(d -> d.path("kind").asText().equals("TriggerAuthentication")
                        && d.path("metadata").path("name").asText().equals(auth))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no TriggerAuthentication " + auth));
        authentication
                .path("spec")
                .path("secretTargetRef")
                .forEach(ref -> assertEquals(
                        "sansam-rabbitmq-default-user", ref.path("name").asText(), "the broker operator's user"));
    }

    /** The broker definitions in deploy/ are the topology the services declare (runtime's Topology). */
    private static void checkBrokerTopology(List<JsonNode> documents) {
        Map<String, JsonNode> queues = new java.util.HashMap<>();
        Set<String> exchanges = new java.util.HashSet<>();
        Set<String> bindings = new java.util.HashSet<>();
        for (JsonNode document : documents) {
            JsonNode spec = document.path("spec");
            switch (document.path("kind").asText()) {
                case "Queue" -> queues.put(spec.path("name").asText(), spec);
                case "Exchange" ->
                    exchanges.add(
                            spec.path("name").asText() + ":" + spec.path("type").asText());
                case "Binding" ->
                    bindings.add(spec.path("source").asText() + "->"
                            + spec.path("destination").asText() + ":"
                            + spec.path("routingKey").asText());
                default -> {}
            }
        }
        assertTrue(exchanges.contains(Topology.DEAD_LETTER_EXCHANGE + ":direct"), "the dead-letter exchange");
        int expectedQueues = 0;
        for (Topology.Route route : Topology.ROUTES) {
            assertTrue(exchanges.contains(route.exchange() + ":topic"), "exchange " + route.exchange());
            for (String name : route.queues()) {
                expectedQueues++;
                JsonNode queue = queues.get(name);
                assertNotNull(queue, "queue " + name);
                assertTrue(queue.path("durable").asBoolean(), name + " is durable");
                assertEquals("quorum", queue.path("type").asText(), name + " is a quorum queue");
                route.arguments().forEach((argument, value) -> {
                    if (!argument.equals("x-queue-type")) { // the operator takes the type as spec.type
                        assertEquals(
                                String.valueOf(value),
                                queue.path("arguments").path(argument).asText(),
                                name + " " + argument);
                    }
                });
                assertTrue(
                        bindings.contains(route.exchange() + "->" + name + ":" + route.bindingOf(name)),
                        "binding to " + name);
            }
            expectedQueues++;
            JsonNode deadLetters = queues.get(route.deadLetterQueue());
            assertNotNull(deadLetters, "queue " + route.deadLetterQueue());
            assertEquals("quorum", deadLetters.path("type").asText(), route.deadLetterQueue() + " is a quorum queue");
            assertTrue(
                    bindings.contains(
                            Topology.DEAD_LETTER_EXCHANGE + "->" + route.deadLetterQueue() + ":" + route.queue()),
                    "binding to " + route.deadLetterQueue());
        }
        assertEquals(expectedQueues, queues.size(), "no queue beyond the topology");
    }

    private static void probe(String deployment, String kind, Probe probe, String path) {
        assertNotNull(probe, deployment + " has no " + kind + " probe");
        assertEquals(path, probe.getHttpGet().getPath(), deployment + " " + kind + " probe");
    }

    private static boolean matches(Map<String, String> selector, Deployment deployment) {
        Map<String, String> labels =
                deployment.getSpec().getTemplate().getMetadata().getLabels();
        return selector != null
                && !selector.isEmpty()
                && selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    private static <T extends HasMetadata> Map<String, T> byName(List<HasMetadata> resources, Class<T> type) {
        return resources.stream()
                .filter(type::isInstance)
                .map(type::cast)
                .collect(Collectors.toMap(r -> r.getMetadata().getName(), r -> r));
    }

    /** fabric8 keeps fields it does not know in additionalProperties: any entry there is a field Kubernetes does not have. */
    private static void unknownFields(Object value, String path, List<String> problems) throws Exception {
        if (value == null
                || value instanceof String
                || value instanceof Number
                || value instanceof Boolean
                || value instanceof Enum<?>) {
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                unknownFields(item, path + "[" + i++ + "]", problems);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                unknownFields(entry.getValue(), path + "." + entry.getKey(), problems);
            }
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0
                    || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get")
                    || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            Object child = getter.invoke(value);
            if (getter.getName().equals("getAdditionalProperties")) {
                if (child instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    problems.add(path + ": unknown field(s) " + extra.keySet());
                }
            } else {
                unknownFields(child, path + "." + decapitalize(getter.getName().substring(3)), problems);
            }
        }
    }

    private static String decapitalize(String name) {
        return name.isEmpty() ? name : Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }

    private static List<JsonNode> build(String overlay) throws IOException, InterruptedException {
        Path dir = Path.of("overlays", overlay).toAbsolutePath();
        assertTrue(Files.isDirectory(dir), dir + " missing");
        Process process;
        try {
            process = new ProcessBuilder("kubectl", "kustomize", dir.toString())
                    .redirectErrorStream(false)
                    .start();
        } catch (IOException e) {
            Assumptions.abort("kubectl (which bundles kustomize) is not installed: the manifests were NOT checked. "
                    + e.getMessage());
            throw e;
        }
        byte[] out = process.getInputStream().readAllBytes();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        if (process.exitValue() != 0) {
            fail("kustomize build of " + overlay + " failed: " + err);
        }
        YAMLMapper yaml = new YAMLMapper(new YAMLFactory());
        List<JsonNode> documents = new ArrayList<>();
        try (var parser = yaml.getFactory().createParser(out)) {
            var iterator = yaml.readValues(parser, JsonNode.class);
            while (iterator.hasNext()) {
                JsonNode node = iterator.next();
                if (node != null && !node.isEmpty()) {
                    documents.add(node);
                }
            }
        }
        assertFalse(documents.isEmpty());
        return documents;
    }
}
