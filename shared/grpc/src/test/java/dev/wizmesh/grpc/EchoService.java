package dev.wizmesh.grpc;

import dev.wizmesh.grpc.test.v1.EchoReply;
import dev.wizmesh.grpc.test.v1.EchoRequest;
import dev.wizmesh.grpc.test.v1.EchoServiceGrpc;
import dev.wizmesh.grpc.test.v1.Seen;
import dev.wizmesh.platform.context.RequestContext;
import dev.wizmesh.platform.errors.ApiException;
import dev.wizmesh.platform.errors.ErrorCode;
import dev.wizmesh.platform.logging.LogFields;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.api.trace.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.MDC;

/** The test service: reports what each callback saw, and fails or waits on request. */
class EchoService extends EchoServiceGrpc.EchoServiceImplBase {
    private final String instance;

    EchoService(String instance) {
        this.instance = instance;
    }

    @Override
    public void echo(EchoRequest request, StreamObserver<EchoReply> responses) {
        handle(request);
        responses.onNext(reply(request.getText(), List.of(seen())));
        responses.onCompleted();
    }

    @Override
    public StreamObserver<EchoRequest> collect(StreamObserver<EchoReply> responses) {
        List<Seen> seen = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        seen.add(seen());
        return new StreamObserver<>() {
            @Override
            public void onNext(EchoRequest request) {
                seen.add(seen());
                text.append(request.getText());
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
                seen.add(seen());
                responses.onNext(reply(text.toString(), seen));
                responses.onCompleted();
            }
        };
    }

    private static void handle(EchoRequest request) {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(request.getSleepMillis());
        while (System.nanoTime() < until && !Context.current().isCancelled()) {
            sleep(10);
        }
        if ("BUG".equals(request.getFailWith())) {
            throw new IllegalStateException("secret internals: password=hunter2");
        }
        if (!request.getFailWith().isEmpty()) {
            throw new ApiException(ErrorCode.valueOf(request.getFailWith()), request.getDetailsMap());
        }
    }

    private EchoReply reply(String text, List<Seen> seen) {
        Deadline deadline = Context.current().getDeadline();
        return EchoReply.newBuilder().setText(text).setInstance(instance).addAllSeen(seen)
                .setDeadlineMillis(deadline == null ? -1 : deadline.timeRemaining(TimeUnit.MILLISECONDS))
                .build();
    }

    private static Seen seen() {
        Seen.Builder seen = Seen.newBuilder().setThread(Thread.currentThread().getName())
                .setTraceId(Span.current().getSpanContext().getTraceId());
        RequestContext.current().ifPresent(c -> {
            set(c.requestId(), seen::setRequestId);
            set(c.tenantId(), seen::setTenantId);
            set(c.userId(), seen::setUserId);
            seen.addAllRoles(c.roles());
        });
        set(MDC.get(LogFields.REQUEST_ID), seen::setMdcRequestId);
        set(MDC.get(LogFields.TENANT_ID), seen::setMdcTenantId);
        return seen.build();
    }

    private static void set(String value, java.util.function.Consumer<String> setter) {
        if (value != null) {
            setter.accept(value);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
