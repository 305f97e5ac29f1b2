package dev.wizmesh.order;

import dev.wizmesh.testing.StandaloneAppContract;

/** order-svc as a real process from its jar and config/order-svc.yml. */
class OrderSvcProcessIT extends StandaloneAppContract {
    OrderSvcProcessIT() {
        super("order-svc", "ORDER_SVC");
    }
}
