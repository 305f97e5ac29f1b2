-- The coordinator's log: one row per distributed transaction (saga or TCC) and one per step and
-- phase, kept in the coordinating service's own database and written in the same local
-- transaction as each decision, so a crash loses no decision and repeats no finished step.
--
-- Transaction states:
--   RUNNING        forward: saga actions / TCC Try, in order
--   CONFIRMING     TCC only: every Try succeeded; Confirm every branch (retried until done)
--   COMPENSATING   a step failed or was refused: compensations / Cancel, in reverse
--   COMPLETED      final: every action (saga) or Confirm (TCC) succeeded
--   COMPENSATED    final: every started step was compensated / cancelled
--   FAILED_NEEDS_ATTENTION  a compensation ran out of retries: an operator must look (admin API)
--   RESOLVED       final: an operator marked a FAILED_NEEDS_ATTENTION transaction resolved
CREATE TABLE tx_transactions (
    id               uuid PRIMARY KEY,
    tenant_id        uuid        NOT NULL,
    mode             text        NOT NULL CHECK (mode IN ('SAGA', 'TCC')),
    definition       text        NOT NULL,
    business_key     text,
    state            text        NOT NULL CHECK (state IN ('RUNNING', 'CONFIRMING', 'COMPENSATING', 'COMPLETED',
                                                           'COMPENSATED', 'FAILED_NEEDS_ATTENTION', 'RESOLVED')),
    data             jsonb       NOT NULL,
    failure_code     text,
    failure_message  text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    -- past this the forward path gives up and compensates (reason TIMEOUT)
    deadline_at      timestamptz NOT NULL,
    -- who drives it now, and until when: a driver that stops renewing (crashed, paused) loses it
    lease_owner      text,
    lease_until      timestamptz,
    -- when recovery should look at it next (retry back-off between attempts lives here)
    next_run_at      timestamptz NOT NULL DEFAULT now(),
    recoveries       int         NOT NULL DEFAULT 0
);
CREATE INDEX tx_transactions_due ON tx_transactions (next_run_at)
    WHERE state IN ('RUNNING', 'CONFIRMING', 'COMPENSATING');
CREATE INDEX tx_transactions_by_state ON tx_transactions (tenant_id, state, created_at);
CREATE INDEX tx_transactions_by_key ON tx_transactions (tenant_id, business_key);

CREATE TABLE tx_steps (
    transaction_id   uuid        NOT NULL REFERENCES tx_transactions (id) ON DELETE CASCADE,
    tenant_id        uuid        NOT NULL,
    step_index       int         NOT NULL CHECK (step_index >= 0),
    phase            text        NOT NULL CHECK (phase IN ('ACTION', 'COMPENSATION', 'TRY', 'CONFIRM', 'CANCEL')),
    name             text        NOT NULL,
    participant      text        NOT NULL,
    -- RUNNING is written (and committed) before each attempt's call: after a crash, a RUNNING
    -- step may or may not have reached its participant, which is why every call carries an
    -- idempotency key and why a RUNNING action is compensated, never forgotten
    state            text        NOT NULL CHECK (state IN ('RUNNING', 'SUCCEEDED', 'FAILED', 'REJECTED')),
    attempts         int         NOT NULL DEFAULT 0,
    started_at       timestamptz NOT NULL DEFAULT now(),
    ended_at         timestamptz,
    error            text,
    PRIMARY KEY (transaction_id, step_index, phase)
);

-- Tenant isolation as everywhere: each tenant sees and writes only its own transactions.
ALTER TABLE tx_transactions ENABLE ROW LEVEL SECURITY;
ALTER TABLE tx_transactions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tx_transactions
    USING (tenant_id = app_current_tenant())
    WITH CHECK (tenant_id = app_current_tenant());
ALTER TABLE tx_steps ENABLE ROW LEVEL SECURITY;
ALTER TABLE tx_steps FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tx_steps
    USING (tenant_id = app_current_tenant())
    WITH CHECK (tenant_id = app_current_tenant());

-- Recovery must find unfinished transactions of every tenant, which no tenant-scoped read can.
-- This policy lets a transaction that says it is the recovery scan (app.tx_recovery = on) READ
-- rows, never write them: the scan reads ids and tenants only, and resumes each transaction in
-- its own tenant's scope, where the policy above applies as usual.
CREATE POLICY recovery_scan ON tx_transactions FOR SELECT
    USING (current_setting('app.tx_recovery', true) = 'on');
