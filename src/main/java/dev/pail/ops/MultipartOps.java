package dev.pail.ops;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import dev.pail.checksum.Crc64;
import dev.pail.route.OssRequest;
import dev.pail.route.Query;
import dev.pail.store.BlobStore;
import dev.pail.store.BucketRecord;
import dev.pail.store.MetadataStore.Completion;
import dev.pail.store.MetadataStore.UploadPage;
import dev.pail.store.MetadataStore;
import dev.pail.store.ObjectRecord;
import dev.pail.store.PartRecord;
import dev.pail.store.Precondition;
import dev.pail.store.Segment;
import dev.pail.store.UploadRecord;
import dev.pail.xml.Formats;
import dev.pail.xml.OssError;
import dev.pail.xml.OssException;
import dev.pail.xml.RequestXml;
import dev.pail.xml.UrlEncoding;
import dev.pail.xml.XmlWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Multipart upload (features.md §3): Initiate, UploadPart, UploadPartCopy, Complete, Abort,
 * ListParts, ListMultipartUploads. Each part is its own blob; completing records the ordered list
 * of part blobs as the object's segments and never copies data.
 */
public final class MultipartOps {
    static final long MIN_PART = 100 * 1024;
    /**
     * Marks an upload initiated with {@code ?sequential} among its stored headers (only
     * {@code x-oss-server-side-*} ones are ever echoed); the completed object does not keep it.
     */
    private static final String SEQUENTIAL = "x-pail-sequential";
    private static final int MAX_PART_NUMBER = 10_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final MetadataStore meta;
    private final BlobStore blobs;
    private final Ingest ingest;

    public MultipartOps(MetadataStore meta, BlobStore blobs, Settings settings) {
        this.meta = meta;
        this.blobs = blobs;
        this.ingest = new Ingest(meta, blobs, settings.maxObjectSize());
    }

    // ---- Initiate ---------------------------------------------------------------------------

    public Response initiate(OssRequest req, String bucket, String key) {
        Names.checkKey(key);
        BucketRecord b = meta.existingBucket(bucket);
        WriteHeaders w = WriteHeaders.parse(req, key, b.storageClass());
        ObjectOps.refuseOverwrite(meta, b, key, w.forbidOverwrite());
        Map<String, String> headers = w.headers();
        if (req.query().has("sequential")) {
            headers = new LinkedHashMap<>(headers);
            headers.put(SEQUENTIAL, "true");
        }
        UploadRecord u = new UploadRecord(newUploadId(), bucket, key, System.currentTimeMillis(), w.contentType(), w.storageClass(), w.acl(),
                w.forbidOverwrite(), headers, w.userMeta(), w.tags());
        meta.createUpload(u);
        boolean url = urlEncoding(req);
        XmlWriter x = XmlWriter.document("InitiateMultipartUploadResult")
                .element("Bucket", bucket)
                .element("Key", url ? UrlEncoding.encode(key) : key)
                .element("UploadId", u.uploadId());
        if (url) x.element("EncodingType", "url");
        return WriteHeaders.echoEncryption(Response.xml(x.bytes()), u.headers());
    }

    private static long lastIdMillis;
    private static int idSequence;

    /**
     * 32 upper-case hex characters, time-ordered so that id order is initiation order: milliseconds,
     * then a sequence number that orders ids made within the same millisecond, then random bytes.
     */
    private static String newUploadId() {
        long millis;
        int seq;
        synchronized (MultipartOps.class) {
            long now = System.currentTimeMillis();
            if (now > lastIdMillis) {
                lastIdMillis = now;
                idSequence = 0;
            } else if (++idSequence > 0xFFFF) {
                lastIdMillis++;
                idSequence = 0;
            }
            millis = lastIdMillis;
            seq = idSequence;
        }
        byte[] r = new byte[8];
        RANDOM.nextBytes(r);
        return String.format("%012X%04X", millis, seq) + HexFormat.of().withUpperCase().formatHex(r);
    }

