package dev.wizmesh.cron.reports;

import java.time.Instant;
import java.time.LocalDate;

/** One day's confirmed orders of a tenant in one currency, as the report job computed them. */
public record DailySales(LocalDate day, String currency, int orders, long units, long amountMinor, String fireId,
                         Instant computedAt) {
}
