package dev.wizmesh.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The deployment files under {@code docker/} (compose, Kubernetes, Prometheus, Grafana, the
 * Dockerfile and its probe) against the code and the YAML they deploy: every app module is
 * deployed, with the ports, environment variable names and health paths its
 * {@code config/<app>.yml} and {@code shared/platform} really have, and every metric an alert
 * or a panel queries is one the code exports, with labels it has. No Docker engine or cluster
 * is needed: the files are read, not run.
 *
 * <p>The YAML is read by {@link Yaml}: Jackson's YAML module, every scalar kept as text,
 * a duplicate key refused.
 */
class DeploymentFilesTest {
    /** Surefire runs in the module directory; the repository is its parent. */
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path DOCKER = ROOT.resolve("docker");
    private static final Path K8S = DOCKER.resolve("k8s");
    private static final Set<String> DB_APPS = Set.of("user-svc", "product-svc", "order-svc");
    private static final long MI = 1024L * 1024;
    /** The gateway's heap target (docs/benchmarks.md: measured under -Xmx256m). */
    private static final long GATEWAY_MAX_HEAP = 256 * MI;
    /** What a JVM of ours needs besides its heap: metaspace, code cache, threads, direct buffers. */
    private static final long MIN_NON_HEAP = 192 * MI;
    /** Env vars a container may set that no config/<app>.yml reads: the JVM's and the OTel SDK's. */
    private static final Pattern ENTRYPOINT = Pattern.compile(
            "(?m)^ENTRYPOINT \\[\"java\", .*\"-XX:MaxRAMPercentage=(\\d+)\".*\"-jar\", \"/app/app.jar\"\\]");
    private static final Pattern RUNTIME_ENV = Pattern.compile("JAVA_TOOL_OPTIONS|JDK_JAVA_OPTIONS|OTEL_[A-Z0-9_]+");

    // ---- compose ---------------------------------------------------------------------------

    @Test
    void composeBuildsEveryAppModuleFromTheOneDockerfileWithItsOwnConfig() {
        Map<String, Object> services = map(compose().get("services"));
        Map<String, Map<String, Object>> apps = composeApps();

        assertThat(apps.keySet()).as("compose services built from docker/Dockerfile")
                .containsExactlyInAnyOrderElementsOf(appModules());
        for (var entry : apps.entrySet()) {
            String app = entry.getKey();
            Map<String, Object> service = entry.getValue();
            AppConfig config = AppConfig.of(app);
            Map<String, Object> build = map(service.get("build"));
            Map<String, Object> args = map(build.get("args"));
            assertThat(build.get("context")).as(app + " build context (the repository)").isEqualTo("..");
            assertThat(DOCKER.resolve(str(build.get("context"))).resolve(app).resolve("pom.xml")).as(app + " module").exists();
            assertThat(args.get("APP")).as(app + " build arg APP").isEqualTo(app);
            assertThat(args.get("HTTP_PORT")).as(app + " HTTP_PORT vs config").isEqualTo(config.httpPort().defaultValue());
            assertThat(args.get("ADMIN_PORT")).as(app + " ADMIN_PORT vs config").isEqualTo(config.adminPort().defaultValue());
            assertThat(args.get("GRPC_PORT")).as(app + " GRPC_PORT vs config")
                    .isEqualTo(config.grpcPort() == null ? null : config.grpcPort().defaultValue());
            assertThat(service.get("image")).isEqualTo("wizmesh/" + app + ":dev");
            assertThat(service.get("command")).as(app + " command").isEqualTo(List.of("server", "/config/" + app + ".yml"));
            assertThat(service.get("mem_limit")).as(app + ": without a limit MaxRAMPercentage takes a share of the host's RAM")
                    .isNotNull();
        }
        assertThat(services).containsKeys("postgres", "redis", "rabbitmq", "otel-collector", "prometheus", "grafana");
    }

    @Test
    void composeAppsAreHealthCheckedAndStartAfterWhatTheyNeedIsHealthy() {
        Map<String, Object> services = map(compose().get("services"));
        Map<String, Map<String, Object>> apps = composeApps();
        Map<String, List<String>> edges = new HashMap<>();

        for (var entry : apps.entrySet()) {
            String app = entry.getKey();
            Map<String, Object> service = entry.getValue();
            assertThat(service).as(app + " has a healthcheck").containsKey("healthcheck");
            List<String> test = list(map(service.get("healthcheck")).get("test")).stream().map(DeploymentFilesTest::str).toList();
            assertThat(test).as(app + " healthcheck").containsExactly("CMD", "/app/probe.sh", "ready");

            Map<String, Object> dependsOn = service.get("depends_on") == null ? Map.of() : map(service.get("depends_on"));
            for (var dep : dependsOn.entrySet()) {
                assertThat(map(dep.getValue()).get("condition")).as(app + " -> " + dep.getKey())
                        .isEqualTo("service_healthy");
                assertThat(services).as(app + " depends on a service that exists").containsKey(dep.getKey());
                assertThat(map(services.get(dep.getKey()))).as(dep.getKey() + " needs a healthcheck for service_healthy")
                        .containsKey("healthcheck");
            }
            edges.put(app, new ArrayList<>(dependsOn.keySet()));
            if (!app.equals("registry-server")) {
                assertThat(dependsOn).as(app + " registers: registry first").containsKey("registry-server");
            }
            if (DB_APPS.contains(app)) {
                assertThat(dependsOn).as(app + " needs PostgreSQL").containsKey("postgres");
            }
        }
        assertThat(map(apps.get("gateway").get("depends_on")))
                .as("the gateway starts after the services its routes go to")
                .containsKeys(AppConfig.of("gateway").routedServices().toArray(String[]::new));
        assertThat(AppConfig.of("gateway").routedServices()).contains("user-svc", "product-svc", "order-svc");
        assertNoCycle(edges);
    }