    // ---- UploadPart / UploadPartCopy ----------------------------------------------------------

    public Response uploadPart(OssRequest req, RequestBody body, String bucket, String key) throws IOException {
        int number = partNumber(req.query());
        refuseEncryptionHeaders(req);
        UploadRecord u = requireUpload(bucket, key, req.query().get("uploadId"));
        Ingest.Stored s = ingest.store(body, Ingest.contentMd5(req.header("content-md5")));
        PartRecord part = new PartRecord(u.uploadId(), number, s.segments().isEmpty() ? null : s.segments().getFirst().blobId(),
                s.size(), s.md5Hex(), s.crc64(), System.currentTimeMillis());
        savePart(part);
        Response r = Response.ok()
                .header("ETag", ObjectOps.quote(part.etag()))
                .header("Content-MD5", s.md5Base64())
                .header("x-oss-hash-crc64ecma", Crc64.toDecimal(part.crc64()));
        return WriteHeaders.echoEncryption(r, u.headers());
    }

    /** Stores the part; its blob is removed if the upload ended meanwhile, the replaced part's after. */
    private void savePart(PartRecord part) {
        Optional<PartRecord> replaced;
        try {
            replaced = meta.putPart(part);
        } catch (RuntimeException e) {
            if (part.blobId() != null) blobs.delete(part.blobId());
            throw e;
        }
        replaced.map(PartRecord::blobId).ifPresent(blobs::delete);
    }

    public Response uploadPartCopy(OssRequest req, String bucket, String key) throws IOException {
        int number = partNumber(req.query());
        refuseEncryptionHeaders(req);
        UploadRecord u = requireUpload(bucket, key, req.query().get("uploadId"));
        ObjectOps.CopySource src = ObjectOps.copySource(req.header("x-oss-copy-source"));
        ObjectRecord source = ObjectOps.copySourceRecord(meta, src);
        if (source.type().equals("Symlink")) { // OSS refuses symlink sources here (EC 0042-00000308)
            throw OssError.INVALID_ARGUMENT.exception("UploadPartCopy does not accept a symlink as its source.")
                    .with("ArgumentName", "x-oss-copy-source");
        }
        ObjectOps.Conditions.check(req, source.etag(), source.modifiedMillis(), "x-oss-copy-source-if-match",
                "x-oss-copy-source-if-none-match", "x-oss-copy-source-if-modified-since", "x-oss-copy-source-if-unmodified-since");
        long first = 0;
        long last = source.size() - 1;
        String range = req.header("x-oss-copy-source-range");
        if (range != null) {
            // not the lenient GET rules: a range that does not fit inside the source is an error (features.md §3.3)
            ByteRange r = ByteRange.parse(range, source.size(), false);
            if (r == null) throw WriteHeaders.invalid("x-oss-copy-source-range", range);
            first = r.first();
            last = r.last();
        }
        PartRecord part = copyRange(u.uploadId(), number, src, source, first, last - first + 1);
        savePart(part);
        byte[] xml = XmlWriter.document("CopyPartResult")
                .element("LastModified", Formats.iso(part.modifiedMillis()))
                .element("ETag", ObjectOps.quote(part.etag()))
                .bytes();
        Response r = Response.xml(xml).header("ETag", ObjectOps.quote(part.etag()))
                .header("x-oss-copy-source-version-id", source.versionId());
        return WriteHeaders.echoEncryption(r, u.headers());
    }

