package dev.pail.auth;

import dev.pail.route.Query;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The OSS V1 signature (HMAC-SHA1), core.md §3.2 and §3.3. Pure functions.
 *
 * <p>The string-to-sign is built as bytes: the verb, Content-MD5, Content-Type, date and {@code x-oss-*} header
 * values are the raw ISO-8859-1 chars of the wire (so non-ASCII J1 metadata matches whenever its bytes survive),
 * while the canonicalized resource (bucket, decoded key, decoded sub-resource values) is UTF-8.
 */
public final class V1Signer {
    private V1Signer() {}

    /** Query parameters that are part of the canonicalized resource: the union of the SDK lists (§3.2). */
    public static final Set<String> SUB_RESOURCES = Set.of(
            "acl", "uploads", "location", "cors", "logging", "website", "referer", "lifecycle", "delete", "append",
            "tagging", "objectMeta", "uploadId", "partNumber", "security-token", "position", "img", "style",
            "styleName", "replication", "replicationProgress", "replicationLocation", "cname", "bucketInfo", "comp",
            "qos", "live", "status", "vod", "startTime", "endTime", "symlink", "x-oss-process",
            "response-content-type", "response-content-language", "response-expires", "response-cache-control",
            "response-content-disposition", "response-content-encoding", "udf", "udfName", "udfImage",
            "udfImageDesc", "udfApplication", "udfApplicationLog", "restore", "callback", "callback-var", "qosInfo",
            "policy", "stat", "encryption", "versions", "versioning", "versionId", "requestPayment",
            "x-oss-request-payer", "sequential", "inventory", "inventoryId", "continuation-token", "asyncFetch",
            "worm", "wormId", "wormExtend", "x-oss-traffic-limit", "vpcip", "vip", "resourceGroup", "regionList",
            "x-oss-ac-source-ip", "x-oss-ac-subnet-mask", "x-oss-ac-vpc-id", "x-oss-ac-forward-allow", "metaQuery",
            "x-oss-async-process", "x-oss-write-get-object-response", "transferAcceleration",
            "bucketArchiveDirectRead", "httpsConfig", "publicAccessBlock", "policyStatus", "redundancyTransition",
            "x-oss-target-redundancy-type", "x-oss-redundancy-transition-taskid", "accessPoint",
            "accessPointPolicy", "seal", "x-oss-dir", "x-oss-rename", "x-oss-delete", "processConfiguration",
            "cloudboxes", "requesterQosInfo", "qosRequester", "resourcePoolInfo", "resourcePool",
            "resourcePoolBuckets", "x-oss-access-point-name");

    /**
     * The V1 string-to-sign.
     *
     * @param date             the request date for header auth ({@code x-oss-date}, else {@code Date}, raw chars),
     *                         or the {@code Expires} value for presigned URLs
     * @param keepEmptyEquals  false: an empty sub-resource renders as bare {@code name} (what every SDK signs for
     *                         core ops); true: it renders as {@code name=} when {@code =} was on the wire, which is
     *                         what J1 signs for a parameter explicitly given the empty string (§3.2 quirk)
     */
    public static byte[] stringToSign(SigningInput in, String date, boolean keepEmptyEquals) {
        var out = new ByteArrayOutputStream(256);
        latin1(out, in.method());
        latin1(out, "\n" + orEmpty(in.header("content-md5")));
        latin1(out, "\n" + orEmpty(in.header("content-type")));
        latin1(out, "\n" + date + "\n");
        for (Map.Entry<String, String> h : in.headers().entrySet()) {
            if (h.getKey().startsWith("x-oss-")) latin1(out, h.getKey() + ":" + h.getValue().trim() + "\n");
        }
        out.writeBytes(canonicalizedResource(in.bucket(), in.key(), in.query(), keepEmptyEquals)
                .getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** {@code /}, {@code /bucket/} or {@code /bucket/key}, then {@code ?} and the sorted sub-resources, if any. */
    public static String canonicalizedResource(String bucket, String key, Query query, boolean keepEmptyEquals) {
        var sb = new StringBuilder("/");
        if (bucket != null) sb.append(bucket).append('/');
        if (bucket != null && key != null) sb.append(key);
        List<Query.Param> signed = new ArrayList<>();
        for (Query.Param p : query.params()) if (SUB_RESOURCES.contains(p.name())) signed.add(p);
        signed.sort(Comparator.comparing(Query.Param::name).thenComparing(Query.Param::value));
        char sep = '?';
        for (Query.Param p : signed) {
            sb.append(sep).append(p.name());
            if (!p.value().isEmpty() || (keepEmptyEquals && p.hasEquals())) sb.append('=').append(p.value());
            sep = '&';
        }
        return sb.toString();
    }

    /** base64(HMAC-SHA1(secret, stringToSign)). */
    public static String sign(String secret, byte[] stringToSign) {
        byte[] mac = Hmac.compute("HmacSHA1", secret.getBytes(StandardCharsets.UTF_8), stringToSign);
        return Base64.getEncoder().encodeToString(mac);
    }

    private static void latin1(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String orEmpty(String s) { return s == null ? "" : s; }
}
