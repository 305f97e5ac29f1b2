package dev.wizmesh.transactions.tcc;

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
 * The TCC DSL: a global transaction of branches, each with Try, Confirm and Cancel.
 *
 * <pre>{@code
 * TransactionDefinition<PlaceOrder> placeOrder = Tcc.define("place-order", PlaceOrder.class)
 *         .branch("stock").participant("product-svc")
 *             .tryWith((order, call) -> inventory.tryReserve(order, call))
 *             .confirm((order, call) -> inventory.confirmReservation(order, call))
 *             .cancel((order, call) -> inventory.cancelReservation(order, call))
 *         .branch("wallet").participant("user-svc")
 *             .tryWith(...).confirm(...).cancel(...)
 *         .timeout(Duration.ofSeconds(30))
 *         .onCompleted(...).onCompensated(...)
 *         .build();
 * }</pre>
 *
 * Every branch is tried in order; when all succeed, every branch is confirmed (a Confirm is
 * retried until it succeeds: the decision is made, only its delivery is left); when one fails,
 * every branch that was tried, or may have been, is cancelled. Participants put their Try, Confirm
 * and Cancel behind a {@code Fence}, which makes repeats and out-of-order arrivals safe.
 */
public final class Tcc {
    /** Confirm and Cancel must get through: many attempts, a long window; recovery goes on after that. */
    public static final RetryPolicy SECOND_PHASE = new RetryPolicy(10, Duration.ofMillis(100), 2.0, Duration.ofSeconds(5),
            Duration.ofMinutes(2), Duration.ofSeconds(5));

    private Tcc() {
    }

    public static <D> Builder<D> define(String name, Class<D> dataType) {
        return new Builder<>(name, dataType);
    }

    public static final class Builder<D> {
        private final String name;
        private final Class<D> dataType;
        private final List<StepDefinition<D>> branches = new ArrayList<>();
        private Duration timeout = Duration.ofSeconds(30);
        private LocalOutcome<D> onCompleted;
        private LocalOutcome<D> onCompensated;
        private BranchBuilder<D> open;

        private Builder(String name, Class<D> dataType) {
            this.name = name;
            this.dataType = dataType;
        }

        public BranchBuilder<D> branch(String branchName) {
            close();
            open = new BranchBuilder<>(this, branchName);
            return open;
        }

        public Builder<D> timeout(Duration globalTimeout) {
            close();
            this.timeout = globalTimeout;
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
            return new TransactionDefinition<>(name, TransactionMode.TCC, dataType, branches, timeout, onCompleted, onCompensated);
        }

        private void close() {
            if (open != null) {
                branches.add(open.definition());
                open = null;
            }
        }
    }

    /** One branch being described; {@code branch(...)}, {@code timeout(...)} or {@code build()} ends it. */
    public static final class BranchBuilder<D> {
        private final Builder<D> tcc;
        private final String name;
        private String participant;
        private StepAction<D> tryAction;
        private StepAction<D> confirm;
        private StepAction<D> cancel;
        private RetryPolicy tryRetry = RetryPolicy.DEFAULT;
        private RetryPolicy secondPhaseRetry = SECOND_PHASE;

        private BranchBuilder(Builder<D> tcc, String name) {
            this.tcc = tcc;
            this.name = name;
        }

        public BranchBuilder<D> participant(String service) {
            this.participant = service;
            return this;
        }

        public BranchBuilder<D> tryWith(StepAction<D> action) {
            this.tryAction = action;
            return this;
        }

        public BranchBuilder<D> confirm(StepAction<D> action) {
            this.confirm = action;
            return this;
        }

        public BranchBuilder<D> cancel(StepAction<D> action) {
            this.cancel = action;
            return this;
        }

        public BranchBuilder<D> tryRetry(RetryPolicy policy) {
            this.tryRetry = policy;
            return this;
        }

        /** Confirm's and Cancel's retries within one run; recovery keeps trying after them. */
        public BranchBuilder<D> secondPhaseRetry(RetryPolicy policy) {
            this.secondPhaseRetry = policy;
            return this;
        }

        public BranchBuilder<D> branch(String next) {
            return tcc.branch(next);
        }

        public Builder<D> timeout(Duration globalTimeout) {
            return tcc.timeout(globalTimeout);
        }

        public Builder<D> onCompleted(LocalOutcome<D> outcome) {
            return tcc.onCompleted(outcome);
        }

        public Builder<D> onCompensated(LocalOutcome<D> outcome) {
            return tcc.onCompensated(outcome);
        }

        public TransactionDefinition<D> build() {
            return tcc.build();
        }

        StepDefinition<D> definition() {
            return new StepDefinition<>(name, participant, tryAction, cancel, confirm, tryRetry, secondPhaseRetry);
        }
    }
}
