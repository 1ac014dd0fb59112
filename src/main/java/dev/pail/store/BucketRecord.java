package dev.pail.store;

/**
 * A bucket's stored attributes. {@code acl} is private | public-read | public-read-write;
 * {@code versioning} is null when versioning was never configured, else Enabled or Suspended.
 */
public record BucketRecord(String name, long createdMillis, String acl, String storageClass, String redundancy, String versioning) {

    /** A new bucket: versioning never configured. */
    public BucketRecord(String name, long createdMillis, String acl, String storageClass, String redundancy) {
        this(name, createdMillis, acl, storageClass, redundancy, null);
    }

    public boolean versioned() { return versioning != null; }
}
