package dev.pail.ops;

import dev.pail.checksum.Crc64;
import dev.pail.store.BlobStore;
import dev.pail.store.InlineBlobs.InlineBlob;
import dev.pail.store.MetadataStore;
import dev.pail.store.ObjectRecord;
import dev.pail.store.Precondition;
import dev.pail.store.Segment;
import dev.pail.xml.OssError;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * The write path shared by every upload: a request body becomes a durable blob (MD5 and CRC-64
 * computed in the same pass), then a metadata commit makes it visible, and blobs it replaced are
 * deleted afterwards. A whole small object may become an inline blob instead, held in memory until
 * the commit writes it with the object's row (see {@link BlobStore}).
 */
final class Ingest {
    private final MetadataStore meta;
    private final BlobStore blobs;
    private final long maxSize;

    Ingest(MetadataStore meta, BlobStore blobs, long maxSize) {
        this.meta = meta;
        this.blobs = blobs;
        this.maxSize = maxSize;
    }

    /**
     * A stored body: its blob (none when empty), size and checksums; {@code inline} holds the blob
     * when it is an inline one, to be written by {@link #commit(ObjectRecord, boolean, List)}.
     */
    record Stored(List<Segment> segments, long size, String md5Hex, String md5Base64, long crc64, List<InlineBlob> inline) {}

    /** Streams the body to a new blob (a file: an appendable object or a part); nothing is kept when a check fails. */
    Stored store(RequestBody body, byte[] expectedMd5) throws IOException {
        return store(body, expectedMd5, false);
    }

    /**
     * Stores a body; with {@code mayInline} (a whole object that is never appended to) a body that
     * ends within {@link BlobStore#INLINE_MAX} bytes becomes an inline blob. The body is kept in
     * memory up to that limit and goes to a file once it passes it, so a chunked body (the Java
     * SDK sends one for a stream of unknown length) is inlined too.
     */
    Stored store(RequestBody body, byte[] expectedMd5, boolean mayInline) throws IOException {
        if (!body.framed()) throw OssError.MISSING_CONTENT_LENGTH.exception();
        long declared = body.declaredLength();
        if (declared > maxSize) throw OssError.ENTITY_TOO_LARGE.exception();
        MessageDigest md5 = md5();
        Crc64 crc = new Crc64();
        boolean inline = mayInline && declared <= BlobStore.INLINE_MAX; // -1: chunked, length unknown
        try (Destination to = new Destination(!inline ? 0 : declared >= 0 ? (int) declared : CHUNKED_START)) {
            long[] received = {0};
            long size = body.transferTo(chunk -> {
                received[0] += chunk.remaining();
                if (received[0] > maxSize) throw OssError.ENTITY_TOO_LARGE.exception(); // a chunked body may not announce its size
                md5.update(chunk.duplicate());
                crc.update(chunk);
                to.write(chunk);
            });
            byte[] digest = md5.digest();
            if (expectedMd5 != null && !MessageDigest.isEqual(expectedMd5, digest)) {
                throw OssError.INVALID_DIGEST.exception();
            }
            return to.finish(size, digest, crc);
        }
    }

    /** Memory first given to a chunked body that may be inlined; it grows up to {@link BlobStore#INLINE_MAX}. */
    private static final int CHUNKED_START = 8 * 1024;

    /**
     * Where a body goes: memory while it fits in {@code head} (sized by the Content-Length, or
     * growing up to {@link BlobStore#INLINE_MAX} for a chunked body), then a new blob file.
     */
    private final class Destination implements AutoCloseable {
        private ByteBuffer head;
        private final int limit;
        private BlobStore.Writer writer;

        Destination(int inMemory) {
            head = ByteBuffer.allocate(inMemory);
            limit = inMemory == 0 ? 0 : Math.max(inMemory, BlobStore.INLINE_MAX);
        }

        void write(ByteBuffer chunk) throws IOException {
            if (writer == null && chunk.remaining() > head.remaining() && head.position() + chunk.remaining() <= limit) {
                int capacity = Math.min(limit, Math.max(head.capacity() * 2, head.position() + chunk.remaining()));
                head = ByteBuffer.allocate(capacity).put(head.flip());
            }
            if (writer == null && chunk.remaining() <= head.remaining()) {
                head.put(chunk);
                return;
            }
            if (writer == null) {
                writer = blobs.create();
                writer.write(head.flip());
            }
            writer.write(chunk);
        }

        /** The stored body of {@code size} bytes written here: none, an inline blob, or a committed file. */
        Stored finish(long size, byte[] digest, Crc64 crc) throws IOException {
            if (size == 0) return stored(List.of(), 0, digest, crc, List.of());
            if (writer == null) {
                byte[] data = head.array();
                InlineBlob blob = blobs.inline(data.length == size ? data : Arrays.copyOf(data, (int) size));
                return stored(List.of(new Segment(blob.id(), size)), size, digest, crc, List.of(blob));
            }
            return stored(List.of(new Segment(writer.commit(), size)), size, digest, crc, List.of());
        }

        @Override
        public void close() {
            if (writer != null) writer.close();
        }
    }

    /** Stores bytes already in memory (a processed image) as a new blob, inline when small. */
    Stored store(byte[] data) throws IOException {
        if (data.length > maxSize) throw OssError.ENTITY_TOO_LARGE.exception();
        Crc64 crc = new Crc64();
        crc.update(ByteBuffer.wrap(data));
        try (Destination to = new Destination(data.length <= BlobStore.INLINE_MAX ? data.length : 0)) {
            to.write(ByteBuffer.wrap(data));
            return to.finish(data.length, md5().digest(data), crc);
        }
    }

    private static Stored stored(List<Segment> segments, long size, byte[] digest, Crc64 crc, List<InlineBlob> inline) {
        return new Stored(segments, size, HexFormat.of().withUpperCase().formatHex(digest),
                Base64.getEncoder().encodeToString(digest), crc.value(), inline);
    }

    /**
     * Commits {@code rec} and returns it as committed (with its version id); when the commit is
     * refused its new blobs are removed, and when it succeeds the blobs no version needs any more
     * (those of a replaced, unversioned object) are removed.
     */
    ObjectRecord commit(ObjectRecord rec, boolean forbidOverwrite) {
        return commit(rec, forbidOverwrite, List.of());
    }

    /** {@link #commit(ObjectRecord, boolean)} writing the new inline blobs {@code inline} with the row. */
    ObjectRecord commit(ObjectRecord rec, boolean forbidOverwrite, List<InlineBlob> inline) {
        MetadataStore.Commit commit;
        try {
            commit = meta.putObject(rec, forbidOverwrite ? Precondition.ABSENT : Precondition.NONE, inline);
        } catch (RuntimeException e) {
            List<String> written = new ArrayList<>(rec.blobIds()); // inline ones went with the rolled-back row
            inline.forEach(b -> written.remove(b.id()));
            blobs.delete(written);
            throw e;
        }
        blobs.delete(commit.freedBlobs());
        return commit.object();
    }

    /** Parses a Content-MD5 header: null when absent, InvalidDigest when not 16 bytes of base64. */
    static byte[] contentMd5(String header) {
        if (header == null) return null;
        try {
            byte[] d = Base64.getDecoder().decode(header.trim());
            if (d.length == 16) return d;
        } catch (IllegalArgumentException ignored) {
            // falls through to the error
        }
        throw OssError.INVALID_DIGEST.exception("The Content-MD5 you specified is not valid.");
    }

    static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
