package dev.wizmesh.gateway.route;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.wizmesh.gateway.canary.CanaryRule;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.Duration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.util.ArrayList;
import java.util.List;

/**
 * One entry of the {@code routes:} YAML list: which requests it takes and where they go.
 *
 * <pre>
 * - id: users                      # names the route in metrics, logs and errors
 *   path: /api/v1/users/**         # exact, prefix ("/api/v1/users/"), "*" one segment, "**" the rest
 *   methods: [GET, POST]           # empty or absent: every method
 *   service: user-svc              # the discovery name of the upstream
 *   stripPrefix: 2                 # drop 2 leading segments, or a literal prefix: "/api/v1"
 *   rewrite: {from: "^/v1/(.*)$", to: "/internal/$1"}   # a regex on the path, after stripPrefix
 *   timeout: 5s                    # until the upstream's response headers; default proxy.timeout
 *   auth: required                 # required (a valid JWT) | public
 *   rateLimit: per-user            # a policy from rateLimits:, or "none"; absent: the default policy
 *   retry: idempotent              # a policy from retryPolicies:; absent: only the safe stale-connection retry
 *   maxBodySize: 10MiB             # request bodies above this are 413; default proxy.maxBodySize
 *   canary: {...}                  # see canary/CanaryRule
 * </pre>
 */
public class RouteDefinition {
    /** {@code auth:} values. */
    public enum Auth {
        @JsonProperty("required") REQUIRED,
        @JsonProperty("public") PUBLIC
    }

    @NotBlank
    @JsonProperty
    public String id;

    @NotBlank
    @JsonProperty
    public String path;

    @NotNull
    @JsonProperty
    public List<String> methods = new ArrayList<>();

    @NotBlank
    @JsonProperty
    public String service;

    /** Leading segments ({@code 2}) or a literal prefix ({@code /api/v1}) removed before forwarding. */
    @JsonProperty
    public String stripPrefix;

    @Valid
    @JsonProperty
    public Rewrite rewrite;

    @JsonProperty
    public Duration timeout;

    @NotNull
    @JsonProperty
    public Auth auth = Auth.REQUIRED;

    @JsonProperty
    public String rateLimit;

    @JsonProperty
    public String retry;

    @JsonProperty
    public DataSize maxBodySize;

    @Valid
    @JsonProperty
    public CanaryRule canary;

    /** {@code rewrite:} a regular expression on the path and its replacement ({@code $1} refers to a group). */
    public static class Rewrite {
        @NotBlank
        @JsonProperty
        public String from;

        @NotNull
        @JsonProperty
        public String to;

        public Rewrite() {
        }

        public Rewrite(String from, String to) {
            this.from = from;
            this.to = to;
        }
    }

    public RouteDefinition() {
    }

    /** A route in code (the defaults, tests): every other field takes its default. */
    public static RouteDefinition of(String id, String path, String service, Auth auth, String... methods) {
        RouteDefinition route = new RouteDefinition();
        route.id = id;
        route.path = path;
        route.service = service;
        route.auth = auth;
        route.methods = new ArrayList<>(List.of(methods));
        return route;
    }

    @Override
    public String toString() {
        return id + " " + (methods.isEmpty() ? "*" : String.join(",", methods)) + " " + path + " -> " + service;
    }
}
