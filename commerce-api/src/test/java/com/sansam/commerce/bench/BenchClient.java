package com.sansam.commerce.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * What every load generator under src/bench needs: an HTTP client as the ingress speaks to the pods, admin-made
 * products, thousands of signed-up, logged-in (and, for deals, verified) buyers, and percentiles.
 */
abstract class BenchClient {

    protected static final ObjectMapper JSON = new ObjectMapper();
    protected static final Map<String, Object> ADDRESS = com.sansam.commerce.support.Orders.ADDRESS;
    protected static final long PRICE = 1_000_000;

    // HTTP/1.1 as the ingress speaks to the pods: many connections, spread over the server's event loops
    protected final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .executor(Executors.newFixedThreadPool(8))
            .build();
    /** The commerce-api replicas ({@code bench.url}, comma-separated). */
    private final List<String> replicas;
    /** Replicas that refused or dropped a connection, left out until then (nanoTime), as an ingress would. */
    private final Map<String, Long> downUntil = new ConcurrentHashMap<>();
    /** Requests sent again to another replica because theirs was gone. */
    protected final java.util.concurrent.atomic.AtomicInteger sentElsewhere =
            new java.util.concurrent.atomic.AtomicInteger();

    protected BenchClient(String urls) {
        this.replicas = List.of(urls.split(","));
    }

    /** A replica for the next request: one at random among those not seen down in the last 3 s. */
    protected String base() {
        long now = System.nanoTime();
        List<String> up = replicas.stream()
                .filter(replica -> downUntil.getOrDefault(replica, Long.MIN_VALUE) < now)
                .toList();
        List<String> from = up.isEmpty() ? replicas : up;
        return from.get(java.util.concurrent.ThreadLocalRandom.current().nextInt(from.size()));
    }

    /**
     * The same request to another replica after {@code failure} (a connection refused or dropped: the replica is
     * gone); null when the failure is not such, or there is only one replica. A repeated order carries its
     * Idempotency-Key, so it never makes a second order.
     */
    protected HttpRequest elsewhere(HttpRequest request, Throwable failure) {
        URI uri = request.uri();
        String next = elsewhere(uri.getScheme() + "://" + uri.getRawAuthority(), failure);
        if (next == null) {
            return null;
        }
        String rest = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        return HttpRequest.newBuilder(request, (name, value) -> true)
                .uri(URI.create(next + rest))
                .build();
    }

    /**
     * The replica to try instead of {@code gone} after {@code failure} (a connection refused or dropped), which is
     * left out for 3 s; null when the failure is not such, or there is only one replica.
     */
    protected String elsewhere(String gone, Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause()
                : failure;
        boolean connectionLost =
                cause instanceof java.io.IOException || cause instanceof io.vertx.core.http.HttpClosedException;
        if (replicas.size() < 2 || !connectionLost) {
            return null;
        }
        downUntil.put(gone, System.nanoTime() + TimeUnit.SECONDS.toNanos(3));
        String next = base();
        if (next.equals(gone)) {
            next = replicas.stream().filter(r -> !r.equals(gone)).findFirst().orElse(gone);
        }
        sentElsewhere.incrementAndGet();
        return next;
    }

