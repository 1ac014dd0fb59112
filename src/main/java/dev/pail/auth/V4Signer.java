package dev.pail.auth;

import dev.pail.route.Query;
import dev.pail.xml.OssError;
import dev.pail.xml.OssException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The OSS V4 signature (HMAC-SHA256), core.md §3.4 and §3.5. Pure functions, except that derived signing keys
 * are memoised in a small bounded map.
 *
 * <p>The canonical request is hashed as ISO-8859-1 bytes: its URI and query parts are pure ASCII after encoding
 * and header values are the raw wire chars, so this reproduces exactly the bytes the client hashed.
 */
public final class V4Signer {
    private V4Signer() {}

    public static final String ALGORITHM = "OSS4-HMAC-SHA256";
    public static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
    private static final String TERMINATOR = "aliyun_v4_request";
    private static final HexFormat HEX = HexFormat.of();
    private static final HexFormat UPPER_HEX = HexFormat.of().withUpperCase();

    /** The credential scope {@code <ak>/<yyyymmdd>/<region>/<product>/aliyun_v4_request}. */
    private static final Pattern EIGHT_DIGITS = Pattern.compile("\\d{8}");

    public record Scope(String accessKeyId, String date, String region, String product) {
        /** Parses a {@code Credential=} / {@code x-oss-credential} value; malformed → 400 InvalidArgument. */
        public static Scope parse(String credential) {
            String[] p = credential.split("/", -1);
            if (p.length != 5 || !p[4].equals(TERMINATOR) || !EIGHT_DIGITS.matcher(p[1]).matches()
                    || p[0].isEmpty() || p[2].isEmpty() || p[3].isEmpty()) {
                throw OssError.INVALID_ARGUMENT.exception("Invalid credential in the V4 signature: " + credential);
            }
            return new Scope(p[0], p[1], p[2], p[3]);
        }

        /** The scope line of the string-to-sign: {@code <yyyymmdd>/<region>/<product>/aliyun_v4_request}. */
        public String value() { return date + "/" + region + "/" + product + "/" + TERMINATOR; }
    }

    private static final Set<String> FIELDS = Set.of("Credential", "Signature", "AdditionalHeaders");

    /** A parsed {@code Authorization: OSS4-HMAC-SHA256 ...} header. */
    public record Authorization(Scope scope, SortedSet<String> additionalHeaders, String signature) {
        /**
         * Accepts both SDK layouts: comma with or without spaces, keys in any order, {@code AdditionalHeaders}
         * optional (an empty value is accepted as "none"). Anything else → 400 InvalidArgument.
         */
        public static Authorization parse(String header) {
            if (!header.startsWith(ALGORITHM + " ")) throw malformed(header);
            Map<String, String> fields = new TreeMap<>();
            for (String part : header.substring(ALGORITHM.length() + 1).split(",", -1)) {
                String field = part.trim();
                int eq = field.indexOf('=');
                if (eq <= 0) throw malformed(header);
                String name = field.substring(0, eq);
                if (!FIELDS.contains(name)
                        || fields.put(name, field.substring(eq + 1)) != null) {
                    throw malformed(header);
                }
            }
            String credential = fields.get("Credential");
            String signature = fields.get("Signature");
            if (credential == null || signature == null || signature.isEmpty()) throw malformed(header);
            return new Authorization(Scope.parse(credential), V4Signer.additionalHeaders(fields.get("AdditionalHeaders")),
                    signature);
        }

        private static OssException malformed(String header) {
            return OssError.INVALID_ARGUMENT.exception("Malformed V4 Authorization header: " + header);
        }
    }

    /** Parses a {@code ;}-separated header-name list (null → empty) into sorted lower-case names. */
    public static SortedSet<String> additionalHeaders(String list) {
        SortedSet<String> names = new TreeSet<>();
        if (list != null) {
            for (String n : list.split(";")) if (!n.isBlank()) names.add(n.trim().toLowerCase(Locale.ROOT));
        }
        return names;
    }

    /** {@code /}, {@code /bucket/} or {@code /bucket/key}, RFC 3986-encoded with {@code /} kept. */
    public static String canonicalUri(String bucket, String key) {
        if (bucket == null) return "/";
        return "/" + encode(bucket, false) + "/" + (key == null ? "" : encode(key, false));
    }

    /**
     * Every query parameter (for presigned URLs all but {@code x-oss-signature}), names and values re-encoded
     * per RFC 3986 ({@code /} encoded), sorted by name then value, {@code name} alone when the value is empty.
     */
    public static String canonicalQuery(Query query, boolean presigned) {
        List<String[]> params = new ArrayList<>();
        for (Query.Param p : query.params()) {
            if (presigned && p.name().equals("x-oss-signature")) continue;
            params.add(new String[] {encode(p.name(), true), encode(p.value(), true)});
        }
        params.sort(Arrays::compare);
        var sb = new StringBuilder();
        for (String[] p : params) {
            if (!sb.isEmpty()) sb.append('&');
            sb.append(p[0]);
            if (!p[1].isEmpty()) sb.append('=').append(p[1]);
        }
        return sb.toString();
    }

