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

    private DropwizardTestSupport<RegistryConfiguration> startRegistry(ConfigOverride... more) throws Exception {
        List<ConfigOverride> overrides = new java.util.ArrayList<>(List.of(more));
        overrides.add(ConfigOverride.config("server.applicationConnectors[0].port", Integer.toString(port)));
        DropwizardTestSupport<RegistryConfiguration> support = new DropwizardTestSupport<>(RegistryApplication.class,
                ResourceHelpers.resourceFilePath("registry-test.yml"), overrides.toArray(ConfigOverride[]::new));
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

    /**
     * A registry that is stopping ends every watch stream (sessions included) and drains: new
     * requests get 503 until the in-flight ones finish. A catalog falls back to plain reads
     * meanwhile; neither the 503s nor the ended sessions may empty it.
     */
    @Test
    void aDrainingRegistryEmptiesNoCatalog() throws Exception {
        String registryUrl = "http://127.0.0.1:" + port;
        List<RegistryClient> clients = List.of(
                registered("drain", "d1", 7021, http(registryUrl)),
                registered("drain", "d2", 7022, http(registryUrl)));
        RegistryHttp catalogHttp = http(registryUrl);
        try (ServiceCatalog catalog = new ServiceCatalog(catalogHttp, mapper, Set.of("drain"))) {
            catalog.start();
            await(() -> catalog.instances("drain").size() == 2, Duration.ofSeconds(5));
            // kept-alive connections in the catalog's pool: new connections are refused once the
            // drain begins, but a request on one of these reaches the server and gets its 503
            for (int i = 0; i < 3; i++) {
                assertThat(catalogHttp.send("GET", "/v1/services/drain", null, Duration.ofSeconds(2)).ok()).isTrue();
            }

            // a request in flight (its body never comes) holds the drain for the whole grace (3 s)
            Thread stopper;
            try (java.net.Socket upload = new java.net.Socket("127.0.0.1", port)) {
                upload.getOutputStream().write(("POST /v1/services/drain/instances HTTP/1.1\r\nHost: x\r\n"
                        + "Authorization: Bearer test-token\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{")
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                upload.getOutputStream().flush();
                Thread.sleep(200);
                DropwizardTestSupport<RegistryConfiguration> stopping = registry;
                registry = null;
                stopper = new Thread(stopping::after, "registry-stop");
                stopper.start();
                LookupProbe probe = new LookupProbe(() -> catalog.instances("drain").size() == 2);
                await(catalog::isStale, Duration.ofSeconds(3)); // reads refused: it serves what it knew
                Thread.sleep(1_000); // past the session grace (300 ms) and a plain-read round (1 s)
                probe.close();
                assertThat(probe.failed()).as("lookups that found fewer than 2 instances while the registry drained").isZero();
            }
            stopper.join(10_000); // the upload is gone: the drain ends
        } finally {
            clients.forEach(RegistryClient::deregister);
        }
    }

    /**
     * A catalog that can only read (no stream: the registry refuses one, as behind a proxy that
     * buffers) of a registry that just restarted keeps what it knew while the registry warms up,
     * and takes the registry's word once the warm-up is over.
     */
    @Test
    void plainReadsOfARestartedRegistryDropNothingDuringItsWarmUp() throws Exception {
        String registryUrl = "http://127.0.0.1:" + port;
        RegistryHttp http = http(registryUrl);
        for (String id : List.of("w1", "w2")) {
            assertThat(http.send("POST", "/v1/services/warm/instances",
                    Map.of("id", id, "host", "127.0.0.1", "port", 7100), Duration.ofSeconds(5)).status()).isEqualTo(201);
        }
        try (ServiceCatalog catalog = new ServiceCatalog(http, mapper, Set.of("warm"))) {
            catalog.start();
            await(() -> catalog.instances("warm").size() == 2, Duration.ofSeconds(5));

            registry.after(); // the registrations die with it: nothing heartbeats them back
            // a warm-up (two heartbeat intervals) long enough to watch, whatever the catalog's back-off
            registry = startRegistry(ConfigOverride.config("registry.heartbeatInterval", "3s"),
                    ConfigOverride.config("registry.leaseTtl", "10s"));
            RegistryApplication restarted = registry.getApplication();
            restarted.watches().closeAll(); // streams refused from now on: plain reads only
            long warmUpEnds = System.nanoTime() + restarted.registry().warmUpRemainingMillis() * 1_000_000;
            await(() -> !catalog.isStale(), Duration.ofSeconds(4));
            assertThat(System.nanoTime()).as("in sync while the registry still warms up").isLessThan(warmUpEnds - 500_000_000L);

            LookupProbe probe = new LookupProbe(() -> catalog.instances("warm").size() == 2);
            while (System.nanoTime() < warmUpEnds - 100_000_000L) {
                Thread.sleep(20);
            }
            probe.close();
            assertThat(probe.failed()).as("lookups that lost an instance during the warm-up").isZero();
            // after it, the registry is right: the two never came back
            await(() -> catalog.instances("warm").isEmpty(), Duration.ofSeconds(5));
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
