package dev.wizmesh.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.wizmesh.discovery.catalog.StaticInstances;
import dev.wizmesh.grpc.client.GrpcChannels;
import dev.wizmesh.grpc.client.GrpcClientFactory;
import dev.wizmesh.grpc.errors.GrpcErrors;
import dev.wizmesh.grpc.user.v1.PaymentBranchRef;
import dev.wizmesh.grpc.user.v1.PaymentRequest;
import dev.wizmesh.grpc.user.v1.WalletPaymentServiceGrpc;
import dev.wizmesh.grpc.user.v1.WalletPaymentServiceGrpc.WalletPaymentServiceBlockingStub;
import dev.wizmesh.platform.context.RequestContext;
import dev.wizmesh.platform.errors.ApiException;
import dev.wizmesh.platform.errors.ErrorCode;
import dev.wizmesh.testing.PostgresDatabase;
import dev.wizmesh.testing.PostgresExtension;
import dev.wizmesh.testing.ServiceApi;
import dev.wizmesh.testing.ServiceApi.Caller;
import dev.wizmesh.testing.ServiceApi.Reply;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.opentelemetry.api.OpenTelemetry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * user-svc as a participant of an order's distributed transaction: WalletPaymentService called the
 * way order-svc's coordinator calls it, over a real gRPC channel with the tenant in metadata, on
 * the real app and a real PostgreSQL. Each test signs up a tenant of its own and funds its
 * admin's wallet over REST, so the tests share nothing but the app.
 */
class WalletPaymentIT {
    @RegisterExtension
    @Order(1)
    static final PostgresExtension POSTGRES = new PostgresExtension();

    static final Path KEY_DIR = scratch();

    @RegisterExtension
    @Order(2)
    static final DropwizardAppExtension<UserConfiguration> APP = new DropwizardAppExtension<>(
            UserApplication.class, Path.of("..", "config", "user-svc.yml").toString(),
            ConfigOverride.config("server.applicationConnectors[0].port", "0"),
            ConfigOverride.config("server.adminConnectors[0].port", "0"),
            ConfigOverride.config("grpc.port", "0"),
            ConfigOverride.config("discovery.mode", "static"),
            ConfigOverride.config("database.url", () -> db().urlWithoutCredentials()),
            ConfigOverride.config("database.owner.user", () -> db().username()),
            ConfigOverride.config("database.owner.password", () -> db().password()),
            ConfigOverride.config("auth.signingKey", KEY_DIR.resolve("jwt.pem").toString()),
            ConfigOverride.config("auth.passwordHashCost", "4"),
            // the expiry test waits for the sweeper: run it often
            ConfigOverride.config("payments.sweepInterval", "200ms"));

    static ServiceApi api;
    static GrpcChannels channels;
    static WalletPaymentServiceBlockingStub payments;

    /** A tenant with its admin, whose wallet pays in these tests. */
    record Tenant(String id, String adminId) {
        Caller admin() {
            return new Caller(id, adminId, "admin");
        }

