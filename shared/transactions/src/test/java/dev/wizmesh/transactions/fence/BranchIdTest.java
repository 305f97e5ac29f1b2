package dev.wizmesh.transactions.fence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wizmesh.platform.errors.ErrorCode;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class BranchIdTest {
    static final UUID TENANT = UUID.randomUUID();

    @Test
    void acceptsIdsUpToTheColumnLimits() {
        BranchId id = new BranchId(TENANT, "x".repeat(128), "b".repeat(64));
        assertThat(id.xid()).hasSize(128);
        assertThat(new BranchId(TENANT, "x", "b").branch()).isEqualTo("b");
    }

    @Test
    void refusesMissingEmptyOrTooLongParts() {
        assertThatThrownBy(() -> new BranchId(null, "x", "b")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new BranchId(TENANT, null, "b")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new BranchId(TENANT, "x", null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new BranchId(TENANT, "", "b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BranchId(TENANT, "x", "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BranchId(TENANT, "x".repeat(129), "b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("xid must be 1 to 128");
        assertThatThrownBy(() -> new BranchId(TENANT, "x", "b".repeat(65)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("branch must be 1 to 64");
    }

    @Test
    void aRefusalCarriesTheCatalogueCodeTheBranchAndTheStateFound() {
        BranchId id = new BranchId(TENANT, "tx-1", "pay");
        FenceRefusedException suspended = FenceRefusedException.alreadyCancelled(id);
        assertThat(suspended.code()).isEqualTo(ErrorCode.BRANCH_ALREADY_CANCELLED);
        assertThat(suspended.code().httpStatus()).isEqualTo(409);
        assertThat(suspended.getMessage()).isEqualTo("Branch pay of transaction tx-1 was already cancelled");
        assertThat(suspended.details()).containsEntry("xid", "tx-1").containsEntry("branch", "pay")
                .containsEntry("state", "CANCELLED").doesNotContainKey("tenantId");
        assertThat(FenceRefusedException.notTried(id).getMessage()).isEqualTo("Branch pay of transaction tx-1 was never tried");
        assertThat(FenceRefusedException.alreadyConfirmed(id).found()).contains(FenceState.CONFIRMED);
    }
}
