-- cron-svc's own tables, beside Quartz's qrtz_* (V1). Both are tenant-owned (RLS as in every service):
-- a job belongs to the tenant whose admin created it, and so do its runs and its reports.

-- Run history: one row per fire of a job. fire_id names the fire (job name and scheduled time) and
-- is unique, so a fire that runs twice (a node died mid-run and Quartz recovered the job on
-- another) finds the row of its first attempt instead of adding one: the re-run carries the same
-- fire_id to whatever it calls, as an idempotency key.
--   RUNNING    started, not ended (or its node died: the recovering node takes the row over)
--   SUCCEEDED  ended well (after attempts tries)
--   FAILED     every attempt failed; error says why
--   MISFIRED   not run: the fire was missed (nodes down, job paused, job still running) and the
--              job's misfire policy skipped it
CREATE TABLE job_runs (
    run_id        uuid PRIMARY KEY,
    tenant_id     uuid        NOT NULL,
    job_name      text        NOT NULL,
    fire_id       text        NOT NULL,
    scheduled_at  timestamptz NOT NULL,
    started_at    timestamptz,
    ended_at      timestamptz,
    node          text,
    status        text        NOT NULL CHECK (status IN ('RUNNING', 'SUCCEEDED', 'FAILED', 'MISFIRED')),
    cause         text        NOT NULL CHECK (cause IN ('SCHEDULE', 'MANUAL', 'RECOVERY', 'MISFIRE')),
    attempts      int         NOT NULL DEFAULT 0,
    error         text,
    result        text,
    UNIQUE (tenant_id, fire_id)
);
CREATE INDEX job_runs_history ON job_runs (tenant_id, job_name, scheduled_at DESC);
ALTER TABLE job_runs ENABLE ROW LEVEL SECURITY;
ALTER TABLE job_runs FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON job_runs
    USING (tenant_id = app_current_tenant())
    WITH CHECK (tenant_id = app_current_tenant());

-- report-daily-sales: yesterday's confirmed orders per tenant, one row per day and currency,
-- written by the job (an upsert: a re-run of the same fire rewrites the same row)
CREATE TABLE daily_sales (
    tenant_id     uuid        NOT NULL,
    day           date        NOT NULL,
    currency      text        NOT NULL,
    orders        int         NOT NULL CHECK (orders >= 0),
    units         bigint      NOT NULL CHECK (units >= 0),
    amount_minor  bigint      NOT NULL CHECK (amount_minor >= 0),
    fire_id       text        NOT NULL,
    computed_at   timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, day, currency)
);
ALTER TABLE daily_sales ENABLE ROW LEVEL SECURITY;
ALTER TABLE daily_sales FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON daily_sales
    USING (tenant_id = app_current_tenant())
    WITH CHECK (tenant_id = app_current_tenant());
