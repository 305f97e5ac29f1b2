package dev.wizmesh.user;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.wizmesh.discovery.DiscoveredServiceConfiguration;
import dev.wizmesh.grpc.server.GrpcServerFactory;
import dev.wizmesh.messaging.connection.AmqpFactory;
import dev.wizmesh.persistence.DatabaseConfiguration;
import dev.wizmesh.persistence.DatabaseFactory;
import dev.wizmesh.user.auth.AuthFactory;
import dev.wizmesh.user.core.WalletPaymentsFactory;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * user-svc's YAML: the shared blocks, plus {@code database}, {@code auth}, {@code payments}, the sign-up switches and
 * {@code amqp} (the broker order events come from, for the notification feed).
 */
public class UserConfiguration extends DiscoveredServiceConfiguration implements DatabaseConfiguration {
    @Valid
    @NotNull
    private DatabaseFactory database;

    @Valid
    @NotNull
    private AuthFactory auth = new AuthFactory();

    @Valid
    @NotNull
    private GrpcServerFactory grpc = new GrpcServerFactory();

    @Valid
    @NotNull
    private WalletPaymentsFactory payments = new WalletPaymentsFactory();

    @Valid
    @NotNull
    private AmqpFactory amqp = new AmqpFactory();

    /** The order-events consumer records what it processed in the inbox table: without it every event would fail. */
    @io.dropwizard.validation.ValidationMethod(message = "database.moduleMigrations must include inbox: classpath:db/modules/inbox "
            + "(the processed_messages of the order-events consumer)")
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isInboxMigrated() {
        return database == null || "classpath:db/modules/inbox".equals(database.getModuleMigrations().get("inbox"));
    }

    @JsonProperty
    public AmqpFactory getAmqp() {
        return amqp;
    }

    @JsonProperty
    public void setAmqp(AmqpFactory amqp) {
        this.amqp = amqp;
    }

    /** Anyone may create a tenant with {@code POST /api/v1/tenants}; off for an invitation-only system. */
    private boolean publicSignup = true;

    /** Currency of every new wallet (ISO 4217). */
    @NotNull
    @Pattern(regexp = "^[A-Z]{3}$")
    private String walletCurrency = "EUR";

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
    public GrpcServerFactory getGrpc() {
        return grpc;
    }

    @JsonProperty
    public void setGrpc(GrpcServerFactory grpc) {
        this.grpc = grpc;
    }

    @JsonProperty
    public AuthFactory getAuth() {
        return auth;
    }

    @JsonProperty
    public void setAuth(AuthFactory auth) {
        this.auth = auth;
    }

    @JsonProperty
    public WalletPaymentsFactory getPayments() {
        return payments;
    }

    @JsonProperty
    public void setPayments(WalletPaymentsFactory payments) {
        this.payments = payments;
    }

    @JsonProperty
    public boolean isPublicSignup() {
        return publicSignup;
    }

    @JsonProperty
    public void setPublicSignup(boolean publicSignup) {
        this.publicSignup = publicSignup;
    }

    @JsonProperty
    public String getWalletCurrency() {
        return walletCurrency;
    }

    @JsonProperty
    public void setWalletCurrency(String walletCurrency) {
        this.walletCurrency = walletCurrency;
    }
}
