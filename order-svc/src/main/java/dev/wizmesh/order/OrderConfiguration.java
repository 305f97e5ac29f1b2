package dev.wizmesh.order;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.wizmesh.discovery.DiscoveredServiceConfiguration;
import dev.wizmesh.grpc.client.GrpcClientFactory;
import dev.wizmesh.persistence.DatabaseConfiguration;
import dev.wizmesh.persistence.DatabaseFactory;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/** order-svc's YAML: the shared blocks, plus {@code database} and {@code grpcClient}. */
public class OrderConfiguration extends DiscoveredServiceConfiguration implements DatabaseConfiguration {
    @Valid
    @NotNull
    private DatabaseFactory database;

    @Valid
    @NotNull
    private GrpcClientFactory grpcClient = new GrpcClientFactory();

    @Override
    @JsonProperty
    public DatabaseFactory getDatabase() {
        return database;
    }

    @JsonProperty
    public void setDatabase(DatabaseFactory database) {
        this.database = database;
    }

    @JsonProperty
    public GrpcClientFactory getGrpcClient() {
        return grpcClient;
    }

    @JsonProperty
    public void setGrpcClient(GrpcClientFactory grpcClient) {
        this.grpcClient = grpcClient;
    }
}
