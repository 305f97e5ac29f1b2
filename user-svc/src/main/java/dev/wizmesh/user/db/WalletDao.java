package dev.wizmesh.user.db;

import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Wallets and their ledger, in the transaction's tenant. */
@RegisterConstructorMapper(WalletRow.class)
@RegisterConstructorMapper(WalletEntryRow.class)
public interface WalletDao {
    @SqlUpdate("INSERT INTO wallets (user_id, tenant_id, currency) VALUES (:userId, :tenantId, :currency)")
    void open(@Bind("userId") UUID userId, @Bind("tenantId") UUID tenantId, @Bind("currency") String currency);

    @SqlQuery("SELECT user_id, balance_cents, held_cents, currency FROM wallets WHERE user_id = :userId")
    Optional<WalletRow> find(@Bind("userId") UUID userId);

    /**
     * The wallet, locked until the transaction ends: concurrent payments from one wallet take
     * turns here, each deciding on the balance the previous one committed (never an overdraft).
     */
    @SqlQuery("SELECT user_id, balance_cents, held_cents, currency FROM wallets WHERE user_id = :userId FOR UPDATE")
    Optional<WalletRow> lock(@Bind("userId") UUID userId);

    /**
     * Claims the idempotency key by inserting the entry; empty when the key was already used (a
     * concurrent request with the same key waits here until the first commits, then gets empty).
     */
    @SqlQuery("INSERT INTO wallet_entries (id, tenant_id, user_id, amount_cents, kind, idempotency_key) "
            + "VALUES (:id, :tenantId, :userId, :amountCents, :kind, :key) "
            + "ON CONFLICT (tenant_id, idempotency_key) DO NOTHING RETURNING id")
    Optional<UUID> claim(@Bind("id") UUID id, @Bind("tenantId") UUID tenantId, @Bind("userId") UUID userId,
                         @Bind("amountCents") long amountCents, @Bind("kind") String kind, @Bind("key") String key);

    @SqlQuery("SELECT id, user_id, amount_cents, kind, idempotency_key, balance_after, created_at "
            + "FROM wallet_entries WHERE idempotency_key = :key")
    Optional<WalletEntryRow> entryByKey(@Bind("key") String key);

    /** Applies an amount; the CHECK (balance_cents >= 0) refuses an overdraft in the database. */
    @SqlQuery("UPDATE wallets SET balance_cents = balance_cents + :amountCents, updated_at = now() "
            + "WHERE user_id = :userId RETURNING balance_cents")
    Optional<Long> apply(@Bind("userId") UUID userId, @Bind("amountCents") long amountCents);

    @SqlUpdate("UPDATE wallet_entries SET balance_after = :balance WHERE id = :id")
    void recordBalance(@Bind("id") UUID id, @Bind("balance") long balance);

    /**
     * Moves an amount between the spendable balance and the held money: positive
     * {@code toHeld} holds, negative releases. Either CHECK (>= 0) refuses going below zero.
     *
     * @return the balance after
     */
    @SqlQuery("UPDATE wallets SET balance_cents = balance_cents - :toHeld, held_cents = held_cents + :toHeld, "
            + "updated_at = now() WHERE user_id = :userId RETURNING balance_cents")
    Optional<Long> moveToHeld(@Bind("userId") UUID userId, @Bind("toHeld") long toHeld);

    /** Spends held money (a confirmed hold): it leaves the wallet; the spendable balance is unchanged. */
    @SqlUpdate("UPDATE wallets SET held_cents = held_cents - :amountCents, updated_at = now() WHERE user_id = :userId")
    int spendHeld(@Bind("userId") UUID userId, @Bind("amountCents") long amountCents);

    /**
     * Writes a ledger entry whose balance is already known (a payment step, which runs once per
     * branch under the fence). Empty when the key is taken: only an admin's credit that chose
     * this very key could have taken it.
     */
    @SqlQuery("INSERT INTO wallet_entries (id, tenant_id, user_id, amount_cents, kind, idempotency_key, balance_after) "
            + "VALUES (:id, :tenantId, :userId, :amountCents, :kind, :key, :balanceAfter) "
            + "ON CONFLICT (tenant_id, idempotency_key) DO NOTHING RETURNING id")
    Optional<UUID> record(@Bind("id") UUID id, @Bind("tenantId") UUID tenantId, @Bind("userId") UUID userId,
                          @Bind("amountCents") long amountCents, @Bind("kind") String kind, @Bind("key") String key,
                          @Bind("balanceAfter") long balanceAfter);
}
