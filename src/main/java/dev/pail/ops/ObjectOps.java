package dev.pail.ops;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import dev.pail.checksum.Crc64;
import dev.pail.route.Addressing;
import dev.pail.route.OssRequest;
import dev.pail.store.BlobStore;
import dev.pail.store.BucketRecord;
import dev.pail.store.MetadataStore;
import dev.pail.store.ObjectRecord;
import dev.pail.store.Segment;
import dev.pail.xml.Formats;
import dev.pail.xml.OssError;
import dev.pail.xml.OssException;
import dev.pail.xml.RequestXml;
import dev.pail.xml.UrlEncoding;
import dev.pail.xml.XmlWriter;
import java.io.IOException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/** PutObject, GetObject, HeadObject, GetObjectMeta, DeleteObject, DeleteMultipleObjects, CopyObject, object ACLs. */
public final class ObjectOps {
    private static final int MAX_DELETE_BODY = 2 * 1024 * 1024;

    private final MetadataStore meta;
    private final BlobStore blobs;
    private final Settings settings;
    private final Ingest ingest;

    public ObjectOps(MetadataStore meta, BlobStore blobs, Settings settings) {
        this.meta = meta;
        this.blobs = blobs;
        this.settings = settings;
        this.ingest = new Ingest(meta, blobs, settings.maxObjectSize());
    }

    // ---- PutObject ------------------------------------------------------------------------

    public Written put(OssRequest req, RequestBody body, String bucket, String key) throws IOException {
        Names.checkKey(key);
        // refuse before 100-continue where the outcome is already known
        BucketRecord b = meta.existingBucket(bucket);
        WriteHeaders w = WriteHeaders.parse(req, key, b.storageClass());
        if (!body.framed()) throw OssError.MISSING_CONTENT_LENGTH.exception();
        if (body.declaredLength() > settings.maxObjectSize()) throw OssError.ENTITY_TOO_LARGE.exception();
        byte[] expectedMd5 = Ingest.contentMd5(req.header("content-md5"));
        refuseOverwrite(meta, b, key, w.forbidOverwrite());
        Ingest.Stored s = ingest.store(body, expectedMd5, true);
        ObjectRecord rec = ingest.commit(new ObjectRecord(bucket, key, s.segments(), s.size(), s.md5Hex(), s.crc64(), s.md5Base64(),
                System.currentTimeMillis(), "Normal", w.storageClass(), w.acl(), w.contentType(), w.headers(), w.userMeta(), w.tags()),
                w.forbidOverwrite(), s.inline());
        Response r = Response.ok()
                .header("ETag", quote(rec.etag()))
                .header("x-oss-hash-crc64ecma", Crc64.toDecimal(rec.crc64()))
                .header("Content-MD5", rec.contentMd5());
        Versions.header(r, rec.versionId());
        WriteHeaders.echoEncryption(r, rec.headers());
        return new Written(rec, r);
    }

    /**
     * x-oss-forbid-overwrite, checked before the body is read where the outcome is already known;
     * the store checks again at commit. Buckets with versioning ignore it (an overwrite keeps the
     * old version).
     */
    static void refuseOverwrite(MetadataStore meta, BucketRecord b, String key, boolean forbidOverwrite) {
        if (forbidOverwrite && !b.versioned() && meta.object(b.name(), key).isPresent()) {
            throw OssError.FILE_ALREADY_EXISTS.exception().with("Key", key);
        }
    }

    // ---- GetObject / HeadObject / GetObjectMeta --------------------------------------------

