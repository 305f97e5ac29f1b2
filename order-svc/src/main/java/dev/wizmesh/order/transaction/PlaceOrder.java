package dev.wizmesh.order.transaction;

import java.util.List;
import java.util.UUID;

/**
 * What placing one order needs from its participants, kept as JSON in the transaction log (so a
 * run resumed after a crash has it all without the request that started it).
 *
 * @param requestId the placing request's id: every participant call carries it, so one order's
 *                  calls can be found in every service's log
 */
public record PlaceOrder(UUID orderId, UUID buyerId, String requestId, long totalCents, String currency, List<Line> lines) {
    public record Line(UUID productId, int quantity) {
    }
}
