package dev.wizmesh.transactions;

/**
 * A participant's definitive "no" (out of stock, insufficient funds): retrying cannot change it,
 * so the transaction compensates at once, and {@link #reason()} becomes its failure code. Any
 * other exception from a step is taken as transient and retried by the step's policy.
 */
public class StepRejected extends RuntimeException {
    private final String reason;

    public StepRejected(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    /** A code for why, e.g. {@code OUT_OF_STOCK}; the transaction's failure code. */
    public String reason() {
        return reason;
    }
}
