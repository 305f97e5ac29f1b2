package dev.wizmesh.transactions;

import dev.wizmesh.transactions.log.StepRow;
import dev.wizmesh.transactions.log.TransactionLog;
import dev.wizmesh.transactions.log.TransactionRow;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A transaction and its log as the API shows it
 * ({@code GET /api/v1/orders/{id}/transaction}): what learners read to see a saga compensate or a
 * TCC confirm, step by step.
 */
public record TransactionView(UUID id, String mode, String definition, String businessKey, String state,
                              String failureCode, String failureMessage, int recoveries, Instant createdAt,
                              Instant updatedAt, List<Step> steps) {
    public record Step(String name, String participant, String phase, String state, int attempts, Instant startedAt,
                       Instant endedAt, String error) {
    }

    public static TransactionView of(TransactionLog.Snapshot snapshot) {
        TransactionRow t = snapshot.transaction();
        List<Step> steps = snapshot.steps().stream().map(TransactionView::step).toList();
        return new TransactionView(t.id(), t.mode(), t.definition(), t.businessKey(), t.state(), t.failureCode(),
                t.failureMessage(), t.recoveries(), t.createdAt(), t.updatedAt(), steps);
    }

    private static Step step(StepRow s) {
        return new Step(s.name(), s.participant(), s.phase(), s.state(), s.attempts(), s.startedAt(), s.endedAt(), s.error());
    }
}