    @Test
    void composeEnvironmentUsesNamesTheConfigsReadAndPointsAtComposeServices() {
        Map<String, Object> services = map(compose().get("services"));
        Map<String, Map<String, Object>> apps = composeApps();
        Map<String, Set<String>> envFileReaders = new HashMap<>();

        for (var entry : apps.entrySet()) {
            String app = entry.getKey();
            AppConfig config = AppConfig.of(app);
            Map<String, Object> service = entry.getValue();
            Map<String, String> own = stringMap(service.get("environment"));
            Map<String, String> env = new LinkedHashMap<>();
            for (Object file : service.get("env_file") == null ? List.of() : list(service.get("env_file"))) {
                Map<String, String> values = envFile(DOCKER.resolve(str(file)));
                values.keySet().forEach(k -> envFileReaders.computeIfAbsent(str(file) + " " + k, x -> new TreeSet<>())
                        .addAll(config.envVars().contains(k) ? Set.of(app) : Set.of()));
                env.putAll(values);
            }
            env.putAll(own);

            for (String name : own.keySet()) {
                if (!RUNTIME_ENV.matcher(name).matches()) {
                    assertThat(config.envVars()).as(app + ": config/" + app + ".yml reads " + name).contains(name);
                }
            }
            assertThat(env).as(app + ": admin port reachable by Prometheus")
                    .containsEntry(config.adminBindHost().name(), "0.0.0.0");
            if (config.registers()) {
                assertThat(env).as(app + " registers under its compose name").containsEntry("ADVERTISED_HOST", app);
                URI registry = URI.create(env.get("REGISTRY_URL"));
                assertThat(apps).containsKey(registry.getHost());
                assertThat(Integer.toString(registry.getPort()))
                        .isEqualTo(AppConfig.of(registry.getHost()).httpPort().defaultValue());
            }
            if (DB_APPS.contains(app)) {
                assertThat(services).as(app + ": DB_HOST names a compose service").containsKey(env.get("DB_HOST"));
                Map<String, String> postgres = stringMap(map(services.get(env.get("DB_HOST"))).get("environment"));
                assertThat(env.get("DB_OWNER_USER")).isEqualTo(postgres.get("POSTGRES_USER"));
                assertThat(env.get("DB_OWNER_PASSWORD")).isEqualTo(postgres.get("POSTGRES_PASSWORD"));
            }
            if (env.containsKey("OTEL_EXPORTER_OTLP_ENDPOINT")) {
                URI otlp = URI.create(env.get("OTEL_EXPORTER_OTLP_ENDPOINT"));
                assertThat(services).containsKey(otlp.getHost());
                assertThat(str(path(yaml(DOCKER.resolve("otel-collector.yml")), "receivers", "otlp", "protocols", "http", "endpoint")))
                        .endsWith(":" + otlp.getPort());
            }
            long limit = bytes(str(service.get("mem_limit")));
            long heap = heap(env.get("JAVA_TOOL_OPTIONS"), limit);
            assertThat(limit - heap).as(app + ": memory beside the heap").isGreaterThanOrEqualTo(MIN_NON_HEAP);
        }
        envFileReaders.forEach((fileAndKey, readers) -> {
            if (!RUNTIME_ENV.matcher(fileAndKey.substring(fileAndKey.indexOf(' ') + 1)).matches()) {
                assertThat(readers).as(fileAndKey + " is read by some app that loads the file").isNotEmpty();
            }
        });

        Map<String, String> gateway = stringMap(apps.get("gateway").get("environment"));
        assertThat(heap(gateway.get("JAVA_TOOL_OPTIONS"), bytes(str(apps.get("gateway").get("mem_limit")))))
                .as("gateway heap").isLessThanOrEqualTo(GATEWAY_MAX_HEAP);
        if ("redis".equals(gateway.get("RATE_LIMIT_BACKEND"))) {
            String redis = URI.create(gateway.get("REDIS_URL")).getHost();
            assertThat(map(apps.get("gateway").get("depends_on"))).containsKey(redis);
        }
    }

    // ---- Prometheus, alerts, Grafana -------------------------------------------------------

