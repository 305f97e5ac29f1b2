package dev.wizmesh.transactions;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wizmesh.transactions.log.LostLease;
import dev.wizmesh.transactions.log.StepRow;
import dev.wizmesh.transactions.log.TransactionLog;
import dev.wizmesh.transactions.log.TransactionRow;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of one transaction by this process, from wherever its log says it stands: the forward
 * path, TCC's Confirm, or the compensations. The same code starts a new transaction and resumes
 * one a crashed instance left: there is no separate "recovery logic" to get wrong.
 *
 * <p>Each pass reads the log, takes the next decision and commits it, then reads again. A run
 * ends when the transaction is final, when it is parked for recovery (TCC's second phase out of
 * attempts for now), or when the lease is lost to another driver.
 */
final class TransactionRun<D> {
    private static final Logger LOG = LoggerFactory.getLogger(TransactionRun.class);

    private final TransactionLog log;
    private final StepAttempts attempts;
    private final TransactionDefinition<D> definition;
    private final TransactionMetrics metrics;
    private final ObjectMapper mapper;
    private final UUID tenantId;
    private final UUID id;
    /** The final state this run wrote, when it wrote one: nothing to read back. */
    private TransactionState settled;

    TransactionRun(TransactionLog log, StepAttempts attempts, TransactionDefinition<D> definition,
                   TransactionMetrics metrics, ObjectMapper mapper, UUID tenantId, UUID id) {
        this.log = log;
        this.attempts = attempts;
        this.definition = definition;
        this.metrics = metrics;
        this.mapper = mapper;
        this.tenantId = tenantId;
        this.id = id;
    }

