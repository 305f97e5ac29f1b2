package dev.wizmesh.product.core;

import java.util.UUID;

/**
 * What a branch's forward step took from one product, as {@code stock_reservations} recorded it:
 * the Confirm and the undo move exactly these units, whatever the later call says.
 */
public record ReservedLine(UUID productId, long quantity, ReservationMode mode, ReservationState state) {
}
