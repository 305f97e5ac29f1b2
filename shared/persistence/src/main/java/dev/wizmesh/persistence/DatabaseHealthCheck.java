package dev.wizmesh.persistence;

import com.codahale.metrics.health.HealthCheck;

/** Critical: without its database a domain service cannot answer, so it is not ready. */
final class DatabaseHealthCheck extends HealthCheck {
    private final Database database;

    DatabaseHealthCheck(Database database) {
        this.database = database;
    }

    @Override
    protected Result check() {
        try {
            Integer one = database.unscoped().inTransaction(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one());
            return one == 1 ? Result.healthy() : Result.unhealthy("SELECT 1 returned " + one);
        } catch (RuntimeException e) {
            return Result.unhealthy("PostgreSQL unreachable: " + e.getMessage());
        }
    }
}
