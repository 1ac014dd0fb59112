package dev.pail.auth;

import dev.pail.route.Query;
import java.util.SortedMap;

/**
 * Everything a signature is computed over, independent of the HTTP library.
 *
 * @param method  HTTP verb, upper case
 * @param bucket  bucket name or null for service-level requests
 * @param key     decoded object key or null for bucket/service-level requests
 * @param headers header names lower-cased, values exactly as received: each byte of the wire value
 *                is one char (ISO-8859-1), so re-encoding as ISO-8859-1 yields the wire bytes; repeated
 *                headers joined with ","
 * @param query   decoded query parameters in wire order
 */
public record SigningInput(String method, String bucket, String key, SortedMap<String, String> headers, Query query) {
    public String header(String lowerName) { return headers.get(lowerName); }
}