        /** The coordinator calls in the tenant of the order (metadata x-tenant-id), never naming it in the message. */
        <T> T call(Callable<T> call) {
            try (RequestContext.Scope ignored = new RequestContext("rid-" + UUID.randomUUID(), id, adminId, Set.of("user")).attach()) {
                return call.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static PostgresDatabase db() {
        return POSTGRES.database();
    }

    static Path scratch() {
        try {
            return Files.createTempDirectory("user-svc-keys");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeAll
    static void connect() {
        api = new ServiceApi(APP.getLocalPort());
        int port = APP.<UserApplication>getApplication().grpcServer().port();
        channels = new GrpcClientFactory().build(OpenTelemetry.noop(),
                new StaticInstances(Map.of("user-svc", List.of("127.0.0.1:1?grpc=" + port))));
        payments = WalletPaymentServiceGrpc.newBlockingStub(channels.channel("user-svc"));
    }

    @AfterAll
    static void disconnect() throws Exception {
        channels.close();
    }

    // --- saga: Debit, compensated by Refund ---

    @Test
    void sagaDebitThenRefundRestoresTheBalanceExactly() {
        Tenant t = fundedTenant(1000);

        assertThat(t.call(() -> payments.debit(payment(t, "x1", "debit-wallet", 300))).getOutcome()).isEqualTo("APPLIED");
        assertThat(balance(t)).isEqualTo(700);
        assertThat(t.call(() -> payments.debit(payment(t, "x1", "debit-wallet", 300))).getOutcome())
                .as("a retried action takes nothing twice").isEqualTo("DUPLICATE");
        assertThat(balance(t)).isEqualTo(700);

        assertThat(t.call(() -> payments.refund(ref("x1", "debit-wallet"))).getOutcome()).isEqualTo("APPLIED");
        assertThat(balance(t)).isEqualTo(1000);
        assertThat(t.call(() -> payments.refund(ref("x1", "debit-wallet"))).getOutcome()).isEqualTo("DUPLICATE");
        assertThat(balance(t)).isEqualTo(1000);

        assertThat(ledger(t)).containsExactly("CREDIT +1000 =1000", "DEBIT -300 =700", "REFUND +300 =1000");
        assertThat(hold(t, "x1", "debit-wallet")).isEqualTo("SAGA RETURNED 300");
        // the action arriving again after its compensation: refused, forever
        ApiException late = refused(t, () -> payments.debit(payment(t, "x1", "debit-wallet", 300)),
                Status.Code.ABORTED, ErrorCode.BRANCH_ALREADY_CANCELLED);
        assertThat(late.details()).containsEntry("xid", "x1").containsEntry("branch", "debit-wallet");
        assertThat(balance(t)).isEqualTo(1000);
    }

    @Test
    void aSagaRefundBeforeItsDebitIsAnEmptyRollbackAndTheLateDebitIsRefused() {
        Tenant t = fundedTenant(500);
        assertThat(t.call(() -> payments.refund(ref("x2", "debit-wallet"))).getOutcome()).isEqualTo("EMPTY_ROLLBACK");
        refused(t, () -> payments.debit(payment(t, "x2", "debit-wallet", 200)), Status.Code.ABORTED, ErrorCode.BRANCH_ALREADY_CANCELLED);
        assertThat(balance(t)).isEqualTo(500);
        assertThat(ledger(t)).containsExactly("CREDIT +500 =500");
    }

    // --- TCC: TryHold, then ConfirmHold or CancelHold ---

    @Test
    void tccTryThenConfirmSpendsTheHeldAmount() {
        Tenant t = fundedTenant(1000);
        assertThat(t.call(() -> payments.tryHold(payment(t, "x3", "wallet", 400))).getOutcome()).isEqualTo("APPLIED");
        Reply wallet = api.get("/api/v1/users/me/wallet", t.admin());
        assertThat(wallet.body().get("balanceCents").asLong()).as("the hold is not spendable").isEqualTo(600);
        assertThat(wallet.body().get("heldCents").asLong()).isEqualTo(400);
        assertThat(t.call(() -> payments.tryHold(payment(t, "x3", "wallet", 400))).getOutcome()).isEqualTo("DUPLICATE");

        assertThat(t.call(() -> payments.confirmHold(ref("x3", "wallet"))).getOutcome()).isEqualTo("APPLIED");
        assertThat(t.call(() -> payments.confirmHold(ref("x3", "wallet"))).getOutcome()).isEqualTo("DUPLICATE");
        assertThat(t.call(() -> payments.tryHold(payment(t, "x3", "wallet", 400))).getOutcome())
                .as("a Try repeated after its Confirm").isEqualTo("DUPLICATE");
        assertThat(balance(t)).isEqualTo(600);
        assertThat(held(t)).isZero();
        // the Confirm moved no spendable money: the ledger has the Try's line only
        assertThat(ledger(t)).containsExactly("CREDIT +1000 =1000", "HOLD -400 =600");
        assertThat(hold(t, "x3", "wallet")).isEqualTo("TCC SPENT 400");

        // Cancel after Confirm: a coordinator bug, refused
        refused(t, () -> payments.cancelHold(ref("x3", "wallet")), Status.Code.FAILED_PRECONDITION, ErrorCode.BRANCH_ALREADY_CONFIRMED);
        assertThat(balance(t)).isEqualTo(600);
    }

    @Test
    void tccTryThenCancelRestoresTheBalanceExactly() {
        Tenant t = fundedTenant(1000);
        assertThat(t.call(() -> payments.tryHold(payment(t, "x4", "wallet", 250))).getOutcome()).isEqualTo("APPLIED");
        assertThat(t.call(() -> payments.cancelHold(ref("x4", "wallet"))).getOutcome()).isEqualTo("APPLIED");
        assertThat(t.call(() -> payments.cancelHold(ref("x4", "wallet"))).getOutcome()).isEqualTo("DUPLICATE");
        assertThat(balance(t)).isEqualTo(1000);
        assertThat(held(t)).isZero();
        assertThat(ledger(t)).containsExactly("CREDIT +1000 =1000", "HOLD -250 =750", "RELEASE +250 =1000");
        assertThat(hold(t, "x4", "wallet")).isEqualTo("TCC RETURNED 250");

        // Confirm after Cancel: refused, nothing spent
        refused(t, () -> payments.confirmHold(ref("x4", "wallet")), Status.Code.ABORTED, ErrorCode.BRANCH_ALREADY_CANCELLED);
        assertThat(balance(t)).isEqualTo(1000);
    }

    @Test
    void cancelBeforeTryIsAnEmptyRollbackAndTheLateTryIsRefused() {
        Tenant t = fundedTenant(800);
        assertThat(t.call(() -> payments.cancelHold(ref("x5", "wallet"))).getOutcome()).isEqualTo("EMPTY_ROLLBACK");
        refused(t, () -> payments.tryHold(payment(t, "x5", "wallet", 100)), Status.Code.ABORTED, ErrorCode.BRANCH_ALREADY_CANCELLED);
        assertThat(t.call(() -> payments.cancelHold(ref("x5", "wallet"))).getOutcome()).isEqualTo("DUPLICATE");
        refused(t, () -> payments.tryHold(payment(t, "x5", "wallet", 100)), Status.Code.ABORTED, ErrorCode.BRANCH_ALREADY_CANCELLED);
        assertThat(balance(t)).isEqualTo(800);
        assertThat(held(t)).isZero();
        assertThat(ledger(t)).containsExactly("CREDIT +800 =800");
    }

    @Test
    void confirmWithoutTryIsRefusedAndASagaDebitHasNoConfirm() {
        Tenant t = fundedTenant(500);
        refused(t, () -> payments.confirmHold(ref("x6", "wallet")), Status.Code.FAILED_PRECONDITION, ErrorCode.BRANCH_NOT_TRIED);

        t.call(() -> payments.debit(payment(t, "x7", "debit-wallet", 100)));
        ApiException notAHold = refused(t, () -> payments.confirmHold(ref("x7", "debit-wallet")),
                Status.Code.INVALID_ARGUMENT, ErrorCode.BAD_REQUEST);
        assertThat(notAHold.details().get("reason").toString()).contains("saga debit");
        // still a saga debit its compensation can refund
        assertThat(t.call(() -> payments.refund(ref("x7", "debit-wallet"))).getOutcome()).isEqualTo("APPLIED");
        assertThat(balance(t)).isEqualTo(500);
        // the same branch reused for another payment is not a DUPLICATE
        t.call(() -> payments.tryHold(payment(t, "x8", "wallet", 100)));
        refused(t, () -> payments.tryHold(payment(t, "x8", "wallet", 150)), Status.Code.ALREADY_EXISTS, ErrorCode.CONFLICT);
        refused(t, () -> payments.debit(payment(t, "x8", "wallet", 100)), Status.Code.ALREADY_EXISTS, ErrorCode.CONFLICT);
        assertThat(balance(t)).isEqualTo(400);
    }

    // --- refusals that take nothing ---

    @Test
    void insufficientFundsIsRefusedAndChangesNothing() {
        Tenant t = fundedTenant(100);
        ApiException debit = refused(t, () -> payments.debit(payment(t, "x9", "debit-wallet", 101)),
                Status.Code.FAILED_PRECONDITION, ErrorCode.INSUFFICIENT_FUNDS);
        assertThat(debit.details()).containsEntry("balanceCents", "100").containsEntry("amountCents", "101");
        refused(t, () -> payments.tryHold(payment(t, "x10", "wallet", 101)), Status.Code.FAILED_PRECONDITION, ErrorCode.INSUFFICIENT_FUNDS);
        assertThat(balance(t)).isEqualTo(100);
        assertThat(held(t)).isZero();
        assertThat(ledger(t)).containsExactly("CREDIT +100 =100");
        // the refused step left no fence row: the coordinator's compensation finds nothing to undo
        assertThat(t.call(() -> payments.refund(ref("x9", "debit-wallet"))).getOutcome()).isEqualTo("EMPTY_ROLLBACK");
        assertThat(t.call(() -> payments.cancelHold(ref("x10", "wallet"))).getOutcome()).isEqualTo("EMPTY_ROLLBACK");
        assertThat(balance(t)).isEqualTo(100);
    }

    @Test
    void unknownUserAndMissingWalletAreNotFound() throws Exception {
        Tenant t = fundedTenant(100);
        PaymentRequest nobody = payment(t, "x11", "debit-wallet", 10).toBuilder().setUserId(UUID.randomUUID().toString()).build();
        refused(t, () -> payments.debit(nobody), Status.Code.NOT_FOUND, ErrorCode.USER_NOT_FOUND);
        refused(t, () -> payments.tryHold(nobody), Status.Code.NOT_FOUND, ErrorCode.USER_NOT_FOUND);

        Reply created = api.post("/api/v1/users", t.admin(), Map.of("email", "walletless@pay.test", "password", "a long password"));
        assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
        String walletless = created.body().get("id").asText();
        try (Connection c = db().connection(); Statement s = c.createStatement()) {
            // as the owner: a user whose wallet is gone (no API removes one)
            s.execute("DELETE FROM wallets WHERE user_id = '" + walletless + "'");
        }
        PaymentRequest noWallet = payment(t, "x12", "debit-wallet", 10).toBuilder().setUserId(walletless).build();
        refused(t, () -> payments.debit(noWallet), Status.Code.NOT_FOUND, ErrorCode.WALLET_NOT_FOUND);
        assertThat(balance(t)).isEqualTo(100);
    }

    @Test
    void badArgumentsAreInvalidArgumentNamingTheField() {
        Tenant t = fundedTenant(100);
        PaymentRequest good = payment(t, "x13", "debit-wallet", 10);
        Map<String, PaymentRequest> bad = Map.of(
                "amount_cents", good.toBuilder().setAmountCents(0).build(),
                "user_id", good.toBuilder().setUserId("not-a-uuid").build(),
                "currency", good.toBuilder().setCurrency("eur").build(),
                "xid", good.toBuilder().setXid("").build(),
                "branch", good.toBuilder().setBranch("a/b").build(),
                "hold_millis", good.toBuilder().setHoldMillis(-1).build());
        bad.forEach((field, request) -> {
            ApiException e = refused(t, () -> payments.tryHold(request), Status.Code.INVALID_ARGUMENT, ErrorCode.BAD_REQUEST);
            assertThat(e.details()).as(field).containsEntry("field", field);
        });
        for (long amount : new long[] {-5, 10_000_000_001L}) {
            refused(t, () -> payments.debit(good.toBuilder().setAmountCents(amount).build()), Status.Code.INVALID_ARGUMENT, ErrorCode.BAD_REQUEST);
        }
        refused(t, () -> payments.tryHold(good.toBuilder().setHoldMillis(Duration.ofDays(1).toMillis()).build()),
                Status.Code.INVALID_ARGUMENT, ErrorCode.BAD_REQUEST);
        refused(t, () -> payments.refund(ref("x13", "")), Status.Code.INVALID_ARGUMENT, ErrorCode.BAD_REQUEST);
        ApiException currency = refused(t, () -> payments.debit(good.toBuilder().setCurrency("USD").build()),
                Status.Code.INVALID_ARGUMENT, ErrorCode.BAD_REQUEST);
        assertThat(currency.details()).containsEntry("field", "currency").containsEntry("walletCurrency", "EUR");
        assertThat(balance(t)).isEqualTo(100);
        assertThat(ledger(t)).containsExactly("CREDIT +100 =100");
    }

    // --- tenancy ---

    @Test
    void anotherTenantCannotTouchAHold() {
        Tenant a = fundedTenant(1000);
        Tenant b = fundedTenant(1000);
        a.call(() -> payments.tryHold(payment(a, "x14", "wallet", 300)));

        // tenant B names A's branch: B has no such branch, and B's calls touch B's rows only
        refused(b, () -> payments.confirmHold(ref("x14", "wallet")), Status.Code.FAILED_PRECONDITION, ErrorCode.BRANCH_NOT_TRIED);
        assertThat(b.call(() -> payments.cancelHold(ref("x14", "wallet"))).getOutcome()).isEqualTo("EMPTY_ROLLBACK");
        // nor can B pay from A's user's wallet: in B's tenant that user does not exist
        refused(b, () -> payments.debit(payment(a, "x15", "debit-wallet", 10)), Status.Code.NOT_FOUND, ErrorCode.USER_NOT_FOUND);

        assertThat(balance(a)).isEqualTo(700);
        assertThat(held(a)).isEqualTo(300);
        assertThat(a.call(() -> payments.confirmHold(ref("x14", "wallet"))).getOutcome()).isEqualTo("APPLIED");
        assertThat(balance(b)).isEqualTo(1000);
        assertThat(ledger(b)).containsExactly("CREDIT +1000 =1000");
    }

    // --- expiry ---

    @Test
    void anExpiredHoldIsReleasedByTheSweeper() throws Exception {
        Tenant t = fundedTenant(1000);
        t.call(() -> payments.debit(payment(t, "x16", "debit-wallet", 100)));
        t.call(() -> payments.tryHold(payment(t, "x17", "wallet", 200).toBuilder().setHoldMillis(60_000).build()));
        t.call(() -> payments.tryHold(payment(t, "x18", "wallet", 300).toBuilder().setHoldMillis(300).build()));
        assertThat(balance(t)).isEqualTo(400);

        // nobody confirms or cancels x18: after 300 ms the sweeper (every 200 ms) gives it back
        Instant deadline = Instant.now().plusSeconds(15);
        while (held(t) != 200 && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
        }
        assertThat(held(t)).as("only the expired hold was released").isEqualTo(200);
        assertThat(balance(t)).isEqualTo(700);
        assertThat(hold(t, "x18", "wallet")).isEqualTo("TCC RETURNED 300");
        assertThat(hold(t, "x17", "wallet")).as("not expired yet").isEqualTo("TCC HELD 200");
        assertThat(hold(t, "x16", "debit-wallet")).as("a saga debit never expires").isEqualTo("SAGA SPENT 100");
        assertThat(ledger(t)).endsWith("RELEASE +300 =700");

        // the coordinator, back too late: its Confirm is refused, its Cancel is a DUPLICATE
        refused(t, () -> payments.confirmHold(ref("x18", "wallet")), Status.Code.ABORTED, ErrorCode.BRANCH_ALREADY_CANCELLED);
        assertThat(t.call(() -> payments.cancelHold(ref("x18", "wallet"))).getOutcome()).isEqualTo("DUPLICATE");
        assertThat(balance(t)).isEqualTo(700);
        assertThat(APP.<UserApplication>getApplication().fenceSweeper().expiredCancelled()).isGreaterThanOrEqualTo(1);
    }

    // --- concurrency ---

    @Test
    void twentyConcurrentHoldsOnAWalletOfTenNeverOverdraw() throws Exception {
        Tenant t = fundedTenant(1000);
        ExecutorService pool = Executors.newFixedThreadPool(20);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<String>> tries = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String xid = "race-" + i;
                tries.add(pool.submit(() -> {
                    start.await();
                    return outcome(t, () -> payments.tryHold(payment(t, xid, "wallet", 100)).getOutcome());
                }));
            }
            start.countDown();
            List<String> outcomes = new ArrayList<>();
            for (Future<String> f : tries) {
                outcomes.add(f.get(30, TimeUnit.SECONDS));
            }
            assertThat(outcomes).filteredOn("APPLIED"::equals).hasSize(10);
            assertThat(outcomes).filteredOn("INSUFFICIENT_FUNDS"::equals).hasSize(10);
            assertThat(balance(t)).isZero();
            assertThat(held(t)).isEqualTo(1000);

            // and 20 concurrent Cancels give back exactly the ten holds (the others: empty rollbacks)
            List<Future<String>> cancels = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String xid = "race-" + i;
                cancels.add(pool.submit(() -> outcome(t, () -> payments.cancelHold(ref(xid, "wallet")).getOutcome())));
            }
            AtomicInteger released = new AtomicInteger();
            for (Future<String> f : cancels) {
                String outcome = f.get(30, TimeUnit.SECONDS);
                assertThat(outcome).isIn("APPLIED", "EMPTY_ROLLBACK");
                if (outcome.equals("APPLIED")) {
                    released.incrementAndGet();
                }
            }
            assertThat(released).hasValue(10);
        } finally {
            pool.shutdownNow();
        }
        assertThat(balance(t)).isEqualTo(1000);
        assertThat(held(t)).isZero();
        assertThat(ledger(t)).hasSize(21);
    }

    // --- helpers ---

    /** A new tenant whose admin's wallet holds {@code cents}, credited over REST. */
    static Tenant fundedTenant(long cents) {
        String name = "pay-" + UUID.randomUUID().toString().substring(0, 8);
        Reply r = api.post("/api/v1/tenants", Caller.ANONYMOUS,
                Map.of("name", name, "adminEmail", "admin@" + name + ".test", "adminPassword", "correct horse battery"));
        assertThat(r.status()).as(r.body().toString()).isEqualTo(201);
        Tenant t = new Tenant(r.body().get("tenantId").asText(), r.body().get("adminUserId").asText());
        Reply credit = api.send("POST", "/api/v1/users/" + t.adminId + "/wallet/credits", t.admin(),
                Map.of("amountCents", cents), Map.of("Idempotency-Key", "fund-" + name));
        assertThat(credit.status()).as(credit.body().toString()).isEqualTo(201);
        return t;
    }

    static PaymentRequest payment(Tenant t, String xid, String branch, long cents) {
        return PaymentRequest.newBuilder().setXid(xid).setBranch(branch).setUserId(t.adminId)
                .setAmountCents(cents).setCurrency("EUR").build();
    }

    static PaymentBranchRef ref(String xid, String branch) {
        return PaymentBranchRef.newBuilder().setXid(xid).setBranch(branch).build();
    }

    /** The call's outcome, or the error code it was refused with (for the concurrent tests). */
    static String outcome(Tenant t, Callable<String> call) {
        try {
            return t.call(call);
        } catch (StatusRuntimeException e) {
            return GrpcErrors.toApiException(e, "user-svc").code().name();
        }
    }

    /** Asserts the call fails with that gRPC status and our code; returns the error as the coordinator reads it. */
    static ApiException refused(Tenant t, Callable<?> call, Status.Code status, ErrorCode code) {
        StatusRuntimeException failure = catchThrowableOfType(StatusRuntimeException.class, () -> t.call(call));
        assertThat(failure).as("expected " + code).isNotNull();
        assertThat(failure.getStatus().getCode()).as(failure.getStatus().toString()).isEqualTo(status);
        ApiException error = GrpcErrors.toApiException(failure, "user-svc");
        assertThat(error.code()).isEqualTo(code);
        return error;
    }

    static long balance(Tenant t) {
        return wallet(t, "balance_cents");
    }

    static long held(Tenant t) {
        return wallet(t, "held_cents");
    }

    private static long wallet(Tenant t, String column) {
        return APP.<UserApplication>getApplication().database().tenants().inTenant(UUID.fromString(t.id),
                h -> h.createQuery("SELECT " + column + " FROM wallets WHERE user_id = :u")
                        .bind("u", UUID.fromString(t.adminId)).mapTo(Long.class).one());
    }

    /**
     * The admin's ledger as {@code "KIND +amount =balanceAfter"}, oldest first; asserts on the way
     * that it adds up to the wallet's spendable balance.
     */
    static List<String> ledger(Tenant t) {
        List<String> lines = APP.<UserApplication>getApplication().database().tenants().inTenant(UUID.fromString(t.id),
                h -> h.createQuery("SELECT kind || ' ' || CASE WHEN amount_cents > 0 THEN '+' ELSE '' END || amount_cents "
                                + "|| ' =' || balance_after FROM wallet_entries WHERE user_id = :u ORDER BY created_at, balance_after")
                        .bind("u", UUID.fromString(t.adminId)).mapTo(String.class).list());
        long sum = APP.<UserApplication>getApplication().database().tenants().inTenant(UUID.fromString(t.id),
                h -> h.createQuery("SELECT coalesce(sum(amount_cents), 0) FROM wallet_entries WHERE user_id = :u")
                        .bind("u", UUID.fromString(t.adminId)).mapTo(Long.class).one());
        assertThat(sum).as("the ledger adds up to the balance").isEqualTo(balance(t));
        return lines;
    }

    /** The branch's wallet_holds row as {@code "MODE STATE amount"}. */
    static String hold(Tenant t, String xid, String branch) {
        return APP.<UserApplication>getApplication().database().tenants().inTenant(UUID.fromString(t.id),
                h -> h.createQuery("SELECT mode || ' ' || state || ' ' || amount_cents FROM wallet_holds WHERE xid = :x AND branch = :b")
                        .bind("x", xid).bind("b", branch).mapTo(String.class).one());
    }
}