    public Response get(OssRequest req, String bucket, String key, boolean head) {
        Names.checkKey(key);
        String versionId = Versions.requested(req);
        ObjectRecord first = resolve(readable(bucket, key, versionId));
        byte[] inMemory = head || first.size() > BlobStore.SMALL ? null : content(first, null);
        Leased leased = inMemory != null ? new Leased(first, null) : lease(first, bucket, key, versionId, head);
        ObjectRecord o = leased.record();
        try {
            Conditions.check(req, o.etag(), o.modifiedMillis(), "if-match", "if-none-match", "if-modified-since", "if-unmodified-since");
            boolean standard = "standard".equalsIgnoreCase(req.header("x-oss-range-behavior"));
            ByteRange range = ByteRange.parse(req.header("range"), o.size(), standard);
            Response r = objectHeaders(Response.ok(), o);
            overrides(req, r);
            long offset = 0;
            long length = o.size();
            if (range != null) {
                r.withStatus(206).header("Content-Range", range.contentRange(o.size()));
                offset = range.first();
                length = range.length();
            }
            if (head || length == 0) {
                leased.release();
                return r.header("Content-Length", Long.toString(length));
            }
            byte[] bytes = inMemory != null ? inMemory : o.size() <= BlobStore.SMALL ? content(o, leased.lease()) : null;
            if (bytes != null) {
                leased.release();
                return r.body(new Response.Bytes(length == bytes.length ? bytes
                        : java.util.Arrays.copyOfRange(bytes, (int) offset, (int) (offset + length))));
            }
            return r.body(new Response.Files(slice(o.segments(), offset, length), leased::release));
        } catch (RuntimeException e) {
            leased.release();
            throw e;
        }
    }

