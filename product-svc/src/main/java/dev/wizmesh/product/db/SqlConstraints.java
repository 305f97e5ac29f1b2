package dev.wizmesh.product.db;

import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Which constraint PostgreSQL enforced when a statement failed, so that a rule the database
 * keeps (a unique index) becomes the right 4xx instead of a 500.
 */
public final class SqlConstraints {
    private static final String UNIQUE_VIOLATION = "23505";

    private SqlConstraints() {
    }

    /** True when {@code e} was caused by a duplicate key in the named unique index. */
    public static boolean uniqueViolation(Throwable e, String index) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PSQLException p && UNIQUE_VIOLATION.equals(p.getSQLState())) {
                ServerErrorMessage detail = p.getServerErrorMessage();
                return detail != null && index.equals(detail.getConstraint());
            }
        }
        return false;
    }
}
