package com.sansam.commerce.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Load generator for src/bench/order-throughput.sh and src/bench/order-rush.sh (not a test): real buyers over HTTP against
 * a running commerce-api and stock-worker. {@code bench.mode=steady}: logged-in buyers in a closed loop (place an
 * order, wait until it is decided, repeat) for a fixed time; prints orders reaching STOCK_RESERVED per second and
 * p50/p99 of the POST and of placed → STOCK_RESERVED (see {@link #PREFER}). {@code bench.mode=rush}: every buyer fires at one SKU with
 * few units at the same moment; prints the outcomes and the time until every buyer knew theirs.
 */
public final class OrderBench extends BenchClient {

    /**
     * What the steady buyers ask of their POST: by default, as the storefront does, to be answered once the order is
     * decided ({@code Prefer: wait=30}: one request per order); {@code -Dbench.prefer-wait=false} places the order and
     * then long-polls its status (two requests; the POST's own latency is then the placing alone).
     */
    private static final String PREFER =
            Boolean.parseBoolean(System.getProperty("bench.prefer-wait", "true")) ? "wait=30" : null;

    /** The buyers' requests (setting up goes through the JDK client of {@link BenchClient}). */
    private final LoadClient load = new LoadClient();

    private OrderBench(String base) {
        super(base);
    }

    public static void main(String[] args) throws Exception {
        OrderBench bench = new OrderBench(System.getProperty("bench.url", "http://127.0.0.1:18080"));
        try {
            run(bench);
        } catch (Throwable failure) {
            failure.printStackTrace(System.out); // printed (the bench scripts keep lines with "Exception"), then out
            System.exit(1);
        }
        System.exit(0);
    }

    private static void run(OrderBench bench) throws Exception {
        String mode = System.getProperty("bench.mode", "steady");
        int buyers = Integer.getInteger("bench.buyers", mode.equals("rush") ? 1000 : mode.equals("deal") ? 2000 : 200);
        if (mode.equals("deal")) {
            bench.deal(buyers, Integer.getInteger("bench.units", 50), Integer.getInteger("bench.warmup", 30));
        } else if (mode.equals("rush")) {
            bench.rush(buyers, Integer.getInteger("bench.units", 10), Integer.getInteger("bench.warmup", 30));
        } else if (mode.equals("faults")) {
            bench.faults(buyers, Integer.getInteger("bench.skus", 20), Integer.getInteger("bench.seconds", 40));
        } else {
            bench.steady(buyers, Integer.getInteger("bench.skus", 200), Integer.getInteger("bench.seconds", 60));
        }
    }

    // ---------------------------------------------------------------------------------------------- steady

    private void steady(int buyers, int skuCount, int seconds) throws Exception {
        String admin = login(System.getProperty("bench.admin.email"), System.getProperty("bench.admin.password"));
        List<String> skus = products(admin, skuCount, 100_000);
        List<String> sessions = buyers(buyers);
        int warmUp = Integer.getInteger("bench.warmup", 20);
        System.out.printf(
                "[bench] %d buyers, %d SKUs, %d s closed loop (after %d s warm-up); %s%n",
                buyers,
                skus.size(),
                seconds,
                warmUp,
                PREFER == null
                        ? "POST, then long-poll the status"
                        : "POST with Prefer: " + PREFER + " (answered once decided)");
        run(sessions, skus, warmUp, false); // warm-up (JIT, pools), not counted
        System.out.println("[bench] measuring");
        long cpuBefore = processCpuNanos();
        Samples result = run(sessions, skus, seconds, true);
        // this JVM's own CPU over the measured phase: it exits right after RESULT, before a watch from outside can
        // read it a second time
        long clientCpu = processCpuNanos() - cpuBefore;
        double perSecond = result.reserved.get() / (double) seconds;
        System.out.printf(
                "RESULT orders_reserved_per_s=%.1f reserved=%d rejected=%d failed=%d post_p50_ms=%.0f post_p99_ms=%.0f "
                        + "reserved_p50_ms=%.0f reserved_p99_ms=%.0f client_cpu_ms=%d%n",
                perSecond,
                result.reserved.get(),
                result.rejected.get(),
                result.failed.get(),
                percentile(result.post, 50),
                percentile(result.post, 99),
                percentile(result.decided, 50),
                percentile(result.decided, 99),
                TimeUnit.NANOSECONDS.toMillis(clientCpu));
    }

    /** CPU time this process has used (user and system, all threads). */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private record Samples(
            ConcurrentLinkedQueue<Double> post,
            ConcurrentLinkedQueue<Double> decided,
            AtomicInteger reserved,
            AtomicInteger rejected,
            AtomicInteger failed) {
        Samples() {
            this(
                    new ConcurrentLinkedQueue<>(),
                    new ConcurrentLinkedQueue<>(),
                    new AtomicInteger(),
                    new AtomicInteger(),
                    new AtomicInteger());
        }
    }

    /**
     * Every buyer's closed loop for {@code seconds}, none holding a thread of its own (a thread per buyer cost the
     * machine more CPU per order than some of the services: every answer went through two thread hand-offs).
     */
    private Samples run(List<String> sessions, List<String> skus, int seconds, boolean count) throws Exception {
        Samples samples = new Samples();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<CompletableFuture<Void>> loops = new ArrayList<>();
        for (String session : sessions) {
            loops.add(loop(session, skus, end, count, samples));
        }
        CompletableFuture.allOf(loops.toArray(CompletableFuture[]::new)).get(seconds + 300L, TimeUnit.SECONDS);
        return samples;
    }

    /** One buyer: place an order, learn its outcome, again, until {@code end}. */
    private CompletableFuture<Void> loop(String session, List<String> skus, long end, boolean count, Samples samples) {
        if (System.nanoTime() >= end) {
            return CompletableFuture.completedFuture(null);
        }
        String sku = skus.get(ThreadLocalRandom.current().nextInt(skus.size()));
        long start = System.nanoTime();
        LoadClient.Call post;
        try {
            post = LoadClient.Call.postJson(
                            session,
                            "/api/v1/orders",
                            JSON.writeValueAsString(Map.of(
                                    "items",
                                    List.of(Map.of("sku", sku, "quantity", 1, "price", PRICE)),
                                    "shippingAddress",
                                    ADDRESS)))
                    .with("Idempotency-Key", UUID.randomUUID().toString());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (PREFER != null) {
            post = post.with("Prefer", PREFER);
        }
        return sendAsBuyer(post)
                .thenCompose(placed -> {
                    double postMs = (System.nanoTime() - start) / 1e6;
                    if (placed.statusCode() != 201) {
                        samples.failed.incrementAndGet();
                        return CompletableFuture.completedFuture(null);
                    }
                    var order = readTree(placed.body());
                    return decidedAsync(
                                    session,
                                    order.path("orderId").asText(),
                                    order.path("status").asText())
                            .thenAccept(status -> {
                                double decidedMs = (System.nanoTime() - start) / 1e6;
                                if (count && System.nanoTime() < end) {
                                    samples.post.add(postMs);
                                    if (status.equals("STOCK_RESERVED")) {
                                        samples.reserved.incrementAndGet();
                                        samples.decided.add(decidedMs);
                                    } else if (status.startsWith("HTTP_")) {
                                        samples.failed.incrementAndGet();
                                    } else {
                                        samples.rejected.incrementAndGet();
                                    }
                                }
                            });
                })
                .exceptionally(failure -> {
                    samples.failed.incrementAndGet();
                    return null;
                })
                .thenCompose(ignored -> loop(session, skus, end, count, samples));
    }

    // ---------------------------------------------------------------------------------------------- faults

    /**
     * A steady load while the script injects faults (stock-worker killed and restarted, RabbitMQ stopped and
     * started), then a 1,000-buyer rush: every order must end decided (the script then counts PENDING orders).
     */
    private void faults(int buyers, int skuCount, int seconds) throws Exception {
        String admin = login(System.getProperty("bench.admin.email"), System.getProperty("bench.admin.password"));
        List<String> skus = products(admin, skuCount, 100_000);
        List<String> sessions = buyers(buyers);
        System.out.println("[bench] FAULTS_WINDOW_OPEN"); // the script injects its faults from now on
        Samples load = run(sessions, skus, seconds, true);
        System.out.printf(
                "[bench] during faults: reserved=%d rejected=%d failed=%d%n",
                load.reserved.get(), load.rejected.get(), load.failed.get());
        rush(Integer.getInteger("bench.rush", 1000), 10, 0); // warm already: load ran just before
    }

    // ---------------------------------------------------------------------------------------------- rush

    private void rush(int buyers, int units, int warmUp) throws Exception {
        String admin = login(System.getProperty("bench.admin.email"), System.getProperty("bench.admin.password"));
        String sku = products(admin, 1, units).get(0);
        List<String> sessions = buyers(buyers);
        if (warmUp > 0) { // a shop's JVM is warm when a drop starts: run ordinary orders first, on other SKUs
            System.out.printf("[bench] warm-up: %d s of ordinary orders by 200 of the buyers%n", warmUp);
            run(sessions.subList(0, Math.min(200, sessions.size())), products(admin, 20, 100_000), warmUp, false);
            Thread.sleep(2_000); // let the last answers settle
        }
        // Buyers on the shop's page have their connections open (to the ingress) before the drop: so do these, and the
        // same requests to /q/health/live on them are the floor of this machine and client, measured in the same run.
        double floorMs = httpFloor(sessions);
        System.out.printf("[bench] %d buyers at once for one SKU with %d units (rush sku=%s)%n", buyers, units, sku);
        String body = JSON.writeValueAsString(Map.of(
                "items", List.of(Map.of("sku", sku, "quantity", 1, "price", PRICE)), "shippingAddress", ADDRESS));
        Drop drop = fireAtOnce(sessions, body);
        System.out.printf(
                "RESULT reserved=%d sold_out=%d other=%d http_5xx=%d all_known_ms=%.0f known_p50_ms=%.0f known_p99_ms=%.0f "
                        + "http_floor_ms=%.0f%n",
                drop.reserved(),
                drop.soldOut(),
                drop.other(),
                codes.entrySet().stream()
                        .filter(e -> e.getKey() >= 500)
                        .mapToInt(e -> e.getValue().get())
                        .sum(),
                percentile(drop.known(), 100),
                percentile(drop.known(), 50),
                percentile(drop.known(), 99),
                floorMs);
    }

    /** What the buyers of a drop were told, and when (ms after the first request) each knew. */
    private record Drop(Map<String, AtomicInteger> outcomes, ConcurrentLinkedQueue<Double> known, Set<String> winners) {

        int count(String outcome) {
            return outcomes.getOrDefault(outcome, new AtomicInteger()).get();
        }

        int reserved() {
            return count("STOCK_RESERVED");
        }

        int soldOut() {
            return count("REJECTED") + count("SOLD_OUT_409");
        }

        int other() {
            return known.size() - reserved() - soldOut();
        }
    }

    /**
     * Every session posts the same order at the same moment; each buyer's outcome is the order's decided status (the
     * status request long-polls while it is PENDING) or the refusal. Asynchronous requests, so the client is not what
     * the buyers wait for: 1,000 blocked threads on two cores measured mostly the client.
     */
    private Drop fireAtOnce(List<String> sessions, String body) throws Exception {
        Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<Double> known = new ConcurrentLinkedQueue<>();
        Set<String> winners = ConcurrentHashMap.newKeySet();
        long start = System.nanoTime();
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (String session : sessions) {
            LoadClient.Call placeIt = LoadClient.Call.postJson(session, "/api/v1/orders", body)
                    .with("Idempotency-Key", UUID.randomUUID().toString());
            all.add(sendAsBuyer(placeIt)
                    .thenCompose(placed -> {
                        if (placed.statusCode() == 201) {
                            JsonNode order = readTree(placed.body());
                            return decidedAsync(
                                    session,
                                    order.path("orderId").asText(),
                                    order.path("status").asText());
                        }
                        return CompletableFuture.completedFuture(
                                placed.statusCode() == 409 && placed.body().contains("sold-out")
                                        ? "SOLD_OUT_409"
                                        : "HTTP_" + placed.statusCode());
                    })
                    .exceptionally(e -> "ERROR_" + e.getClass().getSimpleName())
                    .thenAccept(outcome -> {
                        known.add((System.nanoTime() - start) / 1e6);
                        outcomes.computeIfAbsent(outcome, key -> new AtomicInteger())
                                .incrementAndGet();
                        if (outcome.equals("STOCK_RESERVED")) {
                            winners.add(session);
                        }
                    }));
        }
        try {
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(180, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            long waiting = all.stream().filter(f -> !f.isDone()).count();
            System.out.printf(
                    "[bench] %d of %d buyers had no outcome after 180 s (counted as other)%n", waiting, all.size());
            for (long i = 0; i < waiting; i++) {
                known.add(180_000.0);
            }
        }
        System.out.println("[bench] outcomes " + outcomes);
        System.out.println("[bench] http status codes (every answer, retries included) " + codes
                + "; requests sent again to another replica (theirs was gone) " + sentElsewhere.get());
        return new Drop(outcomes, known, winners);
    }

    // ---------------------------------------------------------------------------------------------- deal

    /**
     * A time deal's drop: {@code units} units at a deal price, one per buyer, and every buyer fires as it opens. The
     * deal's SSE stream is watched throughout; its last count must be 0.
     */
    private void deal(int buyers, int units, int warmUp) throws Exception {
        String admin = login(System.getProperty("bench.admin.email"), System.getProperty("bench.admin.password"));
        String sku = products(admin, 1, units * 4).get(0);
        List<String> sessions = buyers(buyers);
        if (warmUp > 0) {
            System.out.printf("[bench] warm-up: %d s of ordinary orders by 200 of the buyers%n", warmUp);
            run(sessions.subList(0, Math.min(200, sessions.size())), products(admin, 20, 100_000), warmUp, false);
            Thread.sleep(2_000);
        }
        java.time.Instant startsAt = java.time.Instant.now().plusSeconds(5);
        long dealPrice = PRICE / 2;
        long dealId = createDeal(admin, sku, units, startsAt, startsAt.plusSeconds(600), "Bench deal", Map.of());
        // The deal's stream, read on a daemon thread of its own (it never ends by itself).
        AtomicInteger lastCount = new AtomicInteger(-1);
        HttpRequest watch = HttpRequest.newBuilder(URI.create(base() + "/api/v1/deals/" + dealId + "/stream"))
                .header("Accept", "text/event-stream")
                .GET()
                .build();
        Thread watcher = new Thread(
                () -> {
                    try {
                        http.send(watch, HttpResponse.BodyHandlers.ofLines())
                                .body()
                                .filter(line -> line.startsWith("data:"))
                                .forEach(line ->
                                        lastCount.set(readTree(line.substring(5).trim())
                                                .path("remaining")
                                                .asInt()));
                    } catch (Exception e) {
                        System.out.println("[bench] the deal's stream ended: " + e);
                    }
                },
                "deal-stream");
        watcher.setDaemon(true);
        watcher.start();
        String body = JSON.writeValueAsString(Map.of(
                "items",
                List.of(Map.of("sku", sku, "quantity", 1, "price", dealPrice, "dealId", dealId)),
                "shippingAddress",
                ADDRESS));
        double floorMs = httpFloor(sessions);
        long wait =
                java.time.Duration.between(java.time.Instant.now(), startsAt).toMillis() + 20;
        Thread.sleep(Math.max(0, wait));
        System.out.printf(
                "[bench] %d buyers at once for deal %d with %d units, limit 1 (deal sku=%s)%n",
                buyers, dealId, units, sku);
        Drop drop = fireAtOnce(sessions, body);
        Thread.sleep(1_000); // the stream's next read
        System.out.printf(
                "RESULT winners=%d distinct_winners=%d sold_out=%d other=%d all_known_ms=%.0f known_p50_ms=%.0f "
                        + "known_p99_ms=%.0f stream_last=%d http_floor_ms=%.0f%n",
                drop.reserved(),
                drop.winners().size(),
                drop.soldOut(),
                drop.other(),
                percentile(drop.known(), 100),
                percentile(drop.known(), 50),
                percentile(drop.known(), 99),
                lastCount.get(),
                floorMs);
    }

    /**
     * The floor of this machine and client: the same buyers' sessions each send one request at once that does nothing
     * (GET /q/health/live), on open connections; the time until the last answer is what no drop can beat here.
     */
    private double httpFloor(List<String> sessions) throws Exception {
        oneRoundToLive(sessions); // the first round opens the connections; the drop then reuses them, so does the floor
        return oneRoundToLive(sessions);
    }

    private double oneRoundToLive(List<String> sessions) throws Exception {
        long start = System.nanoTime();
        List<CompletableFuture<LoadClient.Answer>> all = new ArrayList<>();
        for (String session : sessions) {
            all.add(load.send(base(), LoadClient.Call.get(session, "/q/health/live")));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        double ms = (System.nanoTime() - start) / 1e6;
        System.out.printf(
                "[bench] %d requests at once to /q/health/live: all answered after %.0f ms%n", sessions.size(), ms);
        return ms;
    }

    // ---------------------------------------------------------------------------------------------- helpers

    /** The order's outcome: while it is PENDING, its status request long-polls. */
    private CompletableFuture<String> decidedAsync(String session, String orderId, String status) {
        if (!status.equals("PENDING")) {
            return CompletableFuture.completedFuture(status);
        }
        LoadClient.Call poll =
                LoadClient.Call.get(session, "/api/v1/orders/" + orderId + "/status?waitWhile=PENDING&wait=30");
        return sendAsBuyer(poll)
                .thenCompose(answer -> answer.statusCode() == 200
                        ? decidedAsync(
                                session,
                                orderId,
                                readTree(answer.body()).path("status").asText())
                        : CompletableFuture.completedFuture("HTTP_" + answer.statusCode()));
    }

    /** Every HTTP status code the buyers got, retries included (the goal: no 5xx at all). */
    private final Map<Integer, AtomicInteger> codes = new java.util.concurrent.ConcurrentSkipListMap<>();

    /**
     * Sends as the storefront does: a 503 (many people at once) is tried again after its Retry-After, up to 10 times
     * (an order's POST carries its Idempotency-Key, so a repeat never makes a second order).
     */
    private CompletableFuture<LoadClient.Answer> sendAsBuyer(LoadClient.Call call) {
        return sendAsBuyer(call, base(), 1);
    }

    private CompletableFuture<LoadClient.Answer> sendAsBuyer(LoadClient.Call call, String replica, int attempt) {
        return load.send(replica, call)
                .handle((answer, failure) -> failure == null
                        ? answered(call, replica, answer, attempt)
                        : failed(call, replica, failure, attempt))
                .thenCompose(next -> next);
    }

    private CompletableFuture<LoadClient.Answer> answered(
            LoadClient.Call call, String replica, LoadClient.Answer answer, int attempt) {
        codes.computeIfAbsent(answer.statusCode(), code -> new AtomicInteger()).incrementAndGet();
        if (answer.statusCode() != 503 || attempt >= 10) {
            return CompletableFuture.completedFuture(answer);
        }
        return load.after(answer.retryAfterSeconds() * 1000)
                .thenCompose(ignored -> sendAsBuyer(call, base(), attempt + 1));
    }

    /** A replica gone (src/bench/replicas.sh kills some): the same request to another, as an ingress would. */
    private CompletableFuture<LoadClient.Answer> failed(
            LoadClient.Call call, String replica, Throwable failure, int attempt) {
        String next = attempt < 10 ? elsewhere(replica, failure) : null;
        return next == null ? CompletableFuture.failedFuture(failure) : sendAsBuyer(call, next, attempt + 1);
    }
}
