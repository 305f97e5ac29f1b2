package dev.wizmesh.bench.gateway;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway's YAML for the benchmark: config/gateway.yml as shipped, with only what the
 * benchmark needs changed, so everything else (access log, logging, proxy pool, breakers, CORS,
 * the limiter's backend) is the production configuration:
 *
 * <ul>
 *   <li>{@code routes}: one route, {@code /bench/**} (GET) → service {@code bench-upstream},
 *       {@code auth: required}, the default rate-limit policy (per user);</li>
 *   <li>{@code discovery.static}: {@code bench-upstream} at the upstream's port (mode static is
 *       set by {@code DISCOVERY_MODE});</li>
 *   <li>{@code auth.jwks.url}: the benchmark's JWK Set;</li>
 *   <li>{@code tracing}: {@code ratio: 0.01}, exported over OTLP/HTTP to the benchmark's sink.</li>
 * </ul>
 *
 * The {@code ${VAR:-default}} placeholders are resolved here (with the environment the gateway
 * is started with), as the gateway would resolve them, since the raw file is not YAML until then.
 */
final class BenchGatewayConfig {
    static final String SERVICE = "bench-upstream";
    static final String PATH = "/bench/items/42";

    private BenchGatewayConfig() {
    }

    static Path write(Path productionYaml, Map<String, String> env, Path target, int upstreamPort, String jwksUrl,
                      String otlpEndpoint) throws IOException {
        return write(productionYaml, env, target, upstreamPort, jwksUrl, otlpEndpoint, 0);
    }

    /**
     * @param fillerRoutes routes added before the benchmark's own, none of which the benchmark's
     *                     path matches: {@code /fill/<i>/items/**} and {@code /api/v9/f<i>/**}, sharing
     *                     prefixes the way a real route table does, so the lookup walks a deep tree
     */
    static Path write(Path productionYaml, Map<String, String> env, Path target, int upstreamPort, String jwksUrl,
                      String otlpEndpoint, int fillerRoutes) throws IOException {
        YAMLMapper yaml = new YAMLMapper();
        ObjectNode root = (ObjectNode) yaml.readTree(substitute(Files.readString(productionYaml), env));

        ArrayNode routes = root.putArray("routes");
        for (int i = 0; i < fillerRoutes; i++) {
            ObjectNode filler = routes.addObject();
            filler.put("id", "filler-" + i);
            filler.put("path", i % 2 == 0 ? "/fill/" + i + "/items/**" : "/api/v9/f" + i + "/**");
            filler.put("service", SERVICE);
            filler.put("auth", "required");
        }
        ObjectNode route = routes.addObject();
        route.put("id", "bench");
        route.put("path", "/bench/**");
        route.putArray("methods").add("GET");
        route.put("service", SERVICE);
        route.put("auth", "required");

        ObjectNode discovery = (ObjectNode) root.get("discovery");
        discovery.putObject("static").putArray(SERVICE).add("127.0.0.1:" + upstreamPort);

        ((ObjectNode) root.get("auth").get("jwks")).put("url", jwksUrl);

        ObjectNode tracing = (ObjectNode) root.get("tracing");
        tracing.put("exporter", "otlp");
        tracing.put("endpoint", otlpEndpoint);
        tracing.put("sampler", "parentbased_traceidratio");
        tracing.put("ratio", 0.01);

        Files.createDirectories(target.getParent());
        Files.writeString(target, "# written by bench/gateway.sh from config/gateway.yml: routes, discovery.static, "
                + "auth.jwks.url and tracing changed\n" + yaml.writeValueAsString(root));
        return target;
    }

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_]+)(?::-([^}]*))?}");

    static String substitute(String text, Map<String, String> env) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = env.getOrDefault(m.group(1), System.getenv(m.group(1)));
            if (value == null) {
                value = m.group(2) != null ? m.group(2) : m.group();
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }
}
