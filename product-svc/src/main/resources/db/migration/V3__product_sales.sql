-- Sales counters kept from order-svc's events (docs/messaging.md): every order.confirmed adds each
-- line's quantity to its product's `sold`, in the same local transaction as the consumer's
-- processed_messages row (module "inbox"), so a redelivered event never counts twice. A deleted
-- product keeps counting: an order confirmed after the delete still sold its units.
ALTER TABLE products ADD COLUMN sold bigint NOT NULL DEFAULT 0;
ALTER TABLE products ADD CONSTRAINT products_sold_not_negative CHECK (sold >= 0);
