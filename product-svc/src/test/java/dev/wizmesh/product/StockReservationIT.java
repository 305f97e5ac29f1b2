package dev.wizmesh.product;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.wizmesh.discovery.catalog.StaticInstances;
import dev.wizmesh.grpc.client.GrpcChannels;
import dev.wizmesh.grpc.client.GrpcClientFactory;
import dev.wizmesh.grpc.errors.GrpcErrors;
import dev.wizmesh.grpc.product.v1.BranchRef;
import dev.wizmesh.grpc.product.v1.GetStockRequest;
import dev.wizmesh.grpc.product.v1.InventoryServiceGrpc;
import dev.wizmesh.grpc.product.v1.Stock;
import dev.wizmesh.grpc.product.v1.StockLine;
import dev.wizmesh.grpc.product.v1.StockReply;
import dev.wizmesh.grpc.product.v1.StockRequest;
import dev.wizmesh.grpc.product.v1.StockReservationServiceGrpc;
import dev.wizmesh.platform.context.RequestContext;
import dev.wizmesh.platform.errors.ApiException;
import dev.wizmesh.platform.errors.ErrorCode;
import dev.wizmesh.testing.PostgresExtension;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * StockReservationService as order-svc's coordinators call it: product-svc in-process on real
 * sockets against a real PostgreSQL, over a real gRPC channel with the tenant in the call's
 * metadata. Saga reserve/release, TCC try/confirm/cancel, every repeat and every call in the
 * wrong order, refusals that change nothing, tenant isolation, the sweeper releasing an expired
 * reservation, and concurrent Trys on the last units. Each test works in tenants of its own.
 */
class StockReservationIT {
    @RegisterExtension
    @Order(1)
    static final PostgresExtension POSTGRES = new PostgresExtension();

    @RegisterExtension
    @Order(2)
    static final DropwizardAppExtension<ProductConfiguration> APP = new DropwizardAppExtension<>(
            ProductApplication.class, ResourceHelpers.resourceFilePath("product-test.yml"),
            ConfigOverride.config("database.url", () -> POSTGRES.database().urlWithoutCredentials()),
            ConfigOverride.config("database.owner.user", () -> POSTGRES.database().username()),
            ConfigOverride.config("database.owner.password", () -> POSTGRES.database().password()),
            // the sweeper looks often, so an expired reservation is released within a fraction of a second
            ConfigOverride.config("reservations.sweepInterval", "100ms"));

    static final String BRANCH = "reserve-stock";

    // ---- saga: ReserveStock, ReleaseStock ----

    @Test
    void aSagaReservationTakesTheUnitsAndItsReleaseGivesBackExactlyThem() {
        UUID tenant = UUID.randomUUID();
        String apple = product(tenant, "apple", 10);
        String pear = product(tenant, "pear", 5);
        String xid = xid();

        // the same product twice in one order: one line of 4
        StockRequest request = request(xid, line(apple, 3), line(pear, 2), line(apple, 1));
        assertThat(call(tenant, () -> stub().reserveStock(request))).isEqualTo("APPLIED");
        assertThat(stock(tenant, apple)).isEqualTo("6/0");
        assertThat(stock(tenant, pear)).isEqualTo("3/0");

        // the coordinator did not hear back and sends it again: nothing more is taken
        assertThat(call(tenant, () -> stub().reserveStock(request))).isEqualTo("DUPLICATE");
        assertThat(stock(tenant, apple)).isEqualTo("6/0");
        // the same branch reused for other lines, or as a TCC Try, is no repeat: refused, nothing taken
        for (Supplier<StockReply> reuse : List.<Supplier<StockReply>>of(
                () -> stub().reserveStock(request(xid, line(apple, 5), line(pear, 2))),
                () -> stub().tryReserve(request))) {
            Refusal conflict = refused(tenant, reuse);
            assertThat(conflict.status()).isEqualTo(Status.Code.ALREADY_EXISTS);
            assertThat(conflict.code()).isEqualTo(ErrorCode.CONFLICT);
        }
        assertThat(stock(tenant, apple)).isEqualTo("6/0");
        assertThat(stock(tenant, pear)).isEqualTo("3/0");

        assertThat(call(tenant, () -> stub().releaseStock(ref(xid)))).isEqualTo("APPLIED");
        assertThat(stock(tenant, apple)).isEqualTo("10/0");
        assertThat(stock(tenant, pear)).isEqualTo("5/0");
        assertThat(call(tenant, () -> stub().releaseStock(ref(xid)))).isEqualTo("DUPLICATE");
        assertThat(stock(tenant, apple)).isEqualTo("10/0");

        // the action arriving once more after its compensation is refused for good
        Refusal late = refused(tenant, () -> stub().reserveStock(request));
        assertThat(late.status()).isEqualTo(Status.Code.ABORTED);
        assertThat(late.code()).isEqualTo(ErrorCode.BRANCH_ALREADY_CANCELLED);
        assertThat(stock(tenant, apple)).isEqualTo("10/0");
    }

