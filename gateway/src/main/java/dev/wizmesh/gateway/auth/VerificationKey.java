package dev.wizmesh.gateway.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;

/**
 * One public key from the JWK Set with its verifier, built once when the set is loaded so that
 * verifying a token does no key parsing.
 *
 * @param kid       the key id (the JWK's {@code kid}, or its RFC 7638 thumbprint when it has none)
 * @param algorithm the JWK's own {@code alg}, or null when it does not pin one
 * @param verifier  a thread-safe verifier for the key
 */
public record VerificationKey(String kid, JWSAlgorithm algorithm, JWSVerifier verifier) {
    /** Whether a token signed with {@code alg} may be checked against this key. */
    public boolean accepts(JWSAlgorithm alg) {
        return (algorithm == null || algorithm.equals(alg)) && verifier.supportedJWSAlgorithms().contains(alg);
    }
}
