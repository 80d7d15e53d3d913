package com.sansam.stock.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The CPU each group of processes used between two samples (/proc/[pid]/stat user + system ticks), for the stock
 * bench's per-reservation split: the stock-workers, PostgreSQL, RabbitMQ, this load client, everything else. Only
 * processes present at both samples count (a process that came or went in between is left out).
 */
final class CpuSplit {

    private final Map<Long, String> groups = new HashMap<>();
    private final Map<Long, Long> ticks = new HashMap<>();

    static CpuSplit sample() {
        CpuSplit split = new CpuSplit();
        long self = ProcessHandle.current().pid();
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            entries.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .forEach(p -> {
                        long pid = Long.parseLong(p.getFileName().toString());
                        try {
                            String stat = Files.readString(p.resolve("stat"));
                            // the name (field 2) is in parentheses and may hold spaces: fields after its ')' are 3…
                            String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                            String[] rest =
                                    stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                            long used = Long.parseLong(rest[11]) + Long.parseLong(rest[12]); // utime, stime
                            String command = new String(Files.readAllBytes(p.resolve("cmdline"))).replace('\0', ' ');
                            split.groups.put(pid, groupOf(pid == self, name, command));
                            split.ticks.put(pid, used);
                        } catch (IOException | RuntimeException gone) {
                            // the process ended meanwhile
                        }
                    });
        } catch (IOException e) {
            // no /proc here: an empty split
        }
        return split;
    }

    private static String groupOf(boolean self, String name, String command) {
        if (self) {
            return "client";
        }
        if (command.contains("stock-worker")) {
            return "stock-worker";
        }
        if (name.equals("postgres")) {
            return "postgresql";
        }
        if (name.equals("beam.smp") || command.contains("rabbitmq")) {
            return "rabbitmq";
        }
        return "other";
    }

    /** ms of CPU per unit of work for each group since {@code before}. */
    Map<String, Double> since(CpuSplit before, long work) {
        Map<String, Double> ms = new TreeMap<>();
        double tick = 1000.0 / Integer.getInteger("bench.clktck", 100);
        ticks.forEach((pid, now) -> {
            Long then = before.ticks.get(pid);
            if (then != null && groups.get(pid).equals(before.groups.get(pid))) {
                ms.merge(groups.get(pid), (now - then) * tick / work, Double::sum);
            }
        });
        return ms;
    }
}
