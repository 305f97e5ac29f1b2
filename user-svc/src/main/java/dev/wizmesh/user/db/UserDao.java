package dev.wizmesh.user.db;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * Users of the transaction's tenant. No query names a tenant: row-level security scopes every
 * one of them, and the tenant id written on insert must match it or PostgreSQL refuses the row.
 */
@RegisterConstructorMapper(UserRow.class)
public interface UserDao {
    String COLUMNS = "id, tenant_id, email, password_hash, display_name, roles, status, created_at, updated_at";

    @SqlUpdate("INSERT INTO users (id, tenant_id, email, password_hash, display_name, roles) "
            + "VALUES (:id, :tenantId, :email, :passwordHash, :displayName, :roles::text[])")
    void insert(@Bind("id") UUID id, @Bind("tenantId") UUID tenantId, @Bind("email") String email,
                @Bind("passwordHash") String passwordHash, @Bind("displayName") String displayName,
                @Bind("roles") String[] roles);

    @SqlQuery("SELECT " + COLUMNS + " FROM users WHERE id = :id AND status <> 'DELETED'")
    Optional<UserRow> find(@Bind("id") UUID id);

    @SqlQuery("SELECT " + COLUMNS + " FROM users WHERE email = :email AND status <> 'DELETED'")
    Optional<UserRow> findByEmail(@Bind("email") String email);

    /** One page in (created_at, id) order after the cursor position (or from the start). */
    @SqlQuery("SELECT " + COLUMNS + " FROM users WHERE status <> 'DELETED' "
            + "AND (CAST(:afterAt AS timestamptz) IS NULL OR (created_at, id) > (:afterAt, :afterId)) "
            + "ORDER BY created_at, id LIMIT :limit")
    List<UserRow> page(@Bind("afterAt") Instant afterAt, @Bind("afterId") UUID afterId, @Bind("limit") int limit);

    @SqlUpdate("UPDATE users SET display_name = :displayName, roles = :roles::text[], status = :status, "
            + "password_hash = :passwordHash, updated_at = now() WHERE id = :id AND status <> 'DELETED'")
    int update(@Bind("id") UUID id, @Bind("displayName") String displayName, @Bind("roles") String[] roles,
               @Bind("status") String status, @Bind("passwordHash") String passwordHash);

    @SqlUpdate("UPDATE users SET status = 'DELETED', updated_at = now() WHERE id = :id AND status <> 'DELETED'")
    int delete(@Bind("id") UUID id);

    /** Active admins other than this user: a tenant must keep at least one. */
    @SqlQuery("SELECT count(*) FROM users WHERE status = 'ACTIVE' AND 'admin' = ANY(roles) AND id <> :id")
    int countOtherActiveAdmins(@Bind("id") UUID id);
}
