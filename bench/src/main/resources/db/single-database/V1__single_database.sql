-- The benchmark's single-database baseline: what user-svc, product-svc and order-svc keep for an
-- order, in one database, so an order is one local transaction. Columns, constraints, indexes
-- and row-level security as in the three services' own migrations (only what placing an order
-- reads and writes).
CREATE TABLE products (
    id          uuid        PRIMARY KEY,
    tenant_id   uuid        NOT NULL,
    name        text        NOT NULL,
    price_cents bigint      NOT NULL CHECK (price_cents >= 0),
    currency    char(3)     NOT NULL,
    available   bigint      NOT NULL DEFAULT 0 CHECK (available >= 0),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE wallets (
    user_id       uuid PRIMARY KEY,
    tenant_id     uuid        NOT NULL,
    balance_cents bigint      NOT NULL DEFAULT 0 CHECK (balance_cents >= 0),
    currency      char(3)     NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE wallet_entries (
    id              uuid PRIMARY KEY,
    tenant_id       uuid        NOT NULL,
    user_id         uuid        NOT NULL REFERENCES wallets (user_id),
    amount_cents    bigint      NOT NULL CHECK (amount_cents <> 0),
    kind            text        NOT NULL CHECK (kind IN ('CREDIT', 'DEBIT')),
    idempotency_key text        NOT NULL,
    balance_after   bigint      NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, idempotency_key)
);
CREATE INDEX wallet_entries_by_user ON wallet_entries (tenant_id, user_id, created_at);

CREATE TABLE orders (
    id               uuid PRIMARY KEY,
    tenant_id        uuid        NOT NULL,
    user_id          uuid        NOT NULL,
    status           text        NOT NULL CHECK (status IN ('PENDING', 'CONFIRMED', 'CANCELLED')),
    status_reason    text,
    total_cents      bigint      NOT NULL CHECK (total_cents >= 0),
    currency         char(3)     NOT NULL,
    idempotency_key  text        NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, user_id, idempotency_key)
);
CREATE INDEX orders_page ON orders (tenant_id, created_at, id);
CREATE INDEX orders_by_user ON orders (tenant_id, user_id, created_at, id);

CREATE TABLE order_lines (
    order_id         uuid    NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    line_no          int     NOT NULL CHECK (line_no >= 1),
    tenant_id        uuid    NOT NULL,
    product_id       uuid    NOT NULL,
    name             text    NOT NULL,
    quantity         int     NOT NULL CHECK (quantity BETWEEN 1 AND 1000),
    unit_price_cents bigint  NOT NULL CHECK (unit_price_cents >= 0),
    PRIMARY KEY (order_id, line_no)
);

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['products', 'wallets', 'wallet_entries', 'orders', 'order_lines'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = app_current_tenant()) '
                       'WITH CHECK (tenant_id = app_current_tenant())', t);
    END LOOP;
END $$;
