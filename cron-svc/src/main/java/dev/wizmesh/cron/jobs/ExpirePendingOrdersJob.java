package dev.wizmesh.cron.jobs;

import java.util.Map;

/**
 * {@code expire-pending-orders}: asks order-svc (found through the registry) to cancel the
 * tenant's orders still PENDING after {@code olderThanMinutes} (default 30):
 * {@code POST /api/v1/orders/expire-pending?olderThanMinutes=N}. order-svc decides which ones it
 * may cancel (never one whose transaction is still settling it) and answers with the counts,
 * which become the run's result.
 */
public final class ExpirePendingOrdersJob implements JobType {
    static final String ORDER_SVC = "order-svc";

    private final ServiceClient services;

    public ExpirePendingOrdersJob(ServiceClient services) {
        this.services = services;
    }

    @Override
    public String name() {
        return "expire-pending-orders";
    }

    @Override
    public void validate(Map<String, Object> params) {
        Params.only(params, "olderThanMinutes");
        Params.integer(params, "olderThanMinutes", 30, 1, 10080);
    }

    @Override
    public String run(Fire fire) throws Exception {
        int minutes = Params.integer(fire.params(), "olderThanMinutes", 30, 1, 10080);
        ServiceClient.Reply reply = services.call(fire, ORDER_SVC, "POST",
                "/api/v1/orders/expire-pending?olderThanMinutes=" + minutes, null).orFail();
        return reply.body() == null ? reply.summary() : reply.body().strip();
    }
}
