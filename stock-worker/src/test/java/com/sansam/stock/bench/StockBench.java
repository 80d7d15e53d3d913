package com.sansam.stock.bench;

import com.sansam.messages.Envelope;
import com.sansam.messages.Messages;
import com.sansam.messages.StockCommands.AdjustStock;
import com.sansam.messages.StockCommands.Line;
import com.sansam.messages.StockCommands.ReserveStock;
import com.sansam.runtime.testing.TestBroker;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Load generator for src/bench/stock-throughput.sh (not a test): publishes ReserveStock commands to RabbitMQ as
 * commerce-api's outbox would and counts the stock-worker's answers (StockReserved / StockRejected) coming back
 * through RabbitMQ. Prints reservations per second end to end, for one hot SKU and for many SKUs.
 */
public final class StockBench {

    public static void main(String[] args) throws Exception {
        int orders = Integer.parseInt(System.getProperty("bench.orders", "4000"));
        int skus = Integer.parseInt(System.getProperty("bench.skus", "500"));
        int publishers = Integer.parseInt(System.getProperty("bench.publishers", "4"));
        String run = UUID.randomUUID().toString().substring(0, 6);
        try (TestBroker broker = new TestBroker();
                TestBroker.Tap events = broker.tap(Messages.STOCK_EVENTS_EXCHANGE)) {
            String hot = "BENCH-" + run + "-HOT";
            List<String> many = java.util.stream.IntStream.range(0, skus)
                    .mapToObj(i -> "BENCH-" + run + "-" + i)
                    .toList();
            List<Envelope> seed = new java.util.ArrayList<>();
            seed.add(Messages.wrap("sku", hot, new AdjustStock(hot, orders / 2, "bench")));
            for (String sku : many) {
                seed.add(Messages.wrap("sku", sku, new AdjustStock(sku, 1000, "bench")));
            }
            broker.publishAll(Messages.STOCK_COMMANDS_EXCHANGE, seed);
            events.await(
                    "StockChanged", e -> e.aggregateId().startsWith("BENCH-" + run), skus + 1, Duration.ofMinutes(3));

            double[] hotRound = round(broker, events, orders, publishers, i -> List.of(new Line(hot, 1)));
            double[] manyRound = round(
                    broker,
                    events,
                    orders,
                    publishers,
                    i -> List.of(new Line(many.get(ThreadLocalRandom.current().nextInt(skus)), 1)));
            System.out.printf(
                    "RESULT hot_sku_reservations_per_s=%.0f many_skus_reservations_per_s=%.0f"
                            + " hot_cpu_ms_per_reservation=%.2f many_cpu_ms_per_reservation=%.2f orders=%d"
                            + " publishers=%d%n",
                    hotRound[0], manyRound[0], hotRound[1], manyRound[1], orders, publishers);
        }
    }

    /**
     * Busy CPU of the whole machine so far in ms (/proc/stat: user, nice, system, irq, softirq; every process, this
     * client included), or -1 where there is no /proc/stat.
     */
    static double machineBusyMs() {
        try {
            String[] fields = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/stat"))
                    .get(0)
                    .trim()
                    .split("\\s+");
            long ticks = Long.parseLong(fields[1])
                    + Long.parseLong(fields[2])
                    + Long.parseLong(fields[3])
                    + Long.parseLong(fields[6])
                    + Long.parseLong(fields[7]);
            return ticks * 1000.0 / Integer.getInteger("bench.clktck", 100);
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
    }

    private static int rounds;

    /** Publishes the round's reservations and waits for every answer: reservations/s, machine CPU ms per one. */
    private static double[] round(
            TestBroker broker,
            TestBroker.Tap events,
            int orders,
            int publishers,
            java.util.function.IntFunction<List<Line>> lines)
            throws Exception {
        Set<String> ids = ConcurrentHashMap.newKeySet();
        List<TestBroker> clients = new java.util.ArrayList<>();
        List<List<Envelope>> batches = new java.util.ArrayList<>();
        for (int i = 0; i < publishers; i++) {
            clients.add(new TestBroker());
            batches.add(new java.util.ArrayList<>());
        }
        for (int i = 0; i < orders; i++) {
            String orderId = "bench-" + UUID.randomUUID();
            ids.add(orderId);
            batches.get(i % publishers)
                    .add(Messages.wrap(
                            "order",
                            orderId,
                            new ReserveStock(
                                    orderId, lines.apply(i), Instant.now().plusSeconds(3600))));
        }
        ExecutorService pool = Executors.newFixedThreadPool(publishers);
        double busyBefore = machineBusyMs();
        CpuSplit split = CpuSplit.sample();
        long start = System.nanoTime();
        for (int i = 0; i < publishers; i++) {
            TestBroker client = clients.get(i);
            List<Envelope> batch = batches.get(i);
            pool.submit(() -> client.publishAll(Messages.STOCK_COMMANDS_EXCHANGE, batch));
        }
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.MINUTES);
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        long answered = 0;
        while (System.nanoTime() < deadline) {
            answered = events.all().stream()
                    .filter(e -> isAnswer(e) && ids.contains(e.aggregateId()))
                    .count();
            if (answered >= orders) {
                break;
            }
            Thread.sleep(20);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double busy = machineBusyMs() - busyBefore;
        Map<String, Double> perProcess = CpuSplit.sample().since(split, orders);
        clients.forEach(TestBroker::close);
        StringBuilder line = new StringBuilder("CPU_SPLIT round=" + (++rounds) + " ms_per_reservation");
        perProcess.forEach((group, ms) -> line.append(String.format(" %s=%.3f", group, ms)));
        System.out.println(line);
        if (answered < orders) {
            throw new IllegalStateException("Only " + answered + " of " + orders + " reservations answered");
        }
        return new double[] {orders / seconds, busy / orders};
    }

    private static boolean isAnswer(Envelope envelope) {
        return envelope.type().equals("StockReserved") || envelope.type().equals("StockRejected");
    }
}
