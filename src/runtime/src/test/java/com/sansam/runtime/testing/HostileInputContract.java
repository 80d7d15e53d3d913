package com.sansam.runtime.testing;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sansam.runtime.session.Role;
import com.sansam.runtime.session.SessionStore;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every route a service's OpenAPI document names, sent what a careless client or an attacker sends: ids that are
 * not ids (NUL, text, overflowing numbers, control and bidi characters), such query values, and bodies whose
 * values are NUL or control characters, very long text, the wrong type, null, or no JSON object at all; as
 * anonymous, buyer and admin. Every answer must be below 500: bad input is the client's error, never a failure of
 * the service. Each service's test extends this and names its sessions.
 */
public abstract class HostileInputContract {

    /** Path ids: none names a row, so nothing is changed by routes that would accept a real one. */
    private static final List<String> IDS = List.of(
            "%00",
            "abc",
            "-1",
            "0",
            "99999999999999999999",
            "1.5",
            "1e3",
            "%E2%80%AE1",
            "1%0A2",
            "%20",
            "..%2F..%2Fq%2Fhealth",
            "'%3B--");

    private static final List<String> QUERY_VALUES =
            List.of("%00", "99999999999999999999", "-1", "x".repeat(3000), "%E2%80%AE", "%FF");
    /** Bodies that are no JSON object, or not JSON at all. */
    private static final List<String> RAW_BODIES = List.of(
            "null",
            "[]",
            "\"\\u0000\"",
            "{",
            "1e999999",
            "{\"a\":{\"b\":[",
            "[" + "[".repeat(2000) + "]".repeat(2000) + "]");

    private static final String NUL = "a\\u0000b";
    /** NUL where validation looks for an address: it passes a lenient email check, then reaches the database. */
    private static final String NUL_MAIL = "a\\u0000b@sansam.test";

    private static final String CONTROL = "a\\u0007\\u001b[31mb";
    private static final String LONG = "가".repeat(5000);

    private final java.util.concurrent.ExecutorService senders =
            java.util.concurrent.Executors.newFixedThreadPool(8, task -> {
                Thread thread = new Thread(task, "hostile-input");
                thread.setDaemon(true);
                return thread;
            });

    /** The SESSION cookie of a buyer and of an admin, by role ("buyer", "admin"); asked again after a session ends. */
    protected abstract Map<String, String> sessions();

    /** A buyer's and an admin's session written straight into the session store (services without a login). */
    protected static Map<String, String> storedSessions(SessionStore store) {
        return Map.of(
                "buyer", store.create(2, Role.USER).await().atMost(Duration.ofSeconds(5)),
                "admin", store.create(1, Role.ADMIN).await().atMost(Duration.ofSeconds(5)));
    }

    /** Routes whose call ends the caller's session (a logout): fresh sessions are asked for after them. */
    protected Pattern sessionEnding() {
        return Pattern.compile("$^");
    }

