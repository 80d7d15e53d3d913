package com.sansam.runtime.db;

import com.sansam.runtime.async.Settled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.PreparedStatement;
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
 * The statements are prepared first ({@link #prepare}), before the transaction begins: the client pauses everything
 * queued behind a query whose statement is not prepared on the connection yet until the server has answered the
 * prepare, which would put a round trip to the client inside the transaction (with its locks held). The prepared
 * statements are closed when the transaction is over.
 * <p>
 * When a statement fails, PostgreSQL refuses the ones after it and answers the {@code COMMIT} with a rollback;
 * the transaction then fails with the first statement's own error.
 */
public final class Pipelined {

    /** One statement and its parameters. */
    public record Statement(String sql, Tuple params) {}

    /** The statements of one transaction, prepared on {@code connection} and ready to be sent at once. */
    public static final class Prepared {

        private final SqlConnection connection;
        private final List<Statement> statements;
        private final List<PreparedStatement> prepared;

        private Prepared(SqlConnection connection, List<Statement> statements, List<PreparedStatement> prepared) {
            this.connection = connection;
            this.statements = statements;
            this.prepared = prepared;
        }

        /**
         * Sends {@code BEGIN}, the statements and {@code COMMIT} together; answers the last statement's rows. The
         * prepared statements are closed afterwards, whatever the outcome.
         */
        public Uni<RowSet<Row>> transaction() {
            List<Uni<?>> sent = new ArrayList<>();
            sent.add(connection.query("begin").execute());
            for (int i = 0; i < statements.size(); i++) {
                sent.add(prepared.get(i).query().execute(statements.get(i).params()));
            }
            sent.add(connection.query("commit").execute());
            // every command is answered before the outcome is decided; Settled subscribes in list order, so the
            // client queues (and pipelines) the commands in that order
            return Settled.all(sent)
                    .map(Settled::orFirstFailure)
                    .map(Prepared::lastStatementRows)
                    .onTermination()
                    .call(this::close);
        }

        @SuppressWarnings("unchecked")
        private static RowSet<Row> lastStatementRows(List<Object> outcomes) {
            return (RowSet<Row>) outcomes.get(outcomes.size() - 2);
        }

        private Uni<Void> close() {
            return Settled.all(prepared.stream().map(PreparedStatement::close).toList())
                    .replaceWithVoid();
        }
    }

    private Pipelined() {}

    /** Prepares the statements on the connection (sent together, one round trip), outside any transaction. */
    public static Uni<Prepared> prepare(SqlConnection connection, List<Statement> statements) {
        return Settled.all(statements.stream()
                        .map(statement -> connection.prepare(statement.sql()))
                        .toList())
                .chain(outcomes -> {
                    List<PreparedStatement> prepared = outcomes.stream()
                            .filter(PreparedStatement.class::isInstance)
                            .map(PreparedStatement.class::cast)
                            .toList();
                    Prepared all = new Prepared(connection, statements, prepared);
                    if (prepared.size() == statements.size()) {
                        return Uni.createFrom().item(all);
                    }
                    // those that were prepared are closed again; the first failure is the answer
                    return all.close()
                            .map(closed -> Settled.orFirstFailure(outcomes))
                            .replaceWith(all);
                });
    }

    /** Prepares the statements, then runs them in one transaction sent at once; answers the last statement's rows. */
    public static Uni<RowSet<Row>> transaction(SqlConnection connection, List<Statement> statements) {
        return prepare(connection, statements).chain(Prepared::transaction);
    }
}
