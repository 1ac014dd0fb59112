package dev.pail.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The store caches current versions by key ({@link SqliteMetadataStore#object}). These tests hammer
 * it with readers (which keep refilling the cache, racing each commit) while writers change the same
 * keys, and check that no read after an acknowledged write ever sees what came before it.
 */
class CurrentVersionCacheTest {

    private static final String BUCKET = "cache";
    private static final int KEYS = 4;
    private static final int WRITES_PER_KEY = 1500;

    private Path dir;
    private SqliteMetadataStore store;

    @BeforeEach
    void open() throws IOException {
        dir = Files.createTempDirectory("pail-cache-");
        store = new SqliteMetadataStore(dir.resolve("meta.db"), false);
        store.createBucket(new BucketRecord(BUCKET, 0, "private", "Standard", "LRS"));
    }

    @AfterEach
    void close() throws IOException {
        store.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Generation {@code n} of a key: its ETag carries n; ACL and tags are changed in place. */
    private static ObjectRecord generation(String key, long n) {
        return new ObjectRecord(BUCKET, key, List.of(), 0, String.format("%032X", n), 0, null, n, "Normal", "Standard",
                "default", "application/octet-stream", Map.of(), Map.of(), Map.of());
    }

    private static long generationOf(ObjectRecord o) {
        return Long.parseLong(o.etag(), 16);
    }

    @Test
    void readsAfterAnAcknowledgedWriteNeverSeeWhatCameBefore() throws Exception {
        // per key: the newest generation acknowledged to its writer (0: none yet); -n: deleted at step n.
        // A reader may see a write that is not acknowledged yet (a delete in flight: absent), never an older one.
        AtomicLongArray acknowledged = new AtomicLongArray(KEYS);
        AtomicBoolean done = new AtomicBoolean();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int k = 0; k < KEYS; k++) {
            int key = k;
            threads.add(Thread.ofPlatform().start(() -> {
                await(start);
                String name = "k" + key;
                for (long n = 1; n <= WRITES_PER_KEY && failures.isEmpty(); n++) {
                    if (n % 7 == 0) {
                        store.deleteObject(BUCKET, name, null);
                        acknowledged.set(key, -n);
                        Optional<ObjectRecord> now = store.object(BUCKET, name);
                        if (now.isPresent()) failures.add(name + ": present after its delete at " + n + ": " + now.get().etag());
                    } else if (n % 5 == 0) {
                        String acl = n % 10 == 0 ? "public-read" : "private";
                        store.setObjectAcl(BUCKET, name, null, acl);
                        Optional<ObjectRecord> now = store.object(BUCKET, name);
                        if (now.isPresent() && !now.get().acl().equals(acl)) {
                            failures.add(name + ": ACL " + now.get().acl() + " after setting " + acl + " at " + n);
                        }
                    } else {
                        store.putObject(generation(name, n), false);
                        acknowledged.set(key, n);
                        long seen = store.object(BUCKET, name).map(CurrentVersionCacheTest::generationOf).orElse(-1L);
                        if (seen != n) failures.add(name + ": read " + seen + " right after writing " + n);
                    }
                }
            }));
        }
        for (int r = 0; r < 4; r++) {
            threads.add(Thread.ofPlatform().start(() -> {
                await(start);
                int i = 0;
                while (!done.get() && failures.isEmpty()) {
                    int key = i++ % KEYS;
                    long floor = acknowledged.get(key);
                    Optional<ObjectRecord> o = store.object(BUCKET, "k" + key);
                    if (floor > 0 && o.isPresent() && generationOf(o.get()) < floor) {
                        failures.add("k" + key + ": read generation " + generationOf(o.get()) + " after " + floor + " was acknowledged");
                    }
                }
            }));
        }
        start.countDown();
        for (int i = 0; i < KEYS; i++) threads.get(i).join();
        done.set(true);
        for (Thread t : threads) t.join();
        assertThat(failures).isEmpty();
        for (int k = 0; k < KEYS; k++) {
            long last = acknowledged.get(k);
            Optional<ObjectRecord> o = store.object(BUCKET, "k" + k);
            if (last < 0) assertThat(o).isEmpty();
            else assertThat(o).hasValueSatisfying(r -> assertThat(generationOf(r)).isEqualTo(last));
        }
    }

    @Test
    void aVersioningChangeIsSeenByCachedKeys() {
        store.putObject(generation("a", 1), false);
        assertThat(store.object(BUCKET, "a").orElseThrow().versionId()).isNull(); // cached: never versioned
        assertThat(store.object(BUCKET, "missing")).isEmpty(); // cached as absent
        store.setBucketVersioning(BUCKET, "Enabled");
        assertThat(store.object(BUCKET, "a").orElseThrow().versionId()).isEqualTo(ObjectRecord.NULL_VERSION);
        store.putObject(generation("missing", 2), false);
        assertThat(store.object(BUCKET, "missing").orElseThrow().versionId()).isNotNull().isNotEqualTo(ObjectRecord.NULL_VERSION);
    }

    @Test
    void tagsSetOnTheCurrentVersionAreSeenAtOnce() {
        store.putObject(generation("t", 1), false);
        assertThat(store.object(BUCKET, "t").orElseThrow().tags()).isEmpty();
        store.setObjectTags(BUCKET, "t", null, Map.of("k", "v"));
        assertThat(store.object(BUCKET, "t").orElseThrow().tags()).containsEntry("k", "v");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
