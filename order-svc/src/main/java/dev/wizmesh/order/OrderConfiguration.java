package dev.wizmesh.order;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.wizmesh.discovery.DiscoveredServiceConfiguration;
import dev.wizmesh.grpc.client.GrpcClientFactory;
import dev.wizmesh.messaging.connection.AmqpFactory;
import dev.wizmesh.order.messages.MessagesFactory;
import dev.wizmesh.order.transaction.TransactionsFactory;
import dev.wizmesh.persistence.DatabaseConfiguration;
import dev.wizmesh.persistence.DatabaseFactory;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/**
 * order-svc's YAML: the shared blocks, plus {@code database}, {@code grpcClient}, {@code transactions}, {@code amqp}
 * (the broker its order events and admin messages go to) and {@code messages}.
 */
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

    @Valid
    @NotNull
    private AmqpFactory amqp = new AmqpFactory();

    /** Where shared/messaging keeps the outbox's schema (database.moduleMigrations.outbox). */
    public static final String OUTBOX_MIGRATIONS = "classpath:db/modules/outbox";

    /**
     * Every order change writes its event into the outbox table, which shared/messaging migrates as a module
     * schema: without it every order would fail at run time, so the start (and {@code db migrate}) fails now.
     */
    @io.dropwizard.validation.ValidationMethod(message = "database.moduleMigrations must include outbox: classpath:db/modules/outbox "
            + "(the transactional outbox of the order events)")
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isOutboxMigrated() {
        return database == null || OUTBOX_MIGRATIONS.equals(database.getModuleMigrations().get("outbox"));
    }

    @Valid
    @NotNull
    private MessagesFactory messages = new MessagesFactory();

    @JsonProperty
    public AmqpFactory getAmqp() {
        return amqp;
    }

    @JsonProperty
    public void setAmqp(AmqpFactory amqp) {
        this.amqp = amqp;
    }

    @JsonProperty
    public MessagesFactory getMessages() {
        return messages;
    }

    @JsonProperty
    public void setMessages(MessagesFactory messages) {
        this.messages = messages;
    }

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
