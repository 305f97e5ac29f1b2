package dev.wizmesh.discovery.balancer;

import dev.wizmesh.discovery.ServiceInstance;
import java.util.List;
import java.util.Optional;

/**
 * Chooses one instance for one call, and learns from how the call went.
 *
 * <p>The candidates are passed on every call rather than held by the balancer, because the
 * catalog changes under us (instances come and go) and because each call may see a different,
 * filtered subset. Balancers keep only what they learn about instances, keyed by instance id.
 *
 * <p>The {@link Pick} is the other half of the contract: load- and latency-aware balancers count
 * it as in flight until it is completed, so the caller must complete it exactly once. Closing it
 * completes it as a failure if the caller did not, so try-with-resources makes forgetting
 * impossible:
 *
 * <pre>{@code
 * Optional<Pick> chosen = balancer.pick(instances);
 * if (chosen.isEmpty()) {
 *     throw new ApiException(ErrorCode.DEPENDENCY_UNAVAILABLE, Map.of("dependency", "product-svc"));
 * }
 * try (Pick pick = chosen.get()) {
 *     Response response = send(pick.instance().baseUri());
 *     pick.complete(response.getStatus() < 500);   // latency: measured since the pick
 * }                                                // an exception above completes it as a failure
 * }</pre>
 *
 * <p>Implementations are thread-safe: one balancer serves every call to one service.
 */
public interface LoadBalancer {

    /**
     * Chooses one of {@code candidates} for a call.
     *
     * @param candidates the instances the call may go to; not modified
     * @return the pick to call and then complete, or empty when there are no candidates
     */
    Optional<Pick> pick(List<ServiceInstance> candidates);
}
