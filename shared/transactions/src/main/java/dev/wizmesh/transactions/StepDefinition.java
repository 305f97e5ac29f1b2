package dev.wizmesh.transactions;

import java.util.Objects;
import java.util.Optional;

/**
 * One step of a transaction: its forward call (a saga action or a TCC Try), the call that undoes
 * it (compensation or Cancel; none for a step that changes nothing, or a saga's last step), and
 * for TCC the Confirm. Each phase has its own retry policy.
 */
public record StepDefinition<D>(String name, String participant, StepAction<D> forward, StepAction<D> undo,
                                StepAction<D> confirm, RetryPolicy forwardRetry, RetryPolicy undoRetry) {
    public StepDefinition {
        Objects.requireNonNull(name, "a step needs a name");
        Objects.requireNonNull(participant, "step " + name + " needs a participant");
        Objects.requireNonNull(forward, "step " + name + " needs an action");
        Objects.requireNonNull(forwardRetry, "step " + name + " needs a retry policy");
        Objects.requireNonNull(undoRetry, "step " + name + " needs a retry policy for its undo");
    }

    public Optional<StepAction<D>> undoAction() {
        return Optional.ofNullable(undo);
    }

    public Optional<StepAction<D>> confirmAction() {
        return Optional.ofNullable(confirm);
    }
}
