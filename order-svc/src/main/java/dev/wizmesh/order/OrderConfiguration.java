package dev.wizmesh.order;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.wizmesh.discovery.DiscoveredServiceConfiguration;
import dev.wizmesh.grpc.client.GrpcClientFactory;
import dev.wizmesh.order.transaction.TransactionsFactory;
import dev.wizmesh.persistence.DatabaseConfiguration;
import dev.wizmesh.persistence.DatabaseFactory;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/** order-svc's YAML: the shared blocks, plus {@code database}, {@code grpcClient} and {@code transactions}. */
public class OrderConfiguration extends DiscoveredServiceConfiguration implements DatabaseConfiguration {
    @Valid
    @NotNull
    private DatabaseFactory database;

    @Valid
    @NotNull
    private GrpcClientFactory grpcClient = new GrpcClientFactory();

    @Valid
    @NotNull
    private TransactionsFactory transactions = new TransactionsFactory();

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
    public TransactionsFactory getTransactions() {
        return transactions;
    }

    @JsonProperty
    public void setTransactions(TransactionsFactory transactions) {
        this.transactions = transactions;
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