    /** Copies bytes of an object into a new part blob, hashing them on the way. */
    private PartRecord copyRange(String uploadId, int number, ObjectOps.CopySource src, ObjectRecord source, long offset, long length)
            throws IOException {
        MessageDigest md5 = Ingest.md5();
        Crc64 crc = new Crc64();
        if (length <= 0) {
            return new PartRecord(uploadId, number, null, 0, HexFormat.of().withUpperCase().formatHex(md5.digest()), 0,
                    System.currentTimeMillis());
        }
        try (BlobStore.Lease lease = blobs.lease(source.blobIds()); BlobStore.Writer writer = blobs.create()) {
            ObjectRecord now = ObjectOps.copySourceNow(meta, src);
            if (now == null || !now.segments().equals(source.segments())) {
                throw OssError.PRECONDITION_FAILED.exception("The source object changed during the copy; retry.");
            }
            ByteBuffer buf = ByteBuffer.allocateDirect(256 * 1024);
            long pos = 0;
            long end = offset + length;
            for (Segment s : source.segments()) {
                long start = pos;
                pos += s.length();
                if (pos <= offset || start >= end) continue;
                try (SeekableByteChannel ch = blobs.openForRead(s)) {
                    long from = Math.max(offset, start) - start;
                    long to = Math.min(end, pos) - start;
                    while (from < to) {
                        buf.clear().limit((int) Math.min(buf.capacity(), to - from));
                        int n = ch.position(from).read(buf);
                        if (n < 0) throw new IOException("blob " + s.blobId() + " is shorter than recorded");
                        from += n;
                        buf.flip();
                        md5.update(buf.duplicate());
                        crc.update(buf);
                        writer.write(buf);
                    }
                }
            }
            String id = writer.commit();
            return new PartRecord(uploadId, number, id, length, HexFormat.of().withUpperCase().formatHex(md5.digest()), crc.value(),
                    System.currentTimeMillis());
        }
    }

