package dev.wizmesh.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeaderRulesTest {
    @Test
    void pathsWithMoreThanOneSpellingAreRefused() {
        for (String bad : List.of("/a/../b", "/a/./b", "/a/%2e%2e/b", "/a/%2E./b", "/a/..%2fb", "/a%2Fb", "/a/%252e%252e/b",
                "/a\\b", "/a/%5c/b", "/a//b", "/a;x=1/b", "/a/%00", "/a/%zz", "/a/%4", "relative", "/..")) {
            assertThat(PathNormalizer.problem(bad)).as(bad).isPresent();
        }
        for (String good : List.of("/", "/api/v1/users/", "/api/v1/users/me", "/files/a%20b", "/x/%C3%A9", "/a/b.c/..d")) {
            assertThat(PathNormalizer.problem(good)).as(good).isEmpty();
        }
    }

    @Test
    void identityHeadersInEverySpelling() {
        for (String name : List.of("X-Tenant-ID", "x-tenant-id", "X_TENANT_ID", "x_Tenant-Id", "X-User-ID", "x_user_id",
                "X-USER-ROLES", "x-user_roles")) {
            assertThat(IdentityHeaders.isIdentityHeader(name)).as(name).isTrue();
        }
        assertThat(IdentityHeaders.isIdentityHeader("X-Tenant")).isFalse();
    }

    @Test
    void hopByHopIncludesWhatConnectionNames() {
        HopByHopHeaders hop = HopByHopHeaders.of(Collections.enumeration(List.of("keep-alive, X-Secret", "x_other")));
        assertThat(hop.isHopByHop("Keep-Alive")).isTrue();
        assertThat(hop.isHopByHop("x-secret")).isTrue();
        assertThat(hop.isHopByHop("X-Other")).isTrue();
        assertThat(hop.isHopByHop("Proxy-Authorization")).isTrue();
        assertThat(hop.isHopByHop("TE")).isTrue();
        assertThat(hop.isHopByHop("Content-Type")).isFalse();
    }

    @Test
    void trustedProxiesMatchAddressesAndBlocks() {
        TrustedProxies trusted = new TrustedProxies(List.of("10.0.0.0/8", "192.168.1.7", "::1"));
        assertThat(trusted.trusts("10.200.3.4")).isTrue();
        assertThat(trusted.trusts("11.0.0.1")).isFalse();
        assertThat(trusted.trusts("192.168.1.7")).isTrue();
        assertThat(trusted.trusts("192.168.1.8")).isFalse();
        assertThat(trusted.trusts("0:0:0:0:0:0:0:1")).isTrue();
        assertThat(trusted.trusts("example.com")).isFalse();
        assertThat(TrustedProxies.none().trusts("127.0.0.1")).isFalse();
    }
}
