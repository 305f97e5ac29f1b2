package dev.wizmesh.product;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.wizmesh.discovery.DiscoveredServiceConfiguration;
import dev.wizmesh.grpc.server.GrpcServerFactory;
import dev.wizmesh.messaging.connection.AmqpFactory;
import dev.wizmesh.persistence.DatabaseConfiguration;
import dev.wizmesh.persistence.DatabaseFactory;
import dev.wizmesh.product.core.StockReservationsFactory;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/**
 * config/product-svc.yml: the platform's blocks, {@code discovery:}, and the {@code database:},
 * {@code grpc:}, {@code reservations:} and {@code amqp:} (the broker order events come from) blocks.
 */
public class ProductConfiguration extends DiscoveredServiceConfiguration implements DatabaseConfiguration {
    /** Where shared/transactions keeps the fence's schema (database.moduleMigrations.fence). */
    public static final String FENCE_MIGRATIONS = "classpath:db/modules/fence";
    /** Where shared/messaging keeps the consumer's processed_messages (database.moduleMigrations.inbox). */
    public static final String INBOX_MIGRATIONS = "classpath:db/modules/inbox";

    @Valid
    @NotNull
    private DatabaseFactory database;

    @Valid
    @NotNull
    private GrpcServerFactory grpc = new GrpcServerFactory();

    @Valid
    @NotNull
    private StockReservationsFactory reservations = new StockReservationsFactory();

    @Valid
    @NotNull
    private AmqpFactory amqp = new AmqpFactory();

    @JsonProperty("amqp")
    public AmqpFactory getAmqp() {
        return amqp;
    }

    @JsonProperty("amqp")
    public void setAmqp(AmqpFactory amqp) {
        this.amqp = amqp;
    }

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

    @JsonProperty("reservations")
    public StockReservationsFactory getReservations() {
        return reservations;
    }

    @JsonProperty("reservations")
    public void setReservations(StockReservationsFactory reservations) {
        this.reservations = reservations;
    }

    /**
     * StockReservationService writes the transaction fence's table, which shared/transactions
     * migrates as a module schema: without it every reservation would fail at run time, so the
     * start (and {@code db migrate}) fails now, saying what to add.
     */
    @ValidationMethod(message = "database.moduleMigrations must include fence: classpath:db/modules/fence "
            + "(the transaction fence of StockReservationService)")
    @JsonIgnore
    public boolean isFenceMigrated() {
        return database == null || FENCE_MIGRATIONS.equals(database.getModuleMigrations().get("fence"));
    }

    /** The order-events consumer records what it processed in the inbox table: without it every event would fail. */
    @ValidationMethod(message = "database.moduleMigrations must include inbox: classpath:db/modules/inbox "
            + "(the processed_messages of the order-events consumer)")
    @JsonIgnore
    public boolean isInboxMigrated() {
        return database == null || INBOX_MIGRATIONS.equals(database.getModuleMigrations().get("inbox"));
    }
}
