package dev.wizmesh.gateway;

import dev.wizmesh.testing.StandaloneAppContract;

/** gateway as a real process from its jar and config/gateway.yml. */
class GatewayProcessIT extends StandaloneAppContract {
    GatewayProcessIT() {
        super("gateway", "GATEWAY");
    }
}
