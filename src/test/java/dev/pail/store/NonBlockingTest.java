package dev.pail.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inside {@link NonBlocking#call} the stores answer only from memory: what would read SQLite or a
 * file, or write, throws {@link NonBlocking.WouldBlock}; cached rows and bytes are served.
 */
class NonBlockingTest {
    @TempDir
    Path dir;
    SqliteMetadataStore meta;
    BlobStore blobs;

    @BeforeEach
    void open() {
        meta = new SqliteMetadataStore(dir.resolve("meta.db"), false);
        blobs = new BlobStore(dir, false, 1 << 20, meta);
        meta.createBucket(new BucketRecord("b", 0, "private", "Standard", "LRS"));
    }

    @AfterEach
    void close() {
        meta.close();
    }

    private ObjectRecord object(String key, List<Segment> segments, long size) {
        return new ObjectRecord("b", key, segments, size, "0123456789ABCDEF0123456789ABCDEF", 0, null, 1, "Normal", "Standard",
                "default", "application/octet-stream", Map.of(), Map.of(), Map.of());
    }

    @Test
    void metadataComesFromTheCacheOrNotAtAll() {
        meta.putObject(object("k", List.of(), 0), false);
        assertThatThrownBy(() -> NonBlocking.call(() -> meta.object("b", "k"))).isInstanceOf(NonBlocking.WouldBlock.class);
        assertThatThrownBy(() -> NonBlocking.call(() -> meta.bucket("other"))).isInstanceOf(NonBlocking.WouldBlock.class);
        assertThat(meta.object("b", "k")).isPresent(); // read where blocking is fine: cached now
        assertThat(meta.bucket("b")).isPresent();
        assertThat(NonBlocking.call(() -> meta.object("b", "k"))).isPresent();
        assertThat(NonBlocking.call(() -> meta.bucket("b"))).isPresent();
        assertThat(meta.object("b", "absent")).isEmpty(); // an absent key is cached too
        assertThat(NonBlocking.call(() -> meta.object("b", "absent"))).isEqualTo(Optional.empty());
        assertThatThrownBy(() -> NonBlocking.call(() -> meta.putObject(object("k2", List.of(), 0), false)))
                .isInstanceOf(NonBlocking.WouldBlock.class);
        assertThat(meta.object("b", "k2")).isEmpty();
    }

    @Test
    void smallBytesComeFromMemoryOrNotAtAll() throws IOException {
        byte[] data = "inline bytes".getBytes();
        InlineBlobs.InlineBlob blob = blobs.inline(data);
        List<Segment> segments = List.of(new Segment(blob.id(), data.length));
        meta.putObject(object("k", segments, data.length), Precondition.NONE, List.of(blob));
        try (BlobStore.Lease lease = blobs.lease(List.of(blob.id()))) {
            assertThatThrownBy(() -> NonBlocking.call(() -> blobs.smallContent(segments, data.length, lease)))
                    .isInstanceOf(NonBlocking.WouldBlock.class);
            assertThat(blobs.smallContent(segments, data.length, lease)).isEqualTo(data); // read, and kept
            assertThat(NonBlocking.call(() -> blobs.smallContent(segments, data.length, lease))).isEqualTo(data);
            assertThatThrownBy(() -> NonBlocking.call(() -> blobs.openForRead(segments.getFirst())))
                    .isInstanceOf(NonBlocking.WouldBlock.class);
        }
    }
}
