package com.sansam.chat.bench;

import com.sansam.chat.support.RedisSessions;
import com.sansam.messages.Envelope;
import com.sansam.messages.Messages;
import com.sansam.messages.UserEvents;
import com.sansam.runtime.testing.TestBroker;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load generator for src/bench/chat-throughput.sh (not a test): N WebSocket connections (one user each) in R rooms
 * on a running gateway; senders post at a fixed total rate and every member's connection measures the delay
 * from send to delivery. Prints delivered messages per second and p50/p99 delivery latency per rate step.
 */
public final class ChatBench {

    public static void main(String[] args) throws Exception {
        URI base = URI.create(System.getProperty("bench.url", "http://127.0.0.1:18081"));
        int connections = Integer.getInteger("bench.connections", 1000);
        int rooms = Integer.getInteger("bench.rooms", 50);
        int seconds = Integer.getInteger("bench.seconds", 15);
        int[] rates = Arrays.stream(
                        System.getProperty("bench.rates", "25,50,100,200").split(","))
                .mapToInt(Integer::parseInt)
                .toArray();
        long firstUser = 50_000_000L + ThreadLocalRandom.current().nextLong(1_000_000) * 1000;

        registerUsers(firstUser, connections);
        String[] sessions = new String[connections];
        for (int i = 0; i < connections; i++) {
            sessions[i] = RedisSessions.create(firstUser + i);
        }
        long[] roomIds = createRooms(base, sessions, rooms);
        System.out.printf("[bench] %d users in %d rooms set up%n", connections, rooms);

        Vertx vertx = Vertx.vertx();
        Stats stats = new Stats();
        List<WebSocket> sockets = connect(vertx, base, sessions, stats);
        System.out.printf("[bench] %d WebSockets open%n", sockets.size());

        int warmup = Integer.getInteger("bench.warmup", 10);
        if (warmup > 0) { // the JIT compiles the hot paths; figures of a cold JVM say little about a running gateway
            System.out.printf(
                    "[bench] warm-up (not counted): %s%n", step(sockets, roomIds, rooms, rates[0], warmup, stats));
        }
        List<String> results = new ArrayList<>();
        String best = null;
        for (int rate : rates) {
            String result = step(sockets, roomIds, rooms, rate, seconds, stats);
            results.add(result);
            if (stats.lastP99Ms < 100 && stats.delivered.get() == stats.lastExpected) {
                best = "rate_within_100ms=" + rate + " deliveries_per_s=" + Math.round(stats.lastPerSecond) + " p99_ms="
                        + String.format("%.1f", stats.lastP99Ms);
            }
        }
        results.forEach(System.out::println);
        // the highest rate every message of which reached every member, with p99 send -> delivery under 100 ms
        System.out.println("SUMMARY " + (best == null ? "rate_within_100ms=none" : best));
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Sends {@code rate} messages per second for {@code seconds}, then waits for the deliveries to drain. */
    private static String step(List<WebSocket> sockets, long[] roomIds, int rooms, int rate, int seconds, Stats stats)
            throws InterruptedException {
        int perRoomMembers = sockets.size() / rooms;
        stats.reset((int) Math.min(Integer.MAX_VALUE - 8, (long) rate * (seconds + 2) * perRoomMembers * 12 / 10));
        Map<String, Double> cpuBefore = cpuSeconds();
        int perRoom = sockets.size() / rooms;
        ExecutorService sender = Executors.newSingleThreadExecutor();
        long intervalNanos = 1_000_000_000L / rate;
        long start = System.nanoTime();
        long sent = 0;
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            long due = start + sent * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            int room = (int) (sent % rooms);
            int member = room * perRoom + ThreadLocalRandom.current().nextInt(perRoom);
            long now = System.nanoTime();
            sockets.get(member)
                    .writeTextMessage(new JsonObject()
                            .put("type", "send")
                            .put("roomId", roomIds[room])
                            .put("clientMsgId", "b" + now)
                            .put("content", "t=" + now)
                            .encode());
            sent++;
        }
        long expected = sent * perRoom;
        long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (stats.delivered.get() < expected && System.nanoTime() < drainDeadline) {
            Thread.sleep(50);
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        Map<String, Double> cpuAfter = cpuSeconds();
        StringBuilder cpu = new StringBuilder();
        cpuAfter.forEach((name, used) -> cpu.append(
                String.format(" cpu_%s=%.0f%%", name, 100 * (used - cpuBefore.getOrDefault(name, 0.0)) / elapsed)));
        sender.shutdown();
        long[] latencies = stats.sortedLatencies();
        double p50 = latencies.length == 0 ? -1 : latencies[latencies.length / 2] / 1e6;
        double p99 = latencies.length == 0
                ? -1
                : latencies[(int) Math.min(latencies.length - 1, latencies.length * 0.99)] / 1e6;
        stats.lastP99Ms = p99;
        stats.lastExpected = expected;
        stats.lastPerSecond = stats.delivered.get() / elapsed;
        return String.format(
                "RESULT rate=%d msg/s sent=%d delivered=%d/%d delivered_per_s=%.0f p50_ms=%.1f p99_ms=%.1f errors=%d%s",
                rate,
                sent,
                stats.delivered.get(),
                expected,
                stats.delivered.get() / elapsed,
                p50,
                p99,
                stats.errors.get(),
                cpu);
    }

    /**
     * CPU seconds used so far by the processes the step loads (Linux /proc; summed over all processes of a kind, so
     * a step's difference divided by its length is the share of one core each took: 200 % is both cores here).
     */
    private static Map<String, Double> cpuSeconds() {
        Map<String, Double> seconds = new TreeMap<>();
        long gateway = Long.getLong("bench.gateway.pid", -1);
        double tick = 100.0; // USER_HZ on Linux
        File[] processes =
                new File("/proc").listFiles((dir, name) -> name.chars().allMatch(Character::isDigit));
        if (processes == null) {
            return seconds;
        }
        for (File process : processes) {
            try {
                String stat = Files.readString(process.toPath().resolve("stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                double used = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / tick; // utime, stime
                String command = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                long pid = Long.parseLong(process.getName());
                String kind = pid == gateway
                        ? "gateway"
                        : pid == ProcessHandle.current().pid()
                                ? "client"
                                : command.startsWith("postgres")
                                        ? "postgres"
                                        : command.startsWith("redis") ? "redis" : null;
                if (kind != null) {
                    seconds.merge(kind, used, Double::sum);
                }
            } catch (IOException | RuntimeException gone) {
                // the process ended while we looked
            }
        }
        return seconds;
    }

    /**
     * What the members' connections saw. Kept cheap, since the client shares the machine with the gateway: frames are
     * read as bytes (no String per frame) and latencies go into a preallocated array.
     */
    private static final class Stats {
        private static final byte[] MESSAGE =
                "{\"type\":\"message\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        private static final byte[] ERROR = "{\"type\":\"error\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        private static final byte[] STAMP = "\"content\":\"t=".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

        final AtomicLong delivered = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        private final java.util.concurrent.atomic.AtomicInteger recorded =
                new java.util.concurrent.atomic.AtomicInteger();
        private volatile long[] latencies = new long[0];
        volatile double lastP99Ms;
        volatile long lastExpected;
        volatile double lastPerSecond;

        void reset(int capacity) {
            latencies = new long[capacity];
            recorded.set(0);
            delivered.set(0);
            errors.set(0);
        }

        long[] sortedLatencies() {
            long[] all = java.util.Arrays.copyOf(latencies, Math.min(recorded.get(), latencies.length));
            java.util.Arrays.sort(all);
            return all;
        }

        void onFrame(io.vertx.core.http.WebSocketFrame frame) {
            io.vertx.core.buffer.Buffer bytes = frame.binaryData();
            if (startsWith(bytes, MESSAGE)) {
                int at = indexOf(bytes, STAMP, MESSAGE.length);
                if (at > 0) {
                    long sentAt = 0;
                    for (int i = at + STAMP.length; i < bytes.length() && bytes.getByte(i) != '"'; i++) {
                        sentAt = sentAt * 10 + (bytes.getByte(i) - '0');
                    }
                    int slot = recorded.getAndIncrement();
                    long[] into = latencies;
                    if (slot < into.length) {
                        into[slot] = System.nanoTime() - sentAt;
                    }
                    delivered.incrementAndGet();
                }
            } else if (startsWith(bytes, ERROR)) {
                errors.incrementAndGet();
            }
        }

        private static boolean startsWith(io.vertx.core.buffer.Buffer bytes, byte[] prefix) {
            if (bytes.length() < prefix.length) {
                return false;
            }
            for (int i = 0; i < prefix.length; i++) {
                if (bytes.getByte(i) != prefix[i]) {
                    return false;
                }
            }
            return true;
        }

        private static int indexOf(io.vertx.core.buffer.Buffer bytes, byte[] needle, int from) {
            outer:
            for (int i = from; i <= bytes.length() - needle.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (bytes.getByte(i + j) != needle[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }
    }

    private static void registerUsers(long firstUser, int count) throws Exception {
        try (TestBroker broker = new TestBroker()) {
            List<Envelope> events = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                long id = firstUser + i;
                events.add(Messages.wrap(
                        "user", Long.toString(id), new UserEvents.UserRegistered(id, "bench-" + i, null)));
            }
            broker.publishAll(Messages.USER_EVENTS_EXCHANGE, events);
        }
        String url = "jdbc:" + System.getProperty("bench.db", "postgresql://127.0.0.1:5432/sansam_bench_chat");
        try (Connection db = DriverManager.getConnection(url, "postgres", "")) {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (System.nanoTime() < deadline) {
                try (ResultSet rows = db.createStatement()
                        .executeQuery("select count(*) from chat_user where user_id between " + firstUser + " and "
                                + (firstUser + count - 1))) {
                    rows.next();
                    if (rows.getInt(1) == count) {
                        return;
                    }
                }
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("the gateway did not learn the bench users in 2 minutes");
    }

    private static long[] createRooms(URI base, String[] sessions, int rooms) throws Exception {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        int perRoom = sessions.length / rooms;
        long[] ids = new long[rooms];
        for (int r = 0; r < rooms; r++) {
            HttpResponse<String> created = http.send(
                    HttpRequest.newBuilder(base.resolve("/api/v1/chat/rooms"))
                            .header("Cookie", "SESSION=" + sessions[r * perRoom])
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"bench room " + r + "\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            ids[r] = new JsonObject(created.body()).getLong("id");
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<CompletableFuture<Void>> joins = new ArrayList<>();
        for (int r = 0; r < rooms; r++) {
            for (int m = 1; m < perRoom; m++) {
                String session = sessions[r * perRoom + m];
                long roomId = ids[r];
                joins.add(CompletableFuture.runAsync(
                        () -> {
                            try {
                                HttpResponse<String> joined = http.send(
                                        HttpRequest.newBuilder(
                                                        base.resolve("/api/v1/chat/rooms/" + roomId + "/members"))
                                                .header("Cookie", "SESSION=" + session)
                                                .POST(HttpRequest.BodyPublishers.noBody())
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString());
                                if (joined.statusCode() != 200) {
                                    throw new IllegalStateException(
                                            "join answered " + joined.statusCode() + ": " + joined.body());
                                }
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        },
                        pool));
            }
        }
        CompletableFuture.allOf(joins.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
        pool.shutdown();
        return ids;
    }

    private static List<WebSocket> connect(Vertx vertx, URI base, String[] sessions, Stats stats) throws Exception {
        WebSocketClient client = vertx.createWebSocketClient(
                new WebSocketClientOptions().setMaxConnections(sessions.length).setConnectTimeout(10_000));
        List<WebSocket> sockets = new ArrayList<>();
        for (int i = 0; i < sessions.length; i += 100) {
            List<CompletableFuture<WebSocket>> batch = new ArrayList<>();
            for (int j = i; j < Math.min(sessions.length, i + 100); j++) {
                WebSocketConnectOptions options = new WebSocketConnectOptions()
                        .setHost(base.getHost())
                        .setPort(base.getPort())
                        .setURI("/ws/chat")
                        .addHeader("Cookie", "SESSION=" + sessions[j]);
                batch.add(client.connect(options).toCompletionStage().toCompletableFuture());
            }
            for (CompletableFuture<WebSocket> future : batch) {
                WebSocket socket = future.get(30, TimeUnit.SECONDS);
                socket.frameHandler(stats::onFrame); // every frame here is one whole text message
                sockets.add(socket);
            }
        }
        return sockets;
    }
}
