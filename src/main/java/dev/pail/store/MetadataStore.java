package dev.pail.store;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Buckets and object metadata. Every write is durable when it returns (per the configured fsync
 * mode); reads see every write that has returned.
 */
public interface MetadataStore extends AutoCloseable {

    /** Creates the bucket; false when it already exists (nothing changes then). */
    boolean createBucket(BucketRecord bucket);

    Optional<BucketRecord> bucket(String name);

    /** Buckets in name order with names starting with {@code prefix} and after {@code marker}. */
    List<BucketRecord> listBuckets(String prefix, String marker, int limit);

    /** Deletes an empty bucket; throws BucketNotEmpty when it holds objects, NoSuchBucket when absent. */
    void deleteBucket(String name);

    void setBucketAcl(String name, String acl);

    /** Object count and bytes per storage class. */
    record ClassStats(long objectCount, long storageBytes) {}

    record BucketStats(long objectCount, long storageBytes, long lastModifiedMillis, java.util.Map<String, ClassStats> byClass) {}

    BucketStats bucketStats(String name);

    Optional<ObjectRecord> object(String bucket, String key);

    /**
     * Stores {@code object} as the current version of its key, atomically checking that the bucket
     * exists and, when {@code forbidOverwrite}, that the key does not. Returns the record replaced.
     */
    Optional<ObjectRecord> putObject(ObjectRecord object, boolean forbidOverwrite);

    /** Removes the key; returns what was removed. */
    Optional<ObjectRecord> deleteObject(String bucket, String key);

    /** Sets the ACL of an existing object; false when the key does not exist. */
    boolean setObjectAcl(String bucket, String key, String acl);

    /**
     * Lists keys that start with {@code prefix} and sort after {@code marker} (exclusive; null for
     * the start), in UTF-8 byte order. With a delimiter, keys sharing a prefix up to the next
     * delimiter are rolled into one common prefix, which counts as one entry; a common prefix not
     * after the marker is never repeated.
     */
    ListPage list(String bucket, String prefix, String marker, String delimiter, int maxKeys);

    /** Every blob id the metadata refers to (start-up reconciliation). */
    Set<String> referencedBlobs();

    @Override
    void close();
}
