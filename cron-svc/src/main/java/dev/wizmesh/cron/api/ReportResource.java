package dev.wizmesh.cron.api;

import dev.wizmesh.cron.reports.DailySales;
import dev.wizmesh.cron.reports.DailySalesDao;
import dev.wizmesh.persistence.Database;
import dev.wizmesh.platform.context.CallerChecks.Admin;
import dev.wizmesh.platform.errors.ApiException;
import dev.wizmesh.platform.errors.ErrorCode;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * What the report jobs wrote, for the tenant's admins:
 * {@code GET /api/v1/reports/daily-sales?from=2026-11-01&to=2026-11-30} (both optional: the last 30 days).
 */
@Path("/api/v1/reports")
@Produces(MediaType.APPLICATION_JSON)
public class ReportResource {
    static final int MAX_DAYS = 366;

    private final Database database;
    private final Clock clock;

    public ReportResource(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    public record DailySalesReport(LocalDate from, LocalDate to, List<DailySales> days) {
    }

    @GET
    @Path("/daily-sales")
    @Admin
    public DailySalesReport dailySales(@QueryParam("from") String from, @QueryParam("to") String to) {
        LocalDate last = to == null ? LocalDate.now(clock) : date("to", to);
        LocalDate first = from == null ? last.minusDays(30) : date("from", from);
        if (first.isAfter(last) || ChronoUnit.DAYS.between(first, last) > MAX_DAYS) {
            throw new ApiException(ErrorCode.BAD_REQUEST, Map.of("reason",
                    "from must not be after to, and the range at most " + MAX_DAYS + " days; got " + first + " to " + last));
        }
        return new DailySalesReport(first, last,
                database.tenants().inCurrentTenant(h -> h.attach(DailySalesDao.class).between(first, last)));
    }

    private static LocalDate date(String name, String raw) {
        try {
            return LocalDate.parse(raw.strip());
        } catch (DateTimeParseException e) {
            throw new ApiException(ErrorCode.BAD_REQUEST, Map.of("reason", name + " must be a date such as 2026-11-23; got '" + raw + "'"));
        }
    }
}
