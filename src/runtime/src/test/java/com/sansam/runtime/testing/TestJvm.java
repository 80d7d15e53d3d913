package com.sansam.runtime.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The command line of a JVM a test starts (a packaged service, S3Proxy): the running JVM's {@code java}, a small heap,
 * and the test JVMs' own options ({@code sansam.test.jvm-options}, set by the build as the tests' {@code argLine}: C1
 * only and the serial collector, because a test's JVM lives for seconds to minutes on two cores, where C2's
 * compilations and a parallel collector's threads cost more than they give back). Benchmarks never start services
 * this way: their scripts start them with the production JVM options.
 */
public final class TestJvm {

    private TestJvm() {}

    /** {@code java -Xmx256m <test JVM options> <arguments>}. */
    public static List<String> command(String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        String options = System.getProperty("sansam.test.jvm-options", "").strip();
        if (!options.isEmpty()) {
            command.addAll(Arrays.asList(options.split("\\s+")));
        }
        command.addAll(Arrays.asList(arguments));
        return command;
    }
}
