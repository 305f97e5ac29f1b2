package dev.wizmesh.cron.reports;

import java.time.LocalDate;
import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The daily sales report's rows (tenant-scoped: run inside the tenant's transaction). */
@RegisterConstructorMapper(DailySales.class)
public interface DailySalesDao {
    /** A re-run for the same day rewrites the day's row: the report is idempotent per day and currency. */
    @SqlUpdate("""
            INSERT INTO daily_sales (tenant_id, day, currency, orders, units, amount_minor, fire_id, computed_at)
            VALUES (app_current_tenant(), :day, :currency, :orders, :units, :amountMinor, :fireId, now())
            ON CONFLICT (tenant_id, day, currency) DO UPDATE
               SET orders = excluded.orders, units = excluded.units, amount_minor = excluded.amount_minor,
                   fire_id = excluded.fire_id, computed_at = excluded.computed_at""")
    void upsert(@Bind("day") LocalDate day, @Bind("currency") String currency, @Bind("orders") int orders,
                @Bind("units") long units, @Bind("amountMinor") long amountMinor, @Bind("fireId") String fireId);

    @SqlQuery("""
            SELECT day, currency, orders, units, amount_minor, fire_id, computed_at FROM daily_sales
             WHERE day BETWEEN :from AND :to ORDER BY day DESC, currency""")
    List<DailySales> between(@Bind("from") LocalDate from, @Bind("to") LocalDate to);

}
