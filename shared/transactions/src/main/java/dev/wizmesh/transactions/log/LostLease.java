package dev.wizmesh.transactions.log;

import java.util.UUID;

/**
 * This driver no longer holds the transaction's lease (it paused past the lease, and another
 * instance took over): it must stop at once, having changed nothing.
 */
public class LostLease extends RuntimeException {
    public LostLease(UUID transactionId) {
        super("lost the lease of transaction " + transactionId + " to another driver");
    }
}