    @Test
    void prometheusScrapesEveryAppsAdminPortWhereTheMetricsAre() {
        Map<String, Object> prometheus = yaml(DOCKER.resolve("prometheus/prometheus.yml"));
        Map<String, String> targets = new HashMap<>();
        for (Object job : list(prometheus.get("scrape_configs"))) {
            Map<String, Object> j = map(job);
            for (Object sc : list(j.get("static_configs"))) {
                for (Object t : list(map(sc).get("targets"))) {
                    targets.put(str(t), j.get("metrics_path") == null ? "/metrics" : str(j.get("metrics_path")));
                }
            }
        }
        String metricsPath = constant(ROOT.resolve("shared/platform/src/main/java/dev/wizmesh/platform/metrics/PrometheusMetrics.java"), "PATH");
        assertThat(metricsPath).isEqualTo("/metrics/prometheus");
        for (String app : appModules()) {
            String target = app + ":" + AppConfig.of(app).adminPort().defaultValue();
            assertThat(targets).as("scrape target " + target).containsEntry(target, metricsPath);
        }
        for (Object ruleFile : list(prometheus.get("rule_files"))) {
            assertThat(DOCKER.resolve("prometheus").resolve(str(ruleFile))).exists();
        }
        assertThat(list(prometheus.get("rule_files"))).contains("alerts.yml");
        List<String> mounts = list(map(map(compose().get("services")).get("prometheus")).get("volumes"))
                .stream().map(DeploymentFilesTest::str).toList();
        assertThat(mounts).contains("./prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro",
                "./prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro");
    }

    @Test
    void alertsWatchInstancesRoutesAndBreakersWithMetricsTheCodeExports() {
        Map<String, Metric> metrics = exportedMetrics();
        List<String> exprs = new ArrayList<>();
        Set<String> alerts = new TreeSet<>();
        for (Object group : list(yaml(DOCKER.resolve("prometheus/alerts.yml")).get("groups"))) {
            for (Object rule : list(map(group).get("rules"))) {
                alerts.add(str(map(rule).get("alert")));
                exprs.add(str(map(rule).get("expr")));
            }
        }
        exprs.forEach(expr -> assertUsesExportedMetrics("alerts.yml", expr, metrics));
        assertThat(exprs).as("an instance-down rule").anyMatch(e -> e.matches("(?s)\\s*up\\{[^}]*\\}\\s*==\\s*0\\s*"));
        assertThat(exprs).as("a 5xx-rate-per-route rule on the gateway")
                .anyMatch(e -> e.contains("gateway_requests_total{status=~\"5..\"}") && e.contains("by (route"));
        assertThat(exprs).as("a breaker-open rule")
                .anyMatch(e -> e.contains("gateway_circuit_breaker_state{state=\"open\"}"));
        assertThat(alerts).hasSize(exprs.size());   // names are unique
    }

    @Test
    void grafanaDashboardShowsRedPerServiceAndRouteAndBreakersFromTheProvisionedDatasource() throws IOException {
        Map<String, Metric> metrics = exportedMetrics();
        JsonNode dashboard = new ObjectMapper().readTree(DOCKER.resolve("grafana/dashboards/wizmesh.json").toFile());
        Map<String, Object> datasource = map(list(yaml(DOCKER.resolve("grafana/provisioning/datasources/prometheus.yml"))
                .get("datasources")).get(0));
        List<String> exprs = new ArrayList<>();
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.path("targets")) {
                exprs.add(target.get("expr").asText());
                assertThat(target.path("datasource").path("uid").asText()).isEqualTo(datasource.get("uid"));
            }
            if (panel.has("targets")) {
                assertThat(panel.path("datasource").path("uid").asText()).isEqualTo(datasource.get("uid"));
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            assertThat(variable.path("datasource").path("uid").asText()).as("variable " + variable.path("name"))
                    .isEqualTo(datasource.get("uid"));
        }
        exprs.forEach(expr -> assertUsesExportedMetrics("wizmesh.json", expr, metrics));
        assertThat(exprs).anyMatch(e -> e.contains("rate(http_server_requests_total") && e.contains("by (job)"));
        assertThat(exprs).anyMatch(e -> e.contains("http_server_request_duration_seconds_bucket") && e.contains("route"));
        assertThat(exprs).anyMatch(e -> e.contains("gateway_requests_total") && e.contains("by (route"));
        assertThat(exprs).anyMatch(e -> e.contains("gateway_circuit_breaker_state"));