    @Test
    void aSagaCompensationBeforeItsActionIsAnEmptyRollbackAndTheActionIsThenRefused() {
        UUID tenant = UUID.randomUUID();
        String apple = product(tenant, "apple", 10);
        String xid = xid();

        assertThat(call(tenant, () -> stub().releaseStock(ref(xid)))).isEqualTo("EMPTY_ROLLBACK");
        Refusal late = refused(tenant, () -> stub().reserveStock(request(xid, line(apple, 2))));
        assertThat(late.status()).isEqualTo(Status.Code.ABORTED);
        assertThat(late.code()).isEqualTo(ErrorCode.BRANCH_ALREADY_CANCELLED);
        assertThat(stock(tenant, apple)).isEqualTo("10/0");
    }

    // ---- TCC: TryReserve, ConfirmReservation, CancelReservation ----

    @Test
    void aTccTryHoldsTheUnitsAndItsConfirmSellsThem() {
        UUID tenant = UUID.randomUUID();
        String apple = product(tenant, "apple", 10);
        String xid = xid();
        StockRequest request = request(xid, line(apple, 4));

        assertThat(call(tenant, () -> stub().tryReserve(request))).isEqualTo("APPLIED");
        assertThat(stock(tenant, apple)).isEqualTo("6/4");
        assertThat(call(tenant, () -> stub().tryReserve(request))).isEqualTo("DUPLICATE");
        assertThat(stock(tenant, apple)).isEqualTo("6/4");

        assertThat(call(tenant, () -> stub().confirmReservation(ref(xid)))).isEqualTo("APPLIED");
        assertThat(stock(tenant, apple)).isEqualTo("6/0");
        assertThat(call(tenant, () -> stub().confirmReservation(ref(xid)))).isEqualTo("DUPLICATE");
        assertThat(call(tenant, () -> stub().tryReserve(request))).isEqualTo("DUPLICATE");
        assertThat(stock(tenant, apple)).isEqualTo("6/0");

        // a Cancel after the Confirm is a coordinator bug: refused, the sale stands
        Refusal cancel = refused(tenant, () -> stub().cancelReservation(ref(xid)));
        assertThat(cancel.status()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(cancel.code()).isEqualTo(ErrorCode.BRANCH_ALREADY_CONFIRMED);
        assertThat(stock(tenant, apple)).isEqualTo("6/0");
    }

    @Test
    void aTccCancelGivesBackExactlyWhatTheTryHeldAndALaterConfirmIsRefused() {
        UUID tenant = UUID.randomUUID();
        String apple = product(tenant, "apple", 10);
        String pear = product(tenant, "pear", 5);
        String xid = xid();

        assertThat(call(tenant, () -> stub().tryReserve(request(xid, line(pear, 5), line(apple, 2)))))
                .isEqualTo("APPLIED");
        assertThat(stock(tenant, apple)).isEqualTo("8/2");
        assertThat(stock(tenant, pear)).isEqualTo("0/5");

        assertThat(call(tenant, () -> stub().cancelReservation(ref(xid)))).isEqualTo("APPLIED");
        assertThat(stock(tenant, apple)).isEqualTo("10/0");
        assertThat(stock(tenant, pear)).isEqualTo("5/0");
        assertThat(call(tenant, () -> stub().cancelReservation(ref(xid)))).isEqualTo("DUPLICATE");
        assertThat(stock(tenant, apple)).isEqualTo("10/0");

        Refusal confirm = refused(tenant, () -> stub().confirmReservation(ref(xid)));
        assertThat(confirm.status()).isEqualTo(Status.Code.ABORTED);
        assertThat(confirm.code()).isEqualTo(ErrorCode.BRANCH_ALREADY_CANCELLED);
        assertThat(confirm.details()).containsEntry("xid", xid).containsEntry("branch", BRANCH)
                .containsEntry("state", "CANCELLED");
        assertThat(stock(tenant, apple)).isEqualTo("10/0");
    }

    @Test
    void aCancelBeforeItsTryIsAnEmptyRollbackAndTheLateTryIsRefusedWithNothingReserved() {
        UUID tenant = UUID.randomUUID();
        String apple = product(tenant, "apple", 10);
        String xid = xid();

        assertThat(call(tenant, () -> stub().cancelReservation(ref(xid)))).isEqualTo("EMPTY_ROLLBACK");
        Refusal late = refused(tenant, () -> stub().tryReserve(request(xid, line(apple, 3))));
        assertThat(late.status()).isEqualTo(Status.Code.ABORTED);
        assertThat(late.code()).isEqualTo(ErrorCode.BRANCH_ALREADY_CANCELLED);
        assertThat(stock(tenant, apple)).isEqualTo("10/0");
        // and the Cancel, repeated, stays a duplicate of the empty rollback
        assertThat(call(tenant, () -> stub().cancelReservation(ref(xid)))).isEqualTo("DUPLICATE");
    }

    @Test
    void aConfirmWithoutATryIsRefused() {
        UUID tenant = UUID.randomUUID();
        Refusal confirm = refused(tenant, () -> stub().confirmReservation(ref(xid())));
        assertThat(confirm.status()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(confirm.code()).isEqualTo(ErrorCode.BRANCH_NOT_TRIED);
        assertThat(confirm.details()).containsEntry("state", "NONE");
    }

    @Test
    void aBranchUndoneWithTheOtherModesRpcStillGivesBackWhatWasTakenAndASagaHasNoConfirm() {
        UUID tenant = UUID.randomUUID();
        String apple = product(tenant, "apple", 10);
        String saga = xid();
        String tcc = xid();
        call(tenant, () -> stub().reserveStock(request(saga, line(apple, 2))));
        call(tenant, () -> stub().tryReserve(request(tcc, line(apple, 3))));
        assertThat(stock(tenant, apple)).isEqualTo("5/3");

        Refusal confirmSaga = refused(tenant, () -> stub().confirmReservation(ref(saga)));
        assertThat(confirmSaga.status()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(confirmSaga.code()).isEqualTo(ErrorCode.BAD_REQUEST);
        assertThat(stock(tenant, apple)).isEqualTo("5/3");

        // each undo gives back what its branch recorded, whichever RPC names it
        assertThat(call(tenant, () -> stub().cancelReservation(ref(saga)))).isEqualTo("APPLIED");
        assertThat(stock(tenant, apple)).isEqualTo("7/3");
        assertThat(call(tenant, () -> stub().releaseStock(ref(tcc)))).isEqualTo("APPLIED");
        assertThat(stock(tenant, apple)).isEqualTo("10/0");
    }

    // ---- refusals that change nothing ----

    @Test
    void tooLittleStockOnOneLineIsRefusedAndNothingOfTheOtherLinesIsTaken() {
        UUID tenant = UUID.randomUUID();
        String apple = product(tenant, "apple", 10);
        String pear = product(tenant, "pear", 5);

        for (boolean tcc : new boolean[] {false, true}) {
            String xid = xid();
            StockRequest request = request(xid, line(apple, 2), line(pear, 6));
            Refusal refusal = refused(tenant, () -> tcc ? stub().tryReserve(request) : stub().reserveStock(request));
            assertThat(refusal.status()).isEqualTo(Status.Code.FAILED_PRECONDITION);
            assertThat(refusal.code()).isEqualTo(ErrorCode.INSUFFICIENT_STOCK);
            assertThat(refusal.details()).containsEntry("productId", pear).containsEntry("available", "5")
                    .containsEntry("requested", "6");
            assertThat(stock(tenant, apple)).isEqualTo("10/0");
            assertThat(stock(tenant, pear)).isEqualTo("5/0");

            // the refused forward step left no trace: its undo is an empty rollback, and the
            // forward step is then refused for good (it will never hang on)
            String undone = call(tenant, () -> tcc ? stub().cancelReservation(ref(xid)) : stub().releaseStock(ref(xid)));
            assertThat(undone).isEqualTo("EMPTY_ROLLBACK");
            assertThat(refused(tenant, () -> stub().tryReserve(request(xid, line(apple, 1)))).code())
                    .isEqualTo(ErrorCode.BRANCH_ALREADY_CANCELLED);
            assertThat(stock(tenant, apple)).isEqualTo("10/0");
        }
    }

    @Test
    void anUnknownDeletedOrOtherTenantsProductIsNotFoundAndNothingIsTaken() {
        UUID tenant = UUID.randomUUID();
        String apple = product(tenant, "apple", 10);
        String deleted = product(tenant, "gone", 10);
        Caller.admin(port(), tenant).delete("/api/v1/products/" + deleted);
        String othersProduct = product(UUID.randomUUID(), "theirs", 10);

        for (String missing : List.of(UUID.randomUUID().toString(), deleted, othersProduct)) {
            for (boolean tcc : new boolean[] {false, true}) {
                StockRequest request = request(xid(), line(apple, 1), line(missing, 1));
                Refusal refusal = refused(tenant, () -> tcc ? stub().tryReserve(request) : stub().reserveStock(request));
                assertThat(refusal.status()).as(missing).isEqualTo(Status.Code.NOT_FOUND);
                assertThat(refusal.code()).isEqualTo(ErrorCode.PRODUCT_NOT_FOUND);
                assertThat(refusal.details()).containsEntry("productId", missing);
            }
        }
        assertThat(stock(tenant, apple)).isEqualTo("10/0");
    }

    @Test
    void malformedRequestsAreInvalidArgumentWithACodeNeverInternal() {
        UUID tenant = UUID.randomUUID();
        String apple = product(tenant, "apple", 10);
        List<StockRequest> bad = List.of(
                StockRequest.newBuilder().setBranch(BRANCH).addLines(line(apple, 1)).build(),       // no xid
                StockRequest.newBuilder().setXid(xid()).addLines(line(apple, 1)).build(),            // no branch
                request("x".repeat(129), line(apple, 1)),                                              // xid too long
                request(xid()),                                                                        // no lines
                request(xid(), line(apple, 0)),
                request(xid(), line(apple, -1)),
                request(xid(), line(apple, 100_001)),
                request(xid(), line("not-a-uuid", 1)),
                request(xid(), line("1-2-3-4-5", 1)));
        for (StockRequest request : bad) {
            for (boolean tcc : new boolean[] {false, true}) {
                Refusal refusal = refused(tenant, () -> tcc ? stub().tryReserve(request) : stub().reserveStock(request));
                assertThat(refusal.status()).as(request.toString()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                assertThat(refusal.code()).isEqualTo(ErrorCode.BAD_REQUEST);
                assertThat((String) refusal.details().get("reason")).isNotBlank();
            }
        }
        for (long hold : new long[] {-1, Duration.ofHours(1).toMillis() + 1}) {
            StockRequest request = request(xid(), line(apple, 1)).toBuilder().setHoldMillis(hold).build();
            assertThat(refused(tenant, () -> stub().tryReserve(request)).code()).isEqualTo(ErrorCode.BAD_REQUEST);
        }
        for (BranchRef ref : List.of(BranchRef.newBuilder().setBranch(BRANCH).build(),
                BranchRef.newBuilder().setXid(xid()).build())) {
            assertThat(refused(tenant, () -> stub().confirmReservation(ref)).status()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(refused(tenant, () -> stub().cancelReservation(ref)).status()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(refused(tenant, () -> stub().releaseStock(ref)).status()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        }
        // no tenant in the metadata: refused before anything else
        Refusal anonymous = refused(null, () -> stub().tryReserve(request(xid(), line(apple, 1))));
        assertThat(anonymous.status()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(stock(tenant, apple)).isEqualTo("10/0");
    }

    // ---- tenants ----

    @Test
    void anotherTenantSeesNoBranchOfOursAndCannotConfirmOrCancelIt() {
        UUID tenantA = UUID.randomUUID();
        UUID tenantB = UUID.randomUUID();
        String apple = product(tenantA, "apple", 10);
        String xid = xid();
        call(tenantA, () -> stub().tryReserve(request(xid, line(apple, 4))));

        Refusal confirm = refused(tenantB, () -> stub().confirmReservation(ref(xid)));
        assertThat(confirm.code()).isEqualTo(ErrorCode.BRANCH_NOT_TRIED);
        // B's Cancel finds no branch in B's tenant: an empty rollback there, A's untouched
        assertThat(call(tenantB, () -> stub().cancelReservation(ref(xid)))).isEqualTo("EMPTY_ROLLBACK");
        assertThat(call(tenantB, () -> stub().releaseStock(ref(xid)))).isEqualTo("DUPLICATE");
        assertThat(stock(tenantA, apple)).isEqualTo("6/4");

        assertThat(call(tenantA, () -> stub().confirmReservation(ref(xid)))).isEqualTo("APPLIED");
        assertThat(stock(tenantA, apple)).isEqualTo("6/0");
    }

    // ---- the sweeper ----

    @Test
    void anExpiredTccReservationIsReleasedByTheSweeperAndASagaReservationNever() throws Exception {
        UUID tenant = UUID.randomUUID();
        String apple = product(tenant, "apple", 10);
        String abandoned = xid();
        String saga = xid();
        long cancelledBefore = APP.<ProductApplication>getApplication().fenceSweeper().expiredCancelled();

        call(tenant, () -> stub().reserveStock(request(saga, line(apple, 1))));
        StockRequest shortHold = request(abandoned, line(apple, 4)).toBuilder().setHoldMillis(300).build();
        assertThat(call(tenant, () -> stub().tryReserve(shortHold))).isEqualTo("APPLIED");
        assertThat(stock(tenant, apple)).isEqualTo("5/4");

        // the coordinator never comes back: within a few sweeps the held units are available again
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!stock(tenant, apple).equals("9/0") && System.nanoTime() < deadline) {
            Thread.sleep(50); // polling for the result, not waiting for a race
        }
        assertThat(stock(tenant, apple)).isEqualTo("9/0");
        assertThat(APP.<ProductApplication>getApplication().fenceSweeper().expiredCancelled())
                .isGreaterThan(cancelledBefore);

        // a Confirm arriving after that is too late; a Cancel is a duplicate of the sweeper's
        assertThat(refused(tenant, () -> stub().confirmReservation(ref(abandoned))).code())
                .isEqualTo(ErrorCode.BRANCH_ALREADY_CANCELLED);
        assertThat(call(tenant, () -> stub().cancelReservation(ref(abandoned)))).isEqualTo("DUPLICATE");
        // the saga's unit is still taken: its coordinator, not the sweeper, compensates it
        assertThat(stock(tenant, apple)).isEqualTo("9/0");
        assertThat(call(tenant, () -> stub().releaseStock(ref(saga)))).isEqualTo("APPLIED");
        assertThat(stock(tenant, apple)).isEqualTo("10/0");
    }

    // ---- concurrency ----

    @Test
    void twentyConcurrentTrysForTenUnitsHoldExactlyTenAndRefuseTheRest() throws Exception {
        UUID tenant = UUID.randomUUID();
        String apple = product(tenant, "apple", 10);
        List<String> outcomes = concurrently(20, i -> {
            try {
                return call(tenant, () -> stub().tryReserve(request(xid(), line(apple, 1))));
            } catch (StatusRuntimeException e) {
                return GrpcErrors.toApiException(e, "product-svc").code().name();
            }
        });
        assertThat(outcomes).filteredOn("APPLIED"::equals).hasSize(10);
        assertThat(outcomes).filteredOn("INSUFFICIENT_STOCK"::equals).hasSize(10);
        assertThat(stock(tenant, apple)).isEqualTo("0/10");
    }

    @Test
    void concurrentBranchesNamingTwoProductsInOppositeOrdersNeverDeadlock() throws Exception {
        UUID tenant = UUID.randomUUID();
        String apple = product(tenant, "apple", 100);
        String pear = product(tenant, "pear", 100);
        // each branch tries (lines in one order or the other), then half confirm and half cancel
        List<String> outcomes = concurrently(20, i -> {
            String xid = xid();
            StockRequest request = i % 2 == 0
                    ? request(xid, line(apple, 1), line(pear, 2))
                    : request(xid, line(pear, 2), line(apple, 1));
            String tried = call(tenant, () -> stub().tryReserve(request));
            String second = i % 4 < 2
                    ? call(tenant, () -> stub().confirmReservation(ref(xid)))
                    : call(tenant, () -> stub().cancelReservation(ref(xid)));
            return tried + "/" + second;
        });
        assertThat(outcomes).containsOnly("APPLIED/APPLIED");
        assertThat(stock(tenant, apple)).isEqualTo("90/0");
        assertThat(stock(tenant, pear)).isEqualTo("80/0");
    }

    // ---- helpers: products over HTTP, reservations and stock over gRPC ----

    interface Task {
        String run(int index) throws Exception;
    }

    /** Runs {@code count} tasks at once (released together by a latch) and returns what each answered. */
    static List<String> concurrently(int count, Task task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<String>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.run(index);
                }));
            }
            start.countDown();
            List<String> outcomes = new ArrayList<>();
            for (Future<String> future : futures) {
                outcomes.add(future.get(30, TimeUnit.SECONDS));
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }

    static int port() {
        return APP.getLocalPort();
    }

    static String product(UUID tenant, String sku, long available) {
        return Caller.admin(port(), tenant).create(sku, sku, 100, available).get("id").asText();
    }

    static String xid() {
        return "order-" + UUID.randomUUID();
    }

    static StockLine line(String productId, long quantity) {
        return StockLine.newBuilder().setProductId(productId).setQuantity(quantity).build();
    }

    static StockRequest request(String xid, StockLine... lines) {
        return StockRequest.newBuilder().setXid(xid).setBranch(BRANCH).addAllLines(List.of(lines)).build();
    }

    static BranchRef ref(String xid) {
        return BranchRef.newBuilder().setXid(xid).setBranch(BRANCH).build();
    }

    /** "available/reserved" of one product, read over gRPC as the tenant. */
    static String stock(UUID tenant, String productId) {
        Stock stock = asTenant(tenant, () -> InventoryServiceGrpc.newBlockingStub(channels().channel("product-svc"))
                .getStock(GetStockRequest.newBuilder().addProductIds(productId).build())).getStocks(0);
        return stock.getAvailable() + "/" + stock.getReserved();
    }

    /** Calls as a caller of {@code tenant} and answers the reply's outcome. */
    static String call(UUID tenant, Supplier<StockReply> call) {
        return asTenant(tenant, call).getOutcome();
    }

    /** A refused call: its gRPC status, and our error code and details as a client reads them back. */
    record Refusal(Status.Code status, ErrorCode code, Map<String, Object> details) {
    }

    static Refusal refused(UUID tenant, Supplier<?> call) {
        StatusRuntimeException e = catchThrowableOfType(() -> asTenant(tenant, call), StatusRuntimeException.class);
        assertThat(e).as("the call should have been refused").isNotNull();
        ApiException api = GrpcErrors.toApiException(e, "product-svc");
        return new Refusal(e.getStatus().getCode(), api.code(), api.details());
    }

    /** Runs {@code call} as a caller of {@code tenant} (the client interceptor sends it as metadata). */
    static <T> T asTenant(UUID tenant, Supplier<T> call) {
        RequestContext caller = new RequestContext("reservation-test-" + UUID.randomUUID(),
                tenant == null ? null : tenant.toString(), "order-svc", null);
        try (RequestContext.Scope ignored = caller.attach()) {
            return call.get();
        }
    }

    static StockReservationServiceGrpc.StockReservationServiceBlockingStub stub() {
        return StockReservationServiceGrpc.newBlockingStub(channels().channel("product-svc"))
                .withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    private static GrpcChannels channels;

    /** Channels as order-svc would have them: registry:///product-svc through a (static) catalog. */
    static synchronized GrpcChannels channels() {
        if (channels == null) {
            int grpcPort = APP.<ProductApplication>getApplication().grpcServer().port();
            channels = new GrpcClientFactory().build(OpenTelemetry.noop(), new StaticInstances(
                    Map.of("product-svc", List.of("127.0.0.1:" + port() + "?grpc=" + grpcPort))));
        }
        return channels;
    }

    @AfterAll
    static void closeChannels() {
        if (channels != null) {
            channels.close();
        }
    }
}
