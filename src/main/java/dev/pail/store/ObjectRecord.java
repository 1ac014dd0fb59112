package dev.pail.store;

import java.util.List;
import java.util.Map;

/**
 * One version of an object: the current one, a previous one, or a delete marker.
 *
 * @param segments     the object's bytes in order: one blob for Normal and Appendable objects (an
 *                     appendable blob may hold uncommitted bytes past {@code size}), one per part for
 *                     Multipart objects; empty for an empty object
 * @param etag         upper-case hex, without quotes
 * @param contentMd5   base64 MD5 of the body when known (PutObject), else null
 * @param type         Normal | Appendable | Multipart | Symlink
 * @param acl          default | private | public-read | public-read-write
 * @param headers      stored standard headers, lower-case names (cache-control, content-disposition,
 *                     content-encoding, content-language, expires, x-oss-server-side-encryption, ...)
 * @param userMeta     user metadata, lower-case names without the {@code x-oss-meta-} prefix
 * @param tags         object tags in the order they were given
 * @param versionId    null when the bucket never had versioning (no x-oss-version-id is sent),
 *                     {@value #NULL_VERSION} for the null version, else the version's id; records
 *                     given to the store to write carry null and come back with the id assigned
 */
public record ObjectRecord(
        String bucket,
        String key,
        List<Segment> segments,
        long size,
        String etag,
        long crc64,
        String contentMd5,
        long modifiedMillis,
        String type,
        String storageClass,
        String acl,
        String contentType,
        Map<String, String> headers,
        Map<String, String> userMeta,
        Map<String, String> tags,
        String versionId) {

    /** Object type of a delete marker, which has no bytes, headers or tags. */
    public static final String DELETE_MARKER = "DeleteMarker";

    /** The version id of the null version (written while versioning was off or suspended). */
    public static final String NULL_VERSION = "null";

    /** A record to be written; the store assigns its version id. */
    public ObjectRecord(String bucket, String key, List<Segment> segments, long size, String etag, long crc64, String contentMd5,
            long modifiedMillis, String type, String storageClass, String acl, String contentType, Map<String, String> headers,
            Map<String, String> userMeta, Map<String, String> tags) {
        this(bucket, key, segments, size, etag, crc64, contentMd5, modifiedMillis, type, storageClass, acl, contentType, headers,
                userMeta, tags, null);
    }

    public static ObjectRecord deleteMarker(String bucket, String key, long modifiedMillis) {
        return new ObjectRecord(bucket, key, List.of(), 0, "", 0, null, modifiedMillis, DELETE_MARKER, "", "default", "", Map.of(),
                Map.of(), Map.of());
    }

    public ObjectRecord {
        segments = List.copyOf(segments);
        headers = Map.copyOf(headers);
        userMeta = Map.copyOf(userMeta);
        tags = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(tags));
    }

    /** The same object with other tags (tag changes touch nothing else, not even Last-Modified). */
    public ObjectRecord withTags(Map<String, String> newTags) {
        return new ObjectRecord(bucket, key, segments, size, etag, crc64, contentMd5, modifiedMillis, type, storageClass, acl,
                contentType, headers, userMeta, newTags, versionId);
    }

    public ObjectRecord withVersionId(String id) {
        return new ObjectRecord(bucket, key, segments, size, etag, crc64, contentMd5, modifiedMillis, type, storageClass, acl,
                contentType, headers, userMeta, tags, id);
    }

    public boolean isDeleteMarker() { return type.equals(DELETE_MARKER); }

    public List<String> blobIds() { return Segment.blobIds(segments); }
}
