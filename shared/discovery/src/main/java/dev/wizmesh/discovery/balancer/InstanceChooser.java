package dev.wizmesh.discovery.balancer;

import dev.wizmesh.discovery.ServiceInstance;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a call finds its instance: filters, then outlier ejection, then the balancer. Build one
 * per upstream service (and per set of filters) and share it between threads.
 *
 * <pre>{@code
 * InstanceChooser products = new InstanceChooser(
 *         InstanceFilters.up().andThen(InstanceFilters.preferZone(myZone)),
 *         config.getOutlierDetection().build(),
 *         config.getLoadBalancer().build());
 *
 * Optional<Pick> chosen = products.choose(catalog.instances("product-svc"));
 * if (chosen.isEmpty()) {
 *     throw new ApiException(ErrorCode.DEPENDENCY_UNAVAILABLE, Map.of("dependency", "product-svc"));
 * }
 * try (Pick pick = chosen.get()) {
 *     Response response = send(pick.instance().baseUri());
 *     pick.complete(response.getStatus() < 500);
 * }
 * }</pre>
 *
 * Completing the pick feeds both the balancer (in-flight counts, latency) and the detector
 * (consecutive failures).
 */
public final class InstanceChooser {
    private final InstanceFilter filter;
    private final OutlierDetector outliers;
    private final LoadBalancer balancer;

    public InstanceChooser(InstanceFilter filter, OutlierDetector outliers, LoadBalancer balancer) {
        this.filter = Objects.requireNonNull(filter, "filter");
        this.outliers = Objects.requireNonNull(outliers, "outliers");
        this.balancer = Objects.requireNonNull(balancer, "balancer");
    }

    /**
     * An instance for one call, from the service's current instances.
     *
     * @return empty when no instance is eligible: none registered, none passing the filters, or
     *         none left after ejection; the caller answers 503
     */
    public Optional<Pick> choose(List<ServiceInstance> instances) {
        List<ServiceInstance> eligible = outliers.filter(filter.filter(instances));
        return balancer.pick(eligible)
                .map(pick -> pick.andThen((latency, success) -> outliers.record(pick.instance(), success)));
    }
}
