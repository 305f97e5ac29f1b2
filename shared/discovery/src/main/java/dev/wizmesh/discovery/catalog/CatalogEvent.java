package dev.wizmesh.discovery.catalog;

import dev.wizmesh.discovery.ServiceInstance;
import java.util.List;

/** A change a catalog listener is told of: a service's instance list, as it is now. */
public record CatalogEvent(String service, List<ServiceInstance> instances, long index) {
}
