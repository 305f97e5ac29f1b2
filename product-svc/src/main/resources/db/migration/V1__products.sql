-- The product catalogue and its stock, one row per product, owned by a tenant.
--
-- Stock is two counters on the product row rather than a separate table, so that every stock
-- rule is one single-row UPDATE that PostgreSQL serialises on the row lock:
--   available  units that can be sold now
--   reserved   units held for orders in flight (the Saga/TCC issue moves units
--              available -> reserved on "try", drops them on "confirm", moves them back on
--              "cancel"); never part of available
-- The CHECK constraints are the last word: whatever the Java code does, no statement can
-- leave either counter negative.
CREATE TABLE products (
    id          uuid        PRIMARY KEY,
    tenant_id   uuid        NOT NULL,
    sku         text        NOT NULL,
    name        text        NOT NULL,
    description text        NOT NULL DEFAULT '',
    price_cents bigint      NOT NULL,
    currency    char(3)     NOT NULL,
    available   bigint      NOT NULL DEFAULT 0,
    reserved    bigint      NOT NULL DEFAULT 0,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    -- a deleted product keeps its row: orders and reservations still name it, and a
    -- compensation that releases stock must find it. It is gone for every read and write.
    deleted_at  timestamptz,

    CONSTRAINT products_sku_format CHECK (sku ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
    CONSTRAINT products_name_length CHECK (char_length(name) BETWEEN 1 AND 200),
    CONSTRAINT products_description_length CHECK (char_length(description) <= 2000),
    CONSTRAINT products_price_range CHECK (price_cents BETWEEN 0 AND 1000000000000),
    CONSTRAINT products_currency_format CHECK (currency ~ '^[A-Z]{3}$'),
    CONSTRAINT products_available_not_negative CHECK (available >= 0),
    CONSTRAINT products_reserved_not_negative CHECK (reserved >= 0)
);

-- SKUs are unique per tenant among live products, ignoring case ("ab-1" and "AB-1" would be
-- the same label on a shelf); a deleted product frees its SKU. A duplicate insert fails on this
-- index, which the service turns into 409 SKU_TAKEN: no check-then-insert race.
CREATE UNIQUE INDEX products_tenant_sku_key ON products (tenant_id, lower(sku)) WHERE deleted_at IS NULL;

-- Keyset pagination walks (created_at, id) within a tenant.
CREATE INDEX products_tenant_created_idx ON products (tenant_id, created_at, id) WHERE deleted_at IS NULL;

ALTER TABLE products ENABLE ROW LEVEL SECURITY;
ALTER TABLE products FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON products
    USING (tenant_id = app_current_tenant())
    WITH CHECK (tenant_id = app_current_tenant());
