package dev.wizmesh.user.api;

import dev.wizmesh.user.core.Wallets;

/**
 * {@code GET /api/v1/users/me/wallet}: {@code balanceCents} can be spent; {@code heldCents} is set
 * aside for orders still being placed (a TCC hold), spent or given back when they settle.
 */
public record WalletView(long balanceCents, long heldCents, String currency) {
    static WalletView of(Wallets.Wallet wallet) {
        return new WalletView(wallet.balanceCents(), wallet.heldCents(), wallet.currency());
    }
}
