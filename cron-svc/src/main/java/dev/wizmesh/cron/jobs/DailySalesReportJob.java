package dev.wizmesh.cron.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wizmesh.cron.reports.DailySalesDao;
import dev.wizmesh.persistence.Database;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code report-daily-sales}: the tenant's confirmed orders of the day before the fire (in the
 * job's time zone... as order-svc counts days in UTC, a job meant for "yesterday" should run in
 * UTC), fetched from order-svc ({@code GET /api/v1/orders/sales?date=}) and kept per day and
 * currency in cron-svc's {@code daily_sales}, readable at {@code GET /api/v1/reports/daily-sales}.
 * {@code daysAgo} (default 1) picks another day. A re-run of the fire rewrites the same rows.
 */
public final class DailySalesReportJob implements JobType {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ServiceClient services;
    private final Database database;

    public DailySalesReportJob(ServiceClient services, Database database) {
        this.services = services;
        this.database = database;
    }

    @Override
    public String name() {
        return "report-daily-sales";
    }

    @Override
    public void validate(Map<String, Object> params) {
        Params.only(params, "daysAgo");
        Params.integer(params, "daysAgo", 1, 0, 366);
    }

    @Override
    public String run(Fire fire) throws Exception {
        LocalDate day = fire.scheduledAt().atZone(ZoneId.of(fire.timeZone())).toLocalDate()
                .minusDays(Params.integer(fire.params(), "daysAgo", 1, 0, 366));
        ServiceClient.Reply reply = services.call(fire, ExpirePendingOrdersJob.ORDER_SVC, "GET",
                "/api/v1/orders/sales?date=" + day, null).orFail();
        List<Total> totals = totals(JSON.readTree(reply.body()));
        database.tenants().inTenant(fire.tenantId(), h -> {
            DailySalesDao report = h.attach(DailySalesDao.class);
            for (Total t : totals) {
                report.upsert(day, t.currency, t.orders, t.units, t.amountMinor, fire.fireId());
            }
            return null;
        });
        return day + ": " + (totals.isEmpty() ? "no confirmed orders" : totals.toString());
    }

    private record Total(String currency, int orders, long units, long amountMinor) {
        @Override
        public String toString() {
            return orders + " orders, " + units + " units, " + amountMinor + " " + currency;
        }
    }

    /** order-svc's answer: a {@code totals} list per currency. */
    private static List<Total> totals(JsonNode body) {
        List<Total> out = new ArrayList<>();
        for (JsonNode t : body.path("totals")) {
            out.add(new Total(t.path("currency").asText(), t.path("orders").asInt(), t.path("units").asLong(),
                    t.path("amountMinor").asLong()));
        }
        return out;
    }
}
