package dev.pail.ops;

import dev.pail.checksum.Crc64;
import dev.pail.route.OssRequest;
import dev.pail.store.BlobStore;
import dev.pail.store.BucketRecord;
import dev.pail.store.MetadataStore;
import dev.pail.store.MetadataStore.ConcurrentChangeException;
import dev.pail.store.ObjectRecord;
import dev.pail.store.Precondition;
import dev.pail.store.Segment;
import dev.pail.xml.OssError;
import dev.pail.xml.OssException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * AppendObject (features.md §2). An appendable object is one blob written in place; its metadata
 * holds the committed length and the CRC-64 chained with CRC combine. Readers never read past the
 * committed length, and bytes past it (an append that died before its commit) are cut by the next
 * append, so an append is all or nothing. Appends to one key are serialized here; the commit
 * additionally checks that nothing replaced the object meanwhile.
 */
public final class AppendOps {
    private static final int STRIPES = 256;

    private final MetadataStore meta;
    private final BlobStore blobs;
    private final Settings settings;
    private final Ingest ingest;
    private final ReentrantLock[] locks = new ReentrantLock[STRIPES];

    public AppendOps(MetadataStore meta, BlobStore blobs, Settings settings) {
        this.meta = meta;
        this.blobs = blobs;
        this.settings = settings;
        this.ingest = new Ingest(meta, blobs, settings.maxObjectSize());
        for (int i = 0; i < STRIPES; i++) locks[i] = new ReentrantLock();
    }

    public Response append(OssRequest req, RequestBody body, String bucket, String key) throws IOException {
        Names.checkKey(key);
        if (req.query().has("versionId")) { // only the current version grows (EC 0016-00000504)
            throw OssError.INVALID_ARGUMENT.exception("AppendObject does not accept a versionId.").with("ArgumentName", "versionId");
        }
        long position = position(req.query().get("position"));
        byte[] expectedMd5 = Ingest.contentMd5(req.header("content-md5"));
        if (!body.framed()) throw OssError.MISSING_CONTENT_LENGTH.exception();
        ReentrantLock lock = locks[Math.floorMod((bucket + '/' + key).hashCode(), STRIPES)];
        lock.lock();
        try {
            BucketRecord b = meta.existingBucket(bucket);
            Optional<ObjectRecord> current = meta.object(bucket, key);
            if (current.isPresent() && !current.get().type().equals("Appendable")) {
                throw OssError.OBJECT_NOT_APPENDABLE.exception().with("Key", key);
            }
            long length = current.map(ObjectRecord::size).orElse(0L);
            if (position != length) throw positionMismatch(length);
            if (body.declaredLength() > 0 && length + body.declaredLength() > settings.maxObjectSize()) {
                throw OssError.INVALID_ARGUMENT.exception("The object would exceed the maximum size of an appendable object.");
            }
            Precondition unchanged = current.map(o -> (Precondition) new Precondition.Unchanged(o.segments(), o.size()))
                    .orElse(new Precondition.Unchanged(null, 0));
            ObjectRecord next = current.isEmpty() || current.get().segments().isEmpty()
                    ? create(req, body, bucket, key, b, current, expectedMd5)
                    : extend(body, current.get(), expectedMd5);
            if (next == null) return success(current.orElseThrow()); // an empty append changes nothing
            MetadataStore.Commit commit;
            try {
                commit = meta.putObject(next, unchanged);
            } catch (ConcurrentChangeException e) {
                if (current.isEmpty() || current.get().segments().isEmpty()) blobs.delete(next.blobIds());
                throw positionMismatch(meta.object(bucket, key).map(ObjectRecord::size).orElse(0L));
            }
            blobs.delete(commit.freedBlobs()); // a suspended bucket's old null version
            return success(commit.object());
        } finally {
            lock.unlock();
        }
    }

