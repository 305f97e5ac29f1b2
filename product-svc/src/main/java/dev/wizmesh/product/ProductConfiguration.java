package dev.wizmesh.product;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.wizmesh.discovery.DiscoveredServiceConfiguration;
import dev.wizmesh.grpc.server.GrpcServerFactory;
import dev.wizmesh.persistence.DatabaseConfiguration;
import dev.wizmesh.persistence.DatabaseFactory;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/** config/product-svc.yml: the platform's blocks, {@code discovery:}, and the {@code database:} and {@code grpc:} blocks. */
public class ProductConfiguration extends DiscoveredServiceConfiguration implements DatabaseConfiguration {
    @Valid
    @NotNull
    private DatabaseFactory database;

    @Valid
    @NotNull
    private GrpcServerFactory grpc = new GrpcServerFactory();

    @Override
    @JsonProperty("database")
    public DatabaseFactory getDatabase() {
        return database;
    }

    @JsonProperty("database")
    public void setDatabase(DatabaseFactory database) {
        this.database = database;
    }

    @JsonProperty("grpc")
    public GrpcServerFactory getGrpc() {
        return grpc;
    }

    @JsonProperty("grpc")
    public void setGrpc(GrpcServerFactory grpc) {
        this.grpc = grpc;
    }
}
