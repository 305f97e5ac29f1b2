-- user-svc's schema. Every tenant-owned table: tenant_id NOT NULL, row-level security enabled
-- AND forced (so it binds the owner too), one policy for reads (USING) and writes (WITH CHECK)
-- against app_current_tenant(), the tenant the application set for this transaction only.

CREATE TABLE tenants (
    id         uuid PRIMARY KEY,
    name       text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    created_at timestamptz NOT NULL DEFAULT now()
);
-- a tenant sees its own row only (its id is its tenant id)
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenants
    USING (id = app_current_tenant())
    WITH CHECK (id = app_current_tenant());

CREATE TABLE users (
    id            uuid PRIMARY KEY,
    tenant_id     uuid        NOT NULL REFERENCES tenants (id),
    -- stored lower-cased: one account per address, however it is typed
    email         text        NOT NULL CHECK (email = lower(email) AND length(email) <= 254),
    password_hash text        NOT NULL,
    display_name  text        NOT NULL DEFAULT '',
    roles         text[]      NOT NULL DEFAULT ARRAY['user'],
    status        text        NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'DISABLED', 'DELETED')),
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
-- a deleted user's address may be used again
CREATE UNIQUE INDEX users_email_per_tenant ON users (tenant_id, email) WHERE status <> 'DELETED';
-- keyset pagination: (created_at, id) within a tenant
CREATE INDEX users_page ON users (tenant_id, created_at, id);
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
ALTER TABLE users FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON users
    USING (tenant_id = app_current_tenant())
    WITH CHECK (tenant_id = app_current_tenant());

-- one wallet per user; the balance can never go below zero, whatever the Java says
CREATE TABLE wallets (
    user_id       uuid PRIMARY KEY REFERENCES users (id),
    tenant_id     uuid        NOT NULL,
    balance_cents bigint      NOT NULL DEFAULT 0 CHECK (balance_cents >= 0),
    currency      char(3)     NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE wallets ENABLE ROW LEVEL SECURITY;
ALTER TABLE wallets FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON wallets
    USING (tenant_id = app_current_tenant())
    WITH CHECK (tenant_id = app_current_tenant());

-- the ledger: every change of a balance, with the idempotency key that caused it, so a retried
-- request finds its first answer instead of paying twice
CREATE TABLE wallet_entries (
    id              uuid PRIMARY KEY,
    tenant_id       uuid        NOT NULL,
    user_id         uuid        NOT NULL REFERENCES wallets (user_id),
    amount_cents    bigint      NOT NULL CHECK (amount_cents <> 0),
    kind            text        NOT NULL CHECK (kind IN ('CREDIT', 'DEBIT')),
    idempotency_key text        NOT NULL,
    balance_after   bigint      NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, idempotency_key)
);
CREATE INDEX wallet_entries_by_user ON wallet_entries (tenant_id, user_id, created_at);
ALTER TABLE wallet_entries ENABLE ROW LEVEL SECURITY;
ALTER TABLE wallet_entries FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON wallet_entries
    USING (tenant_id = app_current_tenant())
    WITH CHECK (tenant_id = app_current_tenant());
