package dev.wizmesh.cron;

import dev.wizmesh.testing.StandaloneAppContract;

/** cron-svc as a real process from its jar and config/cron-svc.yml. */
class CronSvcProcessIT extends StandaloneAppContract {
    CronSvcProcessIT() {
        super("cron-svc", "CRON_SVC");
    }
}
