package dev.wizmesh.registry.api;

import dev.wizmesh.platform.errors.ApiException;
import dev.wizmesh.platform.errors.ErrorCode;
import java.util.List;
import java.util.Map;

/**
 * The lease an instance gets: the registry's default TTL, or its own within the configured
 * bounds; the heartbeat interval keeps the registry's TTL-to-interval ratio (3 by default), so
 * two heartbeats may be lost before the lease lapses.
 */
public class LeasePolicy {
    private final long defaultTtlMillis;
    private final long defaultHeartbeatMillis;
    private final long minTtlMillis;
    private final long maxTtlMillis;

    public LeasePolicy(long defaultTtlMillis, long defaultHeartbeatMillis, long minTtlMillis, long maxTtlMillis) {
        this.defaultTtlMillis = defaultTtlMillis;
        this.defaultHeartbeatMillis = defaultHeartbeatMillis;
        this.minTtlMillis = minTtlMillis;
        this.maxTtlMillis = maxTtlMillis;
    }

    public long ttlMillis(Integer requestedSeconds) {
        if (requestedSeconds == null) {
            return defaultTtlMillis;
        }
        long requested = requestedSeconds * 1000L;
        if (requested < minTtlMillis || requested > maxTtlMillis) {
            String message = "must be between " + minTtlMillis / 1000 + " and " + maxTtlMillis / 1000;
            throw new ApiException(ErrorCode.VALIDATION_FAILED,
                    Map.of("count", 1, "fields", List.of(Map.of("field", "leaseTtlSeconds", "message", message))));
        }
        return requested;
    }

    public long heartbeatMillis(long ttlMillis) {
        return ttlMillis * defaultHeartbeatMillis / defaultTtlMillis;
    }
}
