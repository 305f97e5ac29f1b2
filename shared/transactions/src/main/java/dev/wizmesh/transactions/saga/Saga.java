package dev.wizmesh.transactions.saga;

import dev.wizmesh.transactions.LocalOutcome;
import dev.wizmesh.transactions.RetryPolicy;
import dev.wizmesh.transactions.StepAction;
import dev.wizmesh.transactions.StepDefinition;
import dev.wizmesh.transactions.TransactionDefinition;
import dev.wizmesh.transactions.TransactionMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The saga DSL, to read like Eventuate Tram's:
 *
 * <pre>{@code
 * TransactionDefinition<PlaceOrder> placeOrder = Saga.define("place-order", PlaceOrder.class)
 *         .step("reserve-stock").participant("product-svc")
 *             .action((order, call) -> inventory.reserve(order, call))
 *             .compensation((order, call) -> inventory.release(order, call))
 *         .step("debit-wallet").participant("user-svc")
 *             .action((order, call) -> wallets.debit(order, call))
 *             .compensation((order, call) -> wallets.refund(order, call))
 *             .retry(RetryPolicy.DEFAULT.withMaxAttempts(3))
 *         .timeout(Duration.ofSeconds(30))
 *         .onCompleted((handle, order, none) -> orders.confirm(handle, order))
 *         .onCompensated((handle, order, failure) -> orders.cancel(handle, order, failure.code()))
 *         .build();
 * }</pre>
 *
 * Actions run in order; when one is refused, runs out of retries or the saga's timeout passes,
 * the compensations of every step that was started run in reverse order.
 */
public final class Saga {
    private Saga() {
    }

    public static <D> Builder<D> define(String name, Class<D> dataType) {
        return new Builder<>(name, dataType);
    }

    public static final class Builder<D> {
        private final String name;
        private final Class<D> dataType;
        private final List<StepDefinition<D>> steps = new ArrayList<>();
        private Duration timeout = Duration.ofSeconds(30);
        private LocalOutcome<D> onCompleted;
        private LocalOutcome<D> onCompensated;
        private StepBuilder<D> open;

        private Builder(String name, Class<D> dataType) {
            this.name = name;
            this.dataType = dataType;
        }

        public StepBuilder<D> step(String stepName) {
            close();
            open = new StepBuilder<>(this, stepName);
            return open;
        }

        public Builder<D> timeout(Duration sagaTimeout) {
            close();
            this.timeout = sagaTimeout;
            return this;
        }

        public Builder<D> onCompleted(LocalOutcome<D> outcome) {
            close();
            this.onCompleted = outcome;
            return this;
        }

        public Builder<D> onCompensated(LocalOutcome<D> outcome) {
            close();
            this.onCompensated = outcome;
            return this;
        }

        public TransactionDefinition<D> build() {
            close();
            return new TransactionDefinition<>(name, TransactionMode.SAGA, dataType, steps, timeout, onCompleted, onCompensated);
        }

        private void close() {
            if (open != null) {
                steps.add(open.definition());
                open = null;
            }
        }
    }

    /** One step being described; {@code step(...)}, {@code timeout(...)} or {@code build()} ends it. */
    public static final class StepBuilder<D> {
        private final Builder<D> saga;
        private final String name;
        private String participant = "local";
        private StepAction<D> action;
        private StepAction<D> compensation;
        private RetryPolicy retry = RetryPolicy.DEFAULT;
        private RetryPolicy compensationRetry = RetryPolicy.DEFAULT;

        private StepBuilder(Builder<D> saga, String name) {
            this.saga = saga;
            this.name = name;
        }

        /** The service this step calls (shown in the log); "local" when none. */
        public StepBuilder<D> participant(String service) {
            this.participant = service;
            return this;
        }

        public StepBuilder<D> action(StepAction<D> forward) {
            this.action = forward;
            return this;
        }

        /** Undoes the action; also sent when the action's outcome is unknown (its participant's fence makes that safe). */
        public StepBuilder<D> compensation(StepAction<D> undo) {
            this.compensation = undo;
            return this;
        }

        public StepBuilder<D> retry(RetryPolicy policy) {
            this.retry = policy;
            return this;
        }

        public StepBuilder<D> compensationRetry(RetryPolicy policy) {
            this.compensationRetry = policy;
            return this;
        }

        public StepBuilder<D> step(String next) {
            return saga.step(next);
        }

        public Builder<D> timeout(Duration sagaTimeout) {
            return saga.timeout(sagaTimeout);
        }

        public Builder<D> onCompleted(LocalOutcome<D> outcome) {
            return saga.onCompleted(outcome);
        }

        public Builder<D> onCompensated(LocalOutcome<D> outcome) {
            return saga.onCompensated(outcome);
        }

        public TransactionDefinition<D> build() {
            return saga.build();
        }

        StepDefinition<D> definition() {
            return new StepDefinition<>(name, participant, action, compensation, null, retry, compensationRetry);
        }
    }
}
