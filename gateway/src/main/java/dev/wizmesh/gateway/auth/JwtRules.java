package dev.wizmesh.gateway.auth;

import com.nimbusds.jose.JWSAlgorithm;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * What a token must satisfy besides its signature.
 *
 * @param issuer         the {@code iss} every token must carry
 * @param audience       a value {@code aud} must contain, or null to not check it
 * @param algorithms     the signature algorithms accepted (the header's {@code alg} must be one)
 * @param clockSkew      tolerance for {@code exp}, {@code nbf} and {@code iat} against our clock
 * @param requiredClaims claims that must be present, e.g. {@code sub, tid, exp}
 */
public record JwtRules(String issuer, String audience, Set<JWSAlgorithm> algorithms, Duration clockSkew,
                       List<String> requiredClaims) {
    public JwtRules {
        algorithms = Set.copyOf(algorithms);
        requiredClaims = List.copyOf(requiredClaims);
    }

    /** Whether any accepted algorithm verifies with keys from the JWK Set (not the shared secret). */
    public boolean needsJwks() {
        return algorithms.stream().anyMatch(a -> !JWSAlgorithm.Family.HMAC_SHA.contains(a));
    }
}