    /**
     * The canonical headers block: {@code x-oss-*}, {@code content-type}, {@code content-md5} and the listed
     * additional headers that are present, sorted, each {@code name:trimmed-value\n}.
     */
    public static String canonicalHeaders(SortedMap<String, String> headers, Set<String> additionalHeaders) {
        var sb = new StringBuilder();
        for (Map.Entry<String, String> h : headers.entrySet()) {
            String name = h.getKey();
            if (name.startsWith("x-oss-") || name.equals("content-type") || name.equals("content-md5")
                    || additionalHeaders.contains(name)) {
                sb.append(name).append(':').append(h.getValue().trim()).append('\n');
            }
        }
        return sb.toString();
    }

    /** {@code x-oss-content-sha256} as sent (default UNSIGNED-PAYLOAD); always UNSIGNED-PAYLOAD when presigned. */
    public static String payloadHash(SigningInput in, boolean presigned) {
        String sent = in.header("x-oss-content-sha256");
        return presigned || sent == null ? UNSIGNED_PAYLOAD : sent.trim();
    }

    public static String canonicalRequest(SigningInput in, SortedSet<String> additionalHeaders, boolean presigned) {
        return in.method() + "\n"
                + canonicalUri(in.bucket(), in.key()) + "\n"
                + canonicalQuery(in.query(), presigned) + "\n"
                + canonicalHeaders(in.headers(), additionalHeaders) + "\n"
                + String.join(";", additionalHeaders) + "\n"
                + payloadHash(in, presigned);
    }

    /** {@code OSS4-HMAC-SHA256\n<dateTime>\n<scope>\n<hex sha256(canonicalRequest)>}. */
    public static String stringToSign(String dateTime, Scope scope, String canonicalRequest) {
        return ALGORITHM + "\n" + dateTime + "\n" + scope.value() + "\n" + sha256Hex(canonicalRequest);
    }

    /** Lower-hex SHA-256 of the ISO-8859-1 bytes of {@code s}. */
    public static String sha256Hex(String s) {
        return HEX.formatHex(SHA256.get().digest(s.getBytes(StandardCharsets.ISO_8859_1)));
    }

    /** One digest per thread: looking one up costs about as much as hashing a canonical request. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    /** Lower-hex HMAC-SHA256 of the string-to-sign with the scope's signing key. */
    public static String signature(String secret, Scope scope, String stringToSign) {
        byte[] key = cachedKey(secret, scope.date(), scope.region(), scope.product());
        return HEX.formatHex(hmac(key, stringToSign));
    }

    /** {@code aliyun_v4+secret → date → region → product → aliyun_v4_request} (a fresh copy). */
    public static byte[] signingKey(String secret, String date, String region, String product) {
        return cachedKey(secret, date, region, product).clone();
    }

    private record KeySpec(String secret, String date, String region, String product) {}

    private static final int MAX_CACHED_KEYS = 256;
    private static final Map<KeySpec, byte[]> SIGNING_KEYS = new ConcurrentHashMap<>();

    private static byte[] cachedKey(String secret, String date, String region, String product) {
        var spec = new KeySpec(secret, date, region, product);
        byte[] key = SIGNING_KEYS.get(spec);
        if (key == null) {
            key = hmac(("aliyun_v4" + secret).getBytes(StandardCharsets.UTF_8), date);
            key = hmac(key, region);
            key = hmac(key, product);
            key = hmac(key, TERMINATOR);
            if (SIGNING_KEYS.size() >= MAX_CACHED_KEYS) SIGNING_KEYS.clear(); // keys change daily: crude but bounded
            SIGNING_KEYS.put(spec, key);
        }
        return key;
    }

    private static byte[] hmac(byte[] key, String data) {
        return Hmac.compute("HmacSHA256", key, data.getBytes(StandardCharsets.UTF_8));
    }

    /** RFC 3986 over UTF-8: {@code A-Za-z0-9-_.~} kept, {@code /} kept unless {@code encodeSlash}, else %XX. */
    static String encode(String s, boolean encodeSlash) {
        var sb = new StringBuilder(s.length() + 16);
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~' || (c == '/' && !encodeSlash)) {
                sb.append(c);
            } else {
                sb.append('%').append(UPPER_HEX.toHexDigits(b));
            }
        }
        return sb.toString();
    }
}
