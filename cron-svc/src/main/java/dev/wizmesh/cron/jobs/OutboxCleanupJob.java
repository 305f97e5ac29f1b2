package dev.wizmesh.cron.jobs;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code outbox-cleanup}: runs the {@code outbox-cleanup} admin task on every UP instance of the
 * listed services (default order-svc, product-svc, user-svc), which deletes published outbox rows
 * and processed-message records older than {@code olderThan} (ISO-8601, default {@code P7D}). A
 * system type: it acts on no tenant's data, so its jobs are system jobs ({@code systemJobs} in the YAML).
 */
public final class OutboxCleanupJob implements JobType {
    static final List<String> SERVICES = List.of("order-svc", "product-svc", "user-svc");

    private final ServiceClient services;

    public OutboxCleanupJob(ServiceClient services) {
        this.services = services;
    }

    @Override
    public String name() {
        return "outbox-cleanup";
    }

    @Override
    public boolean system() {
        return true;
    }

    @Override
    public void validate(Map<String, Object> params) {
        Params.only(params, "services", "olderThan");
        Params.strings(params, "services", SERVICES);
        retention(params);
    }

    @Override
    public String run(Fire fire) throws Exception {
        String query = "olderThan=" + URLEncoder.encode(retention(fire.params()).toString(), StandardCharsets.UTF_8);
        List<String> done = new ArrayList<>();
        for (String service : Params.strings(fire.params(), "services", SERVICES)) {
            for (ServiceClient.Reply reply : services.adminTaskOnEvery(service, "outbox-cleanup", query)) {
                if (!reply.ok()) {
                    throw new IllegalStateException(reply.summary() + (done.isEmpty() ? "" : " (done before it: " + done + ")"));
                }
                done.add(reply.summary());
            }
        }
        return String.join("; ", done);
    }

    private static Duration retention(Map<String, Object> params) {
        String raw = Params.string(params, "olderThan", "P7D");
        try {
            Duration d = Duration.parse(raw);
            if (d.compareTo(Duration.ofHours(1)) < 0) {
                throw new InvalidParamsException("'olderThan' must be at least an hour (PT1H); got " + raw);
            }
            return d;
        } catch (DateTimeParseException e) {
            throw new InvalidParamsException("'olderThan' must be an ISO-8601 duration such as P7D or PT12H; got " + raw);
        }
    }
}
