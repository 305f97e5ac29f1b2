package dev.wizmesh.user.api;

import dev.wizmesh.user.core.Wallets;

/** {@code GET /api/v1/users/me/wallet}. */
public record WalletView(long balanceCents, String currency) {
    static WalletView of(Wallets.Wallet wallet) {
        return new WalletView(wallet.balanceCents(), wallet.currency());
    }
}
