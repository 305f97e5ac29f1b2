package dev.wizmesh.transactions;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The participants' side of a test: each call is recorded ("reserve:ACTION#1") and answers as
 * the test scripted it for that step and phase (OK when nothing is scripted). Concurrent calls of
 * one transaction's step are counted, so a test can prove no two drivers ran it at once.
 */
final class ScriptedParticipants {
    enum Answer { OK, FAIL, REJECT, HANG, BLOCK }

    record Order(java.util.UUID orderId, int quantity) {
    }

    final List<String> calls = new CopyOnWriteArrayList<>();
    final List<String> keys = new CopyOnWriteArrayList<>();
    private final Map<String, Deque<Answer>> script = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    final AtomicInteger maxConcurrentPerStep = new AtomicInteger();
    final CountDownLatch blocked = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    /** Scripts the next answers of one step's phase, e.g. {@code script("debit", Phase.ACTION, FAIL, FAIL, OK)}. */
    ScriptedParticipants script(String step, Phase phase, Answer... answers) {
        script.computeIfAbsent(step + ":" + phase, k -> new ArrayDeque<>()).addAll(List.of(answers));
        return this;
    }

    StepAction<Order> call(String step) {
        return (order, call) -> {
            String key = call.idempotencyKey();
            AtomicInteger running = inFlight.computeIfAbsent(key, k -> new AtomicInteger());
            maxConcurrentPerStep.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                calls.add(step + ":" + call.phase() + "#" + call.attempt());
                keys.add(key);
                Deque<Answer> answers = script.get(step + ":" + call.phase());
                Answer answer;
                synchronized (this) {
                    answer = answers == null || answers.isEmpty() ? Answer.OK : answers.poll();
                }
                switch (answer) {
                    case FAIL -> throw new IllegalStateException(step + " is unavailable");
                    case REJECT -> throw new StepRejected("OUT_OF_STOCK", step + " refused: not enough stock");
                    case HANG -> Thread.sleep(call.timeout().toMillis() + 2_000);
                    case BLOCK -> {
                        blocked.countDown();
                        release.await();
                    }
                    default -> { }
                }
            } finally {
                running.decrementAndGet();
            }
        };
    }

    /** The calls of one phase, in order, without attempt numbers. */
    List<String> callsOf(Phase phase) {
        return calls.stream().filter(c -> c.contains(":" + phase + "#")).map(c -> c.substring(0, c.indexOf(':'))).toList();
    }
}
