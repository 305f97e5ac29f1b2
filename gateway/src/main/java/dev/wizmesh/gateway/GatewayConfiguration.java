package dev.wizmesh.gateway;

import dev.wizmesh.gateway.auth.JwtAuthFactory;
import dev.wizmesh.gateway.ratelimit.RateLimitFactory;
import dev.wizmesh.gateway.resilience.CircuitBreakerFactory;
import dev.wizmesh.gateway.resilience.RetriesFactory;
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
 * sent), {@code cors:} (which browser origins may call), {@code auth:} (which tokens are valid),
 * {@code rateLimits:}, {@code circuitBreakers:} and {@code retries:}.
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

    @Valid
    @NotNull
    private JwtAuthFactory auth = new JwtAuthFactory();

    @Valid
    @NotNull
    private RateLimitFactory rateLimits = new RateLimitFactory();

    @Valid
    @NotNull
    private CircuitBreakerFactory circuitBreakers = new CircuitBreakerFactory();

    @Valid
    @NotNull
    private RetriesFactory retries = new RetriesFactory();

    @JsonProperty("auth")
    public JwtAuthFactory getAuth() {
        return auth;
    }

    @JsonProperty("auth")
    public void setAuth(JwtAuthFactory auth) {
        this.auth = auth;
    }

    @JsonProperty("rateLimits")
    public RateLimitFactory getRateLimits() {
        return rateLimits;
    }

    @JsonProperty("rateLimits")
    public void setRateLimits(RateLimitFactory rateLimits) {
        this.rateLimits = rateLimits;
    }

    @JsonProperty("circuitBreakers")
    public CircuitBreakerFactory getCircuitBreakers() {
        return circuitBreakers;
    }

    @JsonProperty("circuitBreakers")
    public void setCircuitBreakers(CircuitBreakerFactory circuitBreakers) {
        this.circuitBreakers = circuitBreakers;
    }

    @JsonProperty("retries")
    public RetriesFactory getRetries() {
        return retries;
    }

    @JsonProperty("retries")
    public void setRetries(RetriesFactory retries) {
        this.retries = retries;
    }

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
