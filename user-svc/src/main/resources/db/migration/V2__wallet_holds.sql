-- user-svc as a participant of distributed order transactions (WalletPaymentService): what each
-- branch took from a wallet, so its undo gives back exactly that. The fence (tx_fence, migrated
-- as module "fence") says which step of the branch happened; this table says how much money.

-- Money a TCC Try set aside: out of the spendable balance, not yet spent. balance_cents stays
-- what the user can spend; balance_cents + held_cents is what the wallet holds in total.
ALTER TABLE wallets ADD COLUMN held_cents bigint NOT NULL DEFAULT 0 CHECK (held_cents >= 0);

-- The ledger gains the payment kinds. Every change of balance_cents is still one entry, so the
-- entries of a wallet always add up to its balance_cents:
--   DEBIT    saga action: the amount leaves the balance for good        (negative)
--   REFUND   saga compensation: the debit paid back                     (positive)
--   HOLD     TCC Try: the amount leaves the balance into held_cents     (negative)
--   RELEASE  TCC Cancel: the held amount back to the balance            (positive)
-- A TCC Confirm moves no balance (the money left it at the Try): it empties the hold only.
ALTER TABLE wallet_entries DROP CONSTRAINT wallet_entries_kind_check;
ALTER TABLE wallet_entries ADD CONSTRAINT wallet_entries_kind_check
    CHECK (kind IN ('CREDIT', 'DEBIT', 'REFUND', 'HOLD', 'RELEASE'));

-- One row per payment branch whose forward step committed (saga Debit or TCC TryHold), written
-- in the same transaction as the fence row and the balance change. Never deleted: with the
-- ledger it is the wallet's history of order payments.
--   SAGA: SPENT at once (the debit is final unless compensated) -> RETURNED by Refund
--   TCC:  HELD -> SPENT by ConfirmHold, or -> RETURNED by CancelHold (or the sweeper, on expiry)
CREATE TABLE wallet_holds (
    tenant_id    uuid        NOT NULL,
    xid          text        NOT NULL CHECK (length(xid) BETWEEN 1 AND 128),
    branch       text        NOT NULL CHECK (length(branch) BETWEEN 1 AND 64),
    user_id      uuid        NOT NULL REFERENCES wallets (user_id),
    amount_cents bigint      NOT NULL CHECK (amount_cents > 0),
    mode         text        NOT NULL CHECK (mode IN ('SAGA', 'TCC')),
    state        text        NOT NULL CHECK (state IN ('HELD', 'SPENT', 'RETURNED')),
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, xid, branch),
    -- only a TCC Try holds money; a saga debit takes it at once
    CHECK (mode = 'TCC' OR state <> 'HELD')
);
CREATE INDEX wallet_holds_by_user ON wallet_holds (tenant_id, user_id, created_at);
ALTER TABLE wallet_holds ENABLE ROW LEVEL SECURITY;
ALTER TABLE wallet_holds FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON wallet_holds
    USING (tenant_id = app_current_tenant())
    WITH CHECK (tenant_id = app_current_tenant());