    private static int partNumber(Query q) {
        String v = q.get("partNumber");
        try {
            int n = Integer.parseInt(v == null ? "" : v.trim());
            if (n >= 1 && n <= MAX_PART_NUMBER) return n;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw OssError.INVALID_ARGUMENT.exception("Part number must be an integer between 1 and 10000, inclusive.")
                .with("ArgumentName", "partNumber").with("ArgumentValue", v);
    }

    /** Encryption is chosen at Initiate; UploadPart and Complete must not carry it (features.md §10). */
    private static void refuseEncryptionHeaders(OssRequest req) {
        for (String h : List.of("x-oss-server-side-encryption", "x-oss-server-side-data-encryption", "x-oss-server-side-encryption-key-id")) {
            if (req.header(h) != null) throw WriteHeaders.invalid(h, req.header(h));
        }
    }

    // ---- Complete ---------------------------------------------------------------------------

    record CompletePart(@JsonProperty("PartNumber") String partNumber, @JsonProperty("ETag") String etag) {}

    record CompleteDocument(@JsonProperty("Part") @JacksonXmlElementWrapper(useWrapping = false) List<CompletePart> parts) {}

    /** A part the client listed: number and ETag without quotes. */
    private record Listed(int number, String etag) {}

    public Written complete(OssRequest req, RequestBody body, String bucket, String key) throws IOException {
        Names.checkKey(key);
        refuseEncryptionHeaders(req);
        String uploadId = req.query().get("uploadId");
        UploadRecord upload = requireUpload(bucket, key, uploadId);
        boolean all = "yes".equalsIgnoreCase(req.header("x-oss-complete-all"));
        byte[] xml = body.readSmall(4 * 1024 * 1024);
        List<Listed> listed = null;
        if (all) {
            if (xml.length > 0) {
                throw OssError.INVALID_ARGUMENT.exception("With x-oss-complete-all the request body must be empty.")
                        .with("ArgumentName", "x-oss-complete-all");
            }
        } else {
            listed = listedParts(xml);
        }
        String aclHeader = req.header("x-oss-object-acl");
        String acl = aclHeader != null ? WriteHeaders.objectAcl(req) : upload.acl();
        boolean forbid = req.header("x-oss-forbid-overwrite") != null ? WriteHeaders.forbidOverwrite(req) : upload.forbidOverwrite();
        List<Listed> chosen = listed;
        // sequential uploads get the whole-object MD5, hashed here rather than inside the transaction
        Sequential sequential = upload.headers().containsKey(SEQUENTIAL) ? hashParts(uploadId, listed) : null;
        Completion done = meta.completeUpload(bucket, key, uploadId, forbid ? Precondition.ABSENT : Precondition.NONE,
                (u, parts) -> assemble(u, parts, chosen, acl, sequential));
        blobs.delete(done.unusedBlobs());
        ObjectRecord o = done.object();
        boolean url = urlEncoding(req);
        XmlWriter x = XmlWriter.document("CompleteMultipartUploadResult");
        if (url) x.element("EncodingType", "url");
        x.element("Location", "http://" + BucketOps.endpoint(req) + "/" + bucket + "/" + UrlEncoding.encode(key).replace("%2F", "/"))
                .element("Bucket", bucket)
                .element("Key", url ? UrlEncoding.encode(key) : key)
                .element("ETag", ObjectOps.quote(o.etag()));
        Response r = Response.xml(x.bytes())
                .header("ETag", ObjectOps.quote(o.etag()))
                .header("x-oss-hash-crc64ecma", Crc64.toDecimal(o.crc64()));
        Versions.header(r, o.versionId());
        return new Written(o, WriteHeaders.echoEncryption(r, o.headers()));
    }

    /** The parts a sequential upload's MD5 was computed over, and that MD5 (base64). */
    private record Sequential(List<PartRecord> parts, String contentMd5) {}

    /** MD5 of the parts Complete will use (all, or those listed that exist), read in order. */
    private Sequential hashParts(String uploadId, List<Listed> listed) throws IOException {
        List<PartRecord> stored = meta.parts(uploadId, 0, Integer.MAX_VALUE);
        List<PartRecord> parts = new ArrayList<>();
        if (listed == null) {
            parts.addAll(stored);
        } else {
            Map<Integer, PartRecord> byNumber = new LinkedHashMap<>();
            for (PartRecord p : stored) byNumber.put(p.partNumber(), p);
            for (Listed l : listed) if (byNumber.containsKey(l.number())) parts.add(byNumber.get(l.number()));
        }
        MessageDigest md5 = Ingest.md5();
        List<String> ids = new ArrayList<>();
        for (PartRecord p : parts) if (p.blobId() != null) ids.add(p.blobId());
        try (BlobStore.Lease lease = blobs.lease(ids)) {
            ByteBuffer buf = ByteBuffer.allocate(256 * 1024);
            for (String id : ids) {
                try (FileChannel ch = FileChannel.open(blobs.path(id), StandardOpenOption.READ)) {
                    while (ch.read(buf.clear()) > 0) md5.update(buf.flip());
                }
            }
        } catch (NoSuchFileException e) {
            throw OssError.INTERNAL_ERROR.exception("A part changed while the upload was being completed; retry.");
        }
        return new Sequential(parts, Base64.getEncoder().encodeToString(md5.digest()));
    }

    private static List<Listed> listedParts(byte[] xml) {
        CompleteDocument doc = RequestXml.parse(xml, CompleteDocument.class);
        List<Listed> out = new ArrayList<>();
        if (doc.parts() != null) {
            for (CompletePart p : doc.parts()) {
                if (p == null || p.partNumber() == null || p.etag() == null) throw OssError.MALFORMED_XML.exception();
                int n;
                try {
                    n = Integer.parseInt(p.partNumber().trim());
                } catch (NumberFormatException e) {
                    throw OssError.MALFORMED_XML.exception();
                }
                if (n < 1 || n > MAX_PART_NUMBER) throw WriteHeaders.invalid("PartNumber", p.partNumber());
                out.add(new Listed(n, unquote(p.etag())));
            }
        }
        for (int i = 1; i < out.size(); i++) {
            if (out.get(i).number() <= out.get(i - 1).number()) throw OssError.INVALID_PART_ORDER.exception();
        }
        return out;
    }

    private static String unquote(String etag) {
        String t = etag.trim();
        if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) t = t.substring(1, t.length() - 1);
        return t;
    }