    /**
     * Drives the transaction as far as it goes now, from {@code claimed} (the log as this driver
     * found it when it took the lease); returns its state when this run let go.
     */
    TransactionState run(TransactionLog.Snapshot claimed) throws Exception {
        try {
            TransactionLog.Snapshot snapshot = claimed;
            while (true) {
                if (snapshot == null) { // the state changed: the next phase reads the log as it is now
                    snapshot = log.load(tenantId, id).orElseThrow();
                }
                TransactionRow row = snapshot.transaction();
                TransactionState state = TransactionState.valueOf(row.state());
                D data = mapper.readValue(row.data(), definition.dataType());
                boolean goOn = switch (state) {
                    case RUNNING -> forward(snapshot, data);
                    case CONFIRMING -> confirm(snapshot, data);
                    case COMPENSATING -> compensate(snapshot, data);
                    default -> false;
                };
                if (!goOn) {
                    return settled != null ? settled
                            : log.load(tenantId, id).map(s -> TransactionState.valueOf(s.transaction().state())).orElse(state);
                }
                snapshot = null;
            }
        } catch (LostLease lost) {
            LOG.info("{}: another driver took over; this run stops", lost.getMessage());
            return log.load(tenantId, id).map(s -> TransactionState.valueOf(s.transaction().state())).orElseThrow();
        } catch (InterruptedException stopping) {
            // this instance is shutting down: give the lease back so another instance need not
            // wait for it to run out (a step left RUNNING is re-sent under its key)
            boolean interrupted = Thread.interrupted(); // a pool refuses to lend a connection to an interrupted thread
            try {
                log.release(tenantId, id, Duration.ZERO);
            } catch (RuntimeException databaseGone) {
                // then the lease runs out on its own
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            throw stopping;
        }
    }

    /** Saga actions or TCC Trys, in order; the first that cannot succeed turns the transaction to compensation. */
    private boolean forward(TransactionLog.Snapshot snapshot, D data) throws Exception {
        Phase phase = Phase.forward(definition.mode());
        long deadline = System.nanoTime() + Math.max(0, snapshot.transaction().remainingMillis()) * 1_000_000;
        List<StepDefinition<D>> steps = definition.steps();
        for (int i = 0; i < steps.size(); i++) {
            StepRow previous = snapshot.step(i, phase).orElse(null);
            if (previous != null && StepState.SUCCEEDED.name().equals(previous.state())) {
                continue;
            }
            StepDefinition<D> step = steps.get(i);
            StepAttempts.Outcome outcome = attempts.run(tenantId, id, i, phase, step, step.forward(), step.forwardRetry(),
                    data, previous, deadline);
            if (!outcome.succeeded()) {
                String reason = outcome.reason() != null ? outcome.reason() : "PARTICIPANT_UNAVAILABLE";
                LOG.info("transaction {} ({}): step {} {}: {}; compensating", id, definition.name(), step.name(),
                        outcome.kind(), outcome.error());
                log.changeState(tenantId, id, TransactionState.COMPENSATING, reason, step.name() + ": " + outcome.error());
                return true;
            }
        }
        if (definition.mode() == TransactionMode.TCC) {
            log.changeState(tenantId, id, TransactionState.CONFIRMING, null, null);
            return true;
        }
        finish(snapshot.transaction(), TransactionState.COMPLETED, data, null);
        return false;
    }

    /** TCC's second phase after every Try succeeded: Confirm each branch; it must get through. */
    private boolean confirm(TransactionLog.Snapshot snapshot, D data) throws Exception {
        List<StepDefinition<D>> steps = definition.steps();
        for (int i = 0; i < steps.size(); i++) {
            StepRow previous = snapshot.step(i, Phase.CONFIRM).orElse(null);
            if (previous != null && StepState.SUCCEEDED.name().equals(previous.state())) {
                continue;
            }
            StepDefinition<D> step = steps.get(i);
            StepAttempts.Outcome outcome = attempts.run(tenantId, id, i, Phase.CONFIRM, step, step.confirm(),
                    retriesThisRun(step.undoRetry(), previous), data, previous, Long.MAX_VALUE);
            if (!secondPhaseSucceeded(step, outcome, step.undoRetry())) {
                return false;
            }
        }
        finish(snapshot.transaction(), TransactionState.COMPLETED, data, null);
        return false;
    }

    /** Undo every step that was started (or may have been), last first. */
    private boolean compensate(TransactionLog.Snapshot snapshot, D data) throws Exception {
        Phase forward = Phase.forward(definition.mode());
        Phase undo = Phase.undo(definition.mode());
        List<StepDefinition<D>> steps = definition.steps();
        for (int i = steps.size() - 1; i >= 0; i--) {
            StepDefinition<D> step = steps.get(i);
            if (snapshot.step(i, forward).isEmpty() || step.undo() == null) {
                continue; // never started (nothing to undo), or nothing undoable
            }
            StepRow previous = snapshot.step(i, undo).orElse(null);
            if (previous != null && StepState.SUCCEEDED.name().equals(previous.state())) {
                continue;
            }
            RetryPolicy policy = definition.mode() == TransactionMode.TCC
                    ? retriesThisRun(step.undoRetry(), previous) : step.undoRetry();
            StepAttempts.Outcome outcome = attempts.run(tenantId, id, i, undo, step, step.undo(), policy, data, previous,
                    Long.MAX_VALUE);
            if (definition.mode() == TransactionMode.TCC) {
                if (!secondPhaseSucceeded(step, outcome, step.undoRetry())) {
                    return false;
                }
            } else if (!outcome.succeeded()) {
                // a saga compensation that cannot get through: the system cannot undo this alone
                LOG.error("transaction {} ({}): compensation {} {}: {}; needs an operator", id, definition.name(),
                        step.name(), outcome.kind(), outcome.error());
                log.changeState(tenantId, id, TransactionState.FAILED_NEEDS_ATTENTION, null,
                        "compensation " + step.name() + " " + outcome.kind() + ": " + outcome.error());
                log.release(tenantId, id, Duration.ZERO);
                metrics.finished(definition, TransactionState.FAILED_NEEDS_ATTENTION, secondsSince(snapshot.transaction()));
                return false;
            }
        }
        TransactionRow row = snapshot.transaction();
        finish(row, TransactionState.COMPENSATED, data, new LocalOutcome.Failure(row.failureCode(), row.failureMessage()));
        return false;
    }

    /**
     * TCC's Confirm and Cancel are retried until they get through: this run's attempts spent,
     * the transaction is parked and recovery tries again later. A definitive refusal cannot
     * change with time, so it goes to an operator.
     */
    private boolean secondPhaseSucceeded(StepDefinition<D> step, StepAttempts.Outcome outcome, RetryPolicy policy) {
        switch (outcome.kind()) {
            case SUCCEEDED:
                return true;
            case REJECTED:
                LOG.error("transaction {} ({}): {} refused for good: {}; needs an operator", id, definition.name(),
                        step.name(), outcome.error());
                log.changeState(tenantId, id, TransactionState.FAILED_NEEDS_ATTENTION, null,
                        step.name() + " refused: " + outcome.error());
                log.release(tenantId, id, Duration.ZERO);
                metrics.finished(definition, TransactionState.FAILED_NEEDS_ATTENTION, 0);
                return false;
            default:
                LOG.warn("transaction {} ({}): {} not through yet ({}); recovery retries in {} ms", id, definition.name(),
                        step.name(), outcome.error(), policy.maxBackoff().toMillis());
                log.release(tenantId, id, policy.maxBackoff());
                return false;
        }
    }

    /** A fresh allowance per run: the log's count of attempts only grows across runs. */
    private static RetryPolicy retriesThisRun(RetryPolicy policy, StepRow previous) {
        int before = previous == null ? 0 : previous.attempts();
        return policy.withMaxAttempts(before + policy.maxAttempts()).withMaxDuration(Duration.ofDays(36_500));
    }

    private void finish(TransactionRow row, TransactionState state, D data, LocalOutcome.Failure failure) throws Exception {
        LocalOutcome<D> outcome = state == TransactionState.COMPLETED ? definition.onCompleted() : definition.onCompensated();
        log.finish(tenantId, id, state, h -> outcome.apply(h, data, failure));
        settled = state;
        metrics.finished(definition, state, secondsSince(row));
        LOG.info("transaction {} ({}, {}) {}{}", id, definition.name(), definition.mode(), state,
                failure == null ? "" : " (" + failure.code() + ")");
    }

    private static double secondsSince(TransactionRow row) {
        return Math.max(0, (System.currentTimeMillis() - row.createdAt().toEpochMilli()) / 1000.0);
    }
}
