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
        /** One prepared statement per distinct SQL text, by that text. */
        private final java.util.Map<String, PreparedStatement> prepared;

        private Prepared(
                SqlConnection connection,
                List<Statement> statements,
                java.util.Map<String, PreparedStatement> prepared) {
            this.connection = connection;
            this.statements = statements;
            this.prepared = prepared;
        }

        /**
         * Sends {@code BEGIN}, the statements and {@code COMMIT} together; answers the last statement's rows. The
         * prepared statements are closed afterwards, whatever the outcome.
         */
        public Uni<RowSet<Row>> transaction() {
            return everyStatement().map(rows -> rows.get(rows.size() - 1));
        }

        /**
         * Sends {@code BEGIN}, the statements and {@code COMMIT} together; answers every statement's rows, in the
         * statements' order. The prepared statements are closed afterwards, whatever the outcome.
         */
        public Uni<List<RowSet<Row>>> everyStatement() {
            List<Uni<?>> sent = new ArrayList<>();
            sent.add(connection.query("begin").execute());
            for (int i = 0; i < statements.size(); i++) {
                Statement statement = statements.get(i);
                sent.add(prepared.get(statement.sql()).query().execute(statement.params()));
            }
            sent.add(connection.query("commit").execute());
            // every command is answered before the outcome is decided; Settled subscribes in list order, so the
            // client queues (and pipelines) the commands in that order
            return Settled.all(sent)
                    .map(Settled::orFirstFailure)
                    .map(Prepared::statementRows)
                    .onTermination()
                    .call(this::close);
        }

        /** The outcomes of the statements, without those of {@code BEGIN} and {@code COMMIT}. */
        @SuppressWarnings("unchecked")
        private static List<RowSet<Row>> statementRows(List<Object> outcomes) {
            List<RowSet<Row>> rows = new ArrayList<>();
            for (int i = 1; i < outcomes.size() - 1; i++) {
                rows.add((RowSet<Row>) outcomes.get(i));
            }
            return rows;
        }

        private Uni<Void> close() {
            return Settled.all(prepared.values().stream()
                            .map(PreparedStatement::close)
                            .toList())
                    .replaceWithVoid();
        }
    }

    private Pipelined() {}

    /**
     * Prepares the statements on the connection (sent together, one round trip), outside any transaction; a statement
     * repeated with other parameters is prepared once.
     */
    public static Uni<Prepared> prepare(SqlConnection connection, List<Statement> statements) {
        List<String> texts = statements.stream().map(Statement::sql).distinct().toList();
        return Settled.all(texts.stream().map(connection::prepare).toList()).chain(outcomes -> {
            java.util.Map<String, PreparedStatement> prepared = new java.util.HashMap<>();
            for (int i = 0; i < texts.size(); i++) {
                if (outcomes.get(i) instanceof PreparedStatement statement) {
                    prepared.put(texts.get(i), statement);
                }
            }
            Prepared all = new Prepared(connection, statements, prepared);
            if (prepared.size() == texts.size()) {
                return Uni.createFrom().item(all);
            }
            // those that were prepared are closed again; the first failure is the answer
            return all.close().map(closed -> Settled.orFirstFailure(outcomes)).replaceWith(all);
        });
    }

    /** Prepares the statements, then runs them in one transaction sent at once; answers the last statement's rows. */
    public static Uni<RowSet<Row>> transaction(SqlConnection connection, List<Statement> statements) {
        return prepare(connection, statements).chain(Prepared::transaction);
    }

    /** Prepares the statements, then runs them in one transaction sent at once; answers every statement's rows. */
    public static Uni<List<RowSet<Row>>> everyStatement(SqlConnection connection, List<Statement> statements) {
        return prepare(connection, statements).chain(Prepared::everyStatement);
    }
}
