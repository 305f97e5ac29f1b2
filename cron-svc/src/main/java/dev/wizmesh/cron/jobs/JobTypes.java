package dev.wizmesh.cron.jobs;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The job types this cron-svc can run, by name. */
public final class JobTypes {
    private final Map<String, JobType> byName = new TreeMap<>();

    public JobTypes(Collection<JobType> types) {
        for (JobType type : types) {
            if (byName.put(type.name(), type) != null) {
                throw new IllegalArgumentException("two job types are named " + type.name());
            }
        }
    }

    public Optional<JobType> find(String name) {
        return Optional.ofNullable(name == null ? null : byName.get(name));
    }

    public java.util.Set<String> names() {
        return byName.keySet();
    }
}
