package com.sansam.runtime.db;

/** What a failed statement's PostgreSQL error says, wherever in the cause chain the driver put it. */
public final class PgErrors {

    private PgErrors() {}

    /** A unique index refused the row (SQLSTATE 23505): another request wrote it first. */
    public static boolean isUniqueViolation(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof io.vertx.pgclient.PgException pg && "23505".equals(pg.getSqlState())) {
                return true;
            }
            // Hibernate Reactive hands the driver's error on as a JDBC exception
            if (t instanceof java.sql.SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
