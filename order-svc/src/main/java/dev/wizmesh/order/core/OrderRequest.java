package dev.wizmesh.order.core;

import dev.wizmesh.transactions.TransactionMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/** What a buyer asked for (the transaction mode: null for the configured one), and its fingerprint for the idempotency check. */
public record OrderRequest(List<Line> lines, TransactionMode mode) {
    public record Line(UUID productId, int quantity) {
    }

    /**
     * SHA-256 of the lines in the order given: the same key with the same body is the same order;
     * with any other body it is a different request, and a 409.
     */
    public String fingerprint() {
        StringBuilder canonical = new StringBuilder();
        for (Line line : lines) {
            canonical.append(line.productId()).append('x').append(line.quantity()).append(';');
        }
        if (mode != null) {
            canonical.append("mode=").append(mode); // the same key with another mode is another request
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always there", e);
        }
    }
}
