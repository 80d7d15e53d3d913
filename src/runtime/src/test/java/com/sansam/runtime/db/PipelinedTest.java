package com.sansam.runtime.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Context;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgPool;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.PoolOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link Pipelined} against the local PostgreSQL (the database the preparation script makes for this module). */
class PipelinedTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static Vertx vertx;
    private static Pool pool;

    @BeforeAll
    static void connect() {
        vertx = Vertx.vertx();
        pool = PgPool.pool(vertx, options(), new PoolOptions().setMaxSize(8));
    }

    private static PgConnectOptions options() {
        return new PgConnectOptions()
                .setHost(System.getenv().getOrDefault("PGHOST", "127.0.0.1"))
                .setPort(Integer.parseInt(System.getenv().getOrDefault("PGPORT", "5432")))
                .setDatabase("sansam_platform_test")
                .setUser(System.getenv().getOrDefault("PGUSER", "postgres"));
    }

    @AfterAll
    static void close() {
        pool.close().await().atMost(WAIT);
        vertx.close().await().atMost(WAIT);
    }

    @BeforeEach
    void tables() {
        sql("drop table if exists pipelined_counter, pipelined_ticket");
        sql("create table pipelined_counter (id int primary key)");
        sql("insert into pipelined_counter values (1)");
        sql("create table pipelined_ticket (n int primary key, owner int not null)");
    }

    private static void sql(String statement) {
        pool.query(statement).execute().await().atMost(WAIT);
    }

    private static Uni<Integer> takeNextTicket(int owner) {
        return pool.withConnection(connection -> Pipelined.transaction(
                        connection,
                        List.of(
                                new Pipelined.Statement(
                                        "select 1 from pipelined_counter where id = $1 for update", Tuple.of(1)),
                                new Pipelined.Statement("""
                                        insert into pipelined_ticket
                                        select coalesce(max(n), 0) + 1, $1 from pipelined_ticket returning n""", Tuple.of(owner)))))
                .map(rows -> rows.iterator().next().getInteger("n"));
    }

    @Test
    void statementsAfterTheLockSeeWhatItsPreviousHolderCommitted() {
        // 200 transactions at once over 8 connections: each takes the lock, then reads the highest ticket and takes
        // the next. Only if the read comes after the previous holder's commit are the tickets 1..200 without a gap.
        List<Uni<Integer>> all = new ArrayList<>();
        for (int owner = 0; owner < 200; owner++) {
            all.add(takeNextTicket(owner));
        }
        List<Integer> tickets = Uni.join().all(all).andFailFast().await().atMost(WAIT);
        assertEquals(
                IntStream.rangeClosed(1, 200).boxed().toList(),
                tickets.stream().sorted().toList());
        assertEquals(200, count("select count(distinct owner) from pipelined_ticket"));
    }

    @Test
    void aFailedStatementRollsBackTheOthersAndFailsWithItsOwnError() {
        sql("insert into pipelined_ticket values (5, 0)");
        Throwable failure = assertThrows(
                Exception.class,
                () -> pool.withConnection(connection -> Pipelined.transaction(
                                connection,
                                List.of(
                                        new Pipelined.Statement(
                                                "insert into pipelined_ticket values ($1, 1)", Tuple.of(4)),
                                        new Pipelined.Statement(
                                                "insert into pipelined_ticket values ($1, 1)", Tuple.of(5)),
                                        new Pipelined.Statement(
                                                "insert into pipelined_ticket values ($1, 1)", Tuple.of(6)))))
                        .await()
                        .atMost(WAIT));
        PgException error = assertInstanceOf(PgException.class, failure);
        assertEquals("23505", error.getSqlState(), "the unique violation, not 'current transaction is aborted'");
        assertEquals(1, count("select count(*) from pipelined_ticket"), "the first insert was rolled back");
        // the connection went back to the pool out of any transaction: the next work on it commits
        for (int i = 0; i < 8; i++) {
            takeNextTicket(100 + i).await().atMost(WAIT);
        }
        assertEquals(9, count("select count(*) from pipelined_ticket"));
    }

    @Test
    void theTransactionLeavesInOneGoWithoutWaitingForAnswers() throws Exception {
        // The transaction is sent from the connection's own event loop, which is then kept busy: it cannot read any
        // answer from the server. A second client (its own event loop) must see the commit all the same, so nothing
        // of the transaction waited for an answer (a statement not yet prepared on the connection would have).
        Vertx other = Vertx.vertx();
        Pool watcher = PgPool.pool(other, options(), new PoolOptions().setMaxSize(1));
        SqlConnection connection = pool.getConnection().await().atMost(WAIT);
        try {
            Context context = connection
                    .query("select 1")
                    .execute()
                    .map(rows -> Vertx.currentContext())
                    .await()
                    .atMost(WAIT);
            Pipelined.Prepared prepared = Pipelined.prepare(
                            connection,
                            List.of(
                                    new Pipelined.Statement(
                                            "select 1 from pipelined_counter where id = $1 for update", Tuple.of(1)),
                                    new Pipelined.Statement("insert into pipelined_ticket values ($1, 1)", Tuple.of(1)),
                                    new Pipelined.Statement(
                                            "insert into pipelined_ticket values ($1, 1)", Tuple.of(2))))
                    .await()
                    .atMost(WAIT);
            CompletableFuture<Boolean> committedWhileBusy = new CompletableFuture<>();
            CompletableFuture<RowSet<Row>> answered = new CompletableFuture<>();
            context.runOnContext(() -> {
                prepared.transaction().subscribe().with(answered::complete, answered::completeExceptionally);
                long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                boolean committed = false;
                while (!committed && System.nanoTime() < deadline) {
                    committed = watcher.query("select count(*) from pipelined_ticket")
                                    .execute()
                                    .subscribeAsCompletionStage()
                                    .join()
                                    .iterator()
                                    .next()
                                    .getInteger(0)
                            == 2;
                }
                committedWhileBusy.complete(committed);
            });
            assertTrue(committedWhileBusy.get(30, TimeUnit.SECONDS), "committed while the client read nothing");
            answered.get(30, TimeUnit.SECONDS);
        } finally {
            connection.close().await().atMost(WAIT);
            watcher.close().await().atMost(WAIT);
            other.close().await().atMost(WAIT);
        }
    }

    @Test
    void answersTheLastStatementsRows() {
        Row row = pool.withConnection(connection -> Pipelined.transaction(
                        connection,
                        List.of(
                                new Pipelined.Statement("select 1 as a", Tuple.tuple()),
                                new Pipelined.Statement("select 2 as b", Tuple.tuple()))))
                .await()
                .atMost(WAIT)
                .iterator()
                .next();
        assertEquals(2, row.getInteger("b"));
        assertTrue(row.getColumnIndex("a") < 0);
    }

    @Test
    void answersEveryStatementsRowsAndEachStatementSeesTheOnesBefore() {
        // one statement three times (prepared once) after the lock: each takes the next ticket, seeing those before
        String next = """
                insert into pipelined_ticket
                select coalesce(max(n), 0) + 1, $1 from pipelined_ticket returning n, owner""";
        List<RowSet<Row>> rows = pool.withConnection(connection -> Pipelined.everyStatement(
                        connection,
                        List.of(
                                new Pipelined.Statement(
                                        "select 1 from pipelined_counter where id = $1 for update", Tuple.of(1)),
                                new Pipelined.Statement(next, Tuple.of(7)),
                                new Pipelined.Statement(next, Tuple.of(8)),
                                new Pipelined.Statement(next, Tuple.of(9)))))
                .await()
                .atMost(WAIT);
        assertEquals(4, rows.size());
        for (int i = 1; i <= 3; i++) {
            Row ticket = rows.get(i).iterator().next();
            assertEquals(i, ticket.getInteger("n"));
            assertEquals(6 + i, ticket.getInteger("owner"));
        }
        assertEquals(3, count("select count(*) from pipelined_ticket"));
    }

    private static int count(String query) {
        return pool.query(query)
                .execute()
                .await()
                .atMost(WAIT)
                .iterator()
                .next()
                .getInteger(0);
    }
}
