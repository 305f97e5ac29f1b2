/**
 * Client-side load balancing: which instance of a service a call goes to.
 *
 * <p>A call goes through an {@link dev.wizmesh.discovery.balancer.InstanceChooser}: the
 * {@link dev.wizmesh.discovery.balancer.InstanceFilters filters} narrow the catalog's instances
 * (status, version, metadata, zone), the {@link dev.wizmesh.discovery.balancer.OutlierDetector}
 * leaves out instances whose recent calls kept failing, and a
 * {@link dev.wizmesh.discovery.balancer.LoadBalancer} chooses one of the rest. The caller
 * completes the returned {@link dev.wizmesh.discovery.balancer.Pick}, which is how the balancer
 * and the detector learn. See {@code docs/load-balancing.md}.
 */
package dev.wizmesh.discovery.balancer;
