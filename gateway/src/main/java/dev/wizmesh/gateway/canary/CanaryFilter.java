package dev.wizmesh.gateway.canary;

import dev.wizmesh.discovery.ServiceInstance;
import dev.wizmesh.gateway.auth.Caller;
import dev.wizmesh.gateway.proxy.ProxyFilter;
import dev.wizmesh.gateway.proxy.ProxyRequest;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Canary routing in the proxy pipeline: the route's {@link CanaryRule} picks a version once per
 * request (header, user share or weights) and each attempt goes to instances of that version
 * ({@code version} in the registry). When none of that version is up, every instance stays a
 * candidate: a missing canary must not fail requests.
 */
public final class CanaryFilter implements ProxyFilter {
    private static final String VERSION = CanaryFilter.class.getName() + ".version";

    @Override
    public List<ServiceInstance> candidates(ProxyRequest request, List<ServiceInstance> instances) {
        Optional<CanaryRule> rule = request.route().canary();
        if (rule.isEmpty()) {
            return instances;
        }
        Object chosen = request.attributes().computeIfAbsent(VERSION, key -> rule.get()
                .chooseVersion(request::header, request.caller().map(Caller::userId).orElse(null),
                        () -> ThreadLocalRandom.current().nextLong())
                .map(Object.class::cast).orElse(""));
        if ("".equals(chosen)) {
            return instances;
        }
        List<ServiceInstance> ofVersion = instances.stream().filter(i -> chosen.equals(i.version())).toList();
        return ofVersion.isEmpty() ? instances : ofVersion;
    }
}
