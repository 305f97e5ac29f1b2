package dev.wizmesh.user.core;

import dev.wizmesh.persistence.Database;
import dev.wizmesh.platform.errors.ApiException;
import dev.wizmesh.platform.errors.ErrorCode;
import dev.wizmesh.user.auth.LoginThrottle;
import dev.wizmesh.user.auth.PasswordHasher;
import dev.wizmesh.user.auth.TokenIssuer;
import dev.wizmesh.user.db.UserDao;
import dev.wizmesh.user.db.UserRow;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Login: tenant + email + password → an access token. Every way to fail (unknown tenant, unknown
 * user, disabled user, wrong password) is the same 401 {@code INVALID_CREDENTIALS} after the same
 * bcrypt work, so neither the answer nor its timing tells a guesser which part was wrong.
 */
public final class Authenticator {
    private final Database database;
    private final PasswordHasher passwords;
    private final LoginThrottle throttle;
    private final TokenIssuer tokens;

    public Authenticator(Database database, PasswordHasher passwords, LoginThrottle throttle, TokenIssuer tokens) {
        this.database = database;
        this.passwords = passwords;
        this.throttle = throttle;
        this.tokens = tokens;
    }

    public TokenIssuer.AccessToken login(UUID tenantId, String email, String password) {
        String normalized = Emails.normalize(email);
        String account = tenantId + "/" + normalized;
        long wait = throttle.retryAfterSeconds(account);
        if (wait > 0) {
            throw new ApiException(ErrorCode.TOO_MANY_LOGIN_ATTEMPTS, Map.of("retryAfterSeconds", wait));
        }
        // looked up in the claimed tenant: an unknown tenant simply has no users (row-level security)
        Optional<UserRow> user = database.tenants().inTenant(tenantId, h -> h.attach(UserDao.class).findByEmail(normalized));
        boolean ok;
        if (user.isPresent()) {
            ok = passwords.matches(password, user.get().passwordHash()) && "ACTIVE".equals(user.get().status());
        } else {
            passwords.verifyAgainstNothing();
            ok = false;
        }
        if (!ok) {
            throttle.recordFailure(account);
            throw new ApiException(ErrorCode.INVALID_CREDENTIALS, Map.of());
        }
        throttle.recordSuccess(account);
        UserRow row = user.get();
        return tokens.issue(row.id(), row.tenantId(), row.roles());
    }
}
