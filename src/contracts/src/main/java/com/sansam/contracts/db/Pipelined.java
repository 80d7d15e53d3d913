package com.sansam.contracts.db;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * A transaction sent in one go on one connection (PostgreSQL's pipelining, which the reactive client does by
 * default): {@code BEGIN}, the statements and {@code COMMIT} leave together, and nothing waits for a round trip between
 * them. A lock that one statement takes is therefore held only while the server runs the rest, however busy the
 * client is. Each statement is its own statement (in READ COMMITTED it reads what was committed before it started,
 * for example by the lock's previous holder).
 * <p>
 * When a statement fails, PostgreSQL refuses the ones after it and answers the {@code COMMIT} with a rollback;
 * {@link #transaction} then fails with the first statement's own error.
 */
public final class Pipelined {

    /** One statement and its parameters. */
    public record Statement(String sql, Tuple params) {}

    private Pipelined() {}

    /** Runs the statements in one transaction, sent at once; answers the last statement's rows. */
    public static Uni<RowSet<Row>> transaction(SqlConnection connection, List<Statement> statements) {
        List<Uni<Object>> sent = new ArrayList<>();
        sent.add(settled(connection.query("begin").execute()));
        for (Statement statement : statements) {
            sent.add(settled(connection.preparedQuery(statement.sql()).execute(statement.params())));
        }
        sent.add(settled(connection.query("commit").execute()));
        // the combination subscribes in list order: the client queues (and pipelines) the commands in that order
        return Uni.combine().all().unis(sent).with(results -> results).chain(results -> {
            for (Object result : results) {
                if (result instanceof Throwable failure) {
                    return Uni.createFrom().failure(failure);
                }
            }
            @SuppressWarnings("unchecked")
            RowSet<Row> last = (RowSet<Row>) results.get(results.size() - 2);
            return Uni.createFrom().item(last);
        });
    }

    /** The command's rows, or its failure as an item: every command is answered before the transaction's outcome. */
    private static Uni<Object> settled(Uni<RowSet<Row>> command) {
        return command.map(rows -> (Object) rows).onFailure().recoverWithItem(failure -> failure);
    }
}
