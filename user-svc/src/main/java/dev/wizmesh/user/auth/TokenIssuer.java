package dev.wizmesh.user.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * Issues access tokens: RS256 JWTs with {@code sub} (user id), {@code tid} (tenant id),
 * {@code roles}, {@code iat}, {@code exp}, {@code iss}, a {@code jti}, and the signing key's
 * {@code kid} in the header so verifiers pick the right key from the JWKS.
 */
public final class TokenIssuer {
    private final SigningKeys keys;
    private final RSASSASigner signer;
    private final String issuer;
    private final Duration ttl;
    private final Clock clock;

    TokenIssuer(SigningKeys keys, String issuer, Duration ttl, Clock clock) {
        this.keys = keys;
        this.issuer = issuer;
        this.ttl = ttl;
        this.clock = clock;
        try {
            this.signer = new RSASSASigner(keys.signingKey());
        } catch (JOSEException e) {
            throw new IllegalStateException("The signing key cannot sign", e);
        }
    }

    public AccessToken issue(UUID userId, UUID tenantId, List<String> roles) {
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(userId.toString())
                .claim("tid", tenantId.toString())
                .claim("roles", roles)
                .issuer(issuer)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)))
                .jwtID(UUID.randomUUID().toString())
                .build();
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID(keys.currentKeyId())
                .type(JOSEObjectType.JWT)
                .build();
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("Signing a token failed", e);
        }
        return new AccessToken(jwt.serialize(), ttl.toSeconds());
    }

    public String issuer() {
        return issuer;
    }

    /** A signed token and how long it lives. */
    public record AccessToken(String token, long expiresInSeconds) {
    }
}
