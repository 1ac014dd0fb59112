package dev.pail.store;

/** One uploaded part. {@code blobId} is null for an empty part; {@code etag} is upper-case hex MD5. */
public record PartRecord(String uploadId, int partNumber, String blobId, long size, String etag, long crc64, long modifiedMillis) {}
