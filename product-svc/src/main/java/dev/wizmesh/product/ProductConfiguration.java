package dev.wizmesh.product;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.wizmesh.discovery.DiscoveredServiceConfiguration;
import dev.wizmesh.persistence.DatabaseConfiguration;
import dev.wizmesh.persistence.DatabaseFactory;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/** config/product-svc.yml: the platform's blocks, {@code discovery:}, and the {@code database:} block. */
public class ProductConfiguration extends DiscoveredServiceConfiguration implements DatabaseConfiguration {
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
