package dev.wizmesh.cron.core;

import dev.wizmesh.platform.errors.ApiException;
import dev.wizmesh.platform.errors.ErrorCode;
import io.dropwizard.lifecycle.Managed;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jobs of the system itself, for no tenant (the outboxes' cleanup): defined in cron-svc's YAML
 * ({@code systemJobs}), kept in Quartz and the run history like any job, under a tenant id of their
 * own that no tenant has ({@link #TENANT}, the nil UUID), so no tenant's admin sees or changes them.
 * Operators see them, and run them by hand, with the admin task {@code system-jobs}.
 *
 * <p>At every start each node makes Quartz's copy match its YAML: it creates what is missing,
 * replaces what differs and removes what the YAML no longer names. Nodes starting together may
 * race; each step is idempotent (the loser of a create finds the job there).
 */
public final class SystemJobs implements Managed {
    /** The "tenant" of system jobs: no real tenant's id (those are random UUIDs). */
    public static final UUID TENANT = new UUID(0, 0);
    private static final Logger LOG = LoggerFactory.getLogger(SystemJobs.class);

    private final JobCatalog catalog;
    private final List<JobSpec> configured;

    public SystemJobs(JobCatalog catalog, List<JobSpec> configured) {
        this.catalog = catalog;
        this.configured = List.copyOf(configured);
    }

    @Override
    public void start() {
        reconcile();
    }

    /** Quartz's system jobs made to match the YAML. */
    public void reconcile() {
        Map<String, JobView> stored = catalog.list(TENANT).stream().collect(Collectors.toMap(JobView::name, Function.identity()));
        for (JobSpec spec : configured) {
            JobView now = stored.remove(spec.name());
            if (now == null) {
                try {
                    catalog.create(TENANT, spec, null, true);
                    LOG.info("system job {} created: {} at '{}'", spec.name(), spec.type(), spec.cron());
                } catch (ApiException e) {
                    if (e.code() != ErrorCode.JOB_ALREADY_EXISTS) {
                        throw e;
                    }
                    // another node created it a moment ago, from the same YAML
                }
            } else if (!now.definition().equals(spec)) {
                catalog.replace(TENANT, spec, true);
                LOG.info("system job {} changed to {} at '{}'", spec.name(), spec.type(), spec.cron());
            }
        }
        for (String gone : stored.keySet()) {
            try {
                catalog.delete(TENANT, gone);
                LOG.info("system job {} removed: the YAML no longer names it", gone);
            } catch (ApiException alreadyGone) {
                // another node removed it
            }
        }
    }

    public List<JobView> list() {
        return catalog.list(TENANT);
    }

    public List<dev.wizmesh.cron.db.JobRunRow> runs(String name, int limit) {
        return catalog.runs(TENANT, name, limit);
    }

    public JobView trigger(String name) {
        return catalog.trigger(TENANT, name);
    }
}
