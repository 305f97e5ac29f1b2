package dev.wizmesh.product.core;

/** A partial update: each null field is left as it is. */
public record ProductChanges(String name, String description, Long priceCents, String currency) {
    public boolean isEmpty() {
        return name == null && description == null && priceCents == null && currency == null;
    }
}