    /** A small object's bytes from memory, or read from its blobs under {@code lease}; null when neither. */
    private byte[] content(ObjectRecord o, BlobStore.Lease lease) {
        try {
            return blobs.smallContent(o.segments(), o.size(), lease);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * The whole content of the version a read names (symlinks followed), for image processing;
     * ImageTooLarge without reading anything when it is larger than {@code maxSize}.
     */
    Loaded load(String bucket, String key, String versionId, long maxSize) throws IOException {
        Names.checkKey(key);
        Leased leased = lease(bucket, key, versionId, false);
        try {
            ObjectRecord o = leased.record();
            if (o.size() > maxSize) {
                throw OssError.IMAGE_TOO_LARGE.exception("The source image is larger than " + maxSize / (1024 * 1024) + " MB.");
            }
            if (o.size() <= BlobStore.SMALL) return new Loaded(o, content(o, leased.lease()).clone()); // the cached array is shared
            byte[] out = new byte[(int) o.size()];
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(out);
            for (Response.FileRange r : slice(o.segments(), 0, o.size())) {
                try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(r.file())) {
                    long pos = r.offset();
                    int end = buf.position() + (int) r.length();
                    while (buf.position() < end) {
                        int n = ch.read(buf.limit(end), pos);
                        if (n < 0) throw new IOException("blob " + r.file() + " is shorter than recorded");
                        pos += n;
                    }
                }
            }
            return new Loaded(o, out);
        } finally {
            leased.release();
        }
    }

    record Loaded(ObjectRecord record, byte[] bytes) {}

    /** An object version whose blobs cannot be deleted until {@link #release()}. */
    private record Leased(ObjectRecord record, BlobStore.Lease lease) {
        void release() {
            if (lease != null) lease.close();
        }
    }

    /**
     * Reads the version (current when {@code versionId} is null) and leases its blobs. A concurrent
     * overwrite or delete may commit (and delete the old blobs) between the two steps, so the
     * version is read again under the lease: once it is unchanged, its blobs stay until the
     * response is sent.
     */
    private Leased lease(String bucket, String key, String versionId, boolean head) {
        return lease(resolve(readable(bucket, key, versionId)), bucket, key, versionId, head);
    }

    /** {@link #lease(String, String, String, boolean)} given the version's first read {@code o}. */
    private Leased lease(ObjectRecord o, String bucket, String key, String versionId, boolean head) {
        for (int attempt = 0; attempt < 8; attempt++) {
            if (head || o.segments().isEmpty()) return new Leased(o, null);
            BlobStore.Lease lease = blobs.lease(o.blobIds());
            ObjectRecord now;
            try {
                now = resolve(readable(bucket, key, versionId));
            } catch (RuntimeException e) { // gone meanwhile, or (on an event loop) not in memory
                lease.close();
                throw e;
            }
            if (now.segments().equals(o.segments())) return new Leased(now, lease);
            lease.close();
            o = now;
        }
        throw OssError.INTERNAL_ERROR.exception("The object changed too often while being read; retry.");
    }

    /**
     * A symlink followed one level (features.md §6): the target's bytes, length, ETag and CRC; the
     * link's type, content type, metadata and storage class; the later Last-Modified of the two.
     */
    private ObjectRecord resolve(ObjectRecord o) {
        if (!o.type().equals("Symlink")) return o;
        String name = SymlinkOps.target(o);
        ObjectRecord t = meta.object(o.bucket(), name)
                .orElseThrow(() -> OssError.SYMLINK_TARGET_NOT_EXIST.exception().with("Key", o.key()).with("Target", name));
        if (t.type().equals("Symlink")) throw OssError.INVALID_TARGET_TYPE.exception().with("Key", o.key()).with("Target", name);
        return new ObjectRecord(o.bucket(), o.key(), t.segments(), t.size(), t.etag(), t.crc64(), t.contentMd5(),
                Math.max(o.modifiedMillis(), t.modifiedMillis()), "Symlink", o.storageClass(), o.acl(), o.contentType(), o.headers(),
                o.userMeta(), o.tags(), o.versionId());
    }

    /** The file ranges covering bytes {@code offset..offset+length} of an object made of {@code segments}. */
    private List<Response.FileRange> slice(List<Segment> segments, long offset, long length) {
        List<Response.FileRange> out = new ArrayList<>();
        long end = offset + length;
        long pos = 0;
        for (Segment s : segments) {
            long start = pos;
            pos += s.length();
            if (pos <= offset) continue;
            if (start >= end) break;
            long from = Math.max(offset, start) - start;
            long to = Math.min(end, pos) - start;
            out.add(new Response.FileRange(blobs.path(s.blobId()), from, to - from));
        }
        return out;
    }

    public Response meta(OssRequest req, String bucket, String key) {
        Names.checkKey(key);
        ObjectRecord o = resolve(readable(bucket, key, Versions.requested(req)));
        return Versions.header(Response.ok(), o.versionId())
                .header("ETag", quote(o.etag()))
                .header("Content-Length", Long.toString(o.size()))
                .header("Last-Modified", Formats.http(o.modifiedMillis()))
                .header("x-oss-last-access-time", Formats.http(o.modifiedMillis()))
                .header("x-oss-hash-crc64ecma", Crc64.toDecimal(o.crc64()));
    }

    /** The version a read names (current when {@code versionId} is null); never a delete marker. */
    private ObjectRecord readable(String bucket, String key, String versionId) {
        return Versions.readable(meta.existingVersion(bucket, key, versionId));
    }

    static Response objectHeaders(Response r, ObjectRecord o) {
        r.header("Content-Type", o.contentType())
                .header("ETag", quote(o.etag()))
                .header("Last-Modified", Formats.http(o.modifiedMillis()))
                .header("Accept-Ranges", "bytes")
                .header("x-oss-object-type", o.type())
                .header("x-oss-storage-class", o.storageClass())
                .header("x-oss-hash-crc64ecma", Crc64.toDecimal(o.crc64()))
                .header("Content-MD5", o.contentMd5());
        if (o.type().equals("Appendable")) r.header("x-oss-next-append-position", Long.toString(o.size()));
        if (!o.tags().isEmpty()) r.header("x-oss-tagging-count", Integer.toString(o.tags().size()));
        Versions.header(r, o.versionId());
        for (Map.Entry<String, String> h : o.headers().entrySet()) r.header(h.getKey(), h.getValue());
        for (Map.Entry<String, String> m : o.userMeta().entrySet()) r.header("x-oss-meta-" + m.getKey(), m.getValue());
        return r;
    }

    private static final Map<String, String> OVERRIDES = Map.of(
            "response-content-type", "Content-Type",
            "response-content-language", "Content-Language",
            "response-expires", "Expires",
            "response-cache-control", "Cache-Control",
            "response-content-disposition", "Content-Disposition",
            "response-content-encoding", "Content-Encoding");

    private static void overrides(OssRequest req, Response r) {
        for (Map.Entry<String, String> e : OVERRIDES.entrySet()) {
            String v = req.query().get(e.getKey());
            if (v != null) r.header(e.getValue(), v);
        }
    }

    // ---- DeleteObject / DeleteMultipleObjects ----------------------------------------------

    /**
     * DeleteObject: 204 whether or not the key or version existed. With versioning the response
     * names the delete marker written, or the version removed (core.md §7.13).
     */
    public Response delete(OssRequest req, String bucket, String key) {
        Names.checkKey(key);
        MetadataStore.Deletion d = deleteOne(bucket, key, Versions.requested(req));
        Response r = Versions.header(Response.noContent(), d.versionId());
        return d.deleteMarker() ? r.header("x-oss-delete-marker", "true") : r;
    }

    private MetadataStore.Deletion deleteOne(String bucket, String key, String versionId) {
        MetadataStore.Deletion d = meta.deleteObject(bucket, key, versionId);
        blobs.delete(d.freedBlobs());
        return d;
    }

    record DeleteEntry(@JsonProperty("Key") String key, @JsonProperty("VersionId") String versionId) {}

    record DeleteDocument(
            @JsonProperty("Quiet") String quiet,
            @JsonProperty("Object") @JacksonXmlElementWrapper(useWrapping = false) List<DeleteEntry> objects) {}

    /**
     * @param mayDelete whether the caller may delete a key (an anonymous caller only where the object's
     *                  own ACL allows it); one refused key refuses the whole request before anything is deleted
     */
    public Response deleteMultiple(OssRequest req, RequestBody body, String bucket, Predicate<String> mayDelete) throws IOException {
        meta.existingBucket(bucket);
        String md5 = req.header("content-md5");
        if (md5 == null) {
            throw OssError.MISSING_ARGUMENT.exception("Missing Some Required Arguments: Content-MD5.").with("ArgumentName", "Content-MD5");
        }
        byte[] expected = Ingest.contentMd5(md5);
        byte[] xml = body.readSmall(MAX_DELETE_BODY);
        if (!MessageDigest.isEqual(expected, Ingest.md5().digest(xml))) throw OssError.INVALID_DIGEST.exception();
        DeleteDocument doc = RequestXml.parse(xml, DeleteDocument.class);
        List<DeleteEntry> entries = doc.objects() == null ? List.of() : doc.objects();
        if (entries.isEmpty() || entries.size() > 1000) throw OssError.MALFORMED_XML.exception();
        boolean quiet = "true".equalsIgnoreCase(doc.quiet() == null ? null : doc.quiet().trim());
        for (DeleteEntry e : entries) {
            Names.checkKey(e.key());
            if (e.versionId() != null && e.versionId().isEmpty()) throw OssError.MALFORMED_XML.exception();
        }
        for (DeleteEntry e : entries) {
            if (!mayDelete.test(e.key())) {
                throw OssError.ACCESS_DENIED.exception("You have no right to access this object because of object acl.").with("Key", e.key());
            }
        }
        String encoding = req.query().get("encoding-type");
        if (encoding == null) encoding = req.header("encoding-type"); // J1 sends it as a request header
        boolean url = "url".equals(encoding);
        XmlWriter x = XmlWriter.document("DeleteResult");
        if (url) x.element("EncodingType", "url");
        for (DeleteEntry e : entries) {
            MetadataStore.Deletion d = deleteOne(bucket, e.key(), e.versionId());
            if (quiet) continue;
            x.start("Deleted").element("Key", url ? UrlEncoding.encode(e.key()) : e.key());
            if (e.versionId() != null) x.element("VersionId", e.versionId());
            if (d.deleteMarker()) x.element("DeleteMarker", true).element("DeleteMarkerVersionId", d.versionId());
            x.end();
        }
        return Response.xml(x.bytes());
    }

    // ---- CopyObject -----------------------------------------------------------------------

    /** The source named by {@code x-oss-copy-source}: {@code /bucket/percent-encoded-key[?versionId=..]}. */
    record CopySource(String bucket, String key, String versionId) {}

    static CopySource copySource(String header) {
        if (header == null) throw OssError.INVALID_ARGUMENT.exception("Missing x-oss-copy-source.");
        String h = header.trim();
        String versionId = null;
        int q = h.indexOf('?');
        if (q >= 0) {
            String query = h.substring(q + 1);
            h = h.substring(0, q);
            if (!query.startsWith("versionId=") || query.length() == "versionId=".length()) {
                throw OssError.INVALID_ARGUMENT.exception("The x-oss-copy-source header is not valid.")
                        .with("ArgumentName", "x-oss-copy-source").with("ArgumentValue", header);
            }
            versionId = Addressing.decodePath(query.substring("versionId=".length()));
        }
        if (h.startsWith("/")) h = h.substring(1);
        int slash = h.indexOf('/');
        if (slash <= 0 || slash == h.length() - 1) {
            throw OssError.INVALID_ARGUMENT.exception("The x-oss-copy-source header is not valid.")
                    .with("ArgumentName", "x-oss-copy-source").with("ArgumentValue", header);
        }
        return new CopySource(Addressing.decodePath(h.substring(0, slash)), Addressing.decodePath(h.substring(slash + 1)), versionId);
    }

    /**
     * The version a copy reads: a current delete marker is NoSuchKey, a delete marker named by
     * its id is 400 InvalidArgument (features.md §3.3).
     */
    static ObjectRecord copySourceRecord(MetadataStore meta, CopySource src) {
        Names.checkKey(src.key());
        ObjectRecord o = meta.existingVersion(src.bucket(), src.key(), src.versionId());
        if (o.isDeleteMarker()) {
            throw OssError.INVALID_ARGUMENT.exception("The copy source is a delete marker.").with("ArgumentName", "x-oss-copy-source");
        }
        return o;
    }

    /** The copy source read again (to see whether it changed), or null when it is gone. */
    static ObjectRecord copySourceNow(MetadataStore meta, CopySource src) {
        return (src.versionId() == null ? meta.object(src.bucket(), src.key()) : meta.version(src.bucket(), src.key(), src.versionId()))
                .orElse(null);
    }

    public Response copy(OssRequest req, String bucket, String key, CopySource src) throws IOException {
        Names.checkKey(key);
        BucketRecord b = meta.existingBucket(bucket);
        ObjectRecord source = copySourceRecord(meta, src);
        Conditions.check(req, source.etag(), source.modifiedMillis(), "x-oss-copy-source-if-match",
                "x-oss-copy-source-if-none-match", "x-oss-copy-source-if-modified-since", "x-oss-copy-source-if-unmodified-since");
        String directive = req.header("x-oss-metadata-directive");
        boolean replace;
        if (directive == null || directive.equalsIgnoreCase("COPY")) replace = false;
        else if (directive.equalsIgnoreCase("REPLACE")) replace = true;
        else throw WriteHeaders.invalid("x-oss-metadata-directive", directive);
        WriteHeaders w = WriteHeaders.parse(req, key, source.storageClass());
        boolean inPlace = source.bucket().equals(bucket) && source.key().equals(key);
        if (!inPlace) refuseOverwrite(meta, b, key, w.forbidOverwrite());
        String contentType = replace ? w.contentType() : source.contentType();
        Map<String, String> headers = new LinkedHashMap<>(replace ? w.headers() : stripEncryption(source.headers()));
        if (!replace) headers.putAll(encryptionOnly(w.headers()));
        Map<String, String> userMeta = replace ? w.userMeta() : source.userMeta();
        String acl = req.header("x-oss-object-acl") != null ? w.acl() : inPlace ? source.acl() : "default";
        // a copy shares the source's bytes through second links to its blobs, so each version owns
        // its blob ids. An in-place copy of an appendable object stays appendable and gets bytes of
        // its own: it may be a restored older (shorter) version, and appending to it would
        // overwrite bytes a longer version sharing the file still reads.
        String type = source.type().equals("Appendable") && !inPlace ? "Normal" : source.type();
        List<Segment> segments = duplicate(source.segments(), !type.equals("Appendable"));
        ObjectRecord rec = ingest.commit(new ObjectRecord(bucket, key, segments, source.size(), source.etag(), source.crc64(),
                source.contentMd5(), System.currentTimeMillis(), type, w.storageClass(), acl, contentType, headers, userMeta,
                copyTags(req, source, w)), w.forbidOverwrite() && !inPlace);
        byte[] xml = XmlWriter.document("CopyObjectResult")
                .element("ETag", quote(rec.etag()))
                .element("LastModified", Formats.iso(rec.modifiedMillis()))
                .bytes();
        // the V2 Java SDK reads CopyObjectResult.eTag()/lastModified() from these headers, not from the XML
        Response r = Response.xml(xml)
                .header("ETag", quote(rec.etag()))
                .header("Last-Modified", Formats.http(rec.modifiedMillis()))
                .header("x-oss-hash-crc64ecma", Crc64.toDecimal(rec.crc64()))
                .header("x-oss-copy-source-version-id", source.versionId());
        Versions.header(r, rec.versionId());
        WriteHeaders.echoEncryption(r, rec.headers());
        return r;
    }

    /** {@code x-oss-tagging-directive}: Copy (default) keeps the source's tags, Replace takes {@code x-oss-tagging}. */
    private static Map<String, String> copyTags(OssRequest req, ObjectRecord source, WriteHeaders w) {
        String directive = req.header("x-oss-tagging-directive");
        if (directive == null || directive.equalsIgnoreCase("Copy")) return source.tags();
        if (directive.equalsIgnoreCase("Replace")) return w.tags();
        throw WriteHeaders.invalid("x-oss-tagging-directive", directive);
    }

    private List<Segment> duplicate(List<Segment> segments, boolean link) throws IOException {
        List<Segment> out = new ArrayList<>(segments.size());
        try {
            for (Segment s : segments) out.add(new Segment(blobs.duplicate(s.blobId(), link), s.length()));
        } catch (IOException | RuntimeException e) {
            blobs.delete(Segment.blobIds(out));
            throw e;
        }
        return out;
    }

    private static Map<String, String> stripEncryption(Map<String, String> h) {
        Map<String, String> out = new LinkedHashMap<>(h);
        out.keySet().removeIf(k -> k.startsWith("x-oss-server-side-"));
        return out;
    }

    private static Map<String, String> encryptionOnly(Map<String, String> h) {
        Map<String, String> out = new LinkedHashMap<>(h);
        out.keySet().removeIf(k -> !k.startsWith("x-oss-server-side-"));
        return out;
    }

    // ---- ACL --------------------------------------------------------------------------------

    public Response putAcl(OssRequest req, String bucket, String key) {
        Names.checkKey(key);
        String acl = req.header("x-oss-object-acl");
        if (acl == null || !WriteHeaders.OBJECT_ACLS.contains(acl)) throw WriteHeaders.invalid("x-oss-object-acl", acl);
        String versionId = Versions.requested(req);
        ObjectRecord o = readable(bucket, key, versionId);
        if (!meta.setObjectAcl(bucket, key, versionId, acl)) readable(bucket, key, versionId); // gone meanwhile: the error
        return Versions.header(Response.ok(), o.versionId());
    }

    public Response getAcl(OssRequest req, String bucket, String key) {
        Names.checkKey(key);
        ObjectRecord o = readable(bucket, key, Versions.requested(req));
        return Versions.header(Response.xml(BucketOps.aclDocument(settings.ownerId(), o.acl())), o.versionId());
    }

    // ---- helpers ----------------------------------------------------------------------------

    static String quote(String etag) { return "\"" + etag + "\""; }

    /** Conditional request headers (RFC 7232 precedence: If-Match, If-Unmodified-Since, If-None-Match, If-Modified-Since). */
    static final class Conditions {
        private Conditions() {}

        static void check(OssRequest req, String etag, long modifiedMillis, String ifMatch, String ifNoneMatch,
                String ifModifiedSince, String ifUnmodifiedSince) {
            long modified = Formats.seconds(modifiedMillis);
            String m = req.header(ifMatch);
            if (m != null) {
                if (!etagMatches(m, etag)) throw OssError.PRECONDITION_FAILED.exception().with("Condition", headerName(ifMatch));
            } else {
                Instant t = Formats.parseHttp(req.header(ifUnmodifiedSince));
                if (t != null && modified > t.toEpochMilli()) {
                    throw OssError.PRECONDITION_FAILED.exception().with("Condition", headerName(ifUnmodifiedSince));
                }
            }
            String n = req.header(ifNoneMatch);
            if (n != null) {
                if (etagMatches(n, etag)) throw notModified(etag, modifiedMillis);
            } else {
                Instant t = Formats.parseHttp(req.header(ifModifiedSince));
                if (t != null && modified <= t.toEpochMilli()) throw notModified(etag, modifiedMillis);
            }
        }

        private static OssException notModified(String etag, long modifiedMillis) {
            return OssError.NOT_MODIFIED.exception()
                    .header("ETag", quote(etag))
                    .header("Last-Modified", Formats.http(modifiedMillis));
        }

        private static boolean etagMatches(String header, String etag) {
            for (String part : header.split(",")) {
                String t = part.trim();
                if (t.startsWith("W/")) t = t.substring(2);
                if (t.equals("*")) return true;
                if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) t = t.substring(1, t.length() - 1);
                if (t.equalsIgnoreCase(etag)) return true;
            }
            return false;
        }

        private static String headerName(String lower) {
            return lower.startsWith("x-oss-") ? lower : lower.substring(0, 1).toUpperCase(Locale.ROOT) + lower.substring(1);
        }
    }
}
