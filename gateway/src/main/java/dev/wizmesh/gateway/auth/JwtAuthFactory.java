package dev.wizmesh.gateway.auth;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.nimbusds.jose.JWSAlgorithm;
import dev.wizmesh.discovery.catalog.InstanceSource;
import dev.wizmesh.platform.PlatformBundle;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import io.dropwizard.validation.ValidationMethod;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's {@code auth:} block: which bearer JWTs it accepts and where their keys come from.
 *
 * <pre>
 * auth:
 *   issuer: wizmesh                # iss must equal this
 *   audience:                      # when set, aud must contain it
 *   algorithms: [RS256]            # RS/PS/ES 256-512 (keys from the JWKS); HS256/384/512 need hmacSecret
 *   hmacSecret:                    # shared secret for HS*, at least 32 bytes (48 HS384, 64 HS512)
 *   clockSkew: 30s                 # tolerance for exp, nbf and iat
 *   requiredClaims: [sub, tid, exp]
 *   jwks:
 *     service: user-svc            # found through discovery ...
 *     path: /.well-known/jwks.json
 *     url:                         # ... or this fixed URL instead
 *     refreshInterval: 5m          # background refetch
 *     minRefreshInterval: 10s      # at most one refetch per this for unknown kids; retry delay after a failure
 *     timeout: 2s                  # per fetch attempt
 * </pre>
 */
public class JwtAuthFactory {
    /** The algorithms a config may name. */
    public static final Set<JWSAlgorithm> SUPPORTED = Set.of(
            JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512,
            JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512,
            JWSAlgorithm.HS256, JWSAlgorithm.HS384, JWSAlgorithm.HS512);

    @NotBlank
    private String issuer = "wizmesh";

    private String audience;

    @NotEmpty
    private List<String> algorithms = List.of("RS256");

    private String hmacSecret;

    @NotNull
    private Duration clockSkew = Duration.seconds(30);

    @NotNull
    private List<String> requiredClaims = List.of("sub", "tid", "exp");

    @Valid
    @NotNull
    private Jwks jwks = new Jwks();

    /** Where the JWK Set is fetched and how often. */
    public static class Jwks {
        @NotBlank
        private String service = "user-svc";
        @NotBlank
        private String path = "/.well-known/jwks.json";
        private String url;
        @NotNull
        @MinDuration(value = 1, unit = TimeUnit.SECONDS)
        private Duration refreshInterval = Duration.minutes(5);
        @NotNull
        @MinDuration(value = 1, unit = TimeUnit.MILLISECONDS)
        private Duration minRefreshInterval = Duration.seconds(10);
        @NotNull
        @MinDuration(value = 1, unit = TimeUnit.MILLISECONDS)
        private Duration timeout = Duration.seconds(2);

        @JsonProperty
        public String getService() {
            return service;
        }

        @JsonProperty
        public void setService(String service) {
            this.service = service;
        }

        @JsonProperty
        public String getPath() {
            return path;
        }

        @JsonProperty
        public void setPath(String path) {
            this.path = path;
        }

        @JsonProperty
        public String getUrl() {
            return url;
        }

        @JsonProperty
        public void setUrl(String url) {
            this.url = url;
        }

        @JsonProperty
        public Duration getRefreshInterval() {
            return refreshInterval;
        }

        @JsonProperty
        public void setRefreshInterval(Duration refreshInterval) {
            this.refreshInterval = refreshInterval;
        }

        @JsonProperty
        public Duration getMinRefreshInterval() {
            return minRefreshInterval;
        }

        @JsonProperty
        public void setMinRefreshInterval(Duration minRefreshInterval) {
            this.minRefreshInterval = minRefreshInterval;
        }

        @JsonProperty
        public Duration getTimeout() {
            return timeout;
        }

