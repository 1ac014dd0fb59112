package dev.pail.store;

/** A bucket's stored attributes. {@code acl} is private | public-read | public-read-write. */
public record BucketRecord(String name, long createdMillis, String acl, String storageClass, String redundancy) {}
