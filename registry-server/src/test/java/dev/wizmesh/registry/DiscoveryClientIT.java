package dev.wizmesh.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wizmesh.discovery.ServiceInstance;
import dev.wizmesh.discovery.catalog.CatalogEvent;
import dev.wizmesh.discovery.catalog.CatalogWatcher;
import dev.wizmesh.discovery.catalog.ServiceCatalog;
import dev.wizmesh.discovery.registry.RegistryClient;
import dev.wizmesh.discovery.registry.RegistryHttp;
import dev.wizmesh.testing.FreePorts;
import dev.wizmesh.testing.LookupProbe;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.dropwizard.testing.ResourceHelpers;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The discovery client (shared/discovery) against a real registry: registration and
 * deregistration seen by a catalog in milliseconds, failover between registry URLs, and a
 * registry restart survived with zero failed lookups and every instance back within one
 * heartbeat interval.
 */
class DiscoveryClientIT {
    private final ObjectMapper mapper = Jackson.newObjectMapper();
    private final int port = FreePorts.next();
    private DropwizardTestSupport<RegistryConfiguration> registry;

    private DropwizardTestSupport<RegistryConfiguration> startRegistry() throws Exception {
        DropwizardTestSupport<RegistryConfiguration> support = new DropwizardTestSupport<>(RegistryApplication.class,
                ResourceHelpers.resourceFilePath("registry-test.yml"),
                ConfigOverride.config("server.applicationConnectors[0].port", Integer.toString(port)));
        support.before();
        return support;
    }

    @BeforeEach
    void start() throws Exception {
        registry = startRegistry();
    }

    @AfterEach
    void stop() {
        if (registry != null) {
            registry.after();
        }
    }

    private RegistryHttp http(String... urls) {
        return new RegistryHttp(java.util.Arrays.stream(urls).map(URI::create).toList(), "test-token", mapper);
    }

    private RegistryClient registered(String service, String id, int instancePort, RegistryHttp http) {
        RegistryClient client = new RegistryClient(http, service);
        client.start(Map.of("id", id, "host", "127.0.0.1", "port", instancePort));
        return client;
    }

    private static void await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not true within " + timeout);
            }
            Thread.sleep(5);
        }
    }

    @Test
    void aCatalogSeesRegistrationsAndDeregistrationsInMilliseconds() throws Exception {
        String registryUrl = "http://127.0.0.1:" + port;
        try (ServiceCatalog catalog = new ServiceCatalog(http(registryUrl), mapper, Set.of("orders"))) {
            catalog.start();
            await(() -> !catalog.isStale(), Duration.ofSeconds(5));
            try (CatalogWatcher watcher = catalog.watch()) {
                long start = System.nanoTime();
                RegistryClient client = registered("orders", "o1", 7001, http(registryUrl));
                Optional<CatalogEvent> seen = watcher.next(Duration.ofSeconds(5));
                long tookMillis = (System.nanoTime() - start) / 1_000_000;
                assertThat(seen).isPresent();
                assertThat(seen.get().instances()).extracting(ServiceInstance::id).containsExactly("o1");
                assertThat(tookMillis).isLessThan(1_000);
                assertThat(catalog.instances("orders")).hasSize(1);

                client.deregister();
                await(() -> catalog.instances("orders").isEmpty(), Duration.ofSeconds(2));
            }
        }
    }

    @Test
    void failsOverToTheNextRegistryUrl() throws Exception {
        int dead = FreePorts.next();
        RegistryHttp http = http("http://127.0.0.1:" + dead, "http://127.0.0.1:" + port);
        RegistryClient client = registered("failover", "f1", 7002, http);
        try {
            await(client::isRegistered, Duration.ofSeconds(5));
            assertThat(http.currentRegistry().getPort()).isEqualTo(port);
            assertThat(registry.<RegistryApplication>getApplication().registry().view("failover", false).instances()).hasSize(1);
        } finally {
            client.deregister();
        }
    }

    @Test
    void registryRestartLosesNoLookupAndEveryoneIsBackWithinAHeartbeat() throws Exception {
        String registryUrl = "http://127.0.0.1:" + port;
        List<RegistryClient> clients = List.of(
                registered("restart", "r1", 7011, http(registryUrl)),
                registered("restart", "r2", 7012, http(registryUrl)),
                registered("restart", "r3", 7013, http(registryUrl)));
        try (ServiceCatalog catalog = new ServiceCatalog(http(registryUrl), mapper, Set.of("restart"))) {
            catalog.start();
            await(() -> catalog.instances("restart").size() == 3, Duration.ofSeconds(5));

            LookupProbe probe = new LookupProbe(() -> !catalog.instances("restart").isEmpty());

            registry.after();
            registry = null;
            await(catalog::isStale, Duration.ofSeconds(5));
            Thread.sleep(500);
            registry = startRegistry();
            long restarted = System.nanoTime();
            var state = registry.<RegistryApplication>getApplication().registry();
            try {
                await(() -> state.view("restart", false).instances().size() == 3, Duration.ofSeconds(5));
            } catch (AssertionError e) {
                throw new AssertionError("after the restart: " + state.view("restart", true) + " / " + state.size(), e);
            }
            long backMillis = (System.nanoTime() - restarted) / 1_000_000;
            await(() -> !catalog.isStale(), Duration.ofSeconds(5));
            probe.close();

            // heartbeat interval 500 ms, jittered up to +10 %, plus the re-registration call
            assertThat(backMillis).isLessThan(1_000);
            assertThat(probe.failed()).isZero();
            assertThat(probe.lookups()).isGreaterThan(100);
            assertThat(catalog.instances("restart")).hasSize(3);
        } finally {
            clients.forEach(RegistryClient::deregister);
        }
    }
}
