package dev.wizmesh.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wizmesh.discovery.ServiceInstance;
import dev.wizmesh.discovery.balancer.InstanceChooser;
import dev.wizmesh.discovery.balancer.InstanceFilters;
import dev.wizmesh.discovery.balancer.OutlierDetector;
import dev.wizmesh.discovery.balancer.Pick;
import dev.wizmesh.discovery.balancer.RoundRobinBalancer;
import dev.wizmesh.discovery.catalog.ServiceCatalog;
import dev.wizmesh.discovery.registry.RegistryHttp;
import dev.wizmesh.testing.AppProcess;
import dev.wizmesh.testing.FreePorts;
import dev.wizmesh.testing.LookupProbe;
import dev.wizmesh.testing.PostgresExtension;
import dev.wizmesh.testing.PostgresServer;
import dev.wizmesh.testing.UniqueNames;
import io.dropwizard.jackson.Jackson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The registry and three instances of user-svc as separate processes, and this test as their
 * caller (a catalog plus a chooser, as the gateway will use). An instance is SIGKILLed: the
 * caller's first failed call to it ejects it, and the catalog drops it within about a second
 * (session liveness). Then the registry itself is restarted: lookups never fail meanwhile, and
 * every instance is back within one heartbeat interval.
 */
class DiscoverySystemIT {
    private static final Path ROOT = Path.of("..");
    private static final String TOKEN = "system-test-token";

    private final ObjectMapper mapper = Jackson.newObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final List<AppProcess> processes = new ArrayList<>();
    private final int registryPort = FreePorts.next();
    private final int registryAdminPort = FreePorts.next();
    private final String database = UniqueNames.next();
    private final Map<AppProcess, URI> readiness = new HashMap<>();

    @AfterEach
    void stopAll() throws Exception {
        for (AppProcess p : processes) {
            p.close();
        }
        PostgresExtension.sharedServer().dropDatabase(database);
    }

    private AppProcess startRegistry() throws Exception {
        Map<String, String> env = Map.of(
                "REGISTRY_HTTP_PORT", Integer.toString(registryPort),
                "REGISTRY_ADMIN_PORT", Integer.toString(registryAdminPort),
                "REGISTRY_TOKEN", TOKEN,
                "REGISTRY_LEASE_TTL", "6s",
                "REGISTRY_HEARTBEAT_INTERVAL", "2s");
        AppProcess registry = AppProcess.builder()
                .jar(ROOT.resolve("registry-server/target/registry-server.jar"))
                .config(ROOT.resolve("config/registry-server.yml")).command("server").env(env)
                .logFile(Path.of("target", "registry-" + System.nanoTime() + ".log")).build().start();
        processes.add(registry);
        registry.awaitHttp(URI.create("http://127.0.0.1:" + registryAdminPort + "/health-check?type=ready"), Duration.ofSeconds(60));
        return registry;
    }

