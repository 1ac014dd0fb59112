package dev.pail.route;

import dev.pail.route.Endpoint.*;
import dev.pail.xml.OssError;
import java.util.Set;

/**
 * Maps method + addressed resource + sub-resource to an {@link Endpoint}. A request naming a
 * sub-resource Pail does not implement is refused with NotImplemented rather than served as
 * something else (a GET with {@code ?cors} must never list the bucket).
 */
public final class Router {

    /**
     * Signed query parameters that modify an operation instead of selecting one; they may appear
     * on any request.
     */
    private static final Set<String> MODIFIERS = Set.of(
            "response-content-type", "response-content-language", "response-expires", "response-cache-control",
            "response-content-disposition", "response-content-encoding", "versionId", "security-token",
            "x-oss-traffic-limit", "x-oss-request-payer", "continuation-token");

    private final Set<String> subResources;

    /** @param subResources every query name OSS treats as a sub-resource (the V1 signing set) */
    public Router(Set<String> subResources) {
        this.subResources = subResources;
    }

    public Endpoint route(String method, String bucket, String key, Query q, boolean copySource) {
        if ("-".equals(bucket)) { // no bucket name starts with '-': Pail's own endpoints
            boolean read = method.equals("GET") || method.equals("HEAD");
            if ("health".equals(key) && read) return new Health();
            if ("callback/public-key.pem".equals(key) && read) return new CallbackPublicKey();
            throw OssError.INVALID_BUCKET_NAME.exception().with("BucketName", bucket);
        }
        if (bucket == null) {
            if (key != null) throw OssError.INVALID_ARGUMENT.exception("A key needs a bucket.");
            if (method.equals("GET")) return only(q, new ListBuckets());
            throw notAllowed(method);
        }
        return key == null ? bucket(method, bucket, q) : object(method, bucket, key, q, copySource);
    }

    private Endpoint bucket(String method, String b, Query q) {
        return switch (method) {
            case "GET" -> {
                if (q.has("acl")) yield only(q, new GetBucketAcl(b), "acl");
                if (q.has("bucketInfo")) yield only(q, new GetBucketInfo(b), "bucketInfo");
                if (q.has("location")) yield only(q, new GetBucketLocation(b), "location");
                if (q.has("stat")) yield only(q, new GetBucketStat(b), "stat");
                if (q.has("versioning")) yield only(q, new GetBucketVersioning(b), "versioning");
                if (q.has("versions")) yield only(q, new ListObjectVersions(b), "versions");
                if (q.has("style")) {
                    yield q.has("styleName") ? only(q, new GetStyle(b), "style", "styleName") : only(q, new ListStyle(b), "style");
                }
                if (q.has("uploads")) yield only(q, new ListMultipartUploads(b), "uploads");
                if (q.has("live")) yield only(q, new ListLiveChannels(b), "live");
                if ("2".equals(q.get("list-type"))) yield only(q, new ListObjectsV2(b));
                yield only(q, new ListObjects(b));
            }
            case "PUT" -> {
                if (q.has("acl")) yield only(q, new PutBucketAcl(b), "acl");
                if (q.has("versioning")) yield only(q, new PutBucketVersioning(b), "versioning");
                if (q.has("style")) yield only(q, new PutStyle(b), "style", "styleName");
                yield only(q, new PutBucket(b));
            }
            case "DELETE" -> q.has("style") ? only(q, new DeleteStyle(b), "style", "styleName") : only(q, new DeleteBucket(b));
            case "POST" -> {
                if (q.has("delete")) yield only(q, new DeleteMultipleObjects(b), "delete");
                yield only(q, null);
            }
            default -> throw notAllowed(method);
        };
    }

    private Endpoint object(String method, String b, String k, Query q, boolean copySource) {
        return switch (method) {
            case "GET" -> {
                if (q.has("acl")) yield only(q, new GetObjectAcl(b, k), "acl");
                if (q.has("tagging")) yield only(q, new GetObjectTagging(b, k), "tagging");
                if (q.has("symlink")) yield only(q, new GetSymlink(b, k), "symlink");
                if (q.has("uploadId")) yield only(q, new ListParts(b, k), "uploadId");
                if (q.has("x-oss-process")) yield only(q, new ProcessImage(b, k), "x-oss-process");
                yield only(q, new GetObject(b, k));
            }
            case "HEAD" -> q.has("objectMeta") ? only(q, new GetObjectMeta(b, k), "objectMeta") : only(q, new HeadObject(b, k));
            case "PUT" -> {
                if (q.has("acl")) yield only(q, new PutObjectAcl(b, k), "acl");
                if (q.has("tagging")) yield only(q, new PutObjectTagging(b, k), "tagging");
                if (q.has("symlink")) yield only(q, new PutSymlink(b, k), "symlink");
                if (q.has("partNumber") || q.has("uploadId")) {
                    yield only(q, copySource ? new UploadPartCopy(b, k) : new UploadPart(b, k), "partNumber", "uploadId");
                }
                yield only(q, copySource ? new CopyObject(b, k) : new PutObject(b, k), "callback", "callback-var");
            }
            case "DELETE" -> {
                if (q.has("uploadId")) yield only(q, new AbortMultipartUpload(b, k), "uploadId");
                if (q.has("tagging")) yield only(q, new DeleteObjectTagging(b, k), "tagging");
                yield only(q, new DeleteObject(b, k));
            }
            case "POST" -> {
                if (q.has("append")) yield only(q, new AppendObject(b, k), "append", "position");
                if (q.has("uploads")) yield only(q, new InitiateMultipartUpload(b, k), "uploads", "sequential");
                if (q.has("uploadId")) yield only(q, new CompleteMultipartUpload(b, k), "uploadId", "callback", "callback-var");
                if (q.has("x-oss-process")) yield only(q, new ProcessObject(b, k), "x-oss-process");
                yield only(q, null);
            }
            default -> throw notAllowed(method);
        };
    }

    /**
     * Returns {@code e} after checking that the query names no other sub-resource than
     * {@code selectors}; a null {@code e} means the method has no operation without one.
     */
    private Endpoint only(Query q, Endpoint e, String... selectors) {
        for (Query.Param p : q.params()) {
            String n = p.name();
            if (!subResources.contains(n) || MODIFIERS.contains(n) || contains(selectors, n)) continue;
            throw OssError.NOT_IMPLEMENTED.exception("Pail does not implement the sub-resource '" + n + "' for this request.")
                    .with("ArgumentName", n);
        }
        if (e == null) throw OssError.METHOD_NOT_ALLOWED.exception();
        return e;
    }

    private static boolean contains(String[] a, String s) {
        for (String x : a) if (x.equals(s)) return true;
        return false;
    }

    private static RuntimeException notAllowed(String method) {
        return OssError.METHOD_NOT_ALLOWED.exception("The specified method is not allowed against this resource.")
                .with("Method", method);
    }
}
