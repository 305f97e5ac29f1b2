-- product-svc as a participant of distributed order transactions (StockReservationService):
-- what each branch took from a product's stock, so that its undo (or its Confirm) moves back
-- exactly that. The fence (tx_fence, migrated as module "fence") says which step of the branch
-- happened; this table says which units. Both are written in the same local transaction as the
-- change of products.available / products.reserved.
--
-- One row per product of a branch whose forward step committed (saga ReserveStock or TCC
-- TryReserve); a request's duplicate lines for one product are merged into one row.
--   SAGA: TAKEN  (the units left `available` for good)    -> RETURNED by ReleaseStock
--   TCC:  HELD   (the units moved `available -> reserved`) -> SOLD by ConfirmReservation
--                                                          -> RETURNED by CancelReservation
--                                                             (or by the sweeper, once expired)
-- Rows are never deleted: they are the history of what orders took from each product.
CREATE TABLE stock_reservations (
    tenant_id   uuid        NOT NULL,
    xid         text        NOT NULL CHECK (length(xid) BETWEEN 1 AND 128),
    branch      text        NOT NULL CHECK (length(branch) BETWEEN 1 AND 64),
    -- a deleted product keeps its row (V1), so a reservation of it can still be given back
    product_id  uuid        NOT NULL REFERENCES products (id),
    quantity    bigint      NOT NULL CHECK (quantity > 0),
    mode        text        NOT NULL CHECK (mode IN ('SAGA', 'TCC')),
    state       text        NOT NULL CHECK (state IN ('TAKEN', 'HELD', 'SOLD', 'RETURNED')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, xid, branch, product_id),
    -- a saga action takes units at once, only a TCC Try holds them for a Confirm
    CONSTRAINT stock_reservations_state_of_mode CHECK (
        (mode = 'SAGA' AND state IN ('TAKEN', 'RETURNED'))
        OR (mode = 'TCC' AND state IN ('HELD', 'SOLD', 'RETURNED')))
);

-- "which branches touched this product", for an operator reconciling a product's stock
CREATE INDEX stock_reservations_by_product ON stock_reservations (tenant_id, product_id, created_at);

ALTER TABLE stock_reservations ENABLE ROW LEVEL SECURITY;
ALTER TABLE stock_reservations FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON stock_reservations
    USING (tenant_id = app_current_tenant())
    WITH CHECK (tenant_id = app_current_tenant());