        assertThat(URI.create(str(datasource.get("url"))).getHost()).isEqualTo("prometheus");
        Map<String, Object> provider = map(list(yaml(DOCKER.resolve("grafana/provisioning/dashboards/wizmesh.yml"))
                .get("providers")).get(0));
        List<String> mounts = list(map(map(compose().get("services")).get("grafana")).get("volumes"))
                .stream().map(DeploymentFilesTest::str).toList();
        assertThat(mounts).contains("./grafana/dashboards:" + str(map(provider.get("options")).get("path")) + ":ro",
                "./grafana/provisioning:/etc/grafana/provisioning:ro");
    }

    // ---- Kubernetes ------------------------------------------------------------------------

    @Test
    void kustomizationListsEveryManifest() throws IOException {
        Map<String, Object> kustomization = yaml(K8S.resolve("kustomization.yml"));
        Set<String> files;
        try (Stream<Path> list = Files.list(K8S)) {
            files = list.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".yml") && !n.equals("kustomization.yml")).collect(Collectors.toSet());
        }
        assertThat(list(kustomization.get("resources")).stream().map(DeploymentFilesTest::str))
                .containsExactlyInAnyOrderElementsOf(files);
    }

    @Test
    void k8sConfigMapsHoldTheAppsConfigVerbatim() {
        Map<String, Map<String, Object>> configMaps = k8sObjects("ConfigMap");
        for (String app : appModules()) {
            Map<String, Object> configMap = configMaps.get(app + "-config");
            assertThat(configMap).as(app + "-config").isNotNull();
            assertThat(map(configMap.get("data")).get(app + ".yml"))
                    .as("docker/k8s/configmaps.yml is behind config/" + app + ".yml: run docker/k8s/sync-config.sh")
                    .isEqualTo(read(ROOT.resolve("config/" + app + ".yml")));
        }
    }

    @Test
    void k8sAppDeploymentsProbeTheAdminPortLimitResourcesAndUseRealSettings() {
        Map<String, Map<String, Object>> deployments = k8sObjects("Deployment");
        Map<String, Map<String, Object>> services = k8sObjects("Service");
        Map<String, Map<String, Object>> configMaps = k8sObjects("ConfigMap");
        Map<String, Map<String, Object>> secrets = k8sObjects("Secret");
        String probeServlet = read(ROOT.resolve("shared/platform/src/main/java/dev/wizmesh/platform/health/HealthProbeServlet.java"));
        String bundle = read(ROOT.resolve("shared/platform/src/main/java/dev/wizmesh/platform/PlatformBundle.java"));
        assertThat(bundle).as("the probes' servlet path").contains(".addMapping(\"/health-check\"");
        assertThat(probeServlet).contains("case \"alive\"", "case \"ready\"");

        Set<String> apps = new TreeSet<>();
        for (var entry : deployments.entrySet()) {
            Map<String, Object> container = map(list(path(entry.getValue(), "spec", "template", "spec", "containers")).get(0));
            if (str(container.get("image")).startsWith("wizmesh/")) {
                apps.add(entry.getKey());
            }
        }
        assertThat(apps).as("app Deployments").containsExactlyInAnyOrderElementsOf(appModules());

        for (String app : apps) {
            AppConfig config = AppConfig.of(app);
            Map<String, Object> deployment = deployments.get(app);
            Map<String, Object> pod = map(path(deployment, "spec", "template"));
            Map<String, Object> container = map(list(path(pod, "spec", "containers")).get(0));
            Map<String, String> ports = new HashMap<>();
            for (Object p : list(container.get("ports"))) {
                ports.put(str(map(p).get("name")), str(map(p).get("containerPort")));
            }
            assertThat(container.get("image")).isEqualTo("wizmesh/" + app + ":dev");
            assertThat(container.get("args")).isEqualTo(List.of("server", "/config/" + app + ".yml"));
            assertThat(ports).as(app + " ports").containsEntry("http", config.httpPort().defaultValue())
                    .containsEntry("admin", config.adminPort().defaultValue());
            if (config.grpcPort() != null) {
                assertThat(ports).containsEntry("grpc", config.grpcPort().defaultValue());
            }
            assertProbe(app, container, "livenessProbe", "/health-check?type=alive", ports, config);
            assertProbe(app, container, "readinessProbe", "/health-check?type=ready", ports, config);
            if (container.containsKey("startupProbe")) {
                assertProbe(app, container, "startupProbe", "/health-check?type=alive", ports, config);
            }

            Map<String, Object> resources = map(container.get("resources"));
            long limit = bytes(str(path(resources, "limits", "memory")));
            assertThat(path(resources, "limits", "cpu")).as(app + " cpu limit").isNotNull();
            assertThat(path(resources, "requests", "cpu")).as(app + " cpu request").isNotNull();
            assertThat(bytes(str(path(resources, "requests", "memory")))).as(app + " memory request = limit").isEqualTo(limit);

            Map<String, String> env = new LinkedHashMap<>();
            Map<String, Object> envSources = new HashMap<>();
            for (Object e : list(container.get("env"))) {
                Map<String, Object> var = map(e);
                env.put(str(var.get("name")), var.get("value") == null ? null : str(var.get("value")));
                envSources.put(str(var.get("name")), var.get("valueFrom"));
                if (!RUNTIME_ENV.matcher(str(var.get("name"))).matches()) {
                    assertThat(config.envVars()).as(app + ": config/" + app + ".yml reads " + var.get("name"))
                            .contains(str(var.get("name")));
                }
            }
            for (Object source : list(container.get("envFrom"))) {
                Map<String, Object> ref = map(source);
                boolean isConfigMap = ref.containsKey("configMapRef");
                String name = str(map(ref.get(isConfigMap ? "configMapRef" : "secretRef")).get("name"));
                Map<String, Object> object = (isConfigMap ? configMaps : secrets).get(name);
                assertThat(object).as(app + " envFrom " + name).isNotNull();
                Map<String, String> values = stringMap(object.get(isConfigMap ? "data" : "stringData"));
                values.forEach(env::putIfAbsent);
            }
            assertThat(env).as(app + ": the kubelet probes the pod IP").containsEntry(config.adminBindHost().name(), "0.0.0.0");
            if (config.registers()) {
                assertThat(path(map(envSources.get("ADVERTISED_HOST")), "fieldRef", "fieldPath")).isEqualTo("status.podIP");
                URI registry = URI.create(env.get("REGISTRY_URL"));
                assertThat(services).containsKey(registry.getHost());
                assertThat(Integer.toString(registry.getPort())).isEqualTo(AppConfig.of(registry.getHost()).httpPort().defaultValue());
            }
            if (DB_APPS.contains(app)) {
                assertThat(services).as(app + " DB_HOST").containsKey(env.get("DB_HOST"));
                assertThat(env).containsKeys("DB_PORT", "DB_OWNER_USER", "DB_OWNER_PASSWORD", "DB_APP_PASSWORD");
            }
            assertThat(volumeFor(pod, container, "/config")).as(app + " /config")
                    .isEqualTo(Map.of("name", app + "-config"));

            long heap = heap(env.get("JAVA_TOOL_OPTIONS"), limit);
            assertThat(limit - heap).as(app + ": memory beside the heap").isGreaterThanOrEqualTo(MIN_NON_HEAP);
            if (app.equals("gateway")) {
                assertThat(heap).as("gateway heap").isLessThanOrEqualTo(GATEWAY_MAX_HEAP);
                if ("redis".equals(env.get("RATE_LIMIT_BACKEND"))) {
                    assertThat(services).containsKey(URI.create(env.get("REDIS_URL")).getHost());
                    assertThat(env.get("GATEWAY_INSTANCES")).as("with Redis down each gateway admits rate / instances")
                            .isEqualTo(str(path(deployment, "spec", "replicas")));
                }
            }
            if (app.equals("user-svc") && !"false".equals(env.get("JWT_GENERATE_KEY"))) {
                assertThat(str(path(deployment, "spec", "replicas")))
                        .as("user-svc pods that each generate their own JWT key cannot be more than one").isEqualTo("1");
            }

            Map<String, Object> service = services.get(app);
            assertThat(service).as(app + " Service").isNotNull();
            Map<String, Object> podLabels = map(path(pod, "metadata", "labels"));
            assertThat(podLabels).containsAllEntriesOf(map(path(service, "spec", "selector")))
                    .containsAllEntriesOf(map(path(deployment, "spec", "selector", "matchLabels")));
            for (Object p : list(path(service, "spec", "ports"))) {
                assertThat(ports).as(app + " Service targetPort").containsKey(str(map(p).get("targetPort")));
                assertThat(str(map(p).get("port"))).isEqualTo(ports.get(str(map(p).get("targetPort"))));
            }
        }
    }

    @Test
    void everyK8sWorkloadHasProbesAndResourceLimits() {
        Map<String, Map<String, Object>> workloads = new LinkedHashMap<>(k8sObjects("Deployment"));
        workloads.putAll(k8sObjects("StatefulSet"));
        assertThat(workloads).containsKeys("postgres", "redis");
        workloads.forEach((name, workload) -> {
            for (Object c : list(path(workload, "spec", "template", "spec", "containers"))) {
                Map<String, Object> container = map(c);
                assertThat(container).as(name).containsKeys("livenessProbe", "readinessProbe");
                assertThat(map(path(container, "resources", "limits"))).as(name + " limits").containsKeys("cpu", "memory");
                assertThat(map(path(container, "resources", "requests"))).as(name + " requests").containsKeys("cpu", "memory");
                assertThat(bytes(str(path(container, "resources", "requests", "memory"))))
                        .isLessThanOrEqualTo(bytes(str(path(container, "resources", "limits", "memory"))));
            }
        });
        Map<String, Object> postgres = map(list(path(workloads.get("postgres"), "spec", "template", "spec", "containers")).get(0));
        Map<String, Object> password = list(postgres.get("env")).stream().map(DeploymentFilesTest::map)
                .filter(e -> "POSTGRES_PASSWORD".equals(e.get("name"))).findFirst().orElseThrow();
        assertThat(path(password, "valueFrom", "secretKeyRef", "key")).as("the owner password the apps use")
                .isEqualTo("DB_OWNER_PASSWORD");
    }

    // ---- Dockerfile and probe ----------------------------------------------------------------

    @Test
    void dockerfileBuildsWithMavenRunsOnAJreAsNonRootAndProbesReadiness() {
        String dockerfile = read(DOCKER.resolve("Dockerfile"));
        assertThat(dockerfile).contains("FROM maven:3.9-eclipse-temurin-17 AS build", "FROM eclipse-temurin:17-jre",
                "mvn -B -q -DskipTests package -pl \"$APP\" -am", "COPY --from=build /src/${APP}/target/${APP}.jar",
                "COPY config/ /config/", "COPY docker/probe.sh /app/probe.sh");
        Matcher user = Pattern.compile("(?m)^USER (\\S+)").matcher(dockerfile);
        assertThat(user.find()).isTrue();
        assertThat(user.group(1)).doesNotStartWith("root").doesNotStartWith("0:").isNotEqualTo("0");
        assertThat(dockerfile).containsPattern("(?m)^HEALTHCHECK .*\\n\\s+CMD \\[\"/app/probe.sh\", \"ready\"\\]");
        assertThat(maxRamPercentage()).as("heap share of the memory limit").isBetween(25, 75);
        assertThat(read(DOCKER.resolve("Dockerfile.dockerignore")).lines().toList())
                .as("var/ holds the devstack's databases; target/ is rebuilt").contains("**/target/", "var/", ".git/");
    }

    @Test
    void probeScriptKnowsEveryAppsAdminPortAsItsConfigNamesIt() {
        String probe = read(DOCKER.resolve("probe.sh"));
        Matcher m = Pattern.compile("(?m)^\\s+([a-z-]+)\\)\\s+port=\\$\\{(\\w+):-(\\d+)\\}").matcher(probe);
        Map<String, AppConfig.Var> ports = new HashMap<>();
        while (m.find()) {
            ports.put(m.group(1), new AppConfig.Var(m.group(2), m.group(3)));
        }
        assertThat(ports.keySet()).containsExactlyInAnyOrderElementsOf(appModules());
        ports.forEach((app, var) -> assertThat(var).as(app).isEqualTo(AppConfig.of(app).adminPort()));
        assertThat(probe).contains("GET /health-check?type=%s");
    }

    // ---- helpers ------------------------------------------------------------------------------

    private static void assertProbe(String app, Map<String, Object> container, String probe, String path,
                                    Map<String, String> ports, AppConfig config) {
        Map<String, Object> httpGet = map(path(container, probe, "httpGet"));
        assertThat(httpGet.get("path")).as(app + " " + probe).isEqualTo(path);
        String port = str(httpGet.get("port"));
        assertThat(ports.getOrDefault(port, port)).as(app + " " + probe + " on the admin port")
                .isEqualTo(config.adminPort().defaultValue());
    }

    private static Object volumeFor(Map<String, Object> pod, Map<String, Object> container, String mountPath) {
        String name = list(container.get("volumeMounts")).stream().map(DeploymentFilesTest::map)
                .filter(m -> mountPath.equals(m.get("mountPath"))).map(m -> str(m.get("name"))).findFirst().orElseThrow();
        return list(path(pod, "spec", "volumes")).stream().map(DeploymentFilesTest::map)
                .filter(v -> name.equals(v.get("name"))).map(v -> v.get("configMap")).findFirst().orElseThrow();
    }

    /** Metric names in a PromQL expression, checked against the code's metrics and their labels. */
    private static void assertUsesExportedMetrics(String file, String expr, Map<String, Metric> metrics) {
        Matcher names = Pattern.compile("\\b((?:gateway|http_server|grpc_server|registry)_[a-z0-9_]+)\\b").matcher(expr);
        while (names.find()) {
            assertThat(Metric.find(metrics, names.group(1))).as(file + ": " + names.group(1) + " is exported by the code, in " + expr)
                    .isNotNull();
        }
        Matcher selectors = Pattern.compile("\\b([a-z_][a-z0-9_]*)\\{([^}]*)\\}").matcher(expr);
        while (selectors.find()) {
            Metric metric = Metric.find(metrics, selectors.group(1));
            if (metric == null) {
                continue; // up, jvm_*: not ours
            }
            Matcher matchers = Pattern.compile("(\\w+)\\s*(=~|!~|!=|=)\\s*\"([^\"]*)\"").matcher(selectors.group(2));
            while (matchers.find()) {
                String label = matchers.group(1);
                assertThat(label).as(file + ": label of " + selectors.group(1) + " in " + expr)
                        .isIn(metric.labelsIncludingPrometheusOwn());
                if (label.equals("status") && metric.name().equals("http_server_requests_total")) {
                    // HttpServerMetrics records the status class: (status / 100) + "xx"
                    assertThat(matchers.group(3)).as(file + ": " + expr).matches("[1-5]xx");
                }
                if (label.equals("status") && metric.name().equals("gateway_requests_total")) {
                    // ProxyMetrics records the code itself: Integer.toString(status)
                    assertThat(matchers.group(3)).as(file + ": " + expr).doesNotContain("xx");
                }
            }
        }
    }

    private record Metric(String name, String type, Set<String> labels) {
        static Metric find(Map<String, Metric> metrics, String exposed) {
            Metric metric = metrics.get(exposed);
            if (metric == null) {
                Matcher histogram = Pattern.compile("(.+)_(bucket|count|sum)").matcher(exposed);
                if (histogram.matches() && metrics.containsKey(histogram.group(1))
                        && metrics.get(histogram.group(1)).type().equals("Histogram")) {
                    metric = metrics.get(histogram.group(1));
                }
            }
            return metric;
        }

        Set<String> labelsIncludingPrometheusOwn() {
            Set<String> all = new TreeSet<>(labels);
            all.addAll(List.of("job", "instance", "le"));
            return all;
        }
    }

    /** Every client_java metric declared in the modules' main code: type, exposed name, labels. */
    private static Map<String, Metric> exportedMetrics() {
        Pattern declaration = Pattern.compile(
                "(Counter|CounterWithCallback|Gauge|GaugeWithCallback|Histogram|Summary)\\.builder\\(\\)\\s*\\.name\\(\"([a-z_][a-z0-9_]*)\"\\)((?:(?!\\.register\\().)*)",
                Pattern.DOTALL);
        Map<String, Metric> metrics = new TreeMap<>();
        for (String module : pomModules()) {
            Path sources = ROOT.resolve(module).resolve("src/main/java");
            if (!Files.isDirectory(sources)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(sources)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    Matcher m = declaration.matcher(read(file));
                    while (m.find()) {
                        Set<String> labels = new TreeSet<>();
                        Matcher l = Pattern.compile("\\.labelNames\\(([^)]*)\\)").matcher(m.group(3));
                        if (l.find()) {
                            Matcher quoted = Pattern.compile("\"([^\"]+)\"").matcher(l.group(1));
                            while (quoted.find()) {
                                labels.add(quoted.group(1));
                            }
                        }
                        String name = m.group(2);
                        if (m.group(1).startsWith("Counter") && !name.endsWith("_total")) {
                            name += "_total"; // client_java exposes counters with the suffix
                        }
                        metrics.put(name, new Metric(name, m.group(1), labels));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        assertThat(metrics).as("metrics found in the code").containsKeys("gateway_requests_total",
                "gateway_circuit_breaker_state", "http_server_requests_total", "http_server_request_duration_seconds");
        return metrics;
    }

    /** The image's -XX:MaxRAMPercentage, from the Dockerfile's ENTRYPOINT. */
    private static int maxRamPercentage() {
        Matcher m = ENTRYPOINT.matcher(read(DOCKER.resolve("Dockerfile")));
        assertThat(m.find()).as("ENTRYPOINT [\"java\", ... \"-XX:MaxRAMPercentage=N\" ... \"-jar\", \"/app/app.jar\"]").isTrue();
        return Integer.parseInt(m.group(1));
    }

    /** The heap a container's JVM gets: -Xmx when given, else the image's MaxRAMPercentage of the limit. */
    private static long heap(String javaToolOptions, long memoryLimit) {
        if (javaToolOptions != null) {
            Matcher xmx = Pattern.compile("-Xmx(\\d+[kKmMgG]?)").matcher(javaToolOptions);
            if (xmx.find()) {
                return bytes(xmx.group(1));
            }
        }
        return memoryLimit * maxRamPercentage() / 100;
    }

    /** 512Mi, 1Gi (Kubernetes), 512m, 1g (Docker, -Xmx): all binary units. */
    static long bytes(String quantity) {
        Matcher m = Pattern.compile("(\\d+)([kKmMgG]i?)?[bB]?").matcher(quantity.trim());
        assertThat(m.matches()).as("a memory quantity: " + quantity).isTrue();
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2) == null ? "" : m.group(2).substring(0, 1).toLowerCase()) {
            case "k" -> n * 1024;
            case "m" -> n * MI;
            case "g" -> n * 1024 * MI;
            default -> n;
        };
    }

    private static void assertNoCycle(Map<String, List<String>> edges) {
        Set<String> done = new LinkedHashSet<>();
        for (String start : edges.keySet()) {
            visit(start, edges, new LinkedHashSet<>(), done);
        }
    }

    private static void visit(String node, Map<String, List<String>> edges, Set<String> path, Set<String> done) {
        assertThat(path.add(node)).as("depends_on cycle: " + path + " -> " + node).isTrue();
        if (done.add(node)) {
            for (String next : edges.getOrDefault(node, List.of())) {
                visit(next, edges, path, done);
            }
        }
        path.remove(node);
    }

    /** The apps: the build's modules that have a config/<module>.yml. */
    private static Set<String> appModules() {
        Set<String> apps = pomModules().stream().filter(m -> Files.exists(ROOT.resolve("config/" + m + ".yml")))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(apps).contains("registry-server", "gateway");
        return apps;
    }

    private static List<String> pomModules() {
        Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(read(ROOT.resolve("pom.xml")));
        List<String> modules = new ArrayList<>();
        while (m.find()) {
            modules.add(m.group(1).trim());
        }
        return modules;
    }

    private static Map<String, Object> compose() {
        return yaml(DOCKER.resolve("compose.yml"));
    }

    private static Map<String, Map<String, Object>> composeApps() {
        Map<String, Map<String, Object>> apps = new TreeMap<>();
        map(compose().get("services")).forEach((name, service) -> {
            Object build = map(service).get("build");
            if (build != null && "docker/Dockerfile".equals(map(build).get("dockerfile"))) {
                apps.put(name, map(service));
            }
        });
        return apps;
    }

    /** Kubernetes objects of one kind in docker/k8s/*.yml, by name (all in the one namespace). */
    private static Map<String, Map<String, Object>> k8sObjects(String kind) {
        Map<String, Map<String, Object>> objects = new TreeMap<>();
        try (Stream<Path> files = Files.list(K8S)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yml")).sorted().toList()) {
                for (Object doc : Yaml.read(file.toString(), read(file))) {
                    Map<String, Object> object = map(doc);
                    if (kind.equals(object.get("kind"))) {
                        String name = str(path(object, "metadata", "name"));
                        assertThat(objects.put(name, object)).as(kind + " " + name + " defined twice").isNull();
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return objects;
    }

    private static Map<String, String> envFile(Path file) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : read(file).lines().toList()) {
            if (!line.isBlank() && !line.stripLeading().startsWith("#")) {
                int eq = line.indexOf('=');
                assertThat(eq).as(file + ": KEY=value, was " + line).isPositive();
                values.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return values;
    }

    /** A string constant of a Java source: {@code NAME = "value"}. */
    private static String constant(Path source, String name) {
        Matcher m = Pattern.compile("\\b" + name + "\\s*=\\s*\"([^\"]*)\"").matcher(read(source));
        assertThat(m.find()).as(name + " in " + source).isTrue();
        return m.group(1);
    }

    private static Map<String, Object> yaml(Path file) {
        List<Object> docs = Yaml.read(file.toString(), read(file));
        assertThat(docs).as(file + ": one document").hasSize(1);
        return map(docs.get(0));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Object path(Object node, String... keys) {
        Object current = node;
        for (String key : keys) {
            current = current == null ? null : map(current).get(key);
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node) {
        assertThat(node).as("a mapping").isInstanceOf(Map.class);
        return (Map<String, Object>) node;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object node) {
        assertThat(node).as("a sequence").isInstanceOf(List.class);
        return (List<Object>) node;
    }

    private static String str(Object node) {
        assertThat(node).as("a scalar").isInstanceOf(String.class);
        return (String) node;
    }

    private static Map<String, String> stringMap(Object node) {
        Map<String, String> values = new LinkedHashMap<>();
        if (node != null) {
            map(node).forEach((k, v) -> values.put(k, v == null ? null : str(v)));
        }
        return values;
    }

    /** What config/<app>.yml reads and declares, from its text (its placeholders are not YAML). */
    private record AppConfig(String app, String text) {
        record Var(String name, String defaultValue) {
        }

        static AppConfig of(String app) {
            return new AppConfig(app, read(ROOT.resolve("config/" + app + ".yml")));
        }

        Set<String> envVars() {
            Set<String> vars = new TreeSet<>();
            Matcher m = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-[^}]*)?\\}").matcher(text);
            while (m.find()) {
                vars.add(m.group(1));
            }
            return vars;
        }

        /** The first {@code key: ${VAR:-default}} after {@code section:}. */
        private Var after(String section, String key) {
            int at = text.indexOf("\n" + section + ":");
            if (at < 0) {
                return null;
            }
            Matcher m = Pattern.compile(key + ": \\$\\{(\\w+):-([^}]*)\\}").matcher(text);
            assertThat(m.find(at)).as(app + ": " + key + " after " + section.strip()).isTrue();
            return new Var(m.group(1), m.group(2));
        }

        Var httpPort() {
            return after("  applicationConnectors", "port");
        }

        Var adminPort() {
            return after("  adminConnectors", "port");
        }

        Var adminBindHost() {
            return after("  adminConnectors", "bindHost");
        }

        /** The gRPC server's port, or null for an app that serves no gRPC. */
        Var grpcPort() {
            return after("grpc", "port");
        }

        boolean registers() {
            return text.contains("\ndiscovery:") && text.contains("\n  register: true");
        }

        /** The services the gateway's routes send requests to. */
        Set<String> routedServices() {
            Set<String> services = new TreeSet<>();
            Matcher m = Pattern.compile("(?m)^\\s+service: ([a-z-]+)\\s*$").matcher(text.substring(text.indexOf("\nroutes:")));
            while (m.find()) {
                services.add(m.group(1));
            }
            return services;
        }
    }

    /**
     * Every document of a YAML file, as maps, lists and strings: scalars stay text ("8080" and
     * "true" are compared as written), a duplicate key is an error.
     */
    static final class Yaml {
        private static final com.fasterxml.jackson.dataformat.yaml.YAMLMapper YAML = (com.fasterxml.jackson.dataformat.yaml.YAMLMapper)
                new com.fasterxml.jackson.dataformat.yaml.YAMLMapper()
                        .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

        private Yaml() {
        }

        static List<Object> read(String source, String text) {
            try (com.fasterxml.jackson.databind.MappingIterator<com.fasterxml.jackson.databind.JsonNode> docs =
                         YAML.readerFor(com.fasterxml.jackson.databind.JsonNode.class).readValues(text)) {
                List<Object> out = new java.util.ArrayList<>();
                while (docs.hasNext()) {
                    com.fasterxml.jackson.databind.JsonNode doc = docs.next();
                    if (doc != null && !doc.isMissingNode()) {
                        out.add(plain(doc));
                    }
                }
                return out;
            } catch (IOException | RuntimeException e) {
                throw new IllegalStateException(source + ": " + e.getMessage(), e);
            }
        }

        private static Object plain(com.fasterxml.jackson.databind.JsonNode node) {
            if (node == null || node.isNull()) {
                return null;
            }
            if (node.isObject()) {
                Map<String, Object> map = new LinkedHashMap<>();
                node.fields().forEachRemaining(e -> map.put(e.getKey(), plain(e.getValue())));
                return map;
            }
            if (node.isArray()) {
                List<Object> list = new java.util.ArrayList<>();
                node.forEach(n -> list.add(plain(n)));
                return list;
            }
            return node.asText();
        }
    }
}
