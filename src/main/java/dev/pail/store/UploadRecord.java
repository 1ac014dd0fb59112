package dev.pail.store;

import java.util.Map;

/**
 * A multipart upload in progress: what InitiateMultipartUpload captured for the object that
 * CompleteMultipartUpload will create.
 */
public record UploadRecord(
        String uploadId,
        String bucket,
        String key,
        long initiatedMillis,
        String contentType,
        String storageClass,
        String acl,
        boolean forbidOverwrite,
        Map<String, String> headers,
        Map<String, String> userMeta,
        Map<String, String> tags) {

    public UploadRecord {
        headers = Map.copyOf(headers);
        userMeta = Map.copyOf(userMeta);
        tags = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(tags));
    }
}
