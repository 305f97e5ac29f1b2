package dev.wizmesh.discovery;

import com.codahale.metrics.health.HealthCheck;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.wizmesh.discovery.catalog.InstanceSource;
import dev.wizmesh.discovery.catalog.ServiceCatalog;
import dev.wizmesh.discovery.catalog.StaticInstances;
import dev.wizmesh.discovery.registry.RegistryClient;
import dev.wizmesh.discovery.registry.RegistryHttp;
import dev.wizmesh.platform.PlatformBundle;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.Managed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.IntSupplier;

/**
 * The {@code discovery:} block of a service's YAML.
 *
 * <pre>
 * discovery:
 *   mode: registry                 # registry | static
 *   registries: [http://127.0.0.1:8761, http://127.0.0.1:8771]   # failed over in order
 *   token: ${REGISTRY_TOKEN:-wizmesh-dev-token}
 *   register: true                 # register this app (false: only look others up)
 *   advertisedHost: 127.0.0.1      # the address others reach this app on
 *   version: 1.0.0
 *   zone: local
 *   weight: 1
 *   metadata: {}
 *   follow: [product-svc]          # services to keep in the catalog; empty: all
 *   static:                        # mode: static; ?grpc= names the gRPC port
 *     product-svc: ["127.0.0.1:8120?grpc=9120"]
 * </pre>
 */
public class DiscoveryFactory {
    public enum Mode { REGISTRY, STATIC }

    @NotNull
    @JsonProperty
    public Mode mode = Mode.REGISTRY;

    @NotNull
    @JsonProperty
    public List<URI> registries = List.of(URI.create("http://127.0.0.1:8761"));

    @JsonProperty
    public String token;

    @JsonProperty
    public boolean register = true;

    @NotNull
    @JsonProperty
    public String advertisedHost = "127.0.0.1";

    @JsonProperty
    public String version = "1.0.0";

    @JsonProperty
    public String zone;

    @Min(1)
    @Max(1000)
    @JsonProperty
    public int weight = 1;

    @NotNull
    @JsonProperty
    public Map<String, String> metadata = Map.of();

    @NotNull
    @JsonProperty
    public Set<String> follow = Set.of();

    @NotNull
    @JsonProperty("static")
    public Map<String, List<String>> staticInstances = Map.of();

    /**
     * Wires discovery into the app: the catalog starts with the app; the app registers once its
     * ports are bound (so port 0 works) and deregisters as soon as shutdown begins, before the
     * server stops taking requests.
     */
    public Discovery build(Environment environment, PlatformBundle<?> platform) {
        return build(environment, platform, null);
    }

    /**
     * As {@link #build(Environment, PlatformBundle)}, for an app that also serves gRPC: the
     * registration carries {@code grpcPort}, read from {@code grpcPort} when the registration is
     * made, after Jetty has started, and so after every managed object (the gRPC server among
     * them) has started and bound its real port (port 0 works).
     */
    public Discovery build(Environment environment, PlatformBundle<?> platform, IntSupplier grpcPort) {
        if (mode == Mode.STATIC) {
            return new Discovery(new StaticInstances(staticInstances), null);
        }
        RegistryHttp http = new RegistryHttp(registries, token, environment.getObjectMapper());
        ServiceCatalog catalog = new ServiceCatalog(http, environment.getObjectMapper(), follow);
        environment.lifecycle().manage(new Managed() {
            @Override
            public void start() {
                catalog.start();
            }

            @Override
            public void stop() {
                catalog.close();
            }
        });
        platform.healthChecks().nonCritical("registry", new HealthCheck() {
            @Override
            protected Result check() {
                return catalog.isStale()
                        ? Result.unhealthy("registry unreachable: serving the instances last seen")
                        : Result.healthy("catalog in sync");
            }
        });
        RegistryClient client = null;
        if (register) {
            String service = environment.getName();
            // one id for the life of the process: re-registrations after a registry restart reuse it
            String id = service + "-" + UUID.randomUUID().toString().substring(0, 8);
            RegistryClient registryClient = new RegistryClient(http, service);
            client = registryClient;
            environment.lifecycle().addServerLifecycleListener(server -> {
                Map<String, Object> body = registration(id, server, grpcPort);
                registryClient.start(body);
            });
            platform.shutdownState().onStopping(registryClient::deregister);
        }
        return new Discovery(catalog, client);
    }

    private Map<String, Object> registration(String id, org.eclipse.jetty.server.Server server, IntSupplier grpcPort) {
        int httpPort = ServerPorts.application(server);
        int adminPort = ServerPorts.admin(server);
        Map<String, String> meta = new LinkedHashMap<>(metadata);
        meta.put("adminPort", Integer.toString(adminPort));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        body.put("host", advertisedHost);
        body.put("port", httpPort);
        if (grpcPort != null) {
            body.put("grpcPort", grpcPort.getAsInt());
        }
        body.put("version", version);
        body.put("zone", zone);
        body.put("weight", weight);
        body.put("metadata", meta);
        return body;
    }

}