        @JsonProperty
        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }
    }

    /**
     * Builds the authenticator, starts and stops its key refresh with the app, and registers the
     * non-critical health check {@code jwks} and the auth metrics.
     */
    public Authenticator build(Environment environment, PlatformBundle<?> platform, InstanceSource instances) {
        JwtAuthenticator authenticator = build(instances, platform.metrics().registry(), Clock.systemUTC());
        authenticator.keys().ifPresent(keys -> {
            environment.lifecycle().manage(keys);     // start: first fetch, then the background refresh
            platform.healthChecks().nonCritical("jwks", keys.healthCheck());
        });
        return authenticator;
    }

    /**
     * Builds the authenticator without Dropwizard (tests, tools). Its keys are not fetched yet:
     * call {@code keys().ifPresent(JwksKeys::start)} and {@code stop()} when done.
     *
     * @throws IllegalArgumentException when the block is inconsistent (what {@code check} reports)
     */
    public JwtAuthenticator build(InstanceSource instances, PrometheusRegistry metrics, Clock clock) {
        List<String> problems = problems();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("auth: " + String.join("; ", problems));
        }
        JwtRules rules = new JwtRules(issuer, blankToNull(audience), allowedAlgorithms(),
                java.time.Duration.ofMillis(clockSkew.toMilliseconds()), requiredClaims);
        JwksKeys keys = null;
        if (rules.needsJwks()) {
            java.time.Duration timeout = java.time.Duration.ofMillis(jwks.timeout.toMilliseconds());
            URI url = blankToNull(jwks.url) == null ? null : URI.create(jwks.url.strip());
            JwksSource source = new JwksSource(instances, jwks.service, jwks.path, url, timeout);
            keys = new JwksKeys(source, timeout,
                    java.time.Duration.ofMillis(jwks.refreshInterval.toMilliseconds()),
                    java.time.Duration.ofMillis(jwks.minRefreshInterval.toMilliseconds()), clock, metrics);
        }
        byte[] secret = secret();
        return new JwtAuthenticator(rules, keys, secret, clock, metrics);
    }

    private Set<JWSAlgorithm> allowedAlgorithms() {
        Set<JWSAlgorithm> out = new LinkedHashSet<>();
        for (String name : algorithms) {
            out.add(JWSAlgorithm.parse(name.strip()));
        }
        return out;
    }

    private byte[] secret() {
        String value = blankToNull(hmacSecret);
        return value == null ? null : value.getBytes(StandardCharsets.UTF_8);
    }

    private boolean hmacAllowed() {
        return allowedAlgorithms().stream().anyMatch(JWSAlgorithm.Family.HMAC_SHA::contains);
    }

    /** Everything wrong with the block, as {@code check} and {@link #build} report it. */
    List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (!isAlgorithmsSupported()) {
            problems.add("algorithms may only name RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, HS256, HS384, HS512");
        }
        if (!isHmacSecretPresentForHmac()) {
            problems.add("an HS algorithm in algorithms needs hmacSecret, and hmacSecret needs an HS algorithm in algorithms");
        }
        if (!isHmacSecretLongEnough()) {
            problems.add("hmacSecret must be at least 32 bytes (48 for HS384, 64 for HS512)");
        }
        if (!isRequiredClaimsNamed()) {
            problems.add("requiredClaims must be claim names");
        }
        if (!isJwksUrlValid()) {
            problems.add("jwks.url must be an absolute http(s) URL");
        }
        return problems;
    }

    @JsonIgnore
    @ValidationMethod(message = "algorithms may only name RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, HS256, HS384, HS512")
    public boolean isAlgorithmsSupported() {
        return algorithms != null && algorithms.stream()
                .allMatch(name -> name != null && SUPPORTED.contains(JWSAlgorithm.parse(name.strip())));
    }

    @JsonIgnore
    @ValidationMethod(message = "an HS algorithm in algorithms needs hmacSecret, and hmacSecret needs an HS algorithm in algorithms")
    public boolean isHmacSecretPresentForHmac() {
        return algorithms == null || hmacAllowed() == (blankToNull(hmacSecret) != null);
    }

    @JsonIgnore
    @ValidationMethod(message = "hmacSecret must be at least 32 bytes (48 for HS384, 64 for HS512)")
    public boolean isHmacSecretLongEnough() {
        byte[] secret = secret();
        if (secret == null || algorithms == null) {
            return true;
        }
        int needed = 32;
        for (JWSAlgorithm alg : allowedAlgorithms()) {
            if (JWSAlgorithm.HS384.equals(alg)) {
                needed = Math.max(needed, 48);
            } else if (JWSAlgorithm.HS512.equals(alg)) {
                needed = Math.max(needed, 64);
            }
        }
        return secret.length >= needed;
    }

    @JsonIgnore
    @ValidationMethod(message = "requiredClaims must be claim names")
    public boolean isRequiredClaimsNamed() {
        return requiredClaims != null && requiredClaims.stream().allMatch(c -> c != null && c.matches("[A-Za-z0-9_]{1,64}"));
    }

    @JsonIgnore
    @ValidationMethod(message = "jwks.url must be an absolute http(s) URL")
    public boolean isJwksUrlValid() {
        String url = jwks == null ? null : blankToNull(jwks.url);
        if (url == null) {
            return true;
        }
        try {
            URI uri = URI.create(url.strip());
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    @JsonProperty
    public String getIssuer() {
        return issuer;
    }

    @JsonProperty
    public void setIssuer(String issuer) {
        this.issuer = issuer;
    }

    @JsonProperty
    public String getAudience() {
        return audience;
    }

    @JsonProperty
    public void setAudience(String audience) {
        this.audience = audience;
    }

    @JsonProperty
    public List<String> getAlgorithms() {
        return algorithms;
    }

    @JsonProperty
    public void setAlgorithms(List<String> algorithms) {
        this.algorithms = algorithms;
    }

    /** Write-only: the secret is never serialised back out (Dropwizard's config dump, logs). */
    @JsonIgnore
    public String getHmacSecret() {
        return hmacSecret;
    }

    @JsonProperty
    public void setHmacSecret(String hmacSecret) {
        this.hmacSecret = hmacSecret;
    }

    @JsonProperty
    public Duration getClockSkew() {
        return clockSkew;
    }

    @JsonProperty
    public void setClockSkew(Duration clockSkew) {
        this.clockSkew = clockSkew;
    }

    @JsonProperty
    public List<String> getRequiredClaims() {
        return requiredClaims;
    }

    @JsonProperty
    public void setRequiredClaims(List<String> requiredClaims) {
        this.requiredClaims = requiredClaims;
    }

    @JsonProperty
    public Jwks getJwks() {
        return jwks;
    }

    @JsonProperty
    public void setJwks(Jwks jwks) {
        this.jwks = jwks;
    }
}
