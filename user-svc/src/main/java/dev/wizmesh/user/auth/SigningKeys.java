package dev.wizmesh.user.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import java.security.KeyPair;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The key that signs tokens, and every key a verifier should still accept. Each key's {@code kid}
 * is its RFC 7638 thumbprint, so the same key has the same id on every instance and no registry
 * of ids is needed.
 *
 * <p>Rotation: put the new private key in {@code signingKey} and list the old one under
 * {@code verificationKeys}; the JWKS publishes both, so tokens signed before the switch verify
 * until they expire; then drop the old one.
 */
public final class SigningKeys {
    private final RSAKey signing;
    private final JWKSet published;

    SigningKeys(KeyPair signingPair, List<RSAPublicKey> verificationKeys) {
        try {
            this.signing = withThumbprint(new RSAKey.Builder((RSAPublicKey) signingPair.getPublic())
                    .privateKey((RSAPrivateKey) signingPair.getPrivate()));
            List<com.nimbusds.jose.jwk.JWK> keys = new ArrayList<>();
            keys.add(signing.toPublicJWK());
            for (RSAPublicKey key : verificationKeys) {
                RSAKey jwk = withThumbprint(new RSAKey.Builder(key));
                if (!jwk.getKeyID().equals(signing.getKeyID())) {
                    keys.add(jwk);
                }
            }
            this.published = new JWKSet(keys);
        } catch (JOSEException e) {
            throw new IllegalStateException("Cannot compute a key thumbprint", e);
        }
    }

    private static RSAKey withThumbprint(RSAKey.Builder builder) throws JOSEException {
        RSAKey key = builder.keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256).build();
        return new RSAKey.Builder(key).keyID(key.computeThumbprint().toString()).build();
    }

    RSAKey signingKey() {
        return signing;
    }

    /** The public keys as a JWK Set ({@code /.well-known/jwks.json}); no private part, ever. */
    public Map<String, Object> jwks() {
        return published.toJSONObject(true);
    }

    public String currentKeyId() {
        return signing.getKeyID();
    }
}
