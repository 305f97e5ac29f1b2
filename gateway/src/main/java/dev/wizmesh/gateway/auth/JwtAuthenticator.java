package dev.wizmesh.gateway.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Verifies a bearer JWT and turns it into a {@link Caller}, in this order:
 *
 * <ol>
 *   <li>the header is {@code Bearer <compact JWS>} (no header, another scheme, or an empty token
 *       each have their reason);</li>
 *   <li>the token is signed (not {@code alg: none}, not encrypted) with an algorithm in
 *       {@link JwtRules#algorithms()}; asymmetric algorithms verify only with a key from the
 *       JWK Set named by {@code kid} whose type fits the algorithm, HMAC algorithms only with the
 *       configured secret, so an HS256 token "signed" with the RSA public key as secret (the
 *       algorithm-confusion attack) never meets that key as a MAC secret;</li>
 *   <li>the signature verifies (the key's verifier is built once, when the JWK Set is loaded);</li>
 *   <li>only then are the claims read: required claims present, {@code exp}/{@code nbf}/{@code iat}
 *       within the clock skew, {@code iss} (and {@code aud} when configured) as expected,
 *       {@code sub} and {@code tid} UUIDs, {@code roles} a list of role names.</li>
 * </ol>
 *
 * Every refusal is an {@link AuthenticationFailure} with a fixed {@link AuthFailureReason} (the
 * token, its kid or its claims are never echoed or logged) and the RFC 6750 challenge. The only
 * I/O is the JWK Set fetch for an unknown kid, rate-limited by {@link JwksKeys}.
 *
 * <p>Nimbus' {@code DefaultJWTProcessor} does the same checks, but reports them as exception
 * messages; doing the steps with nimbus' parser and verifiers here gives each failure its own
 * reason and lets the verifiers be built once per key.
 *
 * <p>A token that passed every check is remembered (keyed by its exact text, at most
 * {@link #CACHE_SIZE} tokens) for {@link #CACHE_TTL} or until it expires, whichever is first, and
 * only while the key that verified it is still in the JWK Set: a client sends the same token on
 * every request, and an RSA signature check, the base64 and the JSON parse are most of a
 * request's CPU otherwise. A refused token is never remembered.
 *
 * <p>Metric: {@code gateway_auth_verifications_total{outcome}}: {@code success} or the reason's label.
 */
public class JwtAuthenticator implements Authenticator {
    /** A longer Authorization header is refused before parsing (a real token is ~1 KB). */
    static final int MAX_HEADER_LENGTH = 8192;
    private static final Pattern UUID_SHAPE =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    /** What may travel in {@code X-User-Roles} (comma-separated): no commas, spaces or control characters. */
    private static final Pattern ROLE_NAME = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
    private static final int MAX_ROLES = 64;
    private static final JOSEObjectType ACCESS_TOKEN = new JOSEObjectType("at+jwt");

    /** How many verified tokens are remembered, and for how long at most. */
    static final int CACHE_SIZE = 10_000;
    static final Duration CACHE_TTL = Duration.ofSeconds(60);

    /** A verified token: who it names, the key that verified it (null: the HMAC secret), until when it may be reused. */
    private record Verified(Caller caller, String kid, VerificationKey key, Instant until) {
    }

    private final Cache<String, Verified> verified = Caffeine.newBuilder()
            .maximumSize(CACHE_SIZE).expireAfterWrite(CACHE_TTL).build();
    private final JwtRules rules;
    private final JwksKeys keys;
    private final JWSVerifier hmac;
    private final Clock clock;
    private final Counter verifications;

    /**
     * @param rules      what tokens must satisfy
     * @param keys       the JWK Set keys, or null when only HMAC algorithms are accepted
     * @param hmacSecret the shared secret for HS256/384/512, or null when none is accepted
     * @param clock      the time {@code exp}, {@code nbf} and {@code iat} are checked against
     * @param metrics    where {@code gateway_auth_verifications_total} is registered
     */
    public JwtAuthenticator(JwtRules rules, JwksKeys keys, byte[] hmacSecret, Clock clock, PrometheusRegistry metrics) {
        if (rules.needsJwks() && keys == null) {
            throw new IllegalArgumentException("asymmetric algorithms " + rules.algorithms() + " need a JWK Set");
        }
        boolean hmacAllowed = rules.algorithms().stream().anyMatch(JWSAlgorithm.Family.HMAC_SHA::contains);
        if (hmacAllowed && hmacSecret == null) {
            throw new IllegalArgumentException("HMAC algorithms need a secret");
        }
        this.rules = rules;
        this.keys = keys;
        try {
            this.hmac = hmacAllowed ? new MACVerifier(hmacSecret) : null;
        } catch (JOSEException e) {
            throw new IllegalArgumentException("the HMAC secret is unusable: " + e.getMessage(), e);
        }
        this.clock = clock;
        this.verifications = Counter.builder().name("gateway_auth_verifications_total")
                .help("Bearer token verifications by outcome (success or the failure reason)")
                .labelNames("outcome").register(metrics);
    }

    /** The JWK Set keys (to start, stop, and check health), when RS/PS/ES algorithms are accepted. */
    public Optional<JwksKeys> keys() {
        return Optional.ofNullable(keys);
    }

    @Override
    public Caller authenticate(String authorization) {
        try {
            Caller caller = verify(authorization);
            verifications.labelValues("success").inc();
            return caller;
        } catch (Refusal refusal) {
            verifications.labelValues(refusal.reason.label()).inc();
            throw refusal.failure;
        }
    }

    private Caller verify(String authorization) {
        String token = bearerToken(authorization);
        Verified known = verified.getIfPresent(token);
        if (known != null) {
            if (clock.instant().isBefore(known.until())
                    && (known.kid() == null || keys.held(known.kid()) == known.key())) {
                return known.caller();
            }
            verified.invalidate(token);
        }
        SignedJWT jwt = signedToken(token);
        VerificationKey key = verifySignature(jwt);
        JWTClaimsSet claims;
        try {
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new Refusal(AuthFailureReason.MALFORMED_CLAIMS);
        }
        Caller caller = caller(claims);
        // reusable while caller(claims) would still pass: exp is checked with the clock skew
        Instant until = clock.instant().plus(CACHE_TTL);
        Date exp = claims.getExpirationTime();
        if (exp != null && exp.toInstant().plus(rules.clockSkew()).isBefore(until)) {
            until = exp.toInstant().plus(rules.clockSkew());
        }
        verified.put(token, new Verified(caller, key == null ? null : jwt.getHeader().getKeyID(), key, until));
        return caller;
    }

    private static String bearerToken(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw new Refusal(AuthFailureReason.MISSING_TOKEN);
        }
        String value = authorization.strip();
        int space = value.indexOf(' ');
        String scheme = space < 0 ? value : value.substring(0, space);
        if (!scheme.equalsIgnoreCase("Bearer")) {     // auth schemes are case-insensitive (RFC 9110 §11.1)
            throw new Refusal(AuthFailureReason.NOT_BEARER);
        }
        String token = space < 0 ? "" : value.substring(space + 1).strip();
        if (token.isEmpty()) {
            throw new Refusal(AuthFailureReason.EMPTY_TOKEN);
        }
        if (token.length() > MAX_HEADER_LENGTH || !isCompactSerialization(token)) {
            throw new Refusal(AuthFailureReason.MALFORMED);
        }
        return token;
    }

    /**
     * Only base64url characters and dots (the JWS compact serialization). A loop, not a regex:
     * it runs on every request, over some 800 characters (a profile of the gateway under load
     * found the regex among its hottest frames).
     */
    static boolean isCompactSerialization(String token) {
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private SignedJWT signedToken(String token) {
        JWT jwt;
        try {
            jwt = JWTParser.parse(token);
        } catch (ParseException | RuntimeException e) {
            throw new Refusal(AuthFailureReason.MALFORMED);
        }
        if (jwt instanceof PlainJWT) {
            throw new Refusal(AuthFailureReason.UNSIGNED);
        }
        if (jwt instanceof EncryptedJWT || !(jwt instanceof SignedJWT signed)) {
            throw new Refusal(AuthFailureReason.ENCRYPTED);
        }
        JWSHeader header = signed.getHeader();
        if (!rules.algorithms().contains(header.getAlgorithm())) {
            throw new Refusal(AuthFailureReason.ALGORITHM_NOT_ALLOWED);
        }
        JOSEObjectType type = header.getType();
        if (type != null && !JOSEObjectType.JWT.equals(type) && !ACCESS_TOKEN.getType().equalsIgnoreCase(type.getType())) {
            throw new Refusal(AuthFailureReason.UNEXPECTED_TYPE);
        }
        return signed;
    }

    /** @return the JWK Set key that verified the token, or null when it was the HMAC secret */
    private VerificationKey verifySignature(SignedJWT jwt) {
        JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
        JWSVerifier verifier;
        VerificationKey key = null;
        if (JWSAlgorithm.Family.HMAC_SHA.contains(alg)) {
            verifier = hmac;                                   // never a key from the JWK Set
        } else {
            String kid = jwt.getHeader().getKeyID();
            if (kid == null || kid.isEmpty()) {
                throw new Refusal(AuthFailureReason.MISSING_KEY_ID);
            }
            key = keys.find(kid).orElseThrow(() -> new Refusal(AuthFailureReason.UNKNOWN_KEY_ID));
            if (!key.accepts(alg)) {
                throw new Refusal(AuthFailureReason.ALGORITHM_NOT_ALLOWED);   // e.g. ES256 naming an RSA key
            }
            verifier = key.verifier();
        }
        boolean valid;
        try {
            valid = jwt.verify(verifier);
        } catch (JOSEException | RuntimeException e) {
            valid = false;
        }
        if (!valid) {
            throw new Refusal(AuthFailureReason.BAD_SIGNATURE);
        }
        return key;
    }

    private Caller caller(JWTClaimsSet claims) {
        for (String name : rules.requiredClaims()) {
            if (claims.getClaim(name) == null) {
                throw new Refusal(AuthFailureReason.MISSING_CLAIM, name);
            }
        }
        Instant now = clock.instant();
        Instant early = now.minus(rules.clockSkew());
        Instant late = now.plus(rules.clockSkew());
        Date exp = claims.getExpirationTime();
        if (exp != null && !exp.toInstant().isAfter(early)) {
            throw new Refusal(AuthFailureReason.EXPIRED);
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && nbf.toInstant().isAfter(late)) {
            throw new Refusal(AuthFailureReason.NOT_YET_VALID);
        }
        Date iat = claims.getIssueTime();
        if (iat != null && iat.toInstant().isAfter(late)) {
            throw new Refusal(AuthFailureReason.ISSUED_IN_FUTURE);
        }
        if (!rules.issuer().equals(claims.getIssuer())) {
            throw new Refusal(AuthFailureReason.WRONG_ISSUER);
        }
        if (rules.audience() != null && (claims.getAudience() == null || !claims.getAudience().contains(rules.audience()))) {
            throw new Refusal(AuthFailureReason.WRONG_AUDIENCE);
        }
        String sub = claims.getSubject();
        if (sub != null && !UUID_SHAPE.matcher(sub).matches()) {
            throw new Refusal(AuthFailureReason.SUBJECT_NOT_UUID);
        }
        Object tid = claims.getClaim("tid");
        if (tid != null && !(tid instanceof String s && UUID_SHAPE.matcher(s).matches())) {
            throw new Refusal(AuthFailureReason.TENANT_NOT_UUID);
        }
        return new Caller(lower(sub), lower((String) tid), roles(claims.getClaim("roles")));
    }

    private static List<String> roles(Object claim) {
        if (claim == null) {
            return List.of();
        }
        if (!(claim instanceof List<?> list) || list.size() > MAX_ROLES) {
            throw new Refusal(AuthFailureReason.BAD_ROLES);
        }
        List<String> roles = new ArrayList<>(list.size());
        for (Object role : list) {
            if (!(role instanceof String name) || !ROLE_NAME.matcher(name).matches()) {
                throw new Refusal(AuthFailureReason.BAD_ROLES);
            }
            roles.add(name);
        }
        return roles;
    }

    private static String lower(String uuid) {
        return uuid == null ? null : uuid.toLowerCase(Locale.ROOT);
    }

    /** A refusal on its way out; no stack trace (they are frequent and expected). */
    private static final class Refusal extends RuntimeException {
        final AuthFailureReason reason;
        final AuthenticationFailure failure;

        Refusal(AuthFailureReason reason) {
            super(reason.description(), null, false, false);
            this.reason = reason;
            this.failure = reason.failure();
        }

        Refusal(AuthFailureReason reason, String detail) {
            super(reason.description(), null, false, false);
            this.reason = reason;
            this.failure = reason.failure(detail);
        }
    }
}
