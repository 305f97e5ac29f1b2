package dev.wizmesh.cron;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wizmesh.testing.PostgresExtension;
import dev.wizmesh.testing.ServiceApi;
import dev.wizmesh.testing.ServiceApi.Caller;
import dev.wizmesh.testing.ServiceApi.Reply;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * cron-svc in-process on real sockets, with Quartz clustered on a real PostgreSQL database: the job
 * API (validation, CRUD, pause/resume/trigger, tenancy), the run history (successes, failures with
 * their retries, the fire id a job passes on) and the misfire policies after a pause. Each test
 * works in a tenant of its own. Jobs call {@link EchoService}, a real HTTP server, as "echo-svc".
 */
class JobApiIT {
    static final EchoService ECHO = new EchoService();

    @RegisterExtension
    @Order(1)
    static final PostgresExtension POSTGRES = new PostgresExtension();

    @RegisterExtension
    @Order(2)
    static final DropwizardAppExtension<CronConfiguration> APP = new DropwizardAppExtension<>(
            CronApplication.class, ResourceHelpers.resourceFilePath("cron-test.yml"),
            ConfigOverride.config("database.url", () -> POSTGRES.database().urlWithoutCredentials()),
            ConfigOverride.config("database.owner.user", () -> POSTGRES.database().username()),
            ConfigOverride.config("database.owner.password", () -> POSTGRES.database().password()),
            ConfigOverride.config("discovery.static.echo-svc", () -> "127.0.0.1:" + ECHO.port()));

    static final String JOBS = "/api/v1/jobs";
    /** A schedule that never comes in a test's lifetime: jobs that should only run when triggered. */
    static final String NEVER = "0 0 0 1 1 ? 2099";
    static final String EVERY_SECOND = "* * * * * ?";

    @AfterAll
    static void stopEcho() {
        ECHO.close();
    }

    static ServiceApi api() {
        return new ServiceApi(APP.getLocalPort());
    }

    static Caller admin(UUID tenant) {
        return new Caller(tenant.toString(), UUID.randomUUID().toString(), "admin");
    }

