package dev.wizmesh.messaging.retention;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wizmesh.platform.tasks.AdminTask;
import dev.wizmesh.platform.tasks.BadTaskInputException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * {@code POST /tasks/outbox-cleanup?olderThan=P7D} (admin port): deletes the app's published outbox rows and its
 * inbox's processed-message rows older than {@code olderThan}, in batches ({@link MessageRetention}), and prints
 *
 * <pre>{"outboxDeleted":12,"processedDeleted":3400,"olderThan":"PT168H","cutoff":"2026-11-17T10:00:00Z"}</pre>
 *
 * A table the app does not have (order-svc has the outbox, product-svc and user-svc the inbox) is not touched and
 * its count is {@code null}. {@code olderThan} is ISO-8601 ({@code P7D}, {@code PT36H}) or Dropwizard's form
 * ({@code 7d}, {@code 36 hours}), from {@value #MIN_HOURS} hour to {@value #MAX_DAYS} days; without it the app's
 * default applies. Anything else is a 400 {@code BAD_REQUEST} (with
 * {@link dev.wizmesh.platform.tasks.TaskErrorFilter} installed) and deletes nothing.
 *
 * <p>The floor of an hour protects the inbox: a row deleted while its message can still be redelivered lets that
 * message be handled twice. order-svc's outbox relay also deletes sent rows itself after {@code retention}; this
 * task is the sweep an operator or cron-svc runs on demand, and the only one for the inbox.
 */
public final class OutboxCleanupTask extends AdminTask {
    public static final String NAME = "outbox-cleanup";
    /** What the services pass as the default: a week, far beyond any redelivery. */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);
    static final int MIN_HOURS = 1;
    static final int MAX_DAYS = 3650;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The messaging tables an app may have. */
    public enum Table {
        /** {@code outbox}, migration module {@code outbox} (order-svc). */
        OUTBOX,
        /** {@code processed_messages}, migration module {@code inbox} (the consumers: product-svc, user-svc). */
        INBOX
    }

    private final MessageRetention retention;
    private final Set<Table> tables;
    private final Duration defaultRetention;
    private final Clock clock;

    /**
     * @param tables           the messaging tables this app has (only these are swept)
     * @param defaultRetention when the call gives no {@code olderThan}
     */
    public OutboxCleanupTask(MessageRetention retention, Set<Table> tables, Duration defaultRetention, Clock clock) {
        super(NAME, "application/json");
        this.retention = Objects.requireNonNull(retention, "retention");
        if (tables.isEmpty()) {
            throw new IllegalArgumentException("an outbox-cleanup task needs the outbox, the inbox or both");
        }
        this.tables = EnumSet.copyOf(tables);
        this.defaultRetention = requireInRange(Objects.requireNonNull(defaultRetention, "defaultRetention"), "the default retention");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    protected void run(Map<String, List<String>> parameters, PrintWriter output) throws Exception {
        for (String name : parameters.keySet()) {
            if (!name.equals("olderThan")) {
                throw new BadTaskInputException("unknown parameter '" + name + "'; the only one is olderThan");
            }
        }
        String given = single(parameters, "olderThan");
        Duration olderThan = given == null ? defaultRetention : requireInRange(parse(given), "olderThan");
        Instant cutoff = clock.instant().minus(olderThan);
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("outboxDeleted", tables.contains(Table.OUTBOX) ? retention.deleteSentOutboxRows(cutoff) : null);
        counts.put("processedDeleted", tables.contains(Table.INBOX) ? retention.deleteProcessedMessages(cutoff) : null);
        counts.put("olderThan", olderThan.toString());
        counts.put("cutoff", cutoff.toString());
        output.println(JSON.writeValueAsString(counts));
    }

    /** ISO-8601 ({@code P7D}, {@code PT12H}) or Dropwizard's duration form ({@code 7d}, {@code 12 hours}). */
    static Duration parse(String value) {
        String trimmed = value.trim();
        try {
            if (trimmed.regionMatches(true, 0, "P", 0, 1)) {
                return Duration.parse(trimmed);
            }
            return io.dropwizard.util.Duration.parse(trimmed).toJavaDuration();
        } catch (DateTimeParseException | IllegalArgumentException | ArithmeticException e) {
            throw new BadTaskInputException("olderThan must be a duration such as P7D, PT36H or 7d; got '" + value + "'");
        }
    }

    private static Duration requireInRange(Duration value, String what) {
        if (value.compareTo(Duration.ofHours(MIN_HOURS)) < 0 || value.compareTo(Duration.ofDays(MAX_DAYS)) > 0) {
            throw new BadTaskInputException(what + " must be from PT" + MIN_HOURS + "H to P" + MAX_DAYS + "D; got " + value);
        }
        return value;
    }
}
