package dev.wizmesh.gateway;

import dev.wizmesh.testing.StandaloneAppContract;

/** gateway as a real process from its jar and config/gateway.yml. */
class GatewayProcessIT extends StandaloneAppContract {
    GatewayProcessIT() {
        super("gateway", "GATEWAY");
    }

    /** Alone, there is no user-svc to fetch the JWKS from: the non-critical jwks check says so. */
    @Override
    protected boolean dependenciesPresentWhenAlone() {
        return false;
    }
}
