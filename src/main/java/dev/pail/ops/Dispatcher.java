package dev.pail.ops;

import dev.pail.auth.AccessPolicy;
import dev.pail.auth.Authenticator;
import dev.pail.auth.Principal;
import dev.pail.auth.SigningInput;
import dev.pail.image.ImageEngine;
import dev.pail.route.Endpoint;
import dev.pail.route.Endpoint.*;
import dev.pail.route.OssRequest;
import dev.pail.route.Router;
import dev.pail.store.BlobStore;
import dev.pail.store.MetadataStore;
import dev.pail.store.NonBlocking;
import dev.pail.store.ObjectRecord;
import dev.pail.xml.OssError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Serves one request: route, authenticate, authorize, then run the operation. {@link #handle} runs
 * on the request's virtual thread, where blocking is fine; {@link #handleInMemory} on the
 * connection's event loop, where it is not.
 */
public final class Dispatcher {
    private final Router router;
    private final Authenticator authenticator;
    private final MetadataStore meta;
    private final BucketOps buckets;
    private final ObjectOps objects;
    private final ListOps lists;
    private final MultipartOps multipart;
    private final AppendOps appends;
    private final TaggingOps tagging;
    private final SymlinkOps symlinks;
    private final StyleOps styles;
    private final ImageOps images;
    private final UploadCallbacks callbacks;

    public Dispatcher(Router router, Authenticator authenticator, MetadataStore meta, BlobStore blobs, Settings settings,
            UploadCallbacks callbacks, ImageEngine engine) {
        this.router = router;
        this.authenticator = authenticator;
        this.meta = meta;
        this.buckets = new BucketOps(meta, settings);
        this.objects = new ObjectOps(meta, blobs, settings);
        this.lists = new ListOps(meta, settings);
        this.multipart = new MultipartOps(meta, blobs, settings);
        this.appends = new AppendOps(meta, blobs, settings);
        this.tagging = new TaggingOps(meta);
        this.symlinks = new SymlinkOps(meta, blobs, settings);
        this.styles = new StyleOps(meta);
        this.images = new ImageOps(meta, objects, styles, engine, new Ingest(meta, blobs, settings.maxObjectSize()),
                settings.imageCacheBytes());
        this.callbacks = callbacks;
    }

    public Response handle(OssRequest req, RequestBody body) throws IOException {
        return handle(route(req), req, body);
    }

    /**
     * Serves a read of an object (GetObject, HeadObject, GetObjectMeta) or the health check when
     * all it needs is in memory (cached rows and small objects' bytes, or a file to send), without
     * blocking, which saves the hop to a virtual thread and back. Null when the request is of
     * another kind or needs SQLite or the disk: {@link #handle} then serves it.
     */
    public Response handleInMemory(OssRequest req) throws IOException {
        Endpoint ep = route(req);
        if (!(ep instanceof GetObject || ep instanceof HeadObject || ep instanceof GetObjectMeta || ep instanceof Health)) return null;
        try {
            return NonBlocking.call(() -> handle(ep, req, RequestBody.NONE));
        } catch (NonBlocking.WouldBlock e) {
            return null;
        }
    }

    private Endpoint route(OssRequest req) {
        return router.route(req.method(), req.bucket(), req.key(), req.query(), req.header("x-oss-copy-source") != null);
    }

    private Response handle(Endpoint ep, OssRequest req, RequestBody body) throws IOException {
        if (ep instanceof Health) return Response.ok().body(new Response.Bytes("ok\n".getBytes(StandardCharsets.US_ASCII)));
        if (ep instanceof CallbackPublicKey) {
            return Response.ok().header("Content-Type", "application/x-pem-file")
                    .body(new Response.Bytes(callbacks.publicKeyPem().getBytes(StandardCharsets.US_ASCII)));
        }
        Principal who = authenticator.authenticate(new SigningInput(req.method(), req.bucket(), req.key(), req.headers(), req.query()));
        if (who instanceof Principal.Anonymous) authorizeAnonymous(ep, req);
        return switch (ep) {
            case Health h -> throw new IllegalStateException("handled above");
            case CallbackPublicKey k -> throw new IllegalStateException("handled above");
            case ListBuckets l -> buckets.list(req);
            case PutBucket e -> buckets.create(req, body, e.bucket());
            case DeleteBucket e -> buckets.delete(e.bucket());
            case GetBucketInfo e -> buckets.info(req, e.bucket());
            case GetBucketLocation e -> buckets.location(e.bucket());
            case GetBucketStat e -> buckets.stat(e.bucket());
            case PutBucketAcl e -> buckets.putAcl(req, e.bucket());
            case GetBucketAcl e -> buckets.getAcl(e.bucket());
            case PutBucketVersioning e -> buckets.putVersioning(body, e.bucket());
            case GetBucketVersioning e -> buckets.versioning(e.bucket());
            case ListMultipartUploads e -> multipart.listUploads(req, e.bucket());
            case ListLiveChannels e -> buckets.listLiveChannels(req, e.bucket());
            case ListObjects e -> lists.listV1(req, e.bucket());
            case ListObjectsV2 e -> lists.listV2(req, e.bucket());
            case ListObjectVersions e -> lists.listVersions(req, e.bucket());
            case DeleteMultipleObjects e -> objects.deleteMultiple(req, body, e.bucket(), who instanceof Principal.Anonymous
                    ? key -> AccessPolicy.anonymousMayWrite(objectAcl(new DeleteObject(e.bucket(), key)))
                    : key -> true);
            case PutObject e -> {
                var callback = callbacks.parse(req); // a bad configuration refuses the upload before anything is stored
                yield callbacks.apply(req, callback, objects.put(req, body, e.bucket(), e.key()), "PutObject");
            }
            case CopyObject e -> objects.copy(req, e.bucket(), e.key(), ObjectOps.copySource(req.header("x-oss-copy-source")));
            case GetObject e -> objects.get(req, e.bucket(), e.key(), false);
            case HeadObject e -> objects.get(req, e.bucket(), e.key(), true);
            case GetObjectMeta e -> objects.meta(req, e.bucket(), e.key());
            case DeleteObject e -> objects.delete(req, e.bucket(), e.key());
            case PutObjectAcl e -> objects.putAcl(req, e.bucket(), e.key());
            case GetObjectAcl e -> objects.getAcl(req, e.bucket(), e.key());
            case AppendObject e -> appends.append(req, body, e.bucket(), e.key());
            case InitiateMultipartUpload e -> multipart.initiate(req, e.bucket(), e.key());
            case UploadPart e -> multipart.uploadPart(req, body, e.bucket(), e.key());
            case UploadPartCopy e -> multipart.uploadPartCopy(req, e.bucket(), e.key());
            case CompleteMultipartUpload e -> {
                var callback = callbacks.parse(req);
                yield callbacks.apply(req, callback, multipart.complete(req, body, e.bucket(), e.key()), "CompleteMultipartUpload");
            }
            case AbortMultipartUpload e -> multipart.abort(req, e.bucket(), e.key());
            case ListParts e -> multipart.listParts(req, e.bucket(), e.key());
            case PutObjectTagging e -> tagging.put(req, body, e.bucket(), e.key());
            case GetObjectTagging e -> tagging.get(req, e.bucket(), e.key());
            case DeleteObjectTagging e -> tagging.delete(req, e.bucket(), e.key());
            case PutSymlink e -> symlinks.put(req, e.bucket(), e.key());
            case GetSymlink e -> symlinks.get(req, e.bucket(), e.key());
            case PutStyle e -> styles.put(req, body, e.bucket());
            case GetStyle e -> styles.get(req, e.bucket());
            case ListStyle e -> styles.list(e.bucket());
            case DeleteStyle e -> styles.delete(req, e.bucket());
            case ProcessImage e -> images.get(req, e.bucket(), e.key());
            case ProcessObject e -> images.save(req, body, e.bucket(), e.key());
        };
    }

    /** Aborts multipart uploads initiated before {@code beforeMillis} (abandoned); returns how many. */
    public int abortUploadsInitiatedBefore(long beforeMillis) {
        return multipart.abortAbandoned(beforeMillis);
    }

    /**
     * Anonymous requests may read what a public-read ACL exposes and write where
     * public-read-write allows; bucket administration and ACL changes always need a signature.
     */
    private void authorizeAnonymous(Endpoint ep, OssRequest req) {
        boolean allowed = switch (ep) {
            case ListObjects e -> AccessPolicy.anonymousMayRead(bucketAcl(e.bucket()));
            case ListObjectsV2 e -> AccessPolicy.anonymousMayRead(bucketAcl(e.bucket()));
            case DeleteMultipleObjects e -> AccessPolicy.anonymousMayWrite(bucketAcl(e.bucket()));
            case GetObject e -> readableWithTarget(e, req);
            case ProcessImage e -> readableWithTarget(e, req);
            case HeadObject e -> readableWithTarget(e, req);
            case GetObjectMeta e -> readableWithTarget(e, req);
            case GetSymlink e -> AccessPolicy.anonymousMayRead(objectAcl(e, req.query().get("versionId"))); // the link only
            case PutSymlink e -> AccessPolicy.anonymousMayWrite(objectAcl(e));
            case PutObject e -> AccessPolicy.anonymousMayWrite(objectAcl(e));
            case DeleteObject e -> AccessPolicy.anonymousMayWrite(objectAcl(e));
            case CopyObject e -> AccessPolicy.anonymousMayWrite(objectAcl(e)) && sourceReadable(req);
            case UploadPartCopy e -> AccessPolicy.anonymousMayWrite(objectAcl(e)) && sourceReadable(req);
            case AppendObject e -> AccessPolicy.anonymousMayWrite(objectAcl(e));
            case InitiateMultipartUpload e -> AccessPolicy.anonymousMayWrite(objectAcl(e));
            case UploadPart e -> AccessPolicy.anonymousMayWrite(objectAcl(e));
            case CompleteMultipartUpload e -> AccessPolicy.anonymousMayWrite(objectAcl(e));
            case AbortMultipartUpload e -> AccessPolicy.anonymousMayWrite(objectAcl(e));
            case ListParts e -> AccessPolicy.anonymousMayWrite(objectAcl(e));
            default -> false;
        };
        if (!allowed) throw OssError.ACCESS_DENIED.exception("You have no right to access this object because of bucket acl.");
    }

    private String bucketAcl(String bucket) {
        return meta.existingBucket(bucket).acl();
    }

    private String objectAcl(OnObject e) {
        return objectAcl(e, null);
    }

    /** The ACL that applies to a version (current when {@code versionId} is null; a missing one has the bucket's). */
    private String objectAcl(OnObject e, String versionId) {
        return effectiveAcl(e, version(e, versionId));
    }

    private String effectiveAcl(OnObject e, Optional<ObjectRecord> o) {
        return AccessPolicy.effective(bucketAcl(e.bucket()), o.map(ObjectRecord::acl).orElse(null));
    }

    private Optional<ObjectRecord> version(OnObject e, String versionId) {
        return versionId == null ? meta.object(e.bucket(), e.key()) : meta.version(e.bucket(), e.key(), versionId);
    }

    /** Reading through a symlink needs read access to the link and to its target. */
    private boolean readableWithTarget(OnObject e, OssRequest req) {
        Optional<ObjectRecord> o = version(e, req.query().get("versionId"));
        if (!AccessPolicy.anonymousMayRead(effectiveAcl(e, o))) return false;
        if (o.isEmpty() || !o.get().type().equals("Symlink")) return true;
        return AccessPolicy.anonymousMayRead(objectAcl(new GetObject(e.bucket(), SymlinkOps.target(o.get()))));
    }

    private boolean sourceReadable(OssRequest req) {
        ObjectOps.CopySource src = ObjectOps.copySource(req.header("x-oss-copy-source"));
        return AccessPolicy.anonymousMayRead(objectAcl(new GetObject(src.bucket(), src.key())));
    }
}
