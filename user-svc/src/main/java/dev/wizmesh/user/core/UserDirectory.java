package dev.wizmesh.user.core;

import dev.wizmesh.persistence.Database;
import dev.wizmesh.persistence.SqlErrors;
import dev.wizmesh.persistence.tenancy.TenantTransactions;
import dev.wizmesh.platform.context.RequestContext;
import dev.wizmesh.platform.errors.ApiException;
import dev.wizmesh.platform.errors.ErrorCode;
import dev.wizmesh.platform.paging.Page;
import dev.wizmesh.platform.paging.PageCursor;
import dev.wizmesh.user.auth.PasswordHasher;
import dev.wizmesh.user.db.UserDao;
import dev.wizmesh.user.db.UserRow;
import dev.wizmesh.user.db.WalletDao;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * The users of the caller's tenant: the caller's own profile, and the admin's create, list, read,
 * change and delete. Every method works in the caller's tenant only; another tenant's user is a
 * 404, exactly like a user that does not exist.
 */
public final class UserDirectory {
    private static final String EMAIL_INDEX = "users_email_per_tenant";

    private final Database database;
    private final PasswordHasher passwords;
    private final String walletCurrency;

    public UserDirectory(Database database, PasswordHasher passwords, String walletCurrency) {
        this.database = database;
        this.passwords = passwords;
        this.walletCurrency = walletCurrency;
    }

    public User me() {
        return find(Ids.userId(RequestContext.requireUserId()));
    }

    public User find(UUID id) {
        return database.tenants().inCurrentTenant(h -> h.attach(UserDao.class).find(id))
                .map(User::of)
                .orElseThrow(() -> notFound(id));
    }

    public User create(String email, String password, String displayName, List<String> roles) {
        String hash = passwords.hash(password, "password");
        UUID tenantId = TenantTransactions.currentTenant();
        UUID id = UUID.randomUUID();
        try {
            return database.tenants().inTenant(tenantId, h -> {
                h.attach(UserDao.class).insert(id, tenantId, Emails.normalize(email), hash,
                        displayName == null ? "" : displayName.strip(), roles(roles));
                h.attach(WalletDao.class).open(id, tenantId, walletCurrency);
                return h.attach(UserDao.class).find(id).map(User::of).orElseThrow();
            });
        } catch (UnableToExecuteStatementException e) {
            if (SqlErrors.uniqueViolation(e, EMAIL_INDEX)) {
                throw new ApiException(ErrorCode.EMAIL_TAKEN, Map.of("email", Emails.normalize(email)));
            }
            throw e;
        }
    }

    public Page<User> list(int limit, String cursor) {
        PageCursor after = PageCursor.decode(cursor);
        List<UserRow> rows = database.tenants().inCurrentTenant(h -> h.attach(UserDao.class)
                .page(after == null ? null : after.createdAt(), after == null ? null : after.id(), limit + 1));
        return Page.of(rows, limit, User::of, row -> new PageCursor(row.createdAt(), row.id()));
    }

    /** Applies the fields that are set; the last active admin cannot lose the role or be disabled. */
    public User update(UUID id, String displayName, List<String> roles, String status, String password) {
        String newHash = password == null ? null : passwords.hash(password, "password");
        return database.tenants().inCurrentTenant(h -> {
            UserDao users = h.attach(UserDao.class);
            UserRow current = users.find(id).orElseThrow(() -> notFound(id));
            List<String> newRoles = roles == null ? current.roles() : List.of(roles(roles));
            String newStatus = status == null ? current.status() : status;
            boolean staysAdmin = newRoles.contains(Roles.ADMIN) && "ACTIVE".equals(newStatus);
            if (current.roles().contains(Roles.ADMIN) && !staysAdmin && users.countOtherActiveAdmins(id) == 0) {
                throw new ApiException(ErrorCode.CONFLICT, Map.of("reason", "a tenant keeps at least one active admin"));
            }
            users.update(id, displayName == null ? current.displayName() : displayName.strip(),
                    newRoles.toArray(String[]::new), newStatus, newHash == null ? current.passwordHash() : newHash);
            return users.find(id).map(User::of).orElseThrow();
        });
    }

    public void delete(UUID id) {
        database.tenants().inCurrentTenant(h -> {
            UserDao users = h.attach(UserDao.class);
            UserRow current = users.find(id).orElseThrow(() -> notFound(id));
            if (current.roles().contains(Roles.ADMIN) && users.countOtherActiveAdmins(id) == 0) {
                throw new ApiException(ErrorCode.CONFLICT, Map.of("reason", "a tenant keeps at least one active admin"));
            }
            return users.delete(id);
        });
    }

    private static String[] roles(List<String> roles) {
        return roles == null || roles.isEmpty() ? new String[] {Roles.USER} : roles.stream().distinct().toArray(String[]::new);
    }

    private static ApiException notFound(UUID id) {
        return new ApiException(ErrorCode.USER_NOT_FOUND, Map.of("userId", id));
    }
}
