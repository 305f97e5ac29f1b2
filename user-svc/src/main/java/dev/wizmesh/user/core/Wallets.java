package dev.wizmesh.user.core;

import dev.wizmesh.persistence.Database;
import dev.wizmesh.persistence.tenancy.TenantTransactions;
import dev.wizmesh.platform.context.RequestContext;
import dev.wizmesh.platform.errors.ApiException;
import dev.wizmesh.platform.errors.ErrorCode;
import dev.wizmesh.user.db.WalletDao;
import dev.wizmesh.user.db.WalletEntryRow;
import dev.wizmesh.user.db.WalletRow;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Wallets in minor units. A credit is idempotent by its key: the ledger entry claims the key
 * (a unique index on tenant + key) in the same transaction that moves the balance, so a retried
 * request finds the first one's entry and answers with it, and the same key with a different
 * request is a 409.
 */
public final class Wallets {
    private final Database database;

    public Wallets(Database database) {
        this.database = database;
    }

    /** {@code balanceCents} is spendable; {@code heldCents} is set aside for orders not yet confirmed. */
    public record Wallet(UUID userId, long balanceCents, long heldCents, String currency) {
    }

    /** The outcome of a credit; {@code replayed} when it is the answer to an earlier request with the key. */
    public record Credit(UUID entryId, UUID userId, long amountCents, long balanceCents, String currency,
                         Instant createdAt, boolean replayed) {
    }

    public Wallet mine() {
        return of(Ids.userId(RequestContext.requireUserId()));
    }

    public Wallet of(UUID userId) {
        return database.tenants().inCurrentTenant(h -> h.attach(WalletDao.class).find(userId))
                .map(w -> new Wallet(w.userId(), w.balanceCents(), w.heldCents(), w.currency()))
                .orElseThrow(() -> new ApiException(ErrorCode.USER_NOT_FOUND, Map.of("userId", userId)));
    }

    public Credit credit(UUID userId, long amountCents, String idempotencyKey) {
        UUID tenantId = TenantTransactions.currentTenant();
        return database.tenants().inTenant(tenantId, h -> {
            WalletDao wallets = h.attach(WalletDao.class);
            WalletRow wallet = wallets.find(userId)
                    .orElseThrow(() -> new ApiException(ErrorCode.USER_NOT_FOUND, Map.of("userId", userId)));
            Optional<UUID> claimed = wallets.claim(UUID.randomUUID(), tenantId, userId, amountCents, "CREDIT", idempotencyKey);
            if (claimed.isEmpty()) {
                WalletEntryRow first = wallets.entryByKey(idempotencyKey).orElseThrow();
                if (!first.userId().equals(userId) || first.amountCents() != amountCents || !"CREDIT".equals(first.kind())) {
                    throw new ApiException(ErrorCode.IDEMPOTENCY_KEY_REUSED, Map.of("idempotencyKey", idempotencyKey));
                }
                return new Credit(first.id(), userId, amountCents, first.balanceAfter(), wallet.currency(), first.createdAt(), true);
            }
            long balance = wallets.apply(userId, amountCents).orElseThrow();
            wallets.recordBalance(claimed.get(), balance);
            WalletEntryRow entry = wallets.entryByKey(idempotencyKey).orElseThrow();
            return new Credit(entry.id(), userId, amountCents, balance, wallet.currency(), entry.createdAt(), false);
        });
    }
}
