package dev.wizmesh.transactions;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A kind of distributed transaction ("place-order"): its steps in order, its deadline, and the
 * coordinating service's own change when it ends. Built with {@link dev.wizmesh.transactions.saga.Saga}
 * or {@link dev.wizmesh.transactions.tcc.Tcc}; the {@link TransactionCoordinator} runs it.
 *
 * @param dataType the transaction's data, kept as JSON in the log (a record of what the steps need)
 * @param timeout  past this from its start, the forward path gives up and compensates ({@code TIMEOUT})
 */
public record TransactionDefinition<D>(String name, TransactionMode mode, Class<D> dataType,
                                       List<StepDefinition<D>> steps, Duration timeout,
                                       LocalOutcome<D> onCompleted, LocalOutcome<D> onCompensated) {
    public TransactionDefinition {
        Objects.requireNonNull(name, "a transaction needs a name");
        Objects.requireNonNull(mode);
        Objects.requireNonNull(dataType);
        steps = List.copyOf(steps);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException(name + " has no steps");
        }
        Set<String> names = new HashSet<>();
        for (StepDefinition<D> step : steps) {
            if (!names.add(step.name())) {
                throw new IllegalArgumentException(name + " has two steps named " + step.name());
            }
            if (mode == TransactionMode.TCC && (step.undo() == null || step.confirm() == null)) {
                throw new IllegalArgumentException("TCC branch " + step.name() + " needs try, confirm and cancel");
            }
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException(name + " needs a positive timeout");
        }
        onCompleted = onCompleted == null ? LocalOutcome.nothing() : onCompleted;
        onCompensated = onCompensated == null ? LocalOutcome.nothing() : onCompensated;
    }
}
