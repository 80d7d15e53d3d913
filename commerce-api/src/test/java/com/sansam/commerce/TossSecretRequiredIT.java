package com.sansam.commerce;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sansam.runtime.testing.TestJvm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The packaged commerce-api in its prod profile refuses to start without TOSS_SECRET_KEY, saying why. */
class TossSecretRequiredIT {

    @Test
    void prodStartUpFailsClearlyWithoutTheTossSecretKey() throws Exception {
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar");
        assertTrue(Files.exists(jar), "package commerce-api first");
        ProcessBuilder builder = new ProcessBuilder(TestJvm.command("-Dquarkus.http.port=0", "-jar", jar.toString()))
                .redirectErrorStream(true)
                .redirectOutput(Path.of("target", "toss-secret-required.log").toFile());
        Map<String, String> env = builder.environment();
        env.remove("TOSS_SECRET_KEY");
        env.put("EMAIL_LINK_SECRET", "toss-test-email-link-secret-0123456789"); // only the Toss key is missing
        env.put("SOLAPI_API_KEY", "NCSTOSSTEST");
        env.put("DRAW_SEAL_KEY", "toss-test-draw-seal-key-0123456789");
        env.put("SOLAPI_API_SECRET", "toss-test-sms-secret");
        env.put(
                "DB_URL",
                System.getenv().getOrDefault("DB_TEST_URL", "postgresql://127.0.0.1:5432/sansam_commerce_test"));
        env.put("REDIS_URL", System.getenv().getOrDefault("REDIS_TEST_URL", "redis://127.0.0.1:6379/1"));
        env.put("RABBITMQ_VHOST", System.getenv().getOrDefault("RABBITMQ_TEST_VHOST", "sansam_test"));
        Process process = builder.start();
        String output;
        try {
            assertTrue(process.waitFor(90, TimeUnit.SECONDS), "the service should stop on its own");
            output = Files.readString(Path.of("target", "toss-secret-required.log"), StandardCharsets.UTF_8);
        } finally {
            process.destroyForcibly();
        }
        assertNotEquals(0, process.exitValue(), output);
        assertTrue(output.contains("TOSS_SECRET_KEY is not set"), output);
    }
}