    static Map<String, Object> job(String name, String cron, String path, Object... more) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        body.put("type", "http-call");
        body.put("cron", cron);
        body.put("params", Map.of("service", "echo-svc", "path", path));
        for (int i = 0; i < more.length; i += 2) {
            body.put((String) more[i], more[i + 1]);
        }
        return body;
    }

    static Reply create(Caller who, Map<String, Object> body) {
        return api().post(JOBS, who, body);
    }

    static JsonNode runs(Caller who, String job) {
        Reply reply = api().get(JOBS + "/" + job + "/runs?limit=100", who);
        assertThat(reply.status()).as(reply.body().toString()).isEqualTo(200);
        return reply.body().path("runs");
    }

    static JsonNode awaitRuns(Caller who, String job, Predicate<JsonNode> done, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode runs = runs(who, job);
        while (!done.test(runs) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            runs = runs(who, job);
        }
        assertThat(done.test(runs)).as("runs of " + job + " within " + timeout + ": " + runs).isTrue();
        return runs;
    }

    static List<JsonNode> list(JsonNode runs) {
        List<JsonNode> out = new ArrayList<>();
        runs.forEach(out::add);
        return out;
    }

    static long count(JsonNode runs, String status) {
        return list(runs).stream().filter(r -> status.equals(r.path("status").asText())).count();
    }

    // --- validation and access ---

    @Test
    void aBadCronExpressionIsA422WithTheParsersReason() {
        Reply reply = create(admin(UUID.randomUUID()), job("bad-cron", "0 0 25 * * ?", "/ok"));
        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.code()).isEqualTo("CRON_EXPRESSION_INVALID");
        assertThat(reply.body().path("error").path("message").asText()).contains("0 0 25 * * ?").containsIgnoringCase("hour");

        Reply garbage = create(admin(UUID.randomUUID()), job("bad-cron", "every tuesday", "/ok"));
        assertThat(garbage.status()).isEqualTo(422);
        assertThat(garbage.code()).isEqualTo("CRON_EXPRESSION_INVALID");
    }

    @Test
    void anUnknownTypeOrBadParamsOrZoneIsA422() {
        Caller admin = admin(UUID.randomUUID());
        Map<String, Object> unknown = job("unknown-type", NEVER, "/ok");
        unknown.put("type", "send-fax");
        Reply reply = create(admin, unknown);
        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.code()).isEqualTo("JOB_TYPE_UNKNOWN");
        assertThat(reply.body().path("error").path("message").asText())
                .contains("send-fax").contains("http-call").contains("expire-pending-orders")
                .contains("outbox-cleanup").contains("report-daily-sales");

        Map<String, Object> badParams = job("bad-params", NEVER, "/ok");
        badParams.put("params", Map.of("service", "echo-svc", "path", "no-slash"));
        Reply params = create(admin, badParams);
        assertThat(params.status()).isEqualTo(422);
        assertThat(params.code()).isEqualTo("JOB_PARAMS_INVALID");
        assertThat(params.body().path("error").path("message").asText()).contains("path");

        Map<String, Object> typo = new HashMap<>(Map.of("name", "typo", "type", "expire-pending-orders", "cron", NEVER,
                "params", Map.of("olderThanMinute", 5)));
        assertThat(create(admin, typo).code()).isEqualTo("JOB_PARAMS_INVALID");

        Reply zone = create(admin, job("bad-zone", NEVER, "/ok", "timeZone", "Mars/Olympus"));
        assertThat(zone.status()).isEqualTo(422);
        assertThat(zone.body().toString()).contains("timeZone");

        Reply name = create(admin, job("Not A Name", NEVER, "/ok"));
        assertThat(name.status()).isEqualTo(422);

        Reply exclusive = create(admin, job("needs-redis", NEVER, "/ok", "exclusive", "REDIS"));
        assertThat(exclusive.status()).isEqualTo(422);
        assertThat(exclusive.body().path("error").path("message").asText()).contains("Redis");

        // nothing of the refused requests was stored
        assertThat(api().get(JOBS, admin).body().path("jobs")).isEmpty();
    }

    @Test
    void onlyAnAdminOfTheTenantMayManageJobs() {
        UUID tenant = UUID.randomUUID();
        Reply member = create(new Caller(tenant.toString(), UUID.randomUUID().toString(), "member"), job("x", NEVER, "/ok"));
        assertThat(member.status()).isEqualTo(403);
        Reply anonymous = api().get(JOBS, Caller.ANONYMOUS);
        assertThat(anonymous.status()).isEqualTo(401);

        Caller owner = admin(tenant);
        assertThat(create(owner, job("mine", NEVER, "/ok")).status()).isEqualTo(201);
        Caller stranger = admin(UUID.randomUUID());
        assertThat(api().get(JOBS + "/mine", stranger).status()).isEqualTo(404);
        assertThat(api().post(JOBS + "/mine/trigger", stranger, null).status()).isEqualTo(404);
        assertThat(api().get(JOBS, stranger).body().path("jobs")).isEmpty();
    }

    // --- system jobs ---

    @Test
    void systemJobsComeFromTheYamlAndAreNoTenantsToSeeOrMake() throws Exception {
        Caller admin = admin(UUID.randomUUID());
        Map<String, Object> cleanup = new HashMap<>(Map.of("name", "my-cleanup", "type", "outbox-cleanup", "cron", NEVER));
        Reply refused = create(admin, cleanup);
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.body().path("error").path("message").asText()).contains("system job").contains("systemJobs");
        assertThat(api().get(JOBS, admin).body().path("jobs")).isEmpty();
        Caller forged = new Caller("00000000-0000-0000-0000-000000000000", UUID.randomUUID().toString(), "admin");
        assertThat(api().get(JOBS, forged).status()).isEqualTo(403);
        assertThat(api().get(JOBS + "/outbox-cleanup", forged).status()).isEqualTo(403);

        // the operators' view, on the admin port: the YAML's job, run now on request
        ServiceApi adminPort = new ServiceApi(APP.getAdminPort());
        Reply listed = adminPort.post("/tasks/system-jobs", Caller.ANONYMOUS, null);
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.body().path("systemJobs").get(0).path("job").path("name").asText()).isEqualTo("outbox-cleanup");
        assertThat(listed.body().path("systemJobs").get(0).path("job").path("params").path("olderThan").asText()).isEqualTo("P1D");
        assertThat(adminPort.post("/tasks/system-jobs?trigger=outbox-cleanup", Caller.ANONYMOUS, null).status()).isEqualTo(200);
        JsonNode run = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode runs = adminPort.post("/tasks/system-jobs", Caller.ANONYMOUS, null).body().path("systemJobs").get(0).path("runs");
            if (runs.size() > 0 && !"RUNNING".equals(runs.get(0).path("status").asText())) {
                run = runs.get(0);
                break;
            }
            Thread.sleep(100);
        }
        assertThat(run).as("the system job's run").isNotNull();
        // no order-svc in this test's discovery: the run failed, and says why
        assertThat(run.path("status").asText()).isEqualTo("FAILED");
        assertThat(run.path("error").asText()).contains("no UP instance of order-svc");
        Reply unknown = adminPort.post("/tasks/system-jobs?trigger=nope", Caller.ANONYMOUS, null);
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.body().toString()).contains("no system job is named 'nope'");
    }

    // --- CRUD ---

    @Test
    void createReadListReplaceAndDelete() {
        Caller admin = admin(UUID.randomUUID());
        Reply created = create(admin, job("nightly", "0 0 2 * * ?", "/ok", "timeZone", "Europe/Paris",
                "misfirePolicy", "DO_NOTHING", "description", "pings echo"));
        assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
        assertThat(created.header("Location")).endsWith("/api/v1/jobs/nightly");
        JsonNode job = created.body();
        assertThat(job.path("timeZone").asText()).isEqualTo("Europe/Paris");
        assertThat(job.path("misfirePolicy").asText()).isEqualTo("DO_NOTHING");
        assertThat(job.path("enabled").asBoolean()).isTrue();
        assertThat(job.path("state").asText()).isEqualTo("NORMAL");
        Instant next = Instant.parse(job.path("nextFireTime").asText());
        assertThat(next).isAfter(Instant.now()).isBefore(Instant.now().plus(Duration.ofHours(25)));
        // 02:00 in Paris is 01:00 or 00:00 UTC
        assertThat(next.toString()).matches(".*T0[01]:00:00Z");

        assertThat(create(admin, job("nightly", NEVER, "/ok")).status()).isEqualTo(409);

        Reply listed = api().get(JOBS, admin);
        assertThat(listed.body().path("jobs")).hasSize(1);
        assertThat(listed.body().path("jobs").get(0).path("nextFireTime").asText()).isEqualTo(job.path("nextFireTime").asText());

        Reply replaced = api().send("PUT", JOBS + "/nightly", admin, job("nightly", "0 30 3 * * ?", "/ok"), Map.of());
        assertThat(replaced.status()).as(replaced.body().toString()).isEqualTo(200);
        assertThat(replaced.body().path("cron").asText()).isEqualTo("0 30 3 * * ?");
        assertThat(replaced.body().path("timeZone").asText()).isEqualTo("UTC");
        assertThat(replaced.body().path("nextFireTime").asText()).contains("T03:30:00Z");
        assertThat(api().get(JOBS + "/nightly", admin).body().path("cron").asText()).isEqualTo("0 30 3 * * ?");

        Reply rename = api().send("PUT", JOBS + "/nightly", admin, job("other", NEVER, "/ok"), Map.of());
        assertThat(rename.status()).isEqualTo(400);
        assertThat(api().send("PUT", JOBS + "/missing", admin, job(null, NEVER, "/ok"), Map.of()).status()).isEqualTo(404);

        assertThat(api().send("DELETE", JOBS + "/nightly", admin, null, Map.of()).status()).isEqualTo(204);
        assertThat(api().get(JOBS + "/nightly", admin).status()).isEqualTo(404);
        assertThat(api().get(JOBS + "/nightly", admin).code()).isEqualTo("JOB_NOT_FOUND");
        assertThat(api().send("DELETE", JOBS + "/nightly", admin, null, Map.of()).status()).isEqualTo(404);
    }

    // --- pause, resume, trigger, history ---

    @Test
    void pauseResumeAndTriggerAndTheRunIsRecordedWithItsFireId() throws Exception {
        Caller admin = admin(UUID.randomUUID());
        assertThat(create(admin, job("on-demand", NEVER, "/ok", "enabled", false)).body().path("state").asText()).isEqualTo("PAUSED");
        JsonNode resumed = api().post(JOBS + "/on-demand/resume", admin, null).body();
        assertThat(resumed.path("state").asText()).isEqualTo("NORMAL");
        assertThat(resumed.path("nextFireTime").asText()).startsWith("2099-01-01");
        JsonNode paused = api().post(JOBS + "/on-demand/pause", admin, null).body();
        assertThat(paused.path("state").asText()).isEqualTo("PAUSED");
        assertThat(paused.path("enabled").asBoolean()).isFalse();
        assertThat(paused.path("nextFireTime").isNull()).isTrue();

        // a paused job can still be run by hand
        assertThat(api().post(JOBS + "/on-demand/trigger", admin, null).status()).isEqualTo(202);
        JsonNode runs = awaitRuns(admin, "on-demand", r -> count(r, "SUCCEEDED") == 1, Duration.ofSeconds(10));
        JsonNode run = runs.get(0);
        assertThat(run.path("cause").asText()).isEqualTo("MANUAL");
        assertThat(run.path("attempts").asInt()).isEqualTo(1);
        assertThat(run.path("result").asText()).contains("HTTP 200 from echo-svc");
        assertThat(run.path("node").asText()).isNotBlank();
        assertThat(run.path("durationMillis").isNumber()).isTrue();
        String fireId = run.path("fireId").asText();
        assertThat(fireId).startsWith("on-demand@");
        // the far side saw the fire's id as the idempotency key, and the job's tenant
        assertThat(ECHO.callsFor("on-demand")).singleElement().satisfies(call -> {
            assertThat(call.idempotencyKey()).isEqualTo(fireId);
            assertThat(call.tenant()).isEqualTo(admin.tenantId());
        });
    }

    @Test
    void aFailingRunIsRetriedThenRecordedAsFailedWithItsError() throws Exception {
        Caller admin = admin(UUID.randomUUID());
        create(admin, job("flaky", NEVER, "/fail", "maxAttempts", 3, "retryDelaySeconds", 0));
        api().post(JOBS + "/flaky/trigger", admin, null);
        JsonNode runs = awaitRuns(admin, "flaky", r -> count(r, "FAILED") == 1, Duration.ofSeconds(10));
        JsonNode run = runs.get(0);
        assertThat(run.path("attempts").asInt()).isEqualTo(3);
        assertThat(run.path("error").asText()).contains("HTTP 500 from echo-svc").contains("INTERNAL");
        assertThat(run.path("endTime").asText()).isNotBlank();
        // three attempts of one fire: one fire id for all three
        assertThat(ECHO.callsFor("flaky")).hasSize(3).extracting(EchoService.Call::idempotencyKey).containsOnly(run.path("fireId").asText());

        Map<String, Object> nowhere = job("nowhere", NEVER, "/ok");
        nowhere.put("params", Map.of("service", "no-such-svc", "path", "/ok"));
        create(admin, nowhere);
        api().post(JOBS + "/nowhere/trigger", admin, null);
        JsonNode failed = awaitRuns(admin, "nowhere", r -> count(r, "FAILED") == 1, Duration.ofSeconds(10));
        assertThat(failed.get(0).path("error").asText()).contains("no UP instance of no-such-svc");
    }

    @Test
    void aScheduledJobRunsOncePerSecondWithOneRowPerFire() throws Exception {
        Caller admin = admin(UUID.randomUUID());
        create(admin, job("ticker", EVERY_SECOND, "/ok"));
        JsonNode runs = awaitRuns(admin, "ticker", r -> count(r, "SUCCEEDED") >= 3, Duration.ofSeconds(10));
        api().send("DELETE", JOBS + "/ticker", admin, null, Map.of());
        List<String> scheduled = list(runs).stream().map(r -> r.path("scheduledFireTime").asText()).toList();
        assertThat(scheduled).doesNotHaveDuplicates().allMatch(t -> t.matches(".*:\\d\\dZ"), "on whole seconds");
        assertThat(list(runs)).allMatch(r -> "SCHEDULE".equals(r.path("cause").asText()));
    }

    @Test
    void aScheduleChangedWhileTheJobFiresTakesEffectAtOnce() throws Exception {
        Caller admin = admin(UUID.randomUUID());
        create(admin, job("changing", EVERY_SECOND, "/ok"));
        awaitRuns(admin, "changing", r -> count(r, "SUCCEEDED") >= 2, Duration.ofSeconds(10));
        Reply changed = api().send("PUT", JOBS + "/changing", admin, job(null, "0/2 * * * * ?", "/ok"), Map.of());
        assertThat(changed.status()).as(changed.body().toString()).isEqualTo(200);
        assertThat(changed.body().path("cron").asText()).isEqualTo("0/2 * * * * ?");
        Instant changedAt = Instant.now();
        Thread.sleep(5_000);
        JsonNode runs = runs(admin, "changing");
        api().send("DELETE", JOBS + "/changing", admin, null, Map.of());
        List<JsonNode> after = list(runs).stream()
                .filter(r -> Instant.parse(r.path("scheduledFireTime").asText()).isAfter(changedAt.plusSeconds(1))).toList();
        assertThat(after).isNotEmpty().allMatch(r -> Instant.parse(r.path("scheduledFireTime").asText()).getEpochSecond() % 2 == 0,
                "on even seconds only");
    }

    // --- misfire policies, after a pause ---

    /** Pauses an every-second job for about six seconds; returns the pause's start and end. */
    static Instant[] pauseFor(Caller admin, String job, Duration pause) throws InterruptedException {
        awaitRuns(admin, job, r -> count(r, "SUCCEEDED") >= 1, Duration.ofSeconds(10));
        Instant pausedAt = Instant.now();
        api().post(JOBS + "/" + job + "/pause", admin, null);
        Thread.sleep(pause.toMillis());
        Instant resumeAt = Instant.now();
        JsonNode resumed = api().post(JOBS + "/" + job + "/resume", admin, null).body();
        Instant resumed2 = Instant.now();
        assertThat(resumed.path("state").asText()).isIn("NORMAL", "BLOCKED");
        return new Instant[] {pausedAt, resumeAt, resumed2};
    }

    /** The runs scheduled in (from, to), oldest first. */
    static List<JsonNode> scheduledBetween(JsonNode runs, Instant from, Instant to) {
        return list(runs).stream().filter(r -> {
            Instant at = Instant.parse(r.path("scheduledFireTime").asText());
            return at.isAfter(from) && at.isBefore(to);
        }).sorted(java.util.Comparator.comparing(r -> Instant.parse(r.path("scheduledFireTime").asText()))).toList();
    }

    @Test
    void doNothingSkipsTheMissedFiresAndRecordsThem() throws Exception {
        Caller admin = admin(UUID.randomUUID());
        create(admin, job("quiet", EVERY_SECOND, "/ok", "misfirePolicy", "DO_NOTHING"));
        Instant[] pause = pauseFor(admin, "quiet", Duration.ofSeconds(6));
        JsonNode runs = awaitRuns(admin, "quiet", r -> list(r).stream().anyMatch(run -> "SUCCEEDED".equals(run.path("status").asText())
                && Instant.parse(run.path("scheduledFireTime").asText()).isAfter(pause[2])), Duration.ofSeconds(10));
        api().post(JOBS + "/quiet/pause", admin, null);

        // the paused seconds (but the first, which may have fired before the pause landed): MISFIRED, none run
        List<JsonNode> paused = scheduledBetween(runs, pause[0].plusSeconds(1), pause[1]);
        assertThat(paused).hasSizeGreaterThanOrEqualTo(4).allMatch(r -> "MISFIRED".equals(r.path("status").asText()));
        assertThat(paused.get(0).path("error").asText()).contains("DO_NOTHING");
        // and nothing ran at resume time off the schedule
        assertThat(list(runs)).allMatch(r -> r.path("scheduledFireTime").asText().matches(".*:\\d\\dZ"));
    }

    @Test
    void fireOnceNowRunsOnceForAllTheMissedFires() throws Exception {
        Caller admin = admin(UUID.randomUUID());
        create(admin, job("once", EVERY_SECOND, "/ok", "misfirePolicy", "FIRE_ONCE_NOW"));
        Instant[] pause = pauseFor(admin, "once", Duration.ofSeconds(6));
        JsonNode runs = awaitRuns(admin, "once", r -> scheduledBetween(r, pause[1].minusMillis(1), pause[2].plusMillis(1)).stream()
                .anyMatch(run -> "SUCCEEDED".equals(run.path("status").asText())), Duration.ofSeconds(10));
        api().post(JOBS + "/once/pause", admin, null);

        List<JsonNode> paused = scheduledBetween(runs, pause[0].plusSeconds(1), pause[1]);
        assertThat(paused).hasSizeGreaterThanOrEqualTo(4).allMatch(r -> "MISFIRED".equals(r.path("status").asText()));
        assertThat(paused.get(0).path("error").asText()).contains("FIRE_ONCE_NOW");
        // one run stood in for them, at the moment of the resume
        List<JsonNode> standIn = scheduledBetween(runs, pause[1].minusMillis(1), pause[2].plusMillis(1)).stream()
                .filter(r -> !r.path("scheduledFireTime").asText().matches(".*:\\d\\dZ")).toList();
        assertThat(standIn).hasSize(1);
    }

    @Test
    void catchUpRunsTheLatestMissedFiresUpToItsLimit() throws Exception {
        Caller admin = admin(UUID.randomUUID());
        create(admin, job("backlog", EVERY_SECOND, "/ok", "misfirePolicy", "CATCH_UP", "catchUpLimit", 3));
        Instant[] pause = pauseFor(admin, "backlog", Duration.ofSeconds(7));
        JsonNode runs = awaitRuns(admin, "backlog", r -> list(r).stream().anyMatch(run -> "SUCCEEDED".equals(run.path("status").asText())
                && Instant.parse(run.path("scheduledFireTime").asText()).isAfter(pause[2].plusSeconds(1))), Duration.ofSeconds(15));
        api().post(JOBS + "/backlog/pause", admin, null);

        List<JsonNode> paused = scheduledBetween(runs, pause[0].plusSeconds(1), pause[1]);
        assertThat(paused).hasSizeGreaterThanOrEqualTo(5);
        // each paused second has one row: the latest ones ran (late), the older ones beyond the limit did not
        long ran = paused.stream().filter(r -> "SUCCEEDED".equals(r.path("status").asText())).count();
        long skipped = paused.stream().filter(r -> "MISFIRED".equals(r.path("status").asText())).count();
        assertThat(ran + skipped).isEqualTo(paused.size());
        assertThat(ran).isBetween(2L, 3L);
        assertThat(skipped).isGreaterThanOrEqualTo(paused.size() - 3L);
        assertThat(paused.get(0).path("status").asText()).isEqualTo("MISFIRED");
        assertThat(paused.get(0).path("error").asText()).contains("catch-up limit of 3");
        assertThat(paused.get(paused.size() - 1).path("status").asText()).isEqualTo("SUCCEEDED");
    }
}
