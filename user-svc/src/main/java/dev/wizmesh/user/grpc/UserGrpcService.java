package dev.wizmesh.user.grpc;

import dev.wizmesh.grpc.user.v1.GetUserRequest;
import dev.wizmesh.grpc.user.v1.GetWalletRequest;
import dev.wizmesh.grpc.user.v1.User;
import dev.wizmesh.grpc.user.v1.UserServiceGrpc;
import dev.wizmesh.grpc.user.v1.Wallet;
import dev.wizmesh.user.core.Ids;
import dev.wizmesh.user.core.UserDirectory;
import dev.wizmesh.user.core.Wallets;
import io.grpc.stub.StreamObserver;

/**
 * user-svc's gRPC API for other services. The caller's tenant arrives in metadata and the server
 * interceptors attach it, so the same tenant-scoped domain classes as the REST API answer; an
 * ApiException (USER_NOT_FOUND) thrown here crosses the wire with its code.
 */
public final class UserGrpcService extends UserServiceGrpc.UserServiceImplBase {
    private final UserDirectory users;
    private final Wallets wallets;

    public UserGrpcService(UserDirectory users, Wallets wallets) {
        this.users = users;
        this.wallets = wallets;
    }

    @Override
    public void getUser(GetUserRequest request, StreamObserver<User> response) {
        dev.wizmesh.user.core.User user = users.find(Ids.userId(request.getUserId()));
        response.onNext(User.newBuilder()
                .setId(user.id().toString())
                .setTenantId(user.tenantId().toString())
                .setEmail(user.email())
                .setDisplayName(user.displayName())
                .addAllRoles(user.roles())
                .build());
        response.onCompleted();
    }

    @Override
    public void getWallet(GetWalletRequest request, StreamObserver<Wallet> response) {
        Wallets.Wallet wallet = wallets.of(Ids.userId(request.getUserId()));
        response.onNext(Wallet.newBuilder()
                .setUserId(wallet.userId().toString())
                .setBalanceCents(wallet.balanceCents())
                .setCurrency(wallet.currency())
                .build());
        response.onCompleted();
    }
}
