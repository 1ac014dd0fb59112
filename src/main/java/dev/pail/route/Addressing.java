package dev.pail.route;

import dev.pail.xml.OssError;
import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Finds the bucket and key of a request (core.md §2.2): virtual-hosted style for
 * {@code <bucket>.<domain>} with a configured domain or {@code <bucket>.oss-<region>.aliyuncs.com},
 * path style otherwise. The raw path is split at the first {@code /} before percent-decoding, so
 * {@code %2F} belongs to the key.
 */
public final class Addressing {

    /** Where a request points: bucket and key may be null. */
    public record Target(String bucket, String key) {}

    private final List<String> domains;

    /** @param domains base domains for virtual-hosted style, lower case, without port */
    public Addressing(List<String> domains) {
        this.domains = domains.stream().map(d -> d.toLowerCase(Locale.ROOT)).toList();
    }

    public Target resolve(String hostHeader, String rawPath) {
        if (rawPath.isEmpty() || rawPath.charAt(0) != '/') throw OssError.INVALID_ARGUMENT.exception("Invalid request target.");
        String vhostBucket = virtualHostBucket(hostHeader);
        if (vhostBucket != null) {
            String key = decodePath(rawPath.substring(1));
            return new Target(vhostBucket.isEmpty() ? null : vhostBucket, vhostBucket.isEmpty() || key.isEmpty() ? null : key);
        }
        String path = rawPath.substring(1);
        if (path.isEmpty()) return new Target(null, null);
        int slash = path.indexOf('/');
        String bucket = decodePath(slash < 0 ? path : path.substring(0, slash));
        String key = slash < 0 ? "" : decodePath(path.substring(slash + 1));
        return new Target(bucket, key.isEmpty() ? null : key);
    }

    /** The bucket named by the Host header ("" for a bare {@code .oss-x.aliyuncs.com}), or null for path style. */
    String virtualHostBucket(String hostHeader) {
        if (hostHeader == null) return null;
        String host = stripPort(hostHeader.trim()).toLowerCase(Locale.ROOT);
        int dot = host.indexOf('.');
        if (dot < 0) return null;
        String label = host.substring(0, dot);
        String rest = host.substring(dot + 1);
        if (rest.endsWith(".aliyuncs.com") && rest.startsWith("oss-")) return label;
        for (String d : domains) if (rest.equals(d)) return label;
        return null;
    }

    private static String stripPort(String host) {
        if (host.startsWith("[")) { // IPv6 literal: never virtual-hosted
            return host;
        }
        int colon = host.lastIndexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }

    /**
     * Plain percent-decoding ({@code +} stays {@code +}) to a UTF-8 string; malformed escapes or
     * invalid UTF-8 are refused.
     */
    public static String decodePath(String raw) {
        // unescaped non-ASCII bytes (one char each) must be decoded as UTF-8 like escaped ones
        if (raw.indexOf('%') < 0 && raw.chars().allMatch(c -> c < 0x80)) return raw;
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) throw badEncoding();
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) throw badEncoding();
                out.write(hi << 4 | lo);
                i += 2;
            } else if (c <= 0xFF) {
                out.write(c); // the HTTP layer hands over each wire byte as one char
            } else {
                throw badEncoding();
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(out.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw OssError.INVALID_OBJECT_NAME.exception("The object name is not valid UTF-8.");
        }
    }

    private static RuntimeException badEncoding() {
        return OssError.INVALID_ARGUMENT.exception("Malformed percent-encoding in the request path.");
    }
}
