package dev.wizmesh.persistence;

/** A service configuration with a {@code database:} block, for {@link DbMigrateCommand}. */
public interface DatabaseConfiguration {
    DatabaseFactory getDatabase();
}
