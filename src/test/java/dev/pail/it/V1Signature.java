package dev.pail.it;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The tests' own OSS V1 signer (core.md §3.2/§3.3), written independently of the server's
 * {@code dev.pail.auth.V1Signer} so that the tests do not validate the server with its own code.
 * Shared by every hand-signed client ({@link RawHttp}, {@link OssHttp}) and by tests that build
 * requests byte by byte.
 */
public final class V1Signature {
    private V1Signature() {}

    /** RFC 1123 date as used in {@code Date} / {@code x-oss-date}. */
    public static final DateTimeFormatter RFC1123 =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    /** The sub-resources the tests send that take part in the canonical resource (a subset of the §3.2 list). */
    public static final Set<String> SUB_RESOURCES = Set.of("acl", "objectMeta", "delete", "versionId",
            "response-content-type", "response-content-language", "response-expires", "response-cache-control",
            "response-content-disposition", "response-content-encoding", "continuation-token",
            "tagging", "symlink", "append", "position", "uploads", "uploadId", "partNumber", "stat", "sequential");

    public static String httpDate(Instant t) { return RFC1123.format(t); }

    public static String now() { return httpDate(Instant.now()); }

    /** V1 StringToSign: verb, Content-MD5, Content-Type, date, sorted x-oss-* headers, resource. */
    public static String stringToSign(String method, Map<String, String> headers, String date, String resource) {
        Map<String, String> lower = new TreeMap<>();
        headers.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
        StringBuilder sb = new StringBuilder();
        sb.append(method).append('\n')
                .append(lower.getOrDefault("content-md5", "")).append('\n')
                .append(lower.getOrDefault("content-type", "")).append('\n')
                .append(date).append('\n');
        lower.forEach((k, v) -> {
            if (k.startsWith("x-oss-")) sb.append(k).append(':').append(v.trim()).append('\n');
        });
        return sb.append(resource).toString();
    }

    public static String hmacSha1(String secret, String stringToSign) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The V1 signature of a request. */
    public static String sign(String secret, String method, Map<String, String> headers, String date, String resource) {
        return hmacSha1(secret, stringToSign(method, headers, date, resource));
    }

    /** The {@code Authorization} header value {@code OSS ak:signature}. */
    public static String authorization(String ak, String sk, String method, Map<String, String> headers, String date,
            String resource) {
        return "OSS " + ak + ":" + sign(sk, method, headers, date, resource);
    }

    /**
     * The canonicalized resource {@code /bucket/key?sub...}: {@code "/"} without a bucket,
     * {@code /bucket/} without a key, plus the {@link #SUB_RESOURCES} among {@code query} (decoded
     * names and values, an empty value as a bare name), sorted by name.
     */
    public static String resource(String bucket, String key, Map<String, String> query) {
        StringBuilder s = new StringBuilder("/");
        if (bucket != null) s.append(bucket).append('/');
        if (bucket != null && key != null) s.append(key);
        char sep = '?';
        for (Map.Entry<String, String> q : new TreeMap<>(query).entrySet()) {
            if (!SUB_RESOURCES.contains(q.getKey())) continue;
            s.append(sep).append(q.getKey());
            if (!q.getValue().isEmpty()) s.append('=').append(q.getValue());
            sep = '&';
        }
        return s.toString();
    }

    /** Like {@link #resource(String, String, Map)} for a literal (encoded) query string. */
    public static String resource(String bucket, String key, String query) {
        Map<String, String> params = new TreeMap<>();
        if (query != null && !query.isEmpty()) {
            for (String p : query.split("&")) {
                int eq = p.indexOf('=');
                String n = eq < 0 ? p : p.substring(0, eq);
                String v = eq < 0 ? "" : java.net.URLDecoder.decode(p.substring(eq + 1), StandardCharsets.UTF_8);
                params.put(n, v);
            }
        }
        return resource(bucket, key, params);
    }

    /** The query parameters of a V1 presigned URL (core.md §3.3). */
    public static String presignQuery(String ak, String sk, String method, Map<String, String> headers, long expires,
            String resource) {
        String sig = sign(sk, method, headers, Long.toString(expires), resource);
        return "OSSAccessKeyId=" + RawHttp.enc(ak) + "&Expires=" + expires + "&Signature=" + RawHttp.enc(sig);
    }

}
