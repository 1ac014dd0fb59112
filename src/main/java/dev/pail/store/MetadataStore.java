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
public interface MetadataStore extends InlineBlobs, AutoCloseable {

    /** Creates the bucket; false when it already exists (nothing changes then). */
    boolean createBucket(BucketRecord bucket);

    Optional<BucketRecord> bucket(String name);

    /** The bucket, or NoSuchBucket. */
    default BucketRecord existingBucket(String name) {
        return bucket(name).orElseThrow(() -> OssError.NO_SUCH_BUCKET.exception().with("BucketName", name));
    }

    /**
     * The current version of a key, or NoSuchKey (NoSuchBucket when the bucket is missing too).
     * When the current version is a delete marker the error says so (x-oss-delete-marker, core.md §7.10).
     */
    default ObjectRecord existingObject(String bucket, String key) {
        return object(bucket, key).orElseThrow(() -> {
            BucketRecord b = existingBucket(bucket);
            var e = OssError.NO_SUCH_KEY.exception().with("Key", key);
            if (b.versioned()) {
                newestVersion(bucket, key).filter(ObjectRecord::isDeleteMarker).ifPresent(m -> e
                        .header("x-oss-delete-marker", "true")
                        .header("x-oss-version-id", m.versionId()));
            }
            return e;
        });
    }

    /**
     * The version a request names: the current one when {@code versionId} is null (NoSuchKey as
     * {@link #existingObject}), else that version, which may be a delete marker (NoSuchVersion
     * when it does not exist).
     */
    default ObjectRecord existingVersion(String bucket, String key, String versionId) {
        if (versionId == null) return existingObject(bucket, key);
        return version(bucket, key, versionId).orElseThrow(() -> {
            existingBucket(bucket);
            return OssError.NO_SUCH_VERSION.exception().with("Key", key).with("VersionId", versionId);
        });
    }

    /** Buckets in name order with names starting with {@code prefix} and after {@code marker}. */
    List<BucketRecord> listBuckets(String prefix, String marker, int limit);

    /** Deletes an empty bucket; throws BucketNotEmpty when it holds objects, versions or uploads, NoSuchBucket when absent. */
    void deleteBucket(String name);

    void setBucketAcl(String name, String acl);

    /** Sets versioning to Enabled or Suspended; NoSuchBucket when absent. */
    void setBucketVersioning(String name, String status);

    /** Object count and bytes per storage class. */
    record ClassStats(long objectCount, long storageBytes) {}

    record BucketStats(long objectCount, long storageBytes, long lastModifiedMillis, java.util.Map<String, ClassStats> byClass,
            long uploadCount) {}

    BucketStats bucketStats(String name);

    /** The current version of a key unless it is absent or a delete marker. */
    Optional<ObjectRecord> object(String bucket, String key);

    /**
     * The version of a key with this id ({@value ObjectRecord#NULL_VERSION} names the null version),
     * current or not, delete markers included.
     */
    Optional<ObjectRecord> version(String bucket, String key, String versionId);

    /** The newest version of a key, delete markers included. */
    Optional<ObjectRecord> newestVersion(String bucket, String key);

    /**
     * What a write did: the record as committed (with its version id) and the blobs no version
     * refers to any more, which the caller deletes.
     */
    record Commit(ObjectRecord object, List<String> freedBlobs) {}

    /**
     * Stores {@code object} as the current version of its key, atomically checking that the bucket
     * exists and the precondition holds (FileAlreadyExists for {@link Precondition.Absent}, which a
     * bucket with versioning ignores; {@link ConcurrentChangeException} for
     * {@link Precondition.Unchanged}). Without versioning the current version is replaced; with
     * versioning Enabled it becomes a previous version; Suspended replaces only the null version.
     * An {@link Precondition.Unchanged} write over an existing object updates that same version
     * (an append grows the version, it does not make a new one).
     */
    default Commit putObject(ObjectRecord object, Precondition precondition) {
        return putObject(object, precondition, List.of());
    }

    /**
     * {@link #putObject(ObjectRecord, Precondition)} that also writes {@code newBlobs}, inline blobs
     * the object's segments name, in the same transaction: they exist exactly when the object does.
     */
    Commit putObject(ObjectRecord object, Precondition precondition, List<InlineBlob> newBlobs);

    default Commit putObject(ObjectRecord object, boolean forbidOverwrite) {
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

    /** What completing an upload committed and left over (unused parts, replaced versions), for blob clean-up. */
    record Completion(ObjectRecord object, List<String> unusedBlobs) {}

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

    /**
     * What a delete did. {@code versionId}: the delete marker written, or the version removed
     * (null in a bucket that never had versioning); {@code deleteMarker}: a marker was written or removed.
     */
    record Deletion(String versionId, boolean deleteMarker, List<String> freedBlobs) {}

    /**
     * With {@code versionId} null: removes the key without versioning, writes a delete marker with
     * it (Suspended: the null version is replaced by a null marker). With a version id: removes
     * that version for good; the newest remaining one becomes current. Deleting what does not
     * exist succeeds and changes nothing.
     */
    Deletion deleteObject(String bucket, String key, String versionId);

    /** Replaces the tags of an existing version (current when null); false when it does not exist or is a delete marker. */
    boolean setObjectTags(String bucket, String key, String versionId, Map<String, String> tags);

    /** Sets the ACL of an existing version (current when null); false when it does not exist or is a delete marker. */
    boolean setObjectAcl(String bucket, String key, String versionId, String acl);

    /**
     * Lists keys that start with {@code prefix} and sort after {@code marker} (exclusive; null for
     * the start), in UTF-8 byte order. With a delimiter, keys sharing a prefix up to the next
     * delimiter are rolled into one common prefix, which counts as one entry; a common prefix not
     * after the marker is never repeated.
     */
    ListPage list(String bucket, String prefix, String marker, String delimiter, int maxKeys);

    /** One entry of ListObjectVersions: a version or delete marker, and whether it is the newest of its key. */
    record VersionEntry(ObjectRecord record, boolean latest) {}

    /** A page of versions; the next markers are set only when truncated. */
    record VersionPage(List<VersionEntry> versions, List<String> commonPrefixes, boolean truncated, String nextKeyMarker,
            String nextVersionIdMarker) {}

    /**
     * Every version of keys under {@code prefix} in (key in UTF-8 byte order, newest first) order,
     * after the markers: after every version of {@code keyMarker} when {@code versionIdMarker} is
     * null, else after that version of it. Common prefixes roll up as in {@link #list}.
     */
    VersionPage listVersions(String bucket, String prefix, String keyMarker, String versionIdMarker, String delimiter, int max);

    // ---- image styles ------------------------------------------------------------------------

    /**
     * Creates or updates a style (an update keeps the creation time); NoSuchBucket when absent.
     * Returns false, changing nothing, when creating it would exceed {@code maxPerBucket}.
     */
    boolean putStyle(StyleRecord style, int maxPerBucket);

    Optional<StyleRecord> style(String bucket, String name);

    /** The bucket's styles in name order. */
    List<StyleRecord> listStyles(String bucket);

    /** Removes a style; false when it did not exist. */
    boolean deleteStyle(String bucket, String name);

    /** Every blob id the metadata refers to (start-up reconciliation). */
    Set<String> referencedBlobs();

    @Override
    void close();
}
