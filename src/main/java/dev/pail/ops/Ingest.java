package dev.pail.ops;

import dev.pail.checksum.Crc64;
import dev.pail.store.BlobStore;
import dev.pail.store.MetadataStore;
import dev.pail.store.ObjectRecord;
import dev.pail.store.Segment;
import dev.pail.xml.OssError;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * The write path shared by every upload: a request body becomes a durable blob (MD5 and CRC-64
 * computed in the same pass), then a metadata commit makes it visible, and blobs it replaced are
 * deleted afterwards.
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

    /** A stored body: its blob (none when empty), size and checksums. */
    record Stored(List<Segment> segments, long size, String md5Hex, String md5Base64, long crc64) {}

    /** Streams the body to a new blob; nothing is kept when a check fails. */
    Stored store(RequestBody body, byte[] expectedMd5) throws IOException {
        if (!body.framed()) throw OssError.MISSING_CONTENT_LENGTH.exception();
        if (body.declaredLength() > maxSize) throw OssError.ENTITY_TOO_LARGE.exception();
        MessageDigest md5 = md5();
        Crc64 crc = new Crc64();
        try (BlobStore.Writer writer = blobs.create()) {
            long[] received = {0};
            long size = body.transferTo(chunk -> {
                received[0] += chunk.remaining();
                if (received[0] > maxSize) throw OssError.ENTITY_TOO_LARGE.exception(); // a chunked body may not announce its size
                md5.update(chunk.duplicate());
                crc.update(chunk);
                writer.write(chunk);
            });
            byte[] digest = md5.digest();
            if (expectedMd5 != null && !MessageDigest.isEqual(expectedMd5, digest)) {
                throw OssError.INVALID_DIGEST.exception();
            }
            List<Segment> segments = size == 0 ? List.of() : List.of(new Segment(writer.commit(), size));
            return new Stored(segments, size, HexFormat.of().withUpperCase().formatHex(digest),
                    Base64.getEncoder().encodeToString(digest), crc.value());
        }
    }

    /** Stores bytes already in memory (a processed image) as a new blob. */
    Stored store(byte[] data) throws IOException {
        if (data.length > maxSize) throw OssError.ENTITY_TOO_LARGE.exception();
        byte[] digest = md5().digest(data);
        Crc64 crc = new Crc64();
        crc.update(java.nio.ByteBuffer.wrap(data));
        try (BlobStore.Writer writer = blobs.create()) {
            writer.write(java.nio.ByteBuffer.wrap(data));
            List<Segment> segments = data.length == 0 ? List.of() : List.of(new Segment(writer.commit(), data.length));
            return new Stored(segments, data.length, HexFormat.of().withUpperCase().formatHex(digest),
                    Base64.getEncoder().encodeToString(digest), crc.value());
        }
    }

    /**
     * Commits {@code rec} and returns it as committed (with its version id); when the commit is
     * refused its new blobs are removed, and when it succeeds the blobs no version needs any more
     * (those of a replaced, unversioned object) are removed.
     */
    ObjectRecord commit(ObjectRecord rec, boolean forbidOverwrite) {
        MetadataStore.Commit commit;
        try {
            commit = meta.putObject(rec, forbidOverwrite);
        } catch (RuntimeException e) {
            blobs.delete(rec.blobIds());
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