    private AppProcess startUserSvc(int n) throws Exception {
        int httpPort = FreePorts.next();
        int adminPort = FreePorts.next();
        Map<String, String> env = new HashMap<>();
        env.put("USER_SVC_HTTP_PORT", Integer.toString(httpPort));
        env.put("USER_SVC_ADMIN_PORT", Integer.toString(adminPort));
        env.put("REGISTRY_URL", "http://127.0.0.1:" + registryPort);
        env.put("REGISTRY_TOKEN", TOKEN);
        // user-svc needs its database and a gRPC port of its own (three instances on one host)
        PostgresServer postgres = PostgresExtension.sharedServer();
        env.put("USER_SVC_GRPC_PORT", Integer.toString(FreePorts.next()));
        env.putAll(postgres.serviceEnvironment(database, "USER_SVC_DB_NAME"));
        env.put("JWT_SIGNING_KEY_FILE", "target/discovery-jwt.pem");
        AppProcess app = AppProcess.builder()
                .jar(ROOT.resolve("user-svc/target/user-svc.jar"))
                .config(ROOT.resolve("config/user-svc.yml")).command("server").env(env)
                .logFile(Path.of("target", "user-svc-" + n + "-" + httpPort + ".log")).build().start();
        processes.add(app);
        readiness.put(app, URI.create("http://127.0.0.1:" + adminPort + "/health-check?type=ready"));
        return app;
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

    /** One call through the chooser; any HTTP answer is a success, a refused connection a failure. */
    private ServiceInstance call(InstanceChooser chooser, ServiceCatalog catalog) throws InterruptedException {
        Optional<Pick> pick = chooser.choose(catalog.instances("user-svc"));
        assertThat(pick).as("an instance to call").isPresent();
        ServiceInstance instance = pick.get().instance();
        try {
            http.send(HttpRequest.newBuilder(instance.baseUri().resolve("/ping")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding());
            pick.get().complete(true);
        } catch (java.io.IOException e) {
            pick.get().complete(false);
        }
        return instance;
    }

    @Test
    void killedInstanceIsEjectedAndDroppedAndARegistryRestartLosesNothing() throws Exception {
        AppProcess registry = startRegistry();
        List<AppProcess> apps = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            apps.add(startUserSvc(i));
        }
        for (AppProcess app : apps) {
            app.awaitHttp(readiness.get(app), Duration.ofSeconds(90)); // fails with the log's end if one dies
        }
        RegistryHttp registryHttp = new RegistryHttp(List.of(URI.create("http://127.0.0.1:" + registryPort)), TOKEN, mapper);
        try (ServiceCatalog catalog = new ServiceCatalog(registryHttp, mapper, Set.of("user-svc"))) {
            catalog.start();
            await(() -> catalog.instances("user-svc").size() == 3, Duration.ofSeconds(90));

            // the caller ejects on the first failure here, to show that no second call goes there
            OutlierDetector outliers = new OutlierDetector(1, Duration.ofSeconds(30), Duration.ofMinutes(5), 50, System::nanoTime);
            InstanceChooser chooser = new InstanceChooser(InstanceFilters.up(), outliers, new RoundRobinBalancer());
            for (int i = 0; i < 6; i++) {
                call(chooser, catalog);
            }

            AppProcess victim = apps.get(0);
            String victimPort = Integer.toString(portOf(victim, catalog));
            long killed = System.nanoTime();
            victim.kill();

            // calls continue at once: the dead one fails at most once, then is never chosen again
            int callsToVictim = 0;
            for (int i = 0; i < 30; i++) {
                if (Integer.toString(call(chooser, catalog).port()).equals(victimPort)) {
                    callsToVictim++;
                }
            }
            assertThat(callsToVictim).isLessThanOrEqualTo(1);
            assertThat(outliers.ejectionsTotal()).isLessThanOrEqualTo(1);

            await(() -> catalog.instances("user-svc").size() == 2, Duration.ofSeconds(10));
            long droppedMillis = (System.nanoTime() - killed) / 1_000_000;
            System.out.printf("SIGKILLed instance left the catalog after %d ms%n", droppedMillis);
            assertThat(droppedMillis).isLessThan(3_000); // session probe 100 ms + grace 1 s, far below the 6 s TTL

            // the registry restarts; lookups never fail meanwhile
            LookupProbe probe = new LookupProbe(() -> !catalog.instances("user-svc").isEmpty());
            registry.stop();
            await(catalog::isStale, Duration.ofSeconds(10));
            AppProcess restarted = startRegistry();
            long back = System.nanoTime();
            await(() -> registeredCount() == 2, Duration.ofSeconds(10));
            long backMillis = (System.nanoTime() - back) / 1_000_000;
            await(() -> !catalog.isStale(), Duration.ofSeconds(10));
            probe.close();
            System.out.printf("after the registry restart every instance was back in %d ms (heartbeat 2 s); %d lookups, %d failed%n",
                    backMillis, probe.lookups(), probe.failed());
            assertThat(backMillis).isLessThan(2_200 + 1_000);
            assertThat(probe.failed()).isZero();
            assertThat(catalog.instances("user-svc")).hasSize(2);
            assertThat(restarted.isAlive()).isTrue();
        }
    }

    private int registeredCount() {
        try {
            String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + registryPort + "/v1/services/user-svc")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            return mapper.readTree(body).get("instances").size();
        } catch (Exception e) {
            return -1;
        }
    }

    /** The HTTP port the registry lists for this process (matched by its log's port in the file name). */
    private int portOf(AppProcess process, ServiceCatalog catalog) {
        String name = process.logFile().getFileName().toString();
        int port = Integer.parseInt(name.substring(name.lastIndexOf('-') + 1, name.length() - ".log".length()));
        assertThat(catalog.instances("user-svc")).extracting(ServiceInstance::port).contains(port);
        return port;
    }
}