    /**
     * The first append (or the first bytes of an empty appendable object): headers, metadata, ACL
     * and encryption are taken from this request, as OSS does only at creation.
     */
    private ObjectRecord create(OssRequest req, RequestBody body, String bucket, String key, BucketRecord b,
            Optional<ObjectRecord> current, byte[] expectedMd5) throws IOException {
        WriteHeaders w = WriteHeaders.parse(req, key, b.storageClass());
        Ingest.Stored s;
        try {
            s = ingest.store(body, expectedMd5);
        } catch (OssException e) {
            // a chunked first append over the limit: the same error as every other append over it
            if (e.error() != OssError.ENTITY_TOO_LARGE) throw e;
            throw OssError.INVALID_ARGUMENT.exception("The object would exceed the maximum size of an appendable object.");
        }
        if (s.size() == 0 && current.isPresent()) return null;
        return new ObjectRecord(bucket, key, s.segments(), s.size(), etag(s.crc64(), s.size()), s.crc64(), null,
                System.currentTimeMillis(), "Appendable", w.storageClass(), w.acl(), w.contentType(), w.headers(), w.userMeta(), w.tags());
    }

    /** Writes the body after the committed bytes of the object's blob and chains the CRC. */
    private ObjectRecord extend(RequestBody body, ObjectRecord o, byte[] expectedMd5) throws IOException {
        Segment blob = o.segments().getFirst();
        MessageDigest md5 = Ingest.md5();
        Crc64 crc = new Crc64();
        long max = settings.maxObjectSize();
        long n;
        try (FileChannel ch = blobs.openForAppend(blob.blobId(), o.size())) {
            long[] total = {o.size()};
            n = body.transferTo(chunk -> {
                total[0] += chunk.remaining();
                if (total[0] > max) {
                    throw OssError.INVALID_ARGUMENT.exception("The object would exceed the maximum size of an appendable object.");
                }
                md5.update(chunk.duplicate());
                crc.update(chunk);
                while (chunk.hasRemaining()) ch.write(chunk);
            });
            if (expectedMd5 != null && !MessageDigest.isEqual(expectedMd5, md5.digest())) throw OssError.INVALID_DIGEST.exception();
            if (n == 0) return null;
            blobs.force(ch);
        }
        long size = o.size() + n;
        long combined = Crc64.combine(o.crc64(), crc.value(), n);
        return new ObjectRecord(o.bucket(), o.key(), List.of(new Segment(blob.blobId(), size)), size, etag(combined, size), combined, null,
                System.currentTimeMillis(), "Appendable", o.storageClass(), o.acl(), o.contentType(), o.headers(), o.userMeta(), o.tags());
    }

    private static Response success(ObjectRecord o) {
        Response r = Response.ok()
                .header("ETag", ObjectOps.quote(o.etag()))
                .header("x-oss-next-append-position", Long.toString(o.size()))
                .header("x-oss-hash-crc64ecma", Crc64.toDecimal(o.crc64()));
        Versions.header(r, o.versionId());
        return WriteHeaders.echoEncryption(r, o.headers()); // the encryption chosen at creation
    }

    /**
     * The ETag of an appendable object is not its content MD5 (features.md §2): it is derived from
     * the CRC and length, so it changes with every append, in the 32-hex form OSS shows.
     */
    private static String etag(long crc, long size) {
        return String.format("%016X%08X00000000", crc, size & 0xFFFFFFFFL);
    }

    private static long position(String value) {
        if (value == null || value.isEmpty()) {
            throw OssError.INVALID_ARGUMENT.exception("Missing position argument.").with("ArgumentName", "position");
        }
        try {
            long p = Long.parseLong(value.trim());
            if (p >= 0) return p;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw WriteHeaders.invalid("position", value);
    }

    private static RuntimeException positionMismatch(long length) {
        return OssError.POSITION_NOT_EQUAL_TO_LENGTH.exception()
                .header("x-oss-next-append-position", Long.toString(length));
    }
}
