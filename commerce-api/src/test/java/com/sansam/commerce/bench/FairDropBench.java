package com.sansam.commerce.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.sansam.commerce.deal.service.DrawSeal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load generator for src/bench/deal-queue.sh and src/bench/deal-draw.sh (not a test), against a running commerce-api
 * and stock-worker.
 * <p>
 * {@code bench.mode=queue}: verified buyers join a QUEUE deal before its start and each watches their place (SSE); a
 * buyer whose turn comes orders at once. Prints how long joining took, how soon after the start every buyer knew their
 * place, the admitted buyers' order latency, how many units sold, and how soon after the last unit went every waiting
 * buyer was told "sold out".
 * <p>
 * {@code bench.mode=draw}: verified buyers enter a DRAW deal during its window; at the close prints how soon the draw
 * was made and every winner had an order, recomputes the drawn order and the winners from the published seed, then
 * lets every winner's order lapse unpaid and checks each unit passed on exactly once, to the next in the drawn order.
 */
public final class FairDropBench extends BenchClient {

    /**
     * The 5,000 place streams are read on Vert.x's client (two event loops, no thread per stream: the JDK's client
     * read them all on one selector thread and handed every line to an executor); the admitted buyers' orders go
     * through a client of their own (one more event loop), so that the streams never delay the orders' answers on
     * this side.
     */
    private final LoadClient streams = new LoadClient();

    private final LoadClient orderClient = new LoadClient(1);

    private FairDropBench(String base) {
        super(base);
    }

    public static void main(String[] args) throws Exception {
        FairDropBench bench = new FairDropBench(System.getProperty("bench.url", "http://127.0.0.1:18080"));
        try {
            if ("draw".equals(System.getProperty("bench.mode"))) {
                bench.draw(Integer.getInteger("bench.buyers", 10_000), Integer.getInteger("bench.units", 50));
            } else {
                bench.queue(
                        Integer.getInteger("bench.buyers", 5_000),
                        Integer.getInteger("bench.units", 50),
                        Integer.getInteger("bench.rate", 200));
            }
        } catch (Throwable failure) {
            failure.printStackTrace(System.out);
            System.exit(1);
        }
        System.exit(0);
    }

    // ---------------------------------------------------------------------------------------------- queue

    /** What one waiting buyer saw, in ms since the deal's start (negative: before it). */
    private static final class Watcher {
        final String session;
        volatile long joinedMs = -1;
        volatile long placeKnownMs = -1;
        volatile long soldOutMs = -1;
        volatile boolean ordering;
        volatile int place = -1;

        Watcher(String session) {
            this.session = session;
        }
    }

    /**
     * A warm-up drop first (unless {@code bench.warmup=false}): the same buyers, units and rate, on a product of its own,
     * its figures printed as {@code [bench] warm-up}. A shop's replicas have served orders and streams for hours before
     * a drop; a service started for the bench has not, and the JIT compiles the streams' and the orders' code while
     * the first drop runs (JFR: C2 compilations of 0.2–0.9 s each on the two cores at the start). Then the measured
     * drop, whose figures are the RESULT.
     */
    private void queue(int buyers, int units, int rate) throws Exception {
        String admin = login(System.getProperty("bench.admin.email"), System.getProperty("bench.admin.password"));
        List<String> sessions = buyers(buyers);
        if (Boolean.parseBoolean(System.getProperty("bench.warmup", "true"))) {
            String figures = drop(admin, sessions, units, rate, Integer.getInteger("bench.warmup.lead", 20), true);
            System.out.println("[bench] warm-up (the service's first drop): " + figures);
        }
        System.out.println("RESULT " + drop(admin, sessions, units, rate, Integer.getInteger("bench.lead", 30), false));
    }

