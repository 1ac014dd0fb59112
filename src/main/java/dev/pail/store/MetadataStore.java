package dev.pail.store;

import dev.pail.xml.OssError;
import java.util.List;
import java.util.Map;
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

    /** The bucket, or NoSuchBucket. */
    default BucketRecord existingBucket(String name) {
        return bucket(name).orElseThrow(() -> OssError.NO_SUCH_BUCKET.exception().with("BucketName", name));
    }

    /** The current version of a key, or NoSuchKey (NoSuchBucket when the bucket is missing too). */
    default ObjectRecord existingObject(String bucket, String key) {
        return object(bucket, key).orElseThrow(() -> {
            existingBucket(bucket);
            return OssError.NO_SUCH_KEY.exception().with("Key", key);
        });
    }

    /** Buckets in name order with names starting with {@code prefix} and after {@code marker}. */
    List<BucketRecord> listBuckets(String prefix, String marker, int limit);

    /** Deletes an empty bucket; throws BucketNotEmpty when it holds objects or uploads, NoSuchBucket when absent. */
    void deleteBucket(String name);

    void setBucketAcl(String name, String acl);

    /** Object count and bytes per storage class. */
    record ClassStats(long objectCount, long storageBytes) {}

    record BucketStats(long objectCount, long storageBytes, long lastModifiedMillis, java.util.Map<String, ClassStats> byClass,
            long uploadCount) {}

    BucketStats bucketStats(String name);

    Optional<ObjectRecord> object(String bucket, String key);

    /**
     * Stores {@code object} as the current version of its key, atomically checking that the bucket
     * exists and the precondition holds (FileAlreadyExists for {@link Precondition.Absent};
     * {@link ConcurrentChangeException} for {@link Precondition.Unchanged}). Returns the record replaced.
     */
    Optional<ObjectRecord> putObject(ObjectRecord object, Precondition precondition);

    default Optional<ObjectRecord> putObject(ObjectRecord object, boolean forbidOverwrite) {
        return putObject(object, forbidOverwrite ? Precondition.ABSENT : Precondition.NONE);
    }

    /** Thrown when a {@link Precondition.Unchanged} write finds the object changed. */
    final class ConcurrentChangeException extends RuntimeException {
        public ConcurrentChangeException() {
            super("the object changed concurrently", null, false, false);
        }
    }

    // ---- multipart uploads ----------------------------------------------------------------

    /** Records a new upload; NoSuchBucket when the bucket is gone. */
    void createUpload(UploadRecord upload);

    /** The upload with this id for this bucket and key, if it is still in progress. */
    Optional<UploadRecord> upload(String bucket, String key, String uploadId);

    /** Stores a part, replacing one of the same number (returned); NoSuchUpload when the upload ended. */
    Optional<PartRecord> putPart(PartRecord part);

    /** Parts in part-number order after {@code afterPartNumber}, at most {@code limit}. */
    List<PartRecord> parts(String uploadId, int afterPartNumber, int limit);

    /** What completing an upload replaced and left over, for blob clean-up after the commit. */
    record Completion(ObjectRecord object, Optional<ObjectRecord> replaced, List<String> unusedBlobs) {}

    /**
     * Completes an upload atomically: {@code build} turns the upload and all its parts into the
     * object (and may refuse with an OssException); the object is committed under
     * {@code precondition}, and the upload and its parts are removed. NoSuchUpload when it ended.
     */
    Completion completeUpload(String bucket, String key, String uploadId, Precondition precondition,
            java.util.function.BiFunction<UploadRecord, List<PartRecord>, ObjectRecord> build);

    /** Removes an upload and its parts; returns the part blobs. NoSuchUpload when it ended. */
    List<String> abortUpload(String bucket, String key, String uploadId);

    /** A page of uploads in progress, in (key, upload id) order. */
    record UploadPage(List<UploadRecord> uploads, List<String> commonPrefixes, boolean truncated, String nextKeyMarker,
            String nextUploadIdMarker) {}

    UploadPage listUploads(String bucket, String prefix, String keyMarker, String uploadIdMarker, String delimiter, int max);

    /** Uploads initiated before {@code beforeMillis} (abandoned-upload clean-up). */
    List<UploadRecord> uploadsInitiatedBefore(long beforeMillis);

    /** Removes the key; returns what was removed. */
    Optional<ObjectRecord> deleteObject(String bucket, String key);

    /** Replaces the tags of an existing object; false when the key does not exist. */
    boolean setObjectTags(String bucket, String key, Map<String, String> tags);

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
