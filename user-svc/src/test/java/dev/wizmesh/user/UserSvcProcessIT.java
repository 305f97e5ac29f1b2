package dev.wizmesh.user;

import dev.wizmesh.testing.StandaloneAppContract;

/** user-svc as a real process from its jar and config/user-svc.yml. */
class UserSvcProcessIT extends StandaloneAppContract {
    UserSvcProcessIT() {
        super("user-svc", "USER_SVC");
    }
}
