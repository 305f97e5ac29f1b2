package dev.wizmesh.persistence;

import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Reads PostgreSQL's verdict out of an exception JDBI threw, so that a constraint the database
 * enforces becomes the right 4xx: a unique index → 409, a CHECK → 409 or 422. The constraint's
 * name says which rule was broken; SQLSTATE says what kind.
 */
public final class SqlErrors {
    public static final String UNIQUE_VIOLATION = "23505";
    public static final String CHECK_VIOLATION = "23514";
    public static final String FOREIGN_KEY_VIOLATION = "23503";

    private SqlErrors() {
    }

    /** True when {@code e} was caused by violating the named constraint (or unique index). */
    public static boolean violated(Throwable e, String sqlState, String constraint) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PSQLException p && sqlState.equals(p.getSQLState())) {
                ServerErrorMessage detail = p.getServerErrorMessage();
                return constraint == null || (detail != null && constraint.equals(detail.getConstraint()));
            }
        }
        return false;
    }

    public static boolean uniqueViolation(Throwable e, String constraint) {
        return violated(e, UNIQUE_VIOLATION, constraint);
    }

    public static boolean checkViolation(Throwable e, String constraint) {
        return violated(e, CHECK_VIOLATION, constraint);
    }
}
