package dev.pail.route;

/**
 * One OSS operation with the resource it targets. The dispatcher switches over this sealed type
 * exhaustively: adding an operation is one record here, one rule in {@link Router}, one method in ops.
 */
public sealed interface Endpoint {

    /** {@code GET /-/health}: liveness, no authentication. */
    record Health() implements Endpoint {}

    /** {@code GET /-/callback/public-key.pem}: the key that verifies upload callbacks, no authentication. */
    record CallbackPublicKey() implements Endpoint {}

    record ListBuckets() implements Endpoint {}

    /** Operations on a bucket. */
    sealed interface OnBucket extends Endpoint {
        String bucket();
    }

    record PutBucket(String bucket) implements OnBucket {}
    record DeleteBucket(String bucket) implements OnBucket {}
    record GetBucketInfo(String bucket) implements OnBucket {}
    record GetBucketLocation(String bucket) implements OnBucket {}
    record GetBucketStat(String bucket) implements OnBucket {}
    record PutBucketAcl(String bucket) implements OnBucket {}
    record GetBucketAcl(String bucket) implements OnBucket {}
    record PutBucketVersioning(String bucket) implements OnBucket {}
    record GetBucketVersioning(String bucket) implements OnBucket {}
    record ListObjects(String bucket) implements OnBucket {}
    record ListObjectsV2(String bucket) implements OnBucket {}
    record ListObjectVersions(String bucket) implements OnBucket {}
    record ListMultipartUploads(String bucket) implements OnBucket {}
    record ListLiveChannels(String bucket) implements OnBucket {}
    record DeleteMultipleObjects(String bucket) implements OnBucket {}
    record PutStyle(String bucket) implements OnBucket {}
    record GetStyle(String bucket) implements OnBucket {}
    record ListStyle(String bucket) implements OnBucket {}
    record DeleteStyle(String bucket) implements OnBucket {}

    /** Operations on an object. */
    sealed interface OnObject extends Endpoint {
        String bucket();
        String key();
    }

    record PutObject(String bucket, String key) implements OnObject {}
    record CopyObject(String bucket, String key) implements OnObject {}
    record GetObject(String bucket, String key) implements OnObject {}
    record HeadObject(String bucket, String key) implements OnObject {}
    record GetObjectMeta(String bucket, String key) implements OnObject {}
    record DeleteObject(String bucket, String key) implements OnObject {}
    record PutObjectAcl(String bucket, String key) implements OnObject {}
    record GetObjectAcl(String bucket, String key) implements OnObject {}
    record AppendObject(String bucket, String key) implements OnObject {}
    record InitiateMultipartUpload(String bucket, String key) implements OnObject {}
    record UploadPart(String bucket, String key) implements OnObject {}
    record UploadPartCopy(String bucket, String key) implements OnObject {}
    record CompleteMultipartUpload(String bucket, String key) implements OnObject {}
    record AbortMultipartUpload(String bucket, String key) implements OnObject {}
    record ListParts(String bucket, String key) implements OnObject {}
    record PutObjectTagging(String bucket, String key) implements OnObject {}
    record GetObjectTagging(String bucket, String key) implements OnObject {}
    record DeleteObjectTagging(String bucket, String key) implements OnObject {}
    record PutSymlink(String bucket, String key) implements OnObject {}
    record GetSymlink(String bucket, String key) implements OnObject {}
    /** GetObject with {@code x-oss-process}: the object processed. */
    record ProcessImage(String bucket, String key) implements OnObject {}
    /** {@code POST ?x-oss-process} with {@code sys/saveas}: processed and stored as another object. */
    record ProcessObject(String bucket, String key) implements OnObject {}

    /** Is this a read that an ACL of public-read may allow anonymously? */
    default boolean isRead() {
        return switch (this) {
            case GetObject g -> true;
            case ProcessImage p -> true;
            case HeadObject h -> true;
            case GetObjectMeta m -> true;
            case ListObjects l -> true;
            case ListObjectsV2 l -> true;
            default -> false;
        };
    }
}
