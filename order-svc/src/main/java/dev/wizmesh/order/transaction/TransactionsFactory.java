package dev.wizmesh.order.transaction;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.wizmesh.persistence.Database;
import dev.wizmesh.platform.PlatformBundle;
import dev.wizmesh.transactions.RetryPolicy;
import dev.wizmesh.transactions.TransactionCoordinator;
import dev.wizmesh.transactions.TransactionMetrics;
import dev.wizmesh.transactions.TransactionMode;
import dev.wizmesh.transactions.log.TransactionLog;
import dev.wizmesh.transactions.recovery.RecoveryScanner;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The {@code transactions:} block of order-svc's YAML: which pattern places orders, and how the
 * coordinator drives and recovers them. {@link #build} wires the coordinator and its recovery
 * into the app's lifecycle.
 */
public class TransactionsFactory {
    /** saga or tcc; a request may choose with its {@code mode} field. */
    @NotNull
    private TransactionMode mode = TransactionMode.SAGA;

    /** A transaction not through its forward path by then compensates ({@code TIMEOUT}). */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    private Duration timeout = Duration.seconds(30);

    /** How long {@code POST /api/v1/orders} waits for the outcome before answering 202 with the order PENDING. */
    @NotNull
    private Duration waitForOutcome = Duration.seconds(3);

    /**
     * Unique among running instances and the same after a restart (so a restarted instance
     * resumes its own transactions at once); empty: derived from the advertised host and port.
     */
    private String instance = "";

    /** A driver that stops renewing its lease this long loses the transaction to another instance. */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    private Duration lease = Duration.seconds(15);

    @NotNull
    @MinDuration(value = 100, unit = TimeUnit.MILLISECONDS)
    private Duration recoveryInterval = Duration.seconds(2);

    @Min(1)
    @Max(256)
    private int driverThreads = 32;

    /** Per participant call: attempts, back-off, total time and each call's deadline. */
    @Min(1)
    @Max(100)
    private int maxAttempts = 5;

    @NotNull
    private Duration attemptTimeout = Duration.seconds(3);

    /**
     * A saga compensation gets more patience than an action: giving up on it means an operator
     * (FAILED_NEEDS_ATTENTION), where giving up on an action only means cancelling the order.
     */
    @Min(1)
    @Max(1000)
    private int compensationMaxAttempts = 15;

    @NotNull
    private Duration compensationMaxRetry = Duration.minutes(2);

    /**
     * The longest wait between two compensation attempts: long enough that 15 attempts outlast a
     * participant's restart (its process, its registration, our channel finding it again).
     */
    @NotNull
    private Duration compensationMaxBackoff = Duration.seconds(10);

    @NotNull
    private Duration maxRetryDuration = Duration.seconds(20);

    /** How long a TCC reservation or hold waits for Confirm/Cancel before its participant releases it. */
    @NotNull
    private Duration hold = Duration.minutes(2);

    /** The coordinator, registered with both definitions, started and stopped with the app. */
    public Built build(Environment environment, PlatformBundle<?> platform, Database database, String defaultInstance,
                       StockParticipant stock, WalletParticipant wallet, dev.wizmesh.order.events.OrderEvents events) {
        if (lease.toMilliseconds() <= attemptTimeout.toMilliseconds()) {
            throw new IllegalArgumentException("transactions.lease (" + lease + ") must be longer than transactions.attemptTimeout ("
                    + attemptTimeout + "): a driver renews its lease only between calls");
        }
        String name = instance == null || instance.isBlank() ? defaultInstance : instance;
        TransactionLog log = new TransactionLog(database, name, java.time.Duration.ofMillis(lease.toMilliseconds()));
        TransactionMetrics metrics = new TransactionMetrics(platform.metrics().registry(), log::stuck);
        TransactionCoordinator coordinator = new TransactionCoordinator(log, environment.getObjectMapper(), metrics, driverThreads);
        RetryPolicy retry = RetryPolicy.DEFAULT.withMaxAttempts(maxAttempts)
                .withAttemptTimeout(java.time.Duration.ofMillis(attemptTimeout.toMilliseconds()))
                .withMaxDuration(java.time.Duration.ofMillis(maxRetryDuration.toMilliseconds()));
        RetryPolicy undoRetry = retry.withMaxAttempts(compensationMaxAttempts)
                .withBackoff(retry.initialBackoff(), java.time.Duration.ofMillis(compensationMaxBackoff.toMilliseconds()))
                .withMaxDuration(java.time.Duration.ofMillis(compensationMaxRetry.toMilliseconds()));
        PlaceOrderTransactions placeOrder = new PlaceOrderTransactions(stock, wallet, retry, undoRetry,
                java.time.Duration.ofMillis(timeout.toMilliseconds()), events);
        coordinator.register(placeOrder.saga()).register(placeOrder.tcc());
        RecoveryScanner recovery = new RecoveryScanner(coordinator, java.time.Duration.ofMillis(recoveryInterval.toMilliseconds()), 100);
        // stopped in reverse: recovery first, then the coordinator's drivers
        environment.lifecycle().manage(coordinator);
        environment.lifecycle().manage(recovery);
        return new Built(coordinator, placeOrder, mode, java.time.Duration.ofMillis(waitForOutcome.toMilliseconds()));
    }

    /** What the rest of the app needs: the coordinator, the definitions, the default mode and the wait. */
    public record Built(TransactionCoordinator coordinator, PlaceOrderTransactions placeOrder, TransactionMode defaultMode,
                        java.time.Duration waitForOutcome) {
    }

    public java.time.Duration holdDuration() {
        return java.time.Duration.ofMillis(hold.toMilliseconds());
    }

    /** A fallback instance name when neither YAML nor the port makes one: unique, not stable. */
    public static String randomInstance() {
        return "order-svc-" + UUID.randomUUID();
    }

    @JsonProperty
    public TransactionMode getMode() {
        return mode;
    }

    @JsonProperty
    public void setMode(TransactionMode mode) {
        this.mode = mode;
    }

    @JsonProperty
    public Duration getTimeout() {
        return timeout;
    }

    @JsonProperty
    public void setTimeout(Duration timeout) {
        this.timeout = timeout;
    }

    @JsonProperty
    public Duration getWaitForOutcome() {
        return waitForOutcome;
    }

    @JsonProperty
    public void setWaitForOutcome(Duration waitForOutcome) {
        this.waitForOutcome = waitForOutcome;
    }

    @JsonProperty
    public String getInstance() {
        return instance;
    }

    @JsonProperty
    public void setInstance(String instance) {
        this.instance = instance;
    }

    @JsonProperty
    public Duration getLease() {
        return lease;
    }

    @JsonProperty
    public void setLease(Duration lease) {
        this.lease = lease;
    }

    @JsonProperty
    public Duration getRecoveryInterval() {
        return recoveryInterval;
    }

    @JsonProperty
    public void setRecoveryInterval(Duration recoveryInterval) {
        this.recoveryInterval = recoveryInterval;
    }

    @JsonProperty
    public int getDriverThreads() {
        return driverThreads;
    }

    @JsonProperty
    public void setDriverThreads(int driverThreads) {
        this.driverThreads = driverThreads;
    }

    @JsonProperty
    public int getMaxAttempts() {
        return maxAttempts;
    }

    @JsonProperty
    public void setMaxAttempts(int maxAttempts) {
        this.maxAttempts = maxAttempts;
    }

    @JsonProperty
    public Duration getAttemptTimeout() {
        return attemptTimeout;
    }

    @JsonProperty
    public void setAttemptTimeout(Duration attemptTimeout) {
        this.attemptTimeout = attemptTimeout;
    }

    @JsonProperty
    public int getCompensationMaxAttempts() {
        return compensationMaxAttempts;
    }

    @JsonProperty
    public void setCompensationMaxAttempts(int compensationMaxAttempts) {
        this.compensationMaxAttempts = compensationMaxAttempts;
    }

    @JsonProperty
    public Duration getCompensationMaxRetry() {
        return compensationMaxRetry;
    }

    @JsonProperty
    public void setCompensationMaxRetry(Duration compensationMaxRetry) {
        this.compensationMaxRetry = compensationMaxRetry;
    }

    @JsonProperty
    public Duration getCompensationMaxBackoff() {
        return compensationMaxBackoff;
    }

    @JsonProperty
    public void setCompensationMaxBackoff(Duration compensationMaxBackoff) {
        this.compensationMaxBackoff = compensationMaxBackoff;
    }

    @JsonProperty
    public Duration getMaxRetryDuration() {
        return maxRetryDuration;
    }

    @JsonProperty
    public void setMaxRetryDuration(Duration maxRetryDuration) {
        this.maxRetryDuration = maxRetryDuration;
    }

    @JsonProperty
    public Duration getHold() {
        return hold;
    }

    @JsonProperty
    public void setHold(Duration hold) {
        this.hold = hold;
    }
}
