package dev.pail.route;

import java.util.SortedMap;

/**
 * A request after addressing: which bucket and key it targets, with its decoded query and its
 * headers (lower-case names; values as received, one char per wire byte).
 *
 * @param bucket null for service-level requests
 * @param key    null for service- and bucket-level requests; never empty
 */
public record OssRequest(
        String requestId,
        String method,
        String host,
        String bucket,
        String key,
        Query query,
        SortedMap<String, String> headers,
        String clientIp) {

    public String header(String lowerName) { return headers.get(lowerName); }

    /** Header value decoded as UTF-8 (SDKs send non-ASCII metadata as raw UTF-8 bytes). */
    public String headerUtf8(String lowerName) {
        String v = headers.get(lowerName);
        return v == null ? null : new String(v.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), java.nio.charset.StandardCharsets.UTF_8);
    }
}
