package dev.wizmesh.cron;

import dev.wizmesh.cron.api.JobResource;
import dev.wizmesh.cron.api.ReportResource;
import dev.wizmesh.cron.api.SystemJobsTask;
import dev.wizmesh.cron.core.JobCatalog;
import dev.wizmesh.cron.core.SystemJobs;
import dev.wizmesh.cron.jobs.DailySalesReportJob;
import dev.wizmesh.cron.jobs.ExpirePendingOrdersJob;
import dev.wizmesh.cron.jobs.HttpCallJob;
import dev.wizmesh.cron.jobs.JobTypes;
import dev.wizmesh.cron.jobs.OutboxCleanupJob;
import dev.wizmesh.cron.jobs.ServiceClient;
import dev.wizmesh.cron.run.CatchUpLimit;
import dev.wizmesh.cron.run.CronMetrics;
import dev.wizmesh.cron.run.FireRunner;
import dev.wizmesh.cron.run.MisfireRecorder;
import dev.wizmesh.cron.run.RunHistory;
import dev.wizmesh.cron.scheduler.ManagedScheduler;
import dev.wizmesh.cron.scheduler.SchedulerHealthCheck;
import dev.wizmesh.discovery.Discovery;
import dev.wizmesh.lock.RedisLocks;
import dev.wizmesh.persistence.Database;
import dev.wizmesh.persistence.DbCommand;
import dev.wizmesh.platform.PlatformBundle;
import io.dropwizard.core.Application;
import io.dropwizard.core.server.DefaultServerFactory;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.jetty.HttpConnectorFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.quartz.Scheduler;

/**
 * cron-svc: tenants' jobs on a Quartz scheduler clustered over PostgreSQL, so that however many
 * cron-svc instances run, each fire of each job runs on exactly one of them; the run history, the
 * job types (calls to the other services through the registry) and the job API.
 */
public class CronApplication extends Application<CronConfiguration> {
    private final PlatformBundle<CronConfiguration> platform = new PlatformBundle<>();
    private Discovery discovery;
    private Database database;
    private Scheduler scheduler;

    public static void main(String[] args) throws Exception {
        new CronApplication().run(args);
    }

    /** Where this app finds other services (and its own registration), for tests. */
    public Discovery discovery() {
        return discovery;
    }

    /** The app's database, for tests that look under the API. */
    public Database database() {
        return database;
    }

    /** The Quartz scheduler, for tests. */
    public Scheduler scheduler() {
        return scheduler;
    }

    @Override
    public String getName() {
        return "cron-svc";
    }

    @Override
    public void initialize(Bootstrap<CronConfiguration> bootstrap) {
        bootstrap.addBundle(platform);
        bootstrap.addCommand(new DbCommand<>(CronConfiguration.class));
    }

    @Override
    public void run(CronConfiguration configuration, Environment environment) throws Exception {
        discovery = configuration.getDiscovery().build(environment, platform);
        database = configuration.getDatabase().build(environment, platform, "cron");
        RedisLocks locks = configuration.getRedis() != null && configuration.isRedisEnabled()
                ? configuration.getRedis().build(environment, platform) : null;

        ServiceClient services = configuration.getJobCalls().build(discovery.instances());
        JobTypes types = new JobTypes(List.of(new HttpCallJob(services), new ExpirePendingOrdersJob(services),
                new OutboxCleanupJob(services), new DailySalesReportJob(services, database)));

        String node = nodeName(configuration);
        Clock clock = Clock.systemUTC();
        RunHistory history = new RunHistory(database, node);
        FireRunner runner = new FireRunner(types, history,
                new CatchUpLimit(configuration.getScheduler().misfireThresholdDuration()), locks,
                new CronMetrics(platform.metrics().registry()), clock);
        ManagedScheduler managed = configuration.getScheduler().build(environment, configuration.getDatabase(), node,
                (bundle, s) -> runner, new MisfireRecorder(history, clock));
        scheduler = managed.scheduler();
        environment.lifecycle().manage(runner); // stopped before the scheduler: no retry delay holds up its stop
        platform.healthChecks().critical("scheduler", new SchedulerHealthCheck(scheduler));

        JobCatalog catalog = new JobCatalog(scheduler, types, history, locks != null, clock);
        // after the scheduler (managed above): each node makes the system jobs match its YAML as it starts
        SystemJobs systemJobs = new SystemJobs(catalog, configuration.getSystemJobs().stream().map(j -> j.toSpec(null)).toList());
        environment.lifecycle().manage(systemJobs);
        environment.admin().addTask(new SystemJobsTask(systemJobs, environment.getObjectMapper()));
        environment.jersey().register(new JobResource(catalog));
        environment.jersey().register(new ReportResource(database, clock));
    }

    /**
     * This node's name in the cluster (Quartz's instance id, and the run history's node): the
     * configured one, else host and HTTP port, the same after a restart (so the restarted node
     * recovers its own interrupted runs at once). With port 0 (tests): host and a random suffix.
     */
    private static String nodeName(CronConfiguration configuration) {
        if (!configuration.getScheduler().getNode().isBlank()) {
            return configuration.getScheduler().getNode();
        }
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        if (configuration.getServerFactory() instanceof DefaultServerFactory server
                && !server.getApplicationConnectors().isEmpty()
                && server.getApplicationConnectors().get(0) instanceof HttpConnectorFactory http && http.getPort() > 0) {
            return host + ":" + http.getPort();
        }
        return host + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
