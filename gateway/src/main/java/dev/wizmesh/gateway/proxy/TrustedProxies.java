package dev.wizmesh.gateway.proxy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The peers whose {@code X-Forwarded-*} and {@code Forwarded} headers the gateway believes: a
 * load balancer in front of it, given as addresses or CIDR blocks ({@code 10.0.0.0/8},
 * {@code 127.0.0.1}, {@code ::1}). Empty by default: the gateway is the edge and believes no one.
 */
public final class TrustedProxies {
    private final List<Block> blocks;

    /** @throws IllegalArgumentException for an entry that is not an IP literal or CIDR block */
    public TrustedProxies(List<String> entries) {
        List<Block> parsed = new ArrayList<>();
        for (String entry : entries) {
            parsed.add(Block.parse(entry.trim()));
        }
        this.blocks = List.copyOf(parsed);
    }

    public static TrustedProxies none() {
        return new TrustedProxies(List.of());
    }

    public boolean isEmpty() {
        return blocks.isEmpty();
    }

    /** True when {@code address} (an IP literal, as the servlet's remote address is) is trusted. */
    public boolean trusts(String address) {
        if (blocks.isEmpty() || address == null) {
            return false;
        }
        byte[] bytes = literal(address);
        if (bytes == null) {
            return false;
        }
        for (Block block : blocks) {
            if (block.contains(bytes)) {
                return true;
            }
        }
        return false;
    }

    /** The address bytes of an IP literal, or null for anything else (never a DNS lookup). */
    static byte[] literal(String address) {
        String a = address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1) : address;
        if (a.isEmpty() || !a.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':')) {
            return null;
        }
        try {
            return InetAddress.getByName(a).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private record Block(byte[] network, int prefixBits) {
        static Block parse(String entry) {
            int slash = entry.indexOf('/');
            String address = slash < 0 ? entry : entry.substring(0, slash);
            byte[] bytes = literal(address);
            if (bytes == null) {
                throw new IllegalArgumentException("trustedProxies: not an IP address or CIDR block: " + entry);
            }
            int bits = slash < 0 ? bytes.length * 8 : Integer.parseInt(entry.substring(slash + 1));
            if (bits < 0 || bits > bytes.length * 8) {
                throw new IllegalArgumentException("trustedProxies: bad prefix length in " + entry);
            }
            return new Block(bytes, bits);
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefixBits / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefixBits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }
    }
}