    /** One drop: the buyers join a new QUEUE deal before its start, watch and order; answers its figures. */
    private String drop(String admin, List<String> sessions, int units, int rate, int lead, boolean warmUp)
            throws Exception {
        int buyers = sessions.size();
        String sku = products(admin, 1, units * 4).get(0);
        long dealPrice = PRICE / 2;
        Instant startsAt = Instant.now().plusSeconds(lead);
        long dealId = createDeal(
                admin,
                sku,
                units,
                startsAt,
                startsAt.plusSeconds(600),
                warmUp ? "Bench QUEUE warm-up" : "Bench QUEUE",
                Map.of("mode", "QUEUE", "ratePerSecond", rate, "passTtl", "PT2M", "queueOpensBefore", "PT10M"));
        System.out.printf(
                "[bench] %d buyers join the queue of deal %d (%d units, %d/s let in) before its start%n",
                buyers, dealId, units, rate);

        String[] metricsBefore = metrics();
        List<Watcher> watchers = new ArrayList<>();
        sessions.forEach(s -> watchers.add(new Watcher(s)));
        ConcurrentLinkedQueue<Double> joins = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Double> orders = new ConcurrentLinkedQueue<>();
        // at each buyer's turn, a request that does nothing sent beside the order: what this machine and client answer
        // at that moment anyway (the floor under the order's latency)
        ConcurrentLinkedQueue<Double> floor = new ConcurrentLinkedQueue<>();
        AtomicInteger sold = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        AtomicLong lastSoldMs = new AtomicLong(Long.MIN_VALUE);
        // when each stream event arrived, and the span from the first order sent to the last answered (ms since start)
        ConcurrentLinkedQueue<Long> eventsAt = new ConcurrentLinkedQueue<>();
        AtomicLong firstOrderMs = new AtomicLong(Long.MAX_VALUE);
        AtomicLong lastAnswerMs = new AtomicLong(Long.MIN_VALUE);
        Map<Integer, AtomicInteger> codes = new ConcurrentHashMap<>();
        String body = JSON.writeValueAsString(Map.of(
                "items",
                List.of(Map.of("sku", sku, "quantity", 1, "price", dealPrice, "dealId", dealId)),
                "shippingAddress",
                ADDRESS));
        Semaphore inFlight = new Semaphore(200);
        List<CompletableFuture<?>> joining = new ArrayList<>();
        for (Watcher w : watchers) {
            inFlight.acquire();
            long sent = System.nanoTime();
            joining.add(http.sendAsync(
                            request(w.session, "/api/v1/deals/" + dealId + "/queue")
                                    .POST(HttpRequest.BodyPublishers.noBody())
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .whenComplete((answer, failure) -> {
                        inFlight.release();
                        if (answer == null || answer.statusCode() != 200) {
                            throw new IllegalStateException("join: " + (answer == null ? failure : answer.body()));
                        }
                        joins.add((System.nanoTime() - sent) / 1e6);
                        w.joinedMs = Duration.between(startsAt, Instant.now()).toMillis();
                    }));
        }
        CompletableFuture.allOf(joining.toArray(CompletableFuture[]::new)).get(300, TimeUnit.SECONDS);
        long lastJoin = watchers.stream().mapToLong(w -> w.joinedMs).max().orElse(0);
        System.out.printf(
                "[bench] all joined %d ms %s the start (join p50 %.0f ms, p99 %.0f ms)%n",
                Math.abs(lastJoin), lastJoin < 0 ? "before" : "AFTER", percentile(joins, 50), percentile(joins, 99));

        // Each buyer watches their place; at their turn they order at once.
        List<CompletableFuture<Runnable>> open = new ArrayList<>();
        for (Watcher w : watchers) {
            open.add(streams.lines(
                    base(),
                    LoadClient.Call.get(w.session, "/api/v1/deals/" + dealId + "/queue/stream")
                            .with("Accept", "text/event-stream"),
                    line -> {
                        if (!line.startsWith("data:")) {
                            return;
                        }
                        long now = Duration.between(startsAt, Instant.now()).toMillis();
                        eventsAt.add(now);
                        JsonNode place = readTree(line.substring(5).trim());
                        String state = place.path("state").asText();
                        if (w.placeKnownMs < 0 && place.hasNonNull("place")) {
                            w.placeKnownMs = now;
                            w.place = place.path("place").asInt();
                        }
                        if (state.equals("sold-out") && w.soldOutMs < 0) {
                            w.soldOutMs = now;
                        }
                        if (state.equals("your-turn") && !w.ordering) {
                            w.ordering = true;
                            long sent = System.nanoTime();
                            firstOrderMs.accumulateAndGet(now, Math::min);
                            orderClient
                                    .send(base(), LoadClient.Call.get(w.session, "/q/health/live"))
                                    .thenRun(() -> floor.add((System.nanoTime() - sent) / 1e6));
                            orderClient
                                    .send(
                                            base(),
                                            LoadClient.Call.postJson(w.session, "/api/v1/orders", body)
                                                    .with(
                                                            "Idempotency-Key",
                                                            UUID.randomUUID().toString()))
                                    .whenComplete((answer, failure) -> {
                                        int code = answer == null ? -1 : answer.statusCode();
                                        codes.computeIfAbsent(code, c -> new AtomicInteger())
                                                .incrementAndGet();
                                        orders.add((System.nanoTime() - sent) / 1e6);
                                        lastAnswerMs.accumulateAndGet(
                                                Duration.between(startsAt, Instant.now())
                                                        .toMillis(),
                                                Math::max);
                                        if (code == 201) {
                                            sold.incrementAndGet();
                                            lastSoldMs.accumulateAndGet(
                                                    Duration.between(startsAt, Instant.now())
                                                            .toMillis(),
                                                    Math::max);
                                        } else {
                                            refused.incrementAndGet();
                                        }
                                    });
                        }
                    }));
        }
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), startsAt).toMillis() - 2_000));
        if (!warmUp) {
            System.out.println("[bench] the deal starts in 2 s"); // BENCH_JFR=1 and BENCH_PGSS=1 measure from here
        }
        // Until every buyer has ordered or been told it is sold out (or 120 s after the start).
        long deadline = startsAt.toEpochMilli() + 120_000;
        while (System.currentTimeMillis() < deadline
                && watchers.stream().anyMatch(w -> !w.ordering && w.soldOutMs < 0)) {
            Thread.sleep(100);
        }
        Thread.sleep(1_000);
        List<Double> placeKnown =
                watchers.stream().map(w -> (double) w.placeKnownMs).toList();
        List<Double> toldSoldOut = watchers.stream()
                .filter(w -> !w.ordering && w.soldOutMs >= 0)
                .map(w -> (double) (w.soldOutMs - lastSoldMs.get()))
                .toList();
        long untold =
                watchers.stream().filter(w -> !w.ordering && w.soldOutMs < 0).count();
        JsonNode deal = readTree(get(admin, "/api/v1/admin/deals/" + dealId).body());
        System.out.println("[bench] order answers " + codes + "; deal stats " + deal.path("stats"));
        long whileOrdering = eventsAt.stream()
                .filter(at -> at >= firstOrderMs.get() && at <= lastAnswerMs.get())
                .count();
        System.out.printf(
                "[bench] stream events: %d after the start, %d of them while orders were in flight (%d to %d ms)%n",
                eventsAt.stream().filter(at -> at >= 0).count(), whileOrdering, firstOrderMs.get(), lastAnswerMs.get());
        System.out.println("[bench] the server's own placement time of these orders (request to commit): "
                + serverPlacement(metricsBefore));
        // the streams of a drop that is over are closed, so that the next drop is not read for them as well
        open.forEach(stream -> stream.thenAccept(Runnable::run));
        return String.format(
                "sold=%d refused=%d units=%d remaining=%d passes_used=%d join_p99_ms=%.0f "
                        + "place_known_after_start_p50_ms=%.0f place_known_after_start_max_ms=%.0f order_p50_ms=%.0f "
                        + "order_p99_ms=%.0f http_floor_p50_ms=%.0f http_floor_p99_ms=%.0f "
                        + "sold_out_told_after_last_unit_max_ms=%.0f untold=%d",
                sold.get(),
                refused.get(),
                units,
                deal.path("lines").path(0).path("remaining").asInt(),
                deal.path("stats").path("passesUsed").asInt(),
                percentile(joins, 99),
                percentile(placeKnown, 50),
                percentile(placeKnown, 100),
                percentile(orders, 50),
                percentile(orders, 99),
                percentile(floor, 50),
                percentile(floor, 99),
                percentile(toldSoldOut, 100),
                untold);
    }

    // ---------------------------------------------------------------------------------------------- draw

    private void draw(int buyers, int units) throws Exception {
        String admin = login(System.getProperty("bench.admin.email"), System.getProperty("bench.admin.password"));
        String sku = products(admin, 1, units * 4).get(0);
        List<String> sessions = buyers(buyers);
        Instant opens = Instant.now().plusSeconds(3);
        Instant closes = opens.plusSeconds(Integer.getInteger("bench.window", 60));
        long dealId = createDeal(
                admin,
                sku,
                units,
                opens,
                closes.plusSeconds(900),
                "Bench DRAW",
                Map.of(
                        "mode",
                        "DRAW",
                        "entriesOpenAt",
                        opens.toString(),
                        "entriesCloseAt",
                        closes.toString(),
                        "payWithin",
                        "PT1M"));
        String commitment = readTree(
                        get(null, "/api/v1/deals/" + dealId + "/draw").body())
                .path("commitment")
                .asText();
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), opens).toMillis() + 50));
        System.out.printf("[bench] %d buyers enter the draw of deal %d (%d units)%n", buyers, dealId, units);
        Map<String, String> sessionOf = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<Double> entries = new ConcurrentLinkedQueue<>();
        Semaphore inFlight = new Semaphore(200);
        List<CompletableFuture<?>> entering = new ArrayList<>();
        String entry = JSON.writeValueAsString(Map.of("sku", sku));
        for (String session : sessions) {
            inFlight.acquire();
            long sent = System.nanoTime();
            entering.add(http.sendAsync(
                            request(session, "/api/v1/deals/" + dealId + "/entry")
                                    .header("Content-Type", "application/json")
                                    .PUT(HttpRequest.BodyPublishers.ofString(entry))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .whenComplete((answer, failure) -> {
                        inFlight.release();
                        if (answer == null || answer.statusCode() != 200) {
                            throw new IllegalStateException("entry: " + (answer == null ? failure : answer.body()));
                        }
                        entries.add((System.nanoTime() - sent) / 1e6);
                        sessionOf.put(readTree(answer.body()).path("ticket").asText(), session);
                    }));
        }
        CompletableFuture.allOf(entering.toArray(CompletableFuture[]::new)).get(300, TimeUnit.SECONDS);
        Duration spare = Duration.between(Instant.now(), closes);
        System.out.printf(
                "[bench] %d entries in, %d s before the close (entry p50 %.0f ms, p99 %.0f ms)%n",
                sessionOf.size(), spare.toSeconds(), percentile(entries, 50), percentile(entries, 99));
        if (spare.isNegative()) {
            throw new IllegalStateException("the entries took longer than the window: raise BENCH_WINDOW");
        }
        Thread.sleep(spare.toMillis());

        JsonNode proof = awaitDrawn(dealId);
        long drawnMs = Duration.between(closes, Instant.now()).toMillis();
        List<String> order = new ArrayList<>();
        List<String> winners = new ArrayList<>();
        proof.path("order").forEach(e -> {
            order.add(e.path("ticket").asText());
            if (e.path("offered").asBoolean()) {
                winners.add(e.path("ticket").asText());
            }
        });
        Map<String, String> orderOf = awaitOrders(dealId, winners, sessionOf);
        long toldMs = Duration.between(closes, Instant.now()).toMillis();
        String seed = proof.path("seed").asText();
        boolean commitmentHolds = DrawSeal.commitment(seed).equals(commitment);
        boolean orderRecomputed = DrawSeal.drawnOrder(seed, sessionOf.keySet()).equals(order);
        boolean winnersRecomputed = winners.equals(order.subList(0, Math.min(units, order.size())));
        int noticed = 0;
        for (String ticket : winners) {
            if (get(sessionOf.get(ticket), "/api/v1/notifications").body().contains("DRAW_WON")) {
                noticed++;
            }
        }
        System.out.printf(
                "[bench] drawn %d ms after the close; %d winners with orders %d ms after it; told in the site: %d%n",
                drawnMs, orderOf.size(), toldMs, noticed);

        // Nobody pays: after payWithin each order lapses and its unit goes to the next in the drawn order, once.
        System.out.println("[bench] the winners do not pay: waiting for their orders to lapse (payWithin 1 min)");
        long lapsedFrom = System.nanoTime();
        List<String> next = order.subList(units, Math.min(2 * units, order.size()));
        Map<String, String> nextOrders = awaitOrders(dealId, next, sessionOf);
        double passedOnS = (System.nanoTime() - lapsedFrom) / 1e9;
        Thread.sleep(3_000); // several ticks more: nothing else may be offered
        JsonNode after = readTree(get(null, "/api/v1/deals/" + dealId + "/draw").body());
        List<String> offered = new ArrayList<>();
        after.path("order").forEach(e -> {
            if (e.path("offered").asBoolean()) {
                offered.add(e.path("ticket").asText());
            }
        });
        boolean passedOnOnce = offered.equals(order.subList(0, Math.min(2 * units, order.size())));
        JsonNode deal = readTree(get(admin, "/api/v1/admin/deals/" + dealId).body());
        int deadLetters =
                readTree(get(admin, "/api/v1/admin/dead-letters").body()).size();
        System.out.printf(
                "RESULT entries=%d units=%d entry_p50_ms=%.0f entry_p99_ms=%.0f drawn_after_close_ms=%d "
                        + "winners_ordered_after_close_ms=%d winners=%d told=%d commitment_holds=%b "
                        + "order_recomputed=%b winners_recomputed=%b passed_on=%d passed_on_exactly_once=%b "
                        + "pass_on_s=%.1f offered_total=%d deal_remaining=%d commerce_dead_letters=%d%n",
                sessionOf.size(),
                units,
                percentile(entries, 50),
                percentile(entries, 99),
                drawnMs,
                toldMs,
                orderOf.size(),
                noticed,
                commitmentHolds,
                orderRecomputed,
                winnersRecomputed,
                nextOrders.size(),
                passedOnOnce,
                passedOnS,
                deal.path("stats").path("winners").asInt(),
                deal.path("lines").path(0).path("remaining").asInt(),
                deadLetters);
    }

    private JsonNode awaitDrawn(long dealId) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            JsonNode proof =
                    readTree(get(null, "/api/v1/deals/" + dealId + "/draw").body());
            if (proof.hasNonNull("seed")) {
                return proof;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("no draw within 60 s of the close");
    }

    /** Waits until each of these entrants has won with an order: answers ticket → order id. */
    private Map<String, String> awaitOrders(long dealId, List<String> tickets, Map<String, String> sessionOf)
            throws Exception {
        Map<String, String> orders = new HashMap<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (orders.size() < tickets.size() && System.nanoTime() < deadline) {
            for (String ticket : tickets) {
                if (!orders.containsKey(ticket)) {
                    JsonNode mine = readTree(get(sessionOf.get(ticket), "/api/v1/deals/" + dealId + "/entry")
                            .body());
                    if ("won".equals(mine.path("state").asText()) && mine.hasNonNull("orderId")) {
                        orders.put(ticket, mine.path("orderId").asText());
                    }
                }
            }
            if (orders.size() < tickets.size()) {
                Thread.sleep(50);
            }
        }
        return orders;
    }

    // ---------------------------------------------------------------------------------------------- helpers

    /** The server's metrics now (/q/metrics), one line per series. */
    private String[] metrics() throws Exception {
        return get(null, "/q/metrics").body().split("\n");
    }

    /**
     * The counters and histogram buckets of {@code after} less those of {@code before}: what happened between the two
     * readings (other lines, such as a timer's recent maximum, as they are in {@code after}).
     */
    private static String[] since(String[] before, String[] after) {
        Map<String, Double> earlier = new HashMap<>();
        for (String line : before) {
            int space = line.lastIndexOf(' ');
            if (!line.startsWith("#") && space > 0) {
                earlier.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            }
        }
        return java.util.Arrays.stream(after)
                .map(line -> {
                    int space = line.lastIndexOf(' ');
                    String key = space > 0 ? line.substring(0, space) : line;
                    boolean cumulative = key.contains("_bucket{") || key.contains("_count{") || key.contains("_sum{");
                    if (line.startsWith("#") || space < 0 || !cumulative || !earlier.containsKey(key)) {
                        return line;
                    }
                    return key + " " + (Double.parseDouble(line.substring(space + 1)) - earlier.get(key));
                })
                .toArray(String[]::new);
    }

    /**
     * p50 and p99 of {@code sansam.order.placement} (request to commit, as the server measured it) since {@code before}
     * (/q/metrics): the upper bounds of the histogram buckets the percentiles fall in. Only the deals' orders are placed
     * in this bench.
     */
    private String serverPlacement(String[] before) throws Exception {
        String[] metrics = since(before, metrics());
        StringBuilder steps = new StringBuilder();
        java.util.Set<String> names = new java.util.TreeSet<>();
        for (String line : metrics) {
            if (line.startsWith("sansam_order_step_seconds_bucket{")) {
                names.add(line.replaceAll(".*step=\"([^\"]+)\".*", "$1"));
            }
        }
        for (String step : names) {
            steps.append("; ")
                    .append(step)
                    .append(' ')
                    .append(percentiles(metrics, "sansam_order_step_seconds_bucket{", "step=\"" + step + "\""));
        }
        return percentiles(metrics, "sansam_order_placement_seconds_bucket{", "")
                + "; the whole POST in the server (read to answered): " + serverRequests(metrics)
                + "; by step" + (names.isEmpty() ? " not measured" : steps.toString());
    }

    /** p50 and p99 of a histogram: the upper bounds of the buckets they fall in, summed over the lines with the tag. */
    private static String percentiles(String[] metrics, String bucketPrefix, String tag) {
        java.util.TreeMap<Double, Long> buckets = new java.util.TreeMap<>();
        for (String line : metrics) {
            if (line.startsWith(bucketPrefix) && line.contains(tag)) {
                String le = line.replaceAll(".*le=\"([^\"]+)\".*", "$1");
                double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
                buckets.merge(bound, (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)), Long::sum);
            }
        }
        long total = buckets.isEmpty() ? 0 : buckets.lastEntry().getValue();
        return String.format(
                "p50<=%.0f ms p99<=%.0f ms of %d", bound(buckets, total, 0.5), bound(buckets, total, 0.99), total);
    }

    /** The server's own time for the POSTs of orders, whole (Micrometer's http.server.requests: mean and max). */
    private static String serverRequests(String[] metrics) {
        double count = 0;
        double sum = 0;
        double max = 0;
        for (String line : metrics) {
            if (!line.contains("method=\"POST\"") || !line.contains("uri=\"/api/v1/orders\"")) {
                continue;
            }
            double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            if (line.startsWith("http_server_requests_seconds_count{")) {
                count += value;
            } else if (line.startsWith("http_server_requests_seconds_sum{")) {
                sum += value;
            } else if (line.startsWith("http_server_requests_seconds_max{")) {
                max = Math.max(max, value);
            }
        }
        return count == 0
                ? "not measured"
                : String.format(
                        "mean %.0f ms, max %.0f ms (of the last minutes) of %.0f",
                        sum / count * 1000, max * 1000, count);
    }

    private static double bound(java.util.TreeMap<Double, Long> cumulative, long total, double p) {
        for (Map.Entry<Double, Long> bucket : cumulative.entrySet()) {
            if (bucket.getValue() >= Math.ceil(p * total)) {
                return bucket.getKey() * 1000;
            }
        }
        return Double.NaN;
    }

    private HttpRequest.Builder request(String session, String path) {
        return HttpRequest.newBuilder(URI.create(base() + path))
                .timeout(Duration.ofSeconds(600))
                .header("Cookie", "SESSION=" + session);
    }
}
