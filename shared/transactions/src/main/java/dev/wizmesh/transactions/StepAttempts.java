package dev.wizmesh.transactions;

import dev.wizmesh.transactions.log.StepRow;
import dev.wizmesh.transactions.log.TransactionLog;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one step's phase to an outcome under its retry policy. Before each call the attempt is
 * committed to the log as RUNNING; after it, its result. The count of attempts and the time since
 * the first come from the log, so a run resumed after a crash goes on where the dead one stopped
 * instead of starting the policy over.
 */
final class StepAttempts {
    /** How one phase of one step ended. */
    record Outcome(Kind kind, String reason, String error) {
        enum Kind { SUCCEEDED, REJECTED, EXHAUSTED }

        boolean succeeded() {
            return kind == Kind.SUCCEEDED;
        }
    }

    private final TransactionLog log;
    private final ExecutorService calls;

    StepAttempts(TransactionLog log, ExecutorService calls) {
        this.log = log;
        this.calls = calls;
    }

    /**
     * @param previous    the log's entry for this step and phase, if an earlier run started it
     * @param deadlineNanos no attempt starts after this ({@code System.nanoTime()} based; Long.MAX_VALUE for none)
     */
    <D> Outcome run(UUID tenantId, UUID transactionId, int index, Phase phase, StepDefinition<D> step,
                    StepAction<D> action, RetryPolicy policy, D data, StepRow previous, long deadlineNanos)
            throws InterruptedException {
        int attempts = previous == null ? 0 : previous.attempts();
        long firstStartedNanos = System.nanoTime() - (previous == null ? 0 : previous.elapsedMillis() * 1_000_000);
        String lastError = previous == null ? null : previous.error();
        while (true) {
            Duration sinceFirst = Duration.ofNanos(System.nanoTime() - firstStartedNanos);
            if (!policy.allowsAnother(attempts, sinceFirst)) {
                return new Outcome(Outcome.Kind.EXHAUSTED, null, attempts + " attempts in " + sinceFirst.toMillis()
                        + " ms; last: " + lastError);
            }
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return new Outcome(Outcome.Kind.EXHAUSTED, "TIMEOUT", "the transaction's deadline passed; last: " + lastError);
            }
            Duration timeout = Duration.ofNanos(Math.min(policy.attemptTimeout().toNanos(), left));
            attempts = log.startAttempt(tenantId, transactionId, index, phase, step.name(), step.participant());
            StepCall call = new StepCall(transactionId, tenantId, step.name(), phase, attempts, timeout);
            CrashPoints.reached(phase == Phase.COMPENSATION || phase == Phase.CANCEL ? "compensating" : "before-call");
            try {
                invoke(action, data, call);
                CrashPoints.reached("after-call");
                log.endAttempt(tenantId, transactionId, index, phase, StepState.SUCCEEDED, null);
                return new Outcome(Outcome.Kind.SUCCEEDED, null, null);
            } catch (InterruptedException | RejectedExecutionException stopping) {
                // this process is stopping: the attempt stays RUNNING in the log (its outcome is
                // unknown), and whoever resumes the transaction sends it again under the same key
                Thread.currentThread().interrupt();
                throw new InterruptedException("stopped during " + step.name() + " " + phase);
            } catch (StepRejected rejected) {
                log.endAttempt(tenantId, transactionId, index, phase, StepState.REJECTED, rejected.getMessage());
                return new Outcome(Outcome.Kind.REJECTED, rejected.reason(), rejected.getMessage());
            } catch (Exception failed) {
                lastError = describe(failed);
                log.endAttempt(tenantId, transactionId, index, phase, StepState.FAILED, lastError);
            }
            if (policy.allowsAnother(attempts, Duration.ofNanos(System.nanoTime() - firstStartedNanos))) {
                Thread.sleep(policy.backoffAfter(attempts).toMillis());
            }
        }
    }

    /** The call on its own thread, so a participant that ignores its deadline cannot hold the driver. */
    private <D> void invoke(StepAction<D> action, D data, StepCall call) throws Exception {
        Future<?> running = calls.submit(() -> {
            action.apply(data, call);
            return null;
        });
        try {
            running.get(call.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            running.cancel(true);
            throw new TimeoutException("no answer within " + call.timeout().toMillis() + " ms");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        String text = e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
        return text.length() > 500 ? text.substring(0, 500) : text;
    }
}
