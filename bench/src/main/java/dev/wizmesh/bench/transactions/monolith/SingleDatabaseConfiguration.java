package dev.wizmesh.bench.transactions.monolith;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.wizmesh.persistence.DatabaseConfiguration;
import dev.wizmesh.persistence.DatabaseFactory;
import dev.wizmesh.platform.ServiceConfiguration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/** bench/config/single-database.yml: the platform's blocks and one {@code database:}. */
public class SingleDatabaseConfiguration extends ServiceConfiguration implements DatabaseConfiguration {
    @Valid
    @NotNull
    private DatabaseFactory database;

    @Override
    @JsonProperty("database")
    public DatabaseFactory getDatabase() {
        return database;
    }

    @JsonProperty("database")
    public void setDatabase(DatabaseFactory database) {
        this.database = database;
    }
}
