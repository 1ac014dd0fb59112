package dev.pail.store;

import java.util.List;
import java.util.Map;

/**
 * The current version of an object.
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
        Map<String, String> tags) {

    public ObjectRecord {
        segments = List.copyOf(segments);
        headers = Map.copyOf(headers);
        userMeta = Map.copyOf(userMeta);
        tags = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(tags));
    }

    /** The same object with other tags (tag changes touch nothing else, not even Last-Modified). */
    public ObjectRecord withTags(Map<String, String> newTags) {
        return new ObjectRecord(bucket, key, segments, size, etag, crc64, contentMd5, modifiedMillis, type, storageClass, acl,
                contentType, headers, userMeta, newTags);
    }

    public List<String> blobIds() { return Segment.blobIds(segments); }
}