    @Test
    void noRouteAnswers5xxToHostileInput() {
        JsonPath openApi = JsonPath.from(given().accept("application/json")
                .get("/q/openapi")
                .then()
                .statusCode(200)
                .extract()
                .asString());
        Map<String, Map<String, Object>> paths = new TreeMap<>(openApi.getMap("paths"));
        Map<String, Object> schemas = openApi.getMap("components.schemas");
        assertTrue(paths.size() > 0, "the OpenAPI document names no route");

        List<String> failures = new ArrayList<>();
        int sent = 0;
        Map<String, String> sessions = sessions();
        for (var path : paths.entrySet()) {
            for (var operation : path.getValue().entrySet()) {
                String method = operation.getKey().toUpperCase();
                if (!List.of("GET", "POST", "PUT", "PATCH", "DELETE").contains(method)) {
                    continue;
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> spec = (Map<String, Object>) operation.getValue();
                List<Request> requests = requests(path.getKey(), spec, schemas);
                Map<String, String> roles = new LinkedHashMap<>();
                roles.put("anonymous", null);
                roles.putAll(sessions);
                List<CompletableFuture<String>> answers = new ArrayList<>();
                for (var role : roles.entrySet()) {
                    for (Request request : requests) {
                        if (role.getValue() == null && request.oneProperty()) {
                            continue; // a stranger's body is refused whole or not at all: the rest is for the signed-in
                        }
                        String what = method + " " + request.url() + " as " + role.getKey()
                                + (request.body() == null ? "" : " body " + abbreviate(request.body()));
                        answers.add(send(method, request, role.getValue())
                                .thenApply(response -> response.statusCode() < 500
                                        ? null
                                        : response.statusCode() + " " + what + ": " + abbreviate(response.body()))
                                .exceptionally(broken -> "no answer to " + what + ": " + broken));
                    }
                }
                for (CompletableFuture<String> answer :
                        answers) { // one operation at a time: a logout ends before the next
                    String failure = answer.join();
                    sent++;
                    if (failure != null) {
                        failures.add(failure);
                    }
                }
                if (sessionEnding().matcher(path.getKey()).find()) {
                    sessions = sessions();
                }
            }
        }
        System.out.printf(
                "Hostile input: %d requests to %d routes, %d answered 5xx%n", sent, paths.size(), failures.size());
        assertTrue(
                failures.isEmpty(),
                failures.size() + " of " + sent + " hostile requests answered 5xx:\n"
                        + String.join("\n", failures.subList(0, Math.min(40, failures.size()))));
        assertTrue(sent > paths.size(), "only " + sent + " requests sent");
    }

    private record Request(String url, String body, boolean oneProperty) {

        Request(String url, String body) {
            this(url, body, false);
        }
    }

    private record Answer(int statusCode, String body) {}

    /** The requests one operation is sent: junk in each place it takes input. */
    private static List<Request> requests(String template, Map<String, Object> spec, Map<String, Object> schemas) {
        List<Request> requests = new ArrayList<>();
        boolean templated = template.contains("{");
        if (templated) {
            for (String id : IDS) {
                requests.add(new Request(template.replaceAll("\\{[^}]+}", Matcher.quoteReplacement(id)), null));
            }
        }
        String plain = template.replaceAll("\\{[^}]+}", "0");
        List<String> queryNames = queryParameters(spec);
        for (String name : queryNames) { // one at a time: the request line stays under the server's limit
            for (String value : QUERY_VALUES) {
                requests.add(new Request(plain + "?" + name + "=" + value, null));
            }
        }
        if (spec.containsKey("requestBody")) {
            Map<String, Object> properties = properties(spec, schemas);
            for (String raw : RAW_BODIES) {
                requests.add(new Request(plain, raw));
            }
            requests.add(new Request(plain, "{}"));
            for (String kind : List.of("nul", "nulmail", "control", "long", "wrong", "null", "huge")) {
                requests.add(new Request(plain, body(properties, kind)));
            }
            // one property at a time, the others plausible: the junk gets past validation of the rest
            for (String property : properties.keySet()) {
                for (String kind : List.of("nul", "nulmail", "control", "long", "wrong", "huge")) {
                    requests.add(new Request(plain, oneBad(properties, property, kind), true));
                }
            }
        } else if (!templated && queryNames.isEmpty()) {
            requests.add(new Request(plain, null));
        }
        return requests;
    }

    @SuppressWarnings("unchecked")
    private static List<String> queryParameters(Map<String, Object> spec) {
        List<String> names = new ArrayList<>();
        Object parameters = spec.get("parameters");
        if (parameters instanceof List<?> list) {
            for (Object parameter : list) {
                Map<String, Object> p = (Map<String, Object>) parameter;
                if ("query".equals(p.get("in"))) {
                    names.add((String) p.get("name"));
                }
            }
        }
        return names;
    }

    /** The request body's properties (name → schema), its $ref resolved; empty when the body is no object. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> properties(Map<String, Object> spec, Map<String, Object> schemas) {
        Map<String, Object> content =
                (Map<String, Object>) ((Map<String, Object>) spec.get("requestBody")).get("content");
        if (content == null || content.isEmpty()) {
            return Map.of();
        }
        Map<String, Object> media =
                (Map<String, Object>) content.values().iterator().next();
        Map<String, Object> schema = resolve((Map<String, Object>) media.get("schema"), schemas);
        Object properties = schema == null ? null : schema.get("properties");
        return properties instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> resolve(Map<String, Object> schema, Map<String, Object> schemas) {
        if (schema != null && schema.get("$ref") instanceof String ref && schemas != null) {
            return (Map<String, Object>) schemas.get(ref.substring(ref.lastIndexOf('/') + 1));
        }
        return schema;
    }

    /** One value of that kind for each property, by the property's type. */
    private static String body(Map<String, Object> properties, String kind) {
        StringBuilder json = new StringBuilder("{");
        for (var property : properties.entrySet()) {
            String value = junk(schema(property.getValue()), kind);
            json.append(json.length() > 1 ? "," : "")
                    .append('"')
                    .append(property.getKey())
                    .append("\":")
                    .append(value);
        }
        return properties.isEmpty()
                ? "{\"a\":\"" + NUL + "\"}"
                : json.append('}').toString();
    }

    /** That property junk of that kind, every other one a plausible value (or left out where none is known). */
    private static String oneBad(Map<String, Object> properties, String bad, String kind) {
        StringBuilder json = new StringBuilder("{");
        for (var property : properties.entrySet()) {
            Map<String, Object> schema = schema(property.getValue());
            String value = property.getKey().equals(bad) ? junk(schema, kind) : plausible(property.getKey(), schema);
            if (value != null) {
                json.append(json.length() > 1 ? "," : "")
                        .append('"')
                        .append(property.getKey())
                        .append("\":")
                        .append(value);
            }
        }
        return json.append('}').toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> schema(Object property) {
        return property instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static String type(Map<String, Object> schema) {
        return String.valueOf(schema.getOrDefault("type", schema.containsKey("$ref") ? "object" : "string"));
    }

    /** A value validation is likely to accept; null (left out) where a pattern or a nested object is asked for. */
    private static String plausible(String name, Map<String, Object> schema) {
        if (schema.containsKey("pattern")) {
            return null;
        }
        if (schema.get("enum") instanceof List<?> values && !values.isEmpty()) {
            return "\"" + values.get(0) + "\"";
        }
        String lower = name.toLowerCase();
        return switch (type(schema)) {
            case "string" ->
                lower.contains("email")
                        ? "\"fuzz-" + System.nanoTime() + "@sansam.test\""
                        : lower.contains("password") ? "\"correct-horse-9\"" : "\"x\"";
            case "integer", "number" -> schema.get("minimum") instanceof Number min ? min.toString() : "1";
            case "boolean" -> "false";
            case "array" -> "[]";
            default -> null;
        };
    }

    /** Junk of that kind, shaped by the property's type. */
    private static String junk(Map<String, Object> schema, String kind) {
        String type = type(schema);
        return switch (kind) {
            case "nul" -> typed(type, "\"" + NUL + "\"");
            case "nulmail" -> typed(type, "\"" + NUL_MAIL + "\"");
            case "control" -> typed(type, "\"" + CONTROL + "\"");
            case "long" -> typed(type, "\"" + LONG + "\"");
            case "null" -> "null";
            case "huge" ->
                switch (type) {
                    case "integer", "number" -> "99999999999999999999999";
                    case "array" -> "[99999999999999999999999]";
                    default -> "\"" + "x".repeat(10_000) + "\""; // under the body limit, over any column
                };
            default ->
                switch (type) { // the wrong type
                    case "string" -> "[1, {\"a\": 2}]";
                    case "integer", "number" -> "\"" + NUL + "\"";
                    case "boolean" -> "\"yes\"";
                    case "array" -> "{\"a\": \"" + NUL + "\"}";
                    default -> "\"" + NUL + "\"";
                };
        };
    }

    /** The text where the type takes text; a list of it for lists, an object holding it for objects. */
    private static String typed(String type, String text) {
        return switch (type) {
            case "array" -> "[" + text + "]";
            case "object" -> "{\"a\":" + text + "}";
            default -> text;
        };
    }

    /**
     * Sent as is (no encoding of the junk), eight at a time, each on a connection of its own that the server is asked
     * to close after its answer: no request meets a connection an earlier one left behind, so a missing answer is
     * that request's. Only the status line is read (a stream that opened, server-sent events, is closed unread), and
     * the start of the body when the status is 5xx.
     */
    private CompletableFuture<Answer> send(String method, Request request, String session) {
        String host = URI.create(RestAssured.baseURI).getHost();
        byte[] body = request.body() == null ? new byte[0] : request.body().getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder()
                .append(method)
                .append(' ')
                .append(request.url())
                .append(" HTTP/1.1\r\n")
                .append("Host: ")
                .append(host)
                .append(':')
                .append(RestAssured.port)
                .append("\r\n")
                .append("Connection: close\r\n")
                .append("Content-Length: ")
                .append(body.length)
                .append("\r\n");
        if (session != null) {
            head.append("Cookie: SESSION=").append(session).append("\r\n");
        }
        if (request.body() != null) {
            head.append("Content-Type: application/json\r\n");
        }
        byte[] start = head.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
        return CompletableFuture.supplyAsync(
                () -> {
                    try (Socket socket = new Socket(host, RestAssured.port)) {
                        socket.setSoTimeout(30_000);
                        OutputStream out = socket.getOutputStream();
                        out.write(start);
                        out.write(body);
                        out.flush();
                        InputStream in = socket.getInputStream();
                        String statusLine = line(in);
                        if (!statusLine.matches("HTTP/1\\.[01] \\d{3}( .*)?")) {
                            throw new IOException("no status line, got \"" + abbreviate(statusLine) + "\"");
                        }
                        int status = Integer.parseInt(statusLine.substring(9, 12));
                        return new Answer(
                                status, status < 500 ? "" : new String(in.readNBytes(2000), StandardCharsets.UTF_8));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                },
                senders);
    }

    /** The bytes up to the first line end (at most 1,000), or up to the end of the stream. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n' && line.size() < 1000) {
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    private static String abbreviate(String text) {
        String flat = text.replaceAll("\\s+", " ");
        return flat.length() > 300 ? flat.substring(0, 300) + "…" : flat;
    }
}
