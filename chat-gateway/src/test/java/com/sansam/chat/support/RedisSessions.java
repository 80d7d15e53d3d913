package com.sansam.chat.support;

import com.sansam.runtime.session.SessionStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * Creates sessions in Redis exactly as commerce-api lays them out (docs/shop.md "Sessions"), for tests that run
 * outside a Quarkus application (several packaged replicas). Plain RESP over a socket.
 */
public final class RedisSessions {

    private RedisSessions() {}

    public static String url() {
        return System.getenv().getOrDefault("REDIS_TEST_URL", "redis://127.0.0.1:6379/1");
    }

    public static String create(long userId) {
        String id = UUID.randomUUID().toString().replace("-", "")
                + UUID.randomUUID().toString().replace("-", "");
        String key = SessionStore.SESSION_PREFIX + id;
        command(
                "HSET",
                key,
                "userId",
                Long.toString(userId),
                "role",
                "USER",
                "createdAt",
                Instant.now().toString());
        command("EXPIRE", key, "3600");
        command("SADD", SessionStore.USER_SESSIONS_PREFIX + userId, id);
        return id;
    }

    private static void command(String... args) {
        URI uri = URI.create(url());
        String db = uri.getPath() == null || uri.getPath().length() < 2
                ? "0"
                : uri.getPath().substring(1);
        StringBuilder request = new StringBuilder(resp("SELECT", db));
        request.append(resp(args));
        try (Socket socket = new Socket(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            int lines = 0;
            StringBuilder answer = new StringBuilder();
            while (lines < 2) {
                int c = in.read();
                if (c < 0) {
                    break;
                }
                answer.append((char) c);
                if (c == '\n') {
                    lines++;
                }
            }
            if (answer.indexOf("-") == 0 || answer.indexOf("\n-") >= 0) {
                throw new IllegalStateException("Redis refused " + args[0] + ": " + answer);
            }
        } catch (IOException e) {
            throw new IllegalStateException("Redis is not reachable at " + uri, e);
        }
    }

    private static String resp(String... args) {
        StringBuilder out = new StringBuilder("*").append(args.length).append("\r\n");
        for (String arg : args) {
            out.append('$')
                    .append(arg.getBytes(StandardCharsets.UTF_8).length)
                    .append("\r\n")
                    .append(arg)
                    .append("\r\n");
        }
        return out.toString();
    }
}
