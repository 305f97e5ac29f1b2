package dev.wizmesh.cron.scheduler;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.wizmesh.persistence.DatabaseFactory;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.util.Properties;
import org.quartz.JobListener;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.TriggerListener;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.spi.JobFactory;
import org.quartz.utils.DBConnectionManager;

/**
 * The {@code scheduler:} block of cron-svc's YAML: a Quartz scheduler with the JDBC JobStore on
 * the service's PostgreSQL database, in cluster mode. Every cron-svc with the same
 * {@code clusterName} and database is one cluster: they share the jobs, and each fire is taken by
 * exactly one of them (under a row lock in {@code qrtz_locks}).
 *
 * <pre>
 * scheduler:
 *   clusterName: wizmesh-cron
 *   node: ""                  # this node's name in the cluster; empty: host:httpPort
 *   threads: 8                # runs at once on this node
 *   checkinInterval: 5s       # how often a node says it is alive; a silent node's runs are recovered after ~this + 7.5 s
 *   idleWaitTime: 1s          # how often an idle node looks at the schedule: a job changed on another node takes effect here within this
 *   misfireThreshold: 5s      # a fire later than this is missed, and the job's misfire policy decides
 * </pre>
 */
public class SchedulerFactory {
    @NotBlank
    private String clusterName = "wizmesh-cron";

    @NotNull
    private String node = "";

    @Min(1)
    @Max(100)
    private int threads = 8;

    @NotNull
    private Duration checkinInterval = Duration.seconds(5);

    /** Quartz refuses less than a second. */
    @NotNull
    @MinDuration(value = 1, unit = java.util.concurrent.TimeUnit.SECONDS)
    private Duration idleWaitTime = Duration.seconds(1);

    @NotNull
    private Duration misfireThreshold = Duration.seconds(5);

    /**
     * Builds the scheduler (not started: the returned {@link ManagedScheduler} starts it with the
     * app) on a connection pool of its own from the {@code database} block's settings.
     */
    public ManagedScheduler build(Environment environment, DatabaseFactory database, String nodeName, JobFactory jobs,
                                  TriggerListener misfires) throws SchedulerException {
        DataSourceFactory poolSettings = database.pool();
        // each worker holds a connection while it records; the scheduler thread and the cluster
        // manager need their own, and a few spare keep the API from waiting behind them
        poolSettings.setMaxSize(threads + 4);
        poolSettings.setMinSize(2);
        poolSettings.setInitialSize(2);
        ManagedDataSource pool = poolSettings.build(environment.metrics(), "quartz");
        environment.lifecycle().manage(pool);

        // Quartz finds its connections by a name in a JVM-wide table: one name per scheduler
        String dataSourceName = "wizmesh-cron-" + java.util.UUID.randomUUID();
        DBConnectionManager.getInstance().addConnectionProvider(dataSourceName, new PoolConnectionProvider(pool));

        Scheduler scheduler = new StdSchedulerFactory(properties(nodeName, dataSourceName)).getScheduler();
        scheduler.setJobFactory(jobs);
        scheduler.getListenerManager().addTriggerListener(misfires);
        ManagedScheduler managed = new ManagedScheduler(scheduler);
        environment.lifecycle().manage(managed);
        return managed;
    }

    Properties properties(String nodeName, String dataSourceName) {
        Properties p = new Properties();
        p.setProperty("org.quartz.scheduler.instanceName", clusterName);
        p.setProperty("org.quartz.scheduler.instanceId", nodeName);
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        p.setProperty("org.quartz.scheduler.idleWaitTime", Long.toString(idleWaitTime.toMilliseconds()));
        p.setProperty("org.quartz.threadPool.class", "org.quartz.simpl.SimpleThreadPool");
        p.setProperty("org.quartz.threadPool.threadCount", Integer.toString(threads));
        p.setProperty("org.quartz.threadPool.threadNamePrefix", "cron-worker");
        p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        p.setProperty("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
        p.setProperty("org.quartz.jobStore.dataSource", dataSourceName);
        p.setProperty("org.quartz.jobStore.tablePrefix", "qrtz_");
        p.setProperty("org.quartz.jobStore.isClustered", "true");
        p.setProperty("org.quartz.jobStore.clusterCheckinInterval", Long.toString(checkinInterval.toMilliseconds()));
        p.setProperty("org.quartz.jobStore.misfireThreshold", Long.toString(misfireThreshold.toMilliseconds()));
        // job data as strings only: no Java serialization in the database
        p.setProperty("org.quartz.jobStore.useProperties", "true");
        // take triggers under the row lock, so two nodes never acquire the same one
        p.setProperty("org.quartz.jobStore.acquireTriggersWithinLock", "true");
        return p;
    }

    public java.time.Duration misfireThresholdDuration() {
        return java.time.Duration.ofMillis(misfireThreshold.toMilliseconds());
    }

    @JsonProperty
    public String getClusterName() {
        return clusterName;
    }

    @JsonProperty
    public void setClusterName(String clusterName) {
        this.clusterName = clusterName;
    }

    @JsonProperty
    public String getNode() {
        return node;
    }

    @JsonProperty
    public void setNode(String node) {
        this.node = node == null ? "" : node;
    }

    @JsonProperty
    public int getThreads() {
        return threads;
    }

    @JsonProperty
    public void setThreads(int threads) {
        this.threads = threads;
    }

    @JsonProperty
    public Duration getCheckinInterval() {
        return checkinInterval;
    }

    @JsonProperty
    public void setCheckinInterval(Duration checkinInterval) {
        this.checkinInterval = checkinInterval;
    }

    @JsonProperty
    public Duration getIdleWaitTime() {
        return idleWaitTime;
    }

    @JsonProperty
    public void setIdleWaitTime(Duration idleWaitTime) {
        this.idleWaitTime = idleWaitTime;
    }

    @JsonProperty
    public Duration getMisfireThreshold() {
        return misfireThreshold;
    }

    @JsonProperty
    public void setMisfireThreshold(Duration misfireThreshold) {
        this.misfireThreshold = misfireThreshold;
    }
}
