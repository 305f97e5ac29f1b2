-- order-svc's schema: orders and their lines, tenant-owned (RLS as in every service).
--
-- Order states, designed for the Saga/TCC issue:
--   PENDING    stored, prices fixed; stock and payment not yet settled (the transaction's job)
--   CONFIRMED  stock reserved and wallet debited: final
--   CANCELLED  by the buyer or an admin while PENDING, or by the transaction's compensation: final
-- Transitions only PENDING -> CONFIRMED | CANCELLED, enforced by every UPDATE's WHERE clause.
CREATE TABLE orders (
    id               uuid PRIMARY KEY,
    tenant_id        uuid        NOT NULL,
    user_id          uuid        NOT NULL,
    status           text        NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'CONFIRMED', 'CANCELLED')),
    status_reason    text,
    total_cents      bigint      NOT NULL CHECK (total_cents >= 0),
    currency         char(3)     NOT NULL,
    -- the buyer's Idempotency-Key and a hash of the request it came with: a retry with the same
    -- key and body finds this order; the same key with another body is a 409
    idempotency_key  text        NOT NULL,
    request_hash     text        NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, user_id, idempotency_key)
);
CREATE INDEX orders_page ON orders (tenant_id, created_at, id);
CREATE INDEX orders_by_user ON orders (tenant_id, user_id, created_at, id);
ALTER TABLE orders ENABLE ROW LEVEL SECURITY;
ALTER TABLE orders FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON orders
    USING (tenant_id = app_current_tenant())
    WITH CHECK (tenant_id = app_current_tenant());

-- lines keep the name and unit price as they were when the order was placed
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
ALTER TABLE order_lines ENABLE ROW LEVEL SECURITY;
ALTER TABLE order_lines FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON order_lines
    USING (tenant_id = app_current_tenant())
    WITH CHECK (tenant_id = app_current_tenant());