    /**
     * Runs inside the completing transaction: checks the listed parts against the stored ones and
     * builds the object. ETag = upper-hex MD5 of the concatenated binary part MD5s, "-" part count
     * (the form OSS responses show); CRC-64 = the part CRCs combined.
     */
    private static ObjectRecord assemble(UploadRecord u, List<PartRecord> stored, List<Listed> listed, String acl, Sequential sequential) {
        Map<Integer, PartRecord> byNumber = new LinkedHashMap<>();
        for (PartRecord p : stored) byNumber.put(p.partNumber(), p);
        List<PartRecord> chosen = new ArrayList<>();
        if (listed == null) {
            chosen.addAll(stored); // x-oss-complete-all: every uploaded part, in order
        } else {
            for (Listed l : listed) {
                PartRecord p = byNumber.get(l.number());
                if (p == null || !p.etag().equalsIgnoreCase(l.etag())) {
                    OssException e = OssError.INVALID_PART.exception();
                    throw e.with("PartNumber", Integer.toString(l.number())).with("ETag", l.etag());
                }
                chosen.add(p);
            }
        }
        for (int i = 0; i < chosen.size() - 1; i++) {
            if (chosen.get(i).size() < MIN_PART) {
                throw OssError.ENTITY_TOO_SMALL.exception().with("PartNumber", Integer.toString(chosen.get(i).partNumber()))
                        .with("MinSizeAllowed", Long.toString(MIN_PART));
            }
        }
        MessageDigest md5s = Ingest.md5();
        long crc = 0;
        long size = 0;
        List<Segment> segments = new ArrayList<>();
        for (PartRecord p : chosen) {
            md5s.update(HexFormat.of().parseHex(p.etag()));
            crc = Crc64.combine(crc, p.crc64(), p.size());
            size += p.size();
            if (p.blobId() != null) segments.add(new Segment(p.blobId(), p.size()));
        }
        String etag = HexFormat.of().withUpperCase().formatHex(md5s.digest()) + "-" + chosen.size();
        if (sequential != null && !sequential.parts().equals(chosen)) {
            throw OssError.INTERNAL_ERROR.exception("A part changed while the upload was being completed; retry.");
        }
        Map<String, String> headers = new LinkedHashMap<>(u.headers());
        headers.remove(SEQUENTIAL);
        return new ObjectRecord(u.bucket(), u.key(), segments, size, etag, crc, sequential == null ? null : sequential.contentMd5(),
                System.currentTimeMillis(), "Multipart", u.storageClass(), acl, u.contentType(), headers, u.userMeta(), u.tags());
    }

    // ---- Abort, ListParts, ListMultipartUploads -----------------------------------------------

    public Response abort(OssRequest req, String bucket, String key) {
        Names.checkKey(key);
        meta.existingBucket(bucket);
        blobs.delete(meta.abortUpload(bucket, key, req.query().get("uploadId")));
        return Response.noContent();
    }

    public Response listParts(OssRequest req, String bucket, String key) {
        Names.checkKey(key);
        UploadRecord u = requireUpload(bucket, key, req.query().get("uploadId"));
        Query q = req.query();
        int max = BucketOps.maxKeys(q.nonEmpty("max-parts"), 1000, 1000);
        int marker = 0;
        String m = q.nonEmpty("part-number-marker");
        if (m != null) {
            try {
                marker = Integer.parseInt(m.trim());
            } catch (NumberFormatException e) {
                throw WriteHeaders.invalid("part-number-marker", m);
            }
        }
        List<PartRecord> page = meta.parts(u.uploadId(), marker, max + 1);
        boolean truncated = page.size() > max;
        if (truncated) page = page.subList(0, max);
        boolean url = urlEncoding(req);
        XmlWriter x = XmlWriter.document("ListPartsResult");
        if (url) x.element("EncodingType", "url");
        x.element("Bucket", bucket)
                .element("Key", url ? UrlEncoding.encode(key) : key)
                .element("UploadId", u.uploadId())
                .element("StorageClass", u.storageClass())
                .element("PartNumberMarker", marker)
                .element("NextPartNumberMarker", page.isEmpty() ? marker : page.getLast().partNumber())
                .element("MaxParts", max)
                .element("IsTruncated", truncated);
        for (PartRecord p : page) {
            x.start("Part")
                    .element("PartNumber", p.partNumber())
                    .element("LastModified", Formats.iso(p.modifiedMillis()))
                    .element("ETag", ObjectOps.quote(p.etag()))
                    .element("HashCrc64ecma", Crc64.toDecimal(p.crc64()))
                    .element("Size", p.size())
                    .end();
        }
        return Response.xml(x.bytes());
    }

