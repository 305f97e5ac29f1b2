package dev.wizmesh.user.db;

import java.util.UUID;

/**
 * What one payment branch took from a wallet: {@code mode} SAGA or TCC, {@code state} HELD,
 * SPENT or RETURNED (see {@code V2__wallet_holds.sql}).
 */
public record WalletHoldRow(String xid, String branch, UUID userId, long amountCents, String mode, String state) {
}
