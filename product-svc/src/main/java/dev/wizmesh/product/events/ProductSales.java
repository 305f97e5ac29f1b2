package dev.wizmesh.product.events;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wizmesh.messaging.consumer.MessageHandler;
import dev.wizmesh.messaging.event.Event;
import dev.wizmesh.product.db.ProductDao;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each product's {@code sold} counter from order-svc's {@code order.confirmed} events: every line's
 * quantity is added to its product. Runs in the consumer's transaction of the event's tenant, the one that also
 * records the event as processed ({@code processed_messages}), so a redelivered event adds nothing.
 *
 * <p>An event without lines, or with a line that is not {@code {"productId": <uuid>, "quantity": > 0}}, is
 * refused (an exception): the consumer retries it and then dead-letters it, where an operator can look at it.
 * A product this tenant does not have (deleted for good, never existed) is skipped with a warning.
 */
public final class ProductSales implements MessageHandler {
    /** The queue product-svc consumes order events from, and what it binds it to. */
    public static final String QUEUE = "product-svc.order-events";
    public static final String BINDING = "order.confirmed";

    private static final Logger LOG = LoggerFactory.getLogger(ProductSales.class);

    @Override
    public void handle(Handle h, Event event) {
        JsonNode lines = event.data().path("lines");
        if (!lines.isArray() || lines.isEmpty()) {
            throw new IllegalArgumentException("order.confirmed " + event.id() + " has no lines");
        }
        // one update per product, in product-id order: the order in which stock reservations lock products
        // (ProductDao.lockInIdOrder), so this transaction and a reservation never wait for each other in a cycle
        // (in the event's line order they could deadlock, and the event would be retried). PostgreSQL orders
        // uuids by their bytes, unsigned, as their canonical text sorts; UUID.compareTo (signed) does not.
        Map<UUID, Long> quantities = new TreeMap<>(Comparator.comparing(UUID::toString));
        for (JsonNode line : lines) {
            UUID productId = productId(event, line);
            long quantity = line.path("quantity").asLong(0);
            if (quantity <= 0) {
                throw new IllegalArgumentException("order.confirmed " + event.id() + " has a line without a positive quantity: " + line);
            }
            quantities.merge(productId, quantity, Long::sum);
        }
        ProductDao products = h.attach(ProductDao.class);
        quantities.forEach((productId, quantity) -> {
            if (products.addSold(productId, quantity) == 0) {
                LOG.warn("order.confirmed {} names product {}, which tenant {} does not have; not counted", event.id(), productId,
                        event.tenantId());
            }
        });
    }

    private static UUID productId(Event event, JsonNode line) {
        try {
            return UUID.fromString(line.path("productId").asText(""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("order.confirmed " + event.id() + " has a line without a productId UUID: " + line, e);
        }
    }
}
