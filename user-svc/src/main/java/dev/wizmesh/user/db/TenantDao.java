package dev.wizmesh.user.db;

import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Tenants. Row-level security shows a transaction its own tenant's row only. */
@RegisterConstructorMapper(TenantRow.class)
public interface TenantDao {
    @SqlUpdate("INSERT INTO tenants (id, name) VALUES (:id, :name)")
    void insert(@Bind("id") UUID id, @Bind("name") String name);

    @SqlQuery("SELECT id, name, created_at FROM tenants WHERE id = :id")
    Optional<TenantRow> find(@Bind("id") UUID id);
}
