package dev.wizmesh.gateway.auth;

import com.codahale.metrics.health.HealthCheck;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import io.dropwizard.lifecycle.Managed;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signing keys the gateway trusts: user-svc's JWK Set, cached in memory.
 *
 * <ul>
 *   <li>fetched at start, then again every {@code refreshInterval} on a background thread (every
 *       {@code minRefreshInterval} while fetches fail, to recover quickly);</li>
 *   <li>fetched <b>at once</b> when a token names a {@code kid} the cache does not hold (user-svc
 *       rotated its key), but at most once per {@code minRefreshInterval}, so a flood of tokens
 *       with made-up kids costs user-svc one request per interval, not one per token;</li>
 *   <li>when a fetch fails, the last good set keeps being served (and {@link #healthCheck()}
 *       says it is stale); a fetch that returns no usable key is a failure too, so a broken
 *       user-svc cannot empty the cache and lock everyone out.</li>
 * </ul>
 *
 * Only asymmetric signature keys are kept (RSA of at least 2048 bits, EC); a symmetric
 * ({@code oct}) or encryption key in the set is ignored, so a published secret can never become a
 * verification key. Lookups read a volatile snapshot: no lock and no I/O on the hot path.
 *
 * <p>Metrics: {@code gateway_jwks_refreshes_total{trigger,outcome}} (trigger: startup, scheduled,
 * unknown_kid, manual; outcome: success, failure), {@code gateway_jwks_refetches_rate_limited_total},
 * {@code gateway_jwks_keys}, {@code gateway_jwks_age_seconds} (since the last good fetch) and
 * {@code gateway_jwks_stale} (1 while the last fetch failed).
 */
public class JwksKeys implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(JwksKeys.class);
    private static final int MIN_RSA_BITS = 2048;

    private record Snapshot(Map<String, VerificationKey> keys, Instant fetchedAt) {
    }

    /** What the health check and the admin view show. */
    public record Status(int keys, Instant fetchedAt, Instant lastFailureAt, String lastFailure, String source) {
        public boolean stale() {
            return keys == 0 || lastFailure != null;
        }
    }

    private final JwksSource source;
    private final Duration refreshInterval;
    private final Duration minRefreshInterval;
    private final Duration maxWait;
    private final Clock clock;
    private final Counter refreshes;
    private final Counter rateLimited;
    private final ReentrantLock unknownKidLock = new ReentrantLock();
    private final Object fetchLock = new Object();

    private volatile Snapshot snapshot = new Snapshot(Map.of(), null);
    private volatile String lastFailure;
    private volatile Instant lastFailureAt;
    private Instant lastUnknownKidFetch;      // guarded by unknownKidLock
    private ScheduledExecutorService scheduler;

    /**
     * @param source             where the JWK Set is fetched
     * @param timeout            the fetch timeout; a request waiting for another's unknown-kid fetch waits at most twice this
     * @param refreshInterval    how often the set is refetched in the background
     * @param minRefreshInterval at most one unknown-kid fetch per this interval; the retry delay while fetches fail
     * @param clock              time for the rate limit and the health check
     * @param metrics            where the JWKS metrics are registered
     */
    public JwksKeys(JwksSource source, Duration timeout, Duration refreshInterval, Duration minRefreshInterval,
                    Clock clock, PrometheusRegistry metrics) {
        this.source = source;
        this.maxWait = timeout.multipliedBy(2);
        this.refreshInterval = refreshInterval;
        this.minRefreshInterval = minRefreshInterval;
        this.clock = clock;
        this.refreshes = Counter.builder().name("gateway_jwks_refreshes_total")
                .help("JWK Set fetches by trigger and outcome").labelNames("trigger", "outcome").register(metrics);
        this.rateLimited = Counter.builder().name("gateway_jwks_refetches_rate_limited_total")
                .help("Unknown-kid JWK Set fetches skipped by the rate limit").register(metrics);
        GaugeWithCallback.builder().name("gateway_jwks_keys")
                .help("Verification keys held").callback(cb -> cb.call(snapshot.keys().size())).register(metrics);
        GaugeWithCallback.builder().name("gateway_jwks_age_seconds")
                .help("Seconds since the JWK Set was last fetched successfully (-1: never)")
                .callback(cb -> {
                    Instant at = snapshot.fetchedAt();
                    cb.call(at == null ? -1 : Duration.between(at, clock.instant()).toMillis() / 1000.0);
                }).register(metrics);
        GaugeWithCallback.builder().name("gateway_jwks_stale")
                .help("1 while the gateway serves keys from a JWK Set it could not refresh")
                .callback(cb -> cb.call(status().stale() ? 1 : 0)).register(metrics);
    }

    /** Fetches the set once (a failure is logged, not thrown: user-svc may start later) and starts the background refresh. */
    @Override
    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "jwks-refresh");
            thread.setDaemon(true);
            return thread;
        });
        boolean ok = refresh("startup");
        scheduleNext(ok);
    }

    @Override
    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    private synchronized void scheduleNext(boolean lastOk) {
        if (scheduler == null) {
            return;
        }
        Duration delay = lastOk ? refreshInterval : minRefreshInterval;
        scheduler.schedule(() -> scheduleNext(refresh("scheduled")), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * The key with id {@code kid}: from the cache, or after one fetch of the set when the cache
     * does not hold it and no unknown-kid fetch happened in the last {@code minRefreshInterval}.
     */
    /** The key held now for {@code kid}, or null: never fetches (the verified-token cache checks its key is still served). */
    public VerificationKey held(String kid) {
        return snapshot.keys().get(kid);
    }

    public Optional<VerificationKey> find(String kid) {
        VerificationKey key = snapshot.keys().get(kid);
        if (key != null) {
            return Optional.of(key);
        }
        try {
            // one fetch at a time; a request arriving during it waits for its result
            if (!unknownKidLock.tryLock(maxWait.toMillis(), TimeUnit.MILLISECONDS)) {
                return Optional.empty();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        try {
            key = snapshot.keys().get(kid);
            if (key != null) {
                return Optional.of(key);      // the fetch another request waited for brought it
            }
            Instant now = clock.instant();
            if (lastUnknownKidFetch != null && now.isBefore(lastUnknownKidFetch.plus(minRefreshInterval))) {
                rateLimited.inc();
                return Optional.empty();
            }
            lastUnknownKidFetch = now;
            refresh("unknown_kid");
            return Optional.ofNullable(snapshot.keys().get(kid));
        } finally {
            unknownKidLock.unlock();
        }
    }

    /** Fetches the set now, whatever the schedule; true when it succeeded. */
    public boolean refresh() {
        return refresh("manual");
    }

    private boolean refresh(String trigger) {
        synchronized (fetchLock) {
            Instant now = clock.instant();
            try {
                Map<String, VerificationKey> keys = verificationKeys(source.fetch());
                if (keys.isEmpty()) {
                    throw new JwksSource.JwksUnavailableException("the JWK Set holds no usable signature key");
                }
                boolean recovered = lastFailure != null;
                snapshot = new Snapshot(Map.copyOf(keys), now);
                lastFailure = null;
                lastFailureAt = null;
                refreshes.labelValues(trigger, "success").inc();
                if (recovered) {
                    LOG.info("JWK Set from {} fetched again: {} keys", source.describe(), keys.size());
                } else {
                    LOG.debug("JWK Set from {} fetched ({}): {} keys", source.describe(), trigger, keys.size());
                }
                return true;
            } catch (RuntimeException e) {
                boolean first = lastFailure == null;
                lastFailure = e.getMessage();
                lastFailureAt = now;
                refreshes.labelValues(trigger, "failure").inc();
                if (first) {
                    LOG.warn("Fetching the JWK Set from {} failed ({}), serving {} cached keys: {}",
                            source.describe(), trigger, snapshot.keys().size(), e.getMessage());
                } else {
                    LOG.debug("Fetching the JWK Set from {} failed again: {}", source.describe(), e.getMessage());
                }
                return false;
            }
        }
    }

    static Map<String, VerificationKey> verificationKeys(JWKSet set) {
        Map<String, VerificationKey> keys = new LinkedHashMap<>();
        for (JWK jwk : set.getKeys()) {
            if (KeyUse.ENCRYPTION.equals(jwk.getKeyUse())) {
                continue;
            }
            try {
                String kid = jwk.getKeyID() != null ? jwk.getKeyID() : jwk.computeThumbprint().toString();
                VerificationKey key;
                if (jwk instanceof RSAKey rsa) {
                    if (rsa.size() < MIN_RSA_BITS) {
                        LOG.warn("Ignoring JWK {}: RSA key of {} bits (at least {} required)", kid, rsa.size(), MIN_RSA_BITS);
                        continue;
                    }
                    key = new VerificationKey(kid, jwsAlgorithm(jwk), new RSASSAVerifier(rsa.toRSAPublicKey()));
                } else if (jwk instanceof ECKey ec) {
                    key = new VerificationKey(kid, jwsAlgorithm(jwk), new ECDSAVerifier(ec.toECPublicKey()));
                } else {
                    continue;   // oct (a shared secret must never come from a public set), OKP: not ours
                }
                keys.putIfAbsent(kid, key);
            } catch (JOSEException e) {
                LOG.warn("Ignoring a JWK that cannot verify signatures: {}", e.getMessage());
            }
        }
        return keys;
    }

    private static com.nimbusds.jose.JWSAlgorithm jwsAlgorithm(JWK jwk) {
        return jwk.getAlgorithm() == null ? null : com.nimbusds.jose.JWSAlgorithm.parse(jwk.getAlgorithm().getName());
    }

    public Status status() {
        Snapshot current = snapshot;
        return new Status(current.keys().size(), current.fetchedAt(), lastFailureAt, lastFailure, source.describe());
    }

    /** Healthy while the last fetch succeeded; unhealthy ("stale") while cached keys are served after a failure, or when there are none. */
    public HealthCheck healthCheck() {
        return new HealthCheck() {
            @Override
            protected Result check() {
                Status s = status();
                if (s.keys() == 0) {
                    return Result.unhealthy("no keys from %s yet: %s", s.source(),
                            s.lastFailure() == null ? "not fetched" : s.lastFailure());
                }
                if (s.lastFailure() != null) {
                    return Result.unhealthy("stale: serving %d keys fetched at %s; the refresh at %s failed: %s",
                            s.keys(), s.fetchedAt(), s.lastFailureAt(), s.lastFailure());
                }
                return Result.healthy("%d keys from %s, fetched at %s", s.keys(), s.source(), s.fetchedAt());
            }
        };
    }
}
