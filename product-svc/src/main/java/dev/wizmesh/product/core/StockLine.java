package dev.wizmesh.product.core;

import java.util.Comparator;
import java.util.UUID;

/** Units of one product that a branch asks to reserve (a request's line, after merging). */
public record StockLine(UUID productId, long quantity) {
    /**
     * The order in which every reservation step locks product rows, so that two transactions
     * never wait on each other in a cycle. It is PostgreSQL's {@code ORDER BY id} on a uuid
     * (unsigned, byte by byte), which is the order of the lowercase canonical strings;
     * {@link UUID#compareTo} compares signed longs and would disagree with it.
     */
    public static final Comparator<UUID> LOCK_ORDER = Comparator.comparing(UUID::toString);
}
