package com.sansam.commerce.bench;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The buyers' own requests in the order benches, on Vert.x's HTTP client (HTTP/1.1 keep-alive connections, as the
 * ingress speaks to the pods, read by two event loops). The load client's CPU counts in an order's cost (the machine
 * runs it beside the services), and the JDK's asynchronous client spent about 1.3 ms of CPU per order in the steady
 * bench: a selector thread, then a hand-off to an executor for every answer. Setting up (products, buyers, sessions)
 * stays on the JDK client: it is not measured.
 */
final class LoadClient {

    /** One request as a buyer sends it; the replica it goes to is chosen at each try. */
    record Call(HttpMethod method, String path, Map<String, String> headers, String body) {

        static Call get(String session, String path) {
            return new Call(HttpMethod.GET, path, Map.of("Cookie", "SESSION=" + session), null);
        }

        static Call postJson(String session, String path, String json) {
            return new Call(
                    HttpMethod.POST,
                    path,
                    Map.of("Cookie", "SESSION=" + session, "Content-Type", "application/json"),
                    json);
        }

        Call with(String header, String value) {
            Map<String, String> more = new LinkedHashMap<>(headers);
            more.put(header, value);
            return new Call(method, path, more, body);
        }
    }

    /** An answer, its body read whole. */
    record Answer(int statusCode, String body, MultiMap headers) {

        long retryAfterSeconds() {
            String value = headers.get("Retry-After");
            return value == null ? 1 : Long.parseLong(value.trim());
        }
    }

    private final Vertx vertx;
    private final HttpClient client;

    LoadClient() {
        this(Integer.getInteger("bench.client.event-loops", 2));
    }

    LoadClient(int eventLoops) {
        vertx = Vertx.vertx(new VertxOptions()
                .setEventLoopPoolSize(eventLoops)
                .setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1));
        client = vertx.createHttpClient(
                new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true).setConnectTimeout(5_000),
                // a connection per buyer in flight, as many as the biggest rush has buyers; none queue behind another
                new PoolOptions().setHttp1MaxSize(20_000).setMaxWaitQueueSize(-1));
    }

    /** Sends {@code call} to {@code base} (a replica's URL); answers once the whole body is in, or fails. */
    CompletableFuture<Answer> send(String base, Call call) {
        RequestOptions options = new RequestOptions()
                .setMethod(call.method())
                .setAbsoluteURI(base + call.path())
                .setIdleTimeout(60_000);
        call.headers().forEach(options::addHeader);
        return client.request(options)
                .compose(request -> call.body() == null ? request.send() : request.send(call.body()))
                .compose(response -> response.body()
                        .map(body -> new Answer(response.statusCode(), body.toString(), response.headers())))
                .toCompletionStage()
                .toCompletableFuture();
    }

    /**
     * Opens an event stream ({@code text/event-stream}) and hands each of its lines to {@code onLine}, on an event
     * loop, without a thread of its own; the stream is read until the server ends it or the answered closer is run
     * (it closes the stream's connection).
     */
    CompletableFuture<Runnable> lines(String base, Call call, java.util.function.Consumer<String> onLine) {
        RequestOptions options = new RequestOptions().setMethod(call.method()).setAbsoluteURI(base + call.path());
        call.headers().forEach(options::addHeader);
        return client.request(options)
                .compose(request -> request.send().map(response -> {
                    response.handler(io.vertx.core.parsetools.RecordParser.newDelimited("\n", line -> {
                        String text = line.toString();
                        onLine.accept(text.endsWith("\r") ? text.substring(0, text.length() - 1) : text);
                    }));
                    return (Runnable) () -> request.connection().close();
                }))
                .onFailure(failure -> System.out.println("[bench] a stream failed: " + failure))
                .toCompletionStage()
                .toCompletableFuture();
    }

    /** Completes after {@code millis}, on an event loop. */
    CompletableFuture<Void> after(long millis) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        vertx.setTimer(Math.max(1, millis), id -> done.complete(null));
        return done;
    }
}
