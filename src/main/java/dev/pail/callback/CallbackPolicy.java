package dev.pail.callback;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which callback targets Pail may connect to (server-side request forgery policy). A callback URL
 * comes from whoever can upload, so without a policy any uploader could make the server POST to
 * addresses only the server can reach.
 *
 * <p>Decisions are made on the <em>resolved</em> address that Pail then connects to (the service
 * resolves a host once, checks each address, and connects to a checked address itself; it never
 * resolves the name again), so a DNS answer that changes between check and use cannot slip
 * through.
 *
 * <h2>Default policy ({@code allow} empty)</h2>
 * Everything is allowed, loopback and private networks included (Pail is mostly run for local
 * development and tests, where the receiver is on the same machine or network), <b>except</b>
 * link-local and cloud metadata addresses, which are always refused:
 * {@code 169.254.0.0/16} (includes {@code 169.254.169.254}, the AWS/GCP/Azure/Oracle metadata
 * service), {@code fe80::/10}, {@code 100.100.100.200} (Alibaba Cloud metadata) and
 * {@code fd00:ec2::254} (AWS IPv6 metadata). IPv6 forms that embed one of these IPv4 addresses
 * (IPv4-compatible {@code ::a.b.c.d}, NAT64 {@code 64:ff9b::a.b.c.d}) are refused too
 * (IPv4-mapped {@code ::ffff:a.b.c.d} is an IPv4 address to Java already).
 *
 * <h2>Allow-list ({@code allow} not empty)</h2>
 * Only targets matching an entry are allowed; loopback is then refused too unless listed. Entries:
 * <ul>
 *   <li>an IP literal ({@code 10.0.0.7}, {@code ::1}): the resolved address equals it;</li>
 *   <li>a CIDR block ({@code 127.0.0.0/8}, {@code fd00::/8}): the resolved address lies in it;</li>
 *   <li>a host name ({@code hooks.example.com}), or {@code *.example.com} for any name ending in
 *       {@code .example.com}: the callback URL's host equals it (case-insensitive, a trailing dot
 *       ignored). {@code callbackHost} plays no part: it only sets the Host header.</li>
 * </ul>
 * The always-refused addresses above are admitted only by an IP or CIDR entry that contains them;
 * a host name entry alone never admits them (a listed name that starts resolving to the metadata
 * service stays refused).
 *
 * @param allow the allow-list entries; empty for the default policy
 */
public record CallbackPolicy(List<String> allow) {

    public CallbackPolicy {
        allow = List.copyOf(allow);
        rules(allow); // validates: a bad entry is a configuration error, reported at start-up
    }

    /** The default policy: everything but link-local and cloud metadata addresses. */
    public static CallbackPolicy defaults() { return new CallbackPolicy(List.of()); }

    /**
     * Whether a callback to {@code address}, resolved from the URL host {@code host}, is allowed.
     */
    public boolean permits(String host, InetAddress address) {
        boolean refusedByDefault = alwaysRefused(address);
        if (allow.isEmpty()) return !refusedByDefault;
        List<Rule> rules = rules(allow);
        for (Rule r : rules) {
            if (r instanceof Block b && b.contains(address)) return true;
        }
        if (refusedByDefault) return false;
        String name = normalize(host);
        for (Rule r : rules) {
            if (r instanceof Name n && n.matches(name)) return true;
        }
        return false;
    }

    /** Link-local or cloud metadata: refused unless an IP/CIDR entry lists it. */
    static boolean alwaysRefused(InetAddress a) {
        if (a instanceof Inet6Address v6) {
            byte[] b = v6.getAddress();
            if (METADATA_V6.contains(a)) return true;
            if (a.isLinkLocalAddress()) return true;
            InetAddress embedded = embeddedIpv4(b);
            return embedded != null && alwaysRefused(embedded);
        }
        return a.isLinkLocalAddress() || METADATA_V4.contains(a);
    }

    private static final Block METADATA_V4 = Block.parse("100.100.100.200/32");
    private static final Block METADATA_V6 = Block.parse("fd00:ec2::254/128");
    private static final Block NAT64 = Block.parse("64:ff9b::/96");

    /** The IPv4 address inside an IPv4-compatible ({@code ::a.b.c.d}) or NAT64 address, else null. */
    private static InetAddress embeddedIpv4(byte[] v6) {
        boolean compatible = true;
        for (int i = 0; i < 12; i++) compatible &= v6[i] == 0;
        boolean nat64 = NAT64.containsBytes(v6);
        if (!compatible && !nat64) return null;
        try {
            return InetAddress.getByAddress(java.util.Arrays.copyOfRange(v6, 12, 16));
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static String normalize(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    private sealed interface Rule permits Block, Name {}

    private record Name(String name, boolean wildcard) implements Rule {
        boolean matches(String host) {
            return wildcard ? host.endsWith("." + name) : host.equals(name);
        }
    }

    private record Block(byte[] network, int prefix) implements Rule {
        static Block parse(String s) {
            int slash = s.indexOf('/');
            InetAddress a = literal(slash < 0 ? s : s.substring(0, slash));
            if (a == null) return null;
            byte[] bytes = a.getAddress();
            int max = bytes.length * 8;
            int prefix = max;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(s.substring(slash + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("Bad prefix length in callback allow entry: " + s);
                }
                if (prefix < 0 || prefix > max) throw new IllegalArgumentException("Bad prefix length in callback allow entry: " + s);
            }
            return new Block(mask(bytes, prefix), prefix);
        }

        boolean contains(InetAddress a) { return containsBytes(a.getAddress()); }

        boolean containsBytes(byte[] b) {
            return b.length == network.length && java.util.Arrays.equals(mask(b, prefix), network);
        }

        private static byte[] mask(byte[] bytes, int prefix) {
            BigInteger all = new BigInteger(1, bytes);
            int bits = bytes.length * 8;
            BigInteger keep = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
                    .xor(BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE));
            byte[] raw = all.and(keep).toByteArray();
            byte[] out = new byte[bytes.length];
            int n = Math.min(raw.length, out.length);
            System.arraycopy(raw, raw.length - n, out, out.length - n, n);
            return out;
        }
    }

    /** An IPv4 or IPv6 literal (never a DNS lookup), or null when {@code s} is not one. */
    private static InetAddress literal(String s) {
        boolean looksV4 = !s.isEmpty() && s.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '.');
        boolean looksV6 = s.indexOf(':') >= 0;
        if (!looksV4 && !looksV6) return null;
        try {
            InetAddress a = InetAddress.ofLiteral(s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s);
            return a instanceof Inet4Address || a instanceof Inet6Address ? a : null;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Bad IP address in callback allow entry: " + s);
        }
    }

    private static List<Rule> rules(List<String> allow) {
        List<Rule> out = new ArrayList<>(allow.size());
        for (String raw : allow) {
            if (raw == null || raw.isBlank()) throw new IllegalArgumentException("Empty callback allow entry");
            String s = raw.strip();
            Block b = Block.parse(s);
            if (b != null) {
                out.add(b);
                continue;
            }
            if (s.indexOf('/') >= 0) throw new IllegalArgumentException("Bad CIDR block in callback allow entry: " + s);
            boolean wildcard = s.startsWith("*.");
            String name = normalize(wildcard ? s.substring(2) : s);
            if (name.isEmpty() || !name.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_')) {
                throw new IllegalArgumentException("Bad host name in callback allow entry: " + s);
            }
            out.add(new Name(name, wildcard));
        }
        return out;
    }
}
