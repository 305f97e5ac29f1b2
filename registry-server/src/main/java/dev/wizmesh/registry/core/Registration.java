package dev.wizmesh.registry.core;

import dev.wizmesh.discovery.ServiceInstance;

/**
 * An instance as the registry holds it: what it registered, its lease, its optional active
 * health check, and whether its client still holds a watch session open. Immutable: every
 * change makes a new one, so readers never see half an update.
 *
 * @param leaseTtlMillis      how long the lease lasts without a heartbeat
 * @param lastRenewalMillis   when the lease was last renewed (registry clock)
 * @param sessionLostAtMillis when its client's watch session closed without a deregister, or -1
 */
public record Registration(
        ServiceInstance instance,
        HealthCheckSpec healthCheck,
        long leaseTtlMillis,
        long lastRenewalMillis,
        long registeredAtMillis,
        long sessionLostAtMillis) {

    public boolean leaseLapsed(long now) {
        return now - lastRenewalMillis > leaseTtlMillis;
    }

    public Registration renewed(long now) {
        return new Registration(instance, healthCheck, leaseTtlMillis, now, registeredAtMillis, sessionLostAtMillis);
    }

    public boolean sessionLost() {
        return sessionLostAtMillis >= 0;
    }

    public Registration withInstance(ServiceInstance newInstance) {
        return new Registration(newInstance, healthCheck, leaseTtlMillis, lastRenewalMillis, registeredAtMillis, sessionLostAtMillis);
    }

    public Registration withSessionLostAt(long at) {
        return new Registration(instance, healthCheck, leaseTtlMillis, lastRenewalMillis, registeredAtMillis, at);
    }
}