    /** Sends, and sends again to another replica while one is gone (five tries). */
    protected HttpResponse<String> send(HttpRequest request) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (java.io.IOException failure) {
                HttpRequest next = attempt < 5 ? elsewhere(request, failure) : null;
                if (next == null) {
                    throw failure;
                }
                request = next;
            }
        }
    }

    protected final Map<String, Long> productIds = new ConcurrentHashMap<>();

    protected static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException("not JSON: " + json, e);
        }
    }

    protected List<String> products(String admin, int count, int stock) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 6);
        List<String> skus = new ArrayList<>();
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String sku = "OB-" + run + "-" + i;
            HttpResponse<String> created = post(
                    admin,
                    "/api/v1/admin/products",
                    Map.of(
                            "name",
                            "Bench bag " + i,
                            "brand",
                            "Bench",
                            "categoryId",
                            2,
                            "price",
                            PRICE,
                            "description",
                            "",
                            "imageUrls",
                            List.of(),
                            "options",
                            List.of(Map.of("size", "M", "color", "블랙", "sku", sku, "initialStock", stock))),
                    null);
            if (created.statusCode() != 201) {
                throw new IllegalStateException("product: " + created.statusCode() + " " + created.body());
            }
            ids.add(JSON.readTree(created.body()).path("id").asLong());
            productIds.put(sku, ids.get(i));
            skus.add(sku);
        }
        for (int i = 0; i < count; i++) { // wait until the stock-worker's stock reached the catalogue
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (System.nanoTime() < deadline) {
                JsonNode product = JSON.readTree(
                        get(admin, "/api/v1/admin/products/" + ids.get(i)).body());
                if (product.path("options").path(0).path("available").asInt() == stock) {
                    break;
                }
                Thread.sleep(50);
            }
        }
        return skus;
    }

    protected List<String> buyers(int count) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<String>> sessions = new ArrayList<>();
        String run = UUID.randomUUID().toString().substring(0, 6);
        for (int i = 0; i < count; i++) {
            String email = "buyer-" + run + "-" + i + "@bench.example";
            sessions.add(pool.submit(() -> {
                HttpResponse<String> signup = post(
                        null,
                        "/api/v1/users",
                        Map.of("email", email, "password", "bench-password-1", "name", "구매자", "phone", "010-1234-5678"),
                        null);
                if (signup.statusCode() != 201) {
                    throw new IllegalStateException("signup: " + signup.statusCode() + " " + signup.body());
                }
                return login(email, "bench-password-1");
            }));
        }
        List<String> result = new ArrayList<>();
        for (Future<String> session : sessions) {
            result.add(session.get());
        }
        pool.shutdown();
        markVerified("buyer-" + run + "-%@bench.example");
        return result;
    }

    /**
     * Deals sell to verified buyers: the bench's buyers are marked verified (with a shipping address, as a draw needs) in the bench database directly (each
     * with a number of its own), as thousands of emailed links and SMS codes cannot be followed here. A bench-only
     * step: nothing in the services offers it; VerificationTest proves the real flow.
     */
    protected static void markVerified(String emailPattern) throws Exception {
        try (var db = java.sql.DriverManager.getConnection(
                        System.getProperty("bench.db", "jdbc:postgresql://127.0.0.1:5432/sansam_bench_commerce"),
                        "postgres",
                        "");
                var update =
                        db.prepareStatement("update users set email_verified_at = now(), phone_verified_at = now(), "
                                + "verified_phone = '+8219' || lpad(id::text, 8, '0'), phone = '+8219' || lpad(id::text, 8, '0'), "
                                + "ship_recipient = '구매자', ship_phone = '010-1234-5678', ship_zip_code = '06000', "
                                + "ship_address1 = '서울 강남구 압구정로 1' "
                                + "where email like ?")) {
            update.setString(1, emailPattern);
            update.executeUpdate();
        }
    }

    protected String login(String email, String password) throws Exception {
        HttpResponse<String> answer =
                post(null, "/api/v1/sessions", Map.of("email", email, "password", password), null);
        return answer.headers().allValues("set-cookie").stream()
                .filter(c -> c.startsWith("SESSION="))
                .map(c -> c.substring("SESSION=".length(), c.indexOf(';')))
                .findFirst()
                .orElseThrow(
                        () -> new IllegalStateException("login failed: " + answer.statusCode() + " " + answer.body()));
    }

    protected HttpResponse<String> post(String session, String path, Object body, String idempotencyKey)
            throws Exception {
        return post(session, path, body, idempotencyKey, null);
    }

    /** A POST with a {@code Prefer} header (RFC 7240) when {@code prefer} is not null. */
    protected HttpResponse<String> post(String session, String path, Object body, String idempotencyKey, String prefer)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (prefer != null) {
            request.header("Prefer", prefer);
        }
        if (session != null) {
            request.header("Cookie", "SESSION=" + session);
        }
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return send(request.build());
    }

    protected HttpResponse<String> get(String session, String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base() + path))
                .timeout(Duration.ofSeconds(60))
                .header("Cookie", "SESSION=" + (session == null ? "" : session))
                .GET()
                .build());
    }

    /**
     * Opens a deal of {@code units} units of the SKU at half its price, limit 1 per buyer, with the {@code extra}
     * settings (a mode and its settings, or none), and waits until the stock-worker set its units aside.
     */
    protected long createDeal(
            String admin,
            String sku,
            int units,
            java.time.Instant startsAt,
            java.time.Instant endsAt,
            String title,
            Map<String, Object> extra)
            throws Exception {
        Map<String, Object> body = new java.util.HashMap<>(Map.of(
                "productId",
                productIds.get(sku),
                "lines",
                List.of(Map.of("sku", sku, "dealPrice", PRICE / 2, "quantity", units)),
                "perBuyerLimit",
                1,
                "startsAt",
                startsAt.toString(),
                "endsAt",
                endsAt.toString(),
                "title",
                title));
        body.putAll(extra);
        HttpResponse<String> created = post(admin, "/api/v1/admin/deals", body, null);
        if (created.statusCode() != 201) {
            throw new IllegalStateException("deal: " + created.statusCode() + " " + created.body());
        }
        long dealId = readTree(created.body()).path("id").asLong();
        while (!readTree(get(admin, "/api/v1/admin/deals/" + dealId).body())
                .path("status")
                .asText()
                .equals("OPEN")) {
            Thread.sleep(50);
        }
        return dealId;
    }

    protected static double percentile(java.util.Collection<Double> samples, double p) {
        if (samples.isEmpty()) {
            return Double.NaN;
        }
        double[] sorted = samples.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
