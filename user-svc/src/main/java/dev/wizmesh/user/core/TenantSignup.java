package dev.wizmesh.user.core;

import dev.wizmesh.persistence.Database;
import dev.wizmesh.platform.errors.ApiException;
import dev.wizmesh.platform.errors.ErrorCode;
import dev.wizmesh.user.auth.PasswordHasher;
import dev.wizmesh.user.db.TenantDao;
import dev.wizmesh.user.db.UserDao;
import dev.wizmesh.user.db.WalletDao;
import java.util.Map;
import java.util.UUID;

/**
 * Public sign-up: a new tenant, its first user (an admin) and that user's wallet, in one
 * transaction scoped to the new tenant, so row-level security checks even these first rows.
 */
public final class TenantSignup {
    private final Database database;
    private final PasswordHasher passwords;
    private final String walletCurrency;
    private final boolean open;

    public TenantSignup(Database database, PasswordHasher passwords, String walletCurrency, boolean open) {
        this.database = database;
        this.passwords = passwords;
        this.walletCurrency = walletCurrency;
        this.open = open;
    }

    public record NewTenant(UUID tenantId, UUID adminUserId) {
    }

    public NewTenant signUp(String name, String adminEmail, String adminPassword) {
        if (!open) {
            throw new ApiException(ErrorCode.SIGNUP_DISABLED, Map.of());
        }
        // hashed before the transaction: bcrypt is slow on purpose, a connection should not wait for it
        String hash = passwords.hash(adminPassword, "adminPassword");
        UUID tenantId = UUID.randomUUID();
        UUID adminId = UUID.randomUUID();
        return database.tenants().inTenant(tenantId, h -> {
            h.attach(TenantDao.class).insert(tenantId, name.strip());
            h.attach(UserDao.class).insert(adminId, tenantId, Emails.normalize(adminEmail), hash, "",
                    new String[] {Roles.ADMIN});
            h.attach(WalletDao.class).open(adminId, tenantId, walletCurrency);
            return new NewTenant(tenantId, adminId);
        });
    }
}
