package dev.wizmesh.gateway.proxy;

import dev.wizmesh.discovery.ServiceInstance;
import dev.wizmesh.discovery.balancer.Pick;
import dev.wizmesh.gateway.proxy.AttemptResult.Outcome;
import dev.wizmesh.gateway.route.Route;
import dev.wizmesh.platform.errors.ErrorCode;
import dev.wizmesh.platform.logging.LogFields;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One proxied request, from the moment it goes asynchronous to its last byte: chooses an
 * instance, sends, streams both bodies, and on failure retries or answers with an error in the
 * one shape. Everything here runs on Jetty's threads (the servlet container's and the HTTP
 * client's) without blocking; the server span and the request id are re-installed around each
 * callback so logs and error bodies carry them.
 */
final class ProxyExchange {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyExchange.class);
    private static final AttributeKey<String> URL_FULL = AttributeKey.stringKey("url.full");
    private static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
    private static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
    private static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
    private static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
    private static final AttributeKey<Long> RESEND = AttributeKey.longKey("http.request.resend_count");
    /** Request headers never copied from the client: the gateway sets its own, or Jetty does. */
    private static final Set<String> NOT_COPIED = Set.of(
            "host", "content-length", "expect", "x-request-id", "traceparent", "tracestate");
    /** Response headers never passed back: they describe the upstream's software, or are the gateway's. */
    private static final Set<String> NOT_RETURNED = Set.of(
            "server", "x-powered-by", "x-aspnet-version", "x-aspnetmvc-version", "date", "x-request-id");
    /** How long a failed or timed-out exchange may take to report completion before we complete it ourselves. */
    private static final Duration LOST_EXCHANGE_GRACE = Duration.ofSeconds(1);

    private final ProxyServlet proxy;
    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final AsyncContext async;
    private final ProxyRequest proxyRequest;
    private final Route route;
    private final String upstreamTarget;
    private final RequestBody body;
    private final Context serverContext;
    private final long startNanos;
    private final Set<String> tried = Collections.synchronizedSet(new HashSet<>());
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile boolean committed;
    private volatile Attempt current;
    private volatile AttemptResult last;

    ProxyExchange(ProxyServlet proxy, HttpServletRequest request, HttpServletResponse response, AsyncContext async,
                  ProxyRequest proxyRequest, long bodyLength, boolean hasBody, long startNanos) throws IOException {
        this.proxy = proxy;
        this.request = request;
        this.response = response;
        this.async = async;
        this.proxyRequest = proxyRequest;
        this.route = proxyRequest.route();
        String query = request.getQueryString();
        this.upstreamTarget = route.upstreamPath(proxyRequest.path()) + (query == null ? "" : "?" + query);
        this.body = hasBody ? new RequestBody(request.getInputStream(), bodyLength, route.maxBodySize()) : null;
        this.serverContext = Context.current();
        this.startNanos = startNanos;
        async.addListener(new ClientGone());
    }

    void start() {
        attempt(1);
    }

    // ---- choosing and sending

    private void attempt(int number) {
        List<ServiceInstance> instances = proxy.upstreams.instances(route.service());
        for (ProxyFilter filter : proxy.filters) {
            instances = filter.candidates(proxyRequest, instances);
        }
        for (ProxyFilter filter : proxy.filters) {
            Optional<Rejection> rejection = filter.beforeAttempt(proxyRequest, number);
            if (rejection.isPresent()) {
                answer(rejection.get());
                return;
            }
        }
        // a retry goes to an instance not tried yet, when there is one
        List<ServiceInstance> untried = instances.stream().filter(i -> !tried.contains(i.id())).toList();
        Optional<Pick> chosen = proxy.upstreams.chooser(route.service()).choose(untried.isEmpty() ? instances : untried);
        if (chosen.isEmpty()) {
            if (last != null) {
                answerFor(last);
            } else {
                answer(Rejection.of(ErrorCode.NO_HEALTHY_INSTANCE, Map.of("service", route.service())));
            }
            return;
        }
        tried.add(chosen.get().instance().id());
        current = new Attempt(number, chosen.get());
        current.send();
    }

    /** One try at one instance. */
    private final class Attempt {
        private final int number;
        private final Pick pick;
        private final ServiceInstance instance;
        private final long sentNanos = System.nanoTime();
        private Request upstream;
        private Span span;
        private Scheduler.Task timer;
        private volatile boolean committedUpstream;
        private volatile boolean responseBegan;
        private volatile boolean timedOut;
        /** Set when a 5xx is dropped to try again: its body is never read. */
        private volatile Duration retryDelay;
        private volatile boolean pumping;
        private final AtomicBoolean completed = new AtomicBoolean();

        Attempt(int number, Pick pick) {
            this.number = number;
            this.pick = pick;
            this.instance = pick.instance();
        }

        void send() {
            URI target = URI.create(instance.baseUri() + upstreamTarget);
            request.setAttribute(ProxyServlet.UPSTREAM_ATTRIBUTE, instance.address());
            span = proxy.tracer.spanBuilder(request.getMethod())
                    .setParent(serverContext)
                    .setSpanKind(SpanKind.CLIENT)
                    .setAttribute(METHOD, request.getMethod())
                    .setAttribute(URL_FULL, target.toString())
                    .setAttribute(SERVER_ADDRESS, instance.host())
                    .setAttribute(SERVER_PORT, (long) instance.port())
                    .startSpan();
            if (number > 1) {
                span.setAttribute(RESEND, (long) number - 1);
            }
            upstream = proxy.client.newRequest(target)
                    .method(request.getMethod())
                    .idleTimeout(proxy.exchangeIdleTimeout.toMillis(), TimeUnit.MILLISECONDS)
                    .headers(this::copyRequestHeaders)
                    .onRequestCommit(r -> committedUpstream = true)
                    .onResponseFailure(this::completeIfLost)
                    .onResponseHeaders(this::onHeaders)
                    .onResponseContentSource(this::onContent);
            if (body != null) {
                upstream.body(body.newAttempt());
            }
            Duration timeout = route.timeout();
            timer = proxy.client.getScheduler().schedule(() -> {
                timedOut = true;
                TimeoutException failure = new TimeoutException("no response headers within " + timeout);
                upstream.abort(failure);
                completeIfLost(null, failure);
            }, timeout.toMillis(), TimeUnit.MILLISECONDS);
            upstream.send(this::onComplete);
        }

        private void copyRequestHeaders(HttpFields.Mutable headers) {
            HopByHopHeaders hopByHop = HopByHopHeaders.of(request.getHeaders("Connection"));
            for (String name : Collections.list(request.getHeaderNames())) {
                String canonical = HeaderNames.canonical(name);
                if (hopByHop.isHopByHop(name) || IdentityHeaders.isIdentityHeader(name)
                        || ForwardedHeaders.isForwardingHeader(name) || NOT_COPIED.contains(canonical)) {
                    continue;
                }
                for (String value : Collections.list(request.getHeaders(name))) {
                    headers.add(name, value);
                }
            }
            IdentityHeaders.set(headers, proxyRequest.caller().orElse(null));
            proxy.forwarded.set(headers, request);
            headers.put(dev.wizmesh.platform.requestid.RequestIds.HEADER, proxyRequest.requestId());
            // a client span per attempt, child of the gateway's server span: traceparent names it
            proxy.propagator.inject(serverContext.with(span), headers, (carrier, key, value) -> carrier.put(key, value));
        }

        private void onHeaders(Response upstreamResponse) {
            responseBegan = true;
            timer.cancel();
            int status = upstreamResponse.getStatus();
            if (status >= 500 && replayable()) {
                AttemptResult result = result(Outcome.RESPONSE, status, null);
                Optional<Duration> delay = inContext(() -> proxy.retries.retryAfter(proxyRequest, result));
                if (delay.isPresent()) {
                    retryDelay = delay.get();
                    upstreamResponse.abort(new IOException("dropped for a retry"));
                    return;
                }
            }
            committed = true;
            // the answer is decided now: the body may finish streaming before onComplete runs
            last = result(Outcome.RESPONSE, status, null);
            runInContext(() -> copyResponseHeaders(upstreamResponse));
        }

        private void onContent(Response upstreamResponse, Content.Source source) {
            if (retryDelay != null) {
                source.fail(new IOException("dropped for a retry"));
                return;
            }
            pumping = true;
            try {
                new ResponseBody(response.getOutputStream(), source, ProxyExchange.this::succeed, failure -> {
                    upstreamResponse.abort(failure);
                    brokenMidResponse(failure);
                }).start();
            } catch (IOException e) {
                source.fail(e);
                brokenMidResponse(e);
            }
        }

        /**
         * A backstop for the one callback everything waits for. Jetty's HttpClient can lose an
         * exchange: when the upstream resets a pooled connection at the moment the request body
         * is being asked for, the response fails but the complete listener is never called (seen
         * about once in 5,000 stale-connection races; the client waited forever). So once the
         * response has failed or timed out, the attempt gets {@link #LOST_EXCHANGE_GRACE} to
         * complete, and is then completed here with that failure: retried or answered, never
         * left hanging.
         */
        private void completeIfLost(Response upstreamResponse, Throwable failure) {
            proxy.client.getScheduler().schedule(() -> {
                if (!completed.get()) {
                    runInContext(() -> LOG.warn("the HTTP client did not complete {} {} on {} after {}; completing it here",
                            request.getMethod(), upstreamTarget, instance.address(), String.valueOf(failure)));
                    upstream.abort(failure);
                    onComplete(new Result(upstream, failure, upstreamResponse, failure));
                }
            }, LOST_EXCHANGE_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        }

        private void onComplete(Result result) {
            if (!completed.compareAndSet(false, true)) {
                return;   // the backstop got here first
            }
            timer.cancel();
            AttemptResult outcome = classify(result);
            span.setAttribute(STATUS, (long) outcome.status());
            if (outcome.isFailure()) {
                span.setStatus(StatusCode.ERROR, outcome.outcome().name());
                if (outcome.failure() != null) {
                    span.recordException(outcome.failure());
                }
            }
            span.end();
            pick.complete(outcome.elapsed(), !outcome.isFailure());
            proxy.metrics.attempt(route.service(), outcome);
            if (result.isSucceeded() && result.getRequest().getConnection() != null) {
                proxy.usedConnections.put(result.getRequest().getConnection(), Boolean.TRUE);
            }
            runInContext(() -> {
                for (ProxyFilter filter : proxy.filters) {
                    filter.afterAttempt(proxyRequest, outcome);
                }
            });
            last = outcome;
            if (retryDelay != null) {
                retryLater(retryDelay);
                return;
            }
            if (result.isSucceeded()) {
                if (!pumping) {
                    succeed();   // no body at all (204, 304, HEAD)
                }
                return;
            }
            if (committed) {
                brokenMidResponse(result.getFailure());
                return;
            }
            Optional<Duration> delay = outcome.outcome() != Outcome.BODY_TOO_LARGE && outcome.replayable()
                    ? inContext(() -> proxy.retries.retryAfter(proxyRequest, outcome))
                    : Optional.empty();
            if (delay.isPresent() && !finished.get()) {
                runInContext(() -> LOG.info("retrying {} {} after {} on {}", request.getMethod(), upstreamTarget,
                        outcome.outcome(), instance.address()));
                retryLater(delay.get());
            } else {
                runInContext(() -> LOG.info("{} {} failed on {}: {} {}", request.getMethod(), upstreamTarget,
                        instance.address(), outcome.outcome(), String.valueOf(outcome.failure())));
                answerFor(outcome);
            }
        }

        private void retryLater(Duration delay) {
            Runnable next = () -> runInContext(() -> attempt(number + 1));
            if (delay.isZero()) {
                proxy.client.getExecutor().execute(next);
            } else {
                proxy.client.getScheduler().schedule(next, delay.toMillis(), TimeUnit.MILLISECONDS);
            }
        }

        private AttemptResult classify(Result result) {
            Response upstreamResponse = result.getResponse();
            int status = upstreamResponse == null ? 0 : upstreamResponse.getStatus();
            if (retryDelay != null || result.isSucceeded()) {
                return result(Outcome.RESPONSE, status, null);
            }
            Throwable failure = result.getFailure();
            if (body != null && body.tooLarge()) {
                return result(Outcome.BODY_TOO_LARGE, 0, failure);
            }
            if (responseBegan) {
                return result(Outcome.FAILED, status, failure);
            }
            if (timedOut) {
                return result(Outcome.TIMEOUT, 0, failure);
            }
            if (!committedUpstream || isConnectFailure(failure)) {
                return result(Outcome.NOT_SENT, 0, failure);
            }
            Object connection = result.getRequest().getConnection();
            boolean reused = connection != null && proxy.usedConnections.getIfPresent(connection) != null;
            if (reused && isConnectionClosed(failure)) {
                return result(Outcome.STALE_CONNECTION, 0, failure);
            }
            return result(Outcome.FAILED, 0, failure);
        }

        private AttemptResult result(Outcome outcome, int status, Throwable failure) {
            return new AttemptResult(number, instance, outcome, status, failure, replayable(),
                    Duration.ofNanos(System.nanoTime() - sentNanos));
        }

        void abort(Throwable cause) {
            if (upstream != null) {
                upstream.abort(cause);
            }
        }
    }

    private boolean replayable() {
        return body == null || body.replayable();
    }

    private static boolean isConnectFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof NoRouteToHostException
                    || t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
                return true;
            }
        }
        return false;
    }

    private static boolean isConnectionClosed(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof EOFException || t instanceof ClosedChannelException) {
                return true;
            }
            String message = t.getMessage();
            if (t instanceof IOException && message != null
                    && (message.contains("reset") || message.contains("closed") || message.contains("Broken pipe"))) {
                return true;
            }
        }
        return false;
    }

    // ---- answering the client

    private void copyResponseHeaders(Response upstreamResponse) {
        response.setStatus(upstreamResponse.getStatus());
        HttpFields fields = upstreamResponse.getHeaders();
        HopByHopHeaders hopByHop = HopByHopHeaders.of(fields.getValuesList("Connection"));
        Set<String> seen = new HashSet<>();
        for (HttpField field : fields) {
            String name = field.getName();
            String canonical = HeaderNames.canonical(name);
            if (hopByHop.isHopByHop(name) || NOT_RETURNED.contains(canonical)
                    || (proxy.gatewayOwnsCors && canonical.startsWith("access-control-"))) {
                continue;
            }
            String value = "location".equals(canonical) || "content-location".equals(canonical)
                    ? LocationRewrite.toClient(field.getValue(), upstreamResponse.getRequest().getURI(), request)
                    : field.getValue();
            if (seen.add(canonical)) {
                response.setHeader(name, value);
            } else {
                response.addHeader(name, value);
            }
        }
        proxyRequest.responseHeaders().forEach(response::setHeader);
    }

    private void answerFor(AttemptResult result) {
        Map<String, Object> service = Map.of("service", route.service());
        Rejection rejection = switch (result.outcome()) {
            case TIMEOUT -> Rejection.of(ErrorCode.UPSTREAM_TIMEOUT, service);
            case BODY_TOO_LARGE -> Rejection.of(ErrorCode.PAYLOAD_TOO_LARGE, Map.of("limit", route.maxBodySize()));
            case RESPONSE -> Rejection.of(result.status() == 504 ? ErrorCode.UPSTREAM_TIMEOUT
                    : result.status() == 503 ? ErrorCode.UPSTREAM_UNAVAILABLE : ErrorCode.UPSTREAM_FAILED, service);
            default -> Rejection.of(ErrorCode.UPSTREAM_FAILED, service);
        };
        answer(rejection);
    }

    /** Answers with a gateway error, if nothing was sent to the client yet. */
    private void answer(Rejection rejection) {
        if (committed || finished.get()) {
            return;
        }
        runInContext(() -> {
            try {
                proxyRequest.responseHeaders().forEach(response::setHeader);
                proxy.writeError(response, rejection);
            } catch (IOException | RuntimeException e) {
                LOG.debug("could not write the error answer: {}", e.toString());
            }
        });
        finish(rejection.code().httpStatus());
    }

    private void succeed() {
        finish(response.getStatus());
    }

    /** The upstream or the client failed after the response began: the client must see a broken response, not a short one. */
    private void brokenMidResponse(Throwable failure) {
        if (finished.compareAndSet(false, true)) {
            runInContext(() -> LOG.info("response from {} broken mid-body: {}", route.service(), String.valueOf(failure)));
            ServletContextRequest.getServletContextRequest(request).getServletChannel().abort(failure);
            record(response.getStatus());
        }
    }

    private void finish(int status) {
        if (finished.compareAndSet(false, true)) {
            record(status);
            async.complete();
        }
    }

    private void record(int status) {
        proxy.metrics.request(request.getMethod(), route.id(), route.service(), status, (System.nanoTime() - startNanos) / 1e9);
        AttemptResult lastAttempt = last;
        runInContext(() -> {
            for (ProxyFilter filter : proxy.filters) {
                filter.afterRequest(proxyRequest, lastAttempt, status);
            }
        });
    }

    // ---- context around callbacks on other threads

    private void runInContext(Runnable task) {
        inContext(() -> {
            task.run();
            return null;
        });
    }

    private <T> T inContext(java.util.function.Supplier<T> task) {
        String previous = MDC.get(LogFields.REQUEST_ID);
        MDC.put(LogFields.REQUEST_ID, proxyRequest.requestId());
        try (Scope ignored = serverContext.makeCurrent()) {
            return task.get();
        } finally {
            if (previous == null) {
                MDC.remove(LogFields.REQUEST_ID);
            } else {
                MDC.put(LogFields.REQUEST_ID, previous);
            }
        }
    }

    /** The client went away (or the container gave up): stop the upstream call. */
    private final class ClientGone implements AsyncListener {
        @Override
        public void onComplete(AsyncEvent event) {
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            abortCurrent(new TimeoutException("client request timed out"));
        }

        @Override
        public void onError(AsyncEvent event) {
            abortCurrent(event.getThrowable() == null ? new IOException("client connection failed") : event.getThrowable());
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
        }

        private void abortCurrent(Throwable cause) {
            finished.set(true);
            Attempt attempt = current;
            if (attempt != null) {
                attempt.abort(cause);
            }
        }
    }
}
