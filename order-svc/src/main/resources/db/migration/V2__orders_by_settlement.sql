-- The daily sales report (GET /api/v1/orders/sales) reads a tenant's CONFIRMED orders by the time
-- they were confirmed: updated_at, which the settling UPDATE sets and nothing changes after (a
-- confirmed order is final). The PENDING sweep (POST /api/v1/orders/expire-pending) uses
-- orders_page (tenant_id, created_at, id).
CREATE INDEX orders_confirmed_at ON orders (tenant_id, updated_at) WHERE status = 'CONFIRMED';
