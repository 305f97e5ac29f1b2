package dev.wizmesh.order.db;

/** One currency's CONFIRMED orders of a period: how many, units sold, total in minor units. */
public record SalesRow(String currency, long orders, long units, long amountMinor) {
}
