package dev.wizmesh.order.core;

import dev.wizmesh.order.db.OrderDao;
import dev.wizmesh.order.db.SalesRow;
import dev.wizmesh.persistence.Database;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A tenant's sales of one UTC day: its CONFIRMED orders whose confirmation falls in that day. An order is confirmed
 * by the settling UPDATE that ends its placement transaction, which also sets {@code updated_at}; CONFIRMED is
 * final, so nothing moves that time later, and it is the confirmation time (the schema has no separate
 * {@code confirmed_at}). An order placed late on the 22nd and confirmed after midnight counts for the 23rd.
 */
public final class SalesReport {
    private final Database database;

    public SalesReport(Database database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    /** One currency's part of the day. */
    public record CurrencySales(String currency, long orders, long units, long amountMinor) {
    }

    /**
     * The day's figures. {@code orders} and {@code units} count every currency; {@code amountMinor} and
     * {@code currency} are the day's total and its currency when the day has at most one currency (0 and null on a
     * day without sales); on a day with several they are null (minor units of different currencies do not add up)
     * and {@code totals} has each.
     */
    public record DailySales(String date, long orders, long units, Long amountMinor, String currency,
                             List<CurrencySales> totals) {
    }

    public DailySales of(UUID tenantId, LocalDate day) {
        Instant from = day.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant to = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        List<SalesRow> rows = database.tenants().inTenant(tenantId, h -> h.attach(OrderDao.class).confirmedBetween(from, to));
        List<CurrencySales> totals = rows.stream()
                .map(r -> new CurrencySales(r.currency(), r.orders(), r.units(), r.amountMinor())).toList();
        long orders = rows.stream().mapToLong(SalesRow::orders).sum();
        long units = rows.stream().mapToLong(SalesRow::units).sum();
        Long amount = rows.size() > 1 ? null : rows.stream().mapToLong(SalesRow::amountMinor).sum();
        String currency = rows.size() == 1 ? rows.get(0).currency() : null;
        return new DailySales(day.toString(), orders, units, amount, currency, totals);
    }
}