    public Response listUploads(OssRequest req, String bucket) {
        meta.existingBucket(bucket);
        Query q = req.query();
        boolean url = urlEncoding(req);
        String prefix = q.get("prefix") == null ? "" : q.get("prefix");
        String keyMarker = q.nonEmpty("key-marker");
        String idMarker = keyMarker == null ? null : q.nonEmpty("upload-id-marker");
        String delimiter = q.nonEmpty("delimiter");
        int max = BucketOps.maxKeys(q.nonEmpty("max-uploads"), 1000, 1000);
        UploadPage page = meta.listUploads(bucket, prefix, keyMarker, idMarker, delimiter, max);
        XmlWriter x = XmlWriter.document("ListMultipartUploadsResult");
        if (url) x.element("EncodingType", "url");
        x.element("Bucket", bucket)
                .element("KeyMarker", BucketOps.enc(keyMarker == null ? "" : keyMarker, url))
                .element("UploadIdMarker", idMarker == null ? "" : idMarker)
                .element("NextKeyMarker", page.truncated() ? BucketOps.enc(page.nextKeyMarker(), url) : "")
                .element("NextUploadIdMarker", page.truncated() && page.nextUploadIdMarker() != null ? page.nextUploadIdMarker() : "")
                .element("Delimiter", BucketOps.enc(delimiter == null ? "" : delimiter, url))
                .element("Prefix", BucketOps.enc(prefix, url))
                .element("MaxUploads", max)
                .element("IsTruncated", page.truncated());
        for (UploadRecord u : page.uploads()) {
            x.start("Upload")
                    .element("Key", BucketOps.enc(u.key(), url))
                    .element("UploadId", u.uploadId())
                    .element("StorageClass", u.storageClass())
                    .element("Initiated", Formats.iso(u.initiatedMillis()))
                    .end();
        }
        for (String cp : page.commonPrefixes()) x.start("CommonPrefixes").element("Prefix", BucketOps.enc(cp, url)).end();
        return Response.xml(x.bytes());
    }

    /** Aborts uploads initiated before {@code beforeMillis}; returns how many. */
    public int abortAbandoned(long beforeMillis) {
        int n = 0;
        for (UploadRecord u : meta.uploadsInitiatedBefore(beforeMillis)) {
            try {
                blobs.delete(meta.abortUpload(u.bucket(), u.key(), u.uploadId()));
                n++;
            } catch (OssException e) {
                // completed or aborted meanwhile
            }
        }
        return n;
    }

    // ---- helpers ----------------------------------------------------------------------------

    private UploadRecord requireUpload(String bucket, String key, String uploadId) {
        if (uploadId == null || uploadId.isEmpty()) throw OssError.NO_SUCH_UPLOAD.exception().with("UploadId", "");
        Optional<UploadRecord> u = meta.upload(bucket, key, uploadId);
        if (u.isPresent()) return u.get();
        meta.existingBucket(bucket);
        throw OssError.NO_SUCH_UPLOAD.exception().with("UploadId", uploadId);
    }

    private static boolean urlEncoding(OssRequest req) {
        return "url".equals(req.query().get("encoding-type"));
    }

}
