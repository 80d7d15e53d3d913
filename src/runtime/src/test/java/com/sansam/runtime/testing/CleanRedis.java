package com.sansam.runtime.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Empties the test Redis database (never the one a local run uses) before the application starts, so
 * sessions, throttling counters and caches of an earlier run cannot leak into this one.
 */
public class CleanRedis implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        URI uri = URI.create(System.getenv().getOrDefault("REDIS_TEST_URL", "redis://127.0.0.1:6379/1"));
        String db = uri.getPath() == null || uri.getPath().length() < 2
                ? "1"
                : uri.getPath().substring(1);
        try (Socket socket = new Socket(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("SELECT " + db + "\r\nFLUSHDB\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] answer = new byte[64];
            int read = 0;
            while (read < 10) { // "+OK\r\n+OK\r\n"
                int n = in.read(answer, read, answer.length - read);
                if (n < 0) {
                    break;
                }
                read += n;
            }
            String text = new String(answer, 0, read, StandardCharsets.US_ASCII);
            if (!text.startsWith("+OK\r\n+OK")) {
                throw new IllegalStateException("Redis refused to clean the test database: " + text);
            }
        } catch (IOException e) {
            throw new IllegalStateException(
                    "Redis is not reachable at " + uri + ": run src/scripts/prepare-services.sh", e);
        }
        return Map.of();
    }

    @Override
    public void stop() {}
}
