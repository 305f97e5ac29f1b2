package dev.wizmesh.gateway;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.wizmesh.discovery.DiscoveredServiceConfiguration;
import dev.wizmesh.gateway.edge.CorsFactory;
import dev.wizmesh.gateway.proxy.ProxyFactory;
import dev.wizmesh.gateway.route.RoutesFactory;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/**
 * config/gateway.yml: what every service has (server, logging, tracing, discovery) plus the
 * gateway's own blocks: {@code routes:} (where requests go), {@code proxy:} (how they are
 * sent), {@code cors:} (which browser origins may call).
 */
public class GatewayConfiguration extends DiscoveredServiceConfiguration {
    @Valid
    @NotNull
    private RoutesFactory routes = RoutesFactory.defaults();

    @Valid
    @NotNull
    private ProxyFactory proxy = new ProxyFactory();

    @Valid
    @NotNull
    private CorsFactory cors = new CorsFactory();

    @JsonProperty("routes")
    public RoutesFactory getRoutes() {
        return routes;
    }

    @JsonProperty("routes")
    public void setRoutes(RoutesFactory routes) {
        this.routes = routes;
    }

    @JsonProperty("proxy")
    public ProxyFactory getProxy() {
        return proxy;
    }

    @JsonProperty("proxy")
    public void setProxy(ProxyFactory proxy) {
        this.proxy = proxy;
    }

    @JsonProperty("cors")
    public CorsFactory getCors() {
        return cors;
    }

    @JsonProperty("cors")
    public void setCors(CorsFactory cors) {
        this.cors = cors;
    }
}
