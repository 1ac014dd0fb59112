package dev.pail.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Versioning in {@link SqliteMetadataStore} against a reference model: after any sequence of
 * writes, deletes, version deletes and versioning changes, each key holds exactly the versions
 * the model predicts (newest first, delete markers included), and paging through
 * ListObjectVersions with the returned markers yields every version exactly once, in order, with
 * IsLatest on each key's newest version only.
 */
class VersionListingPropertiesTest {

    private static Path dir;
    private static SqliteMetadataStore store;
    private static final AtomicInteger BUCKETS = new AtomicInteger();

    @BeforeContainer
    static void open() throws IOException {
        dir = Files.createTempDirectory("pail-versions-");
        store = new SqliteMetadataStore(dir.resolve("meta.db"), false);
    }

    @AfterContainer
    static void close() throws IOException {
        store.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    // ---- operations -----------------------------------------------------------------------

    sealed interface Op {}

    record Put(String key) implements Op {}

    record Delete(String key) implements Op {}

    /** Deletes the {@code index}-th version (modulo the count) of the key, if it has any. */
    record DeleteVersion(String key, int index) implements Op {}

    record SetVersioning(String status) implements Op {}

    private static final List<String> KEYS = List.of("a", "a/x", "a/y", "ab", "b", "b/c/d", "é", "😀", "\uE000");

    @Provide
    Arbitrary<List<Op>> histories() {
        Arbitrary<String> key = Arbitraries.of(KEYS);
        Arbitrary<Op> op = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, key.map(Put::new)),
                net.jqwik.api.Tuple.of(3, key.map(Delete::new)),
                net.jqwik.api.Tuple.of(2, Combinators.combine(key, Arbitraries.integers().between(0, 9)).as(DeleteVersion::new)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("Enabled", "Suspended").map(SetVersioning::new)));
        return op.list().ofMinSize(1).ofMaxSize(60);
    }

    @Provide
    Arbitrary<String> prefixes() {
        return Arbitraries.of("", "a", "a/", "b", "é", "z");
    }

    @Provide
    Arbitrary<String> delimiters() {
        return Arbitraries.of("", "/");
    }

    // ---- properties -----------------------------------------------------------------------

    @Property(tries = 300)
    void everyVersionIsListedOnceInOrder(
            @ForAll("histories") List<Op> history,
            @ForAll("prefixes") String prefix,
            @ForAll("delimiters") String delimiter,
            @ForAll @IntRange(min = 1, max = 7) int pageSize) {
        String bucket = "v" + BUCKETS.incrementAndGet();
        store.createBucket(new BucketRecord(bucket, 0, "private", "Standard", "LRS"));
        Model model = new Model();
        for (Op op : history) apply(bucket, op, model);

        // the current version of each key is what the model says
        for (String k : KEYS) {
            List<Version> vs = model.versions(k);
            boolean live = !vs.isEmpty() && !vs.getFirst().marker();
            assertThat(store.object(bucket, k).isPresent()).as("current of %s", k).isEqualTo(live);
            if (live) assertThat(store.object(bucket, k).orElseThrow().versionId()).isEqualTo(model.shownId(vs.getFirst()));
        }

        List<Object> expected = model.listing(prefix, delimiter);
        List<Object> seen = new ArrayList<>();
        String keyMarker = null, versionMarker = null;
        for (int pages = 0; ; pages++) {
            assertThat(pages).as("pagination terminates").isLessThanOrEqualTo(expected.size() + 1);
            MetadataStore.VersionPage page = store.listVersions(bucket, prefix, keyMarker, versionMarker,
                    delimiter.isEmpty() ? null : delimiter, pageSize);
            int from = seen.size();
            List<Object> slice = expected.subList(from, Math.min(expected.size(), from + pageSize));
            // a page holds its versions and its common prefixes in two lists, each in listing order
            assertThat(page.versions()).as("versions on page %d", pages)
                    .map(v -> (Object) new Listed(v.record().key(), v.record().versionId(), v.record().isDeleteMarker(), v.latest()))
                    .isEqualTo(slice.stream().filter(e -> e instanceof Listed).toList());
            assertThat(page.commonPrefixes()).as("prefixes on page %d", pages)
                    .isEqualTo(slice.stream().filter(e -> e instanceof String).toList());
            seen.addAll(slice);
            assertThat(page.truncated()).as("truncated on page %d", pages).isEqualTo(seen.size() < expected.size());
            if (!page.truncated()) break;
            keyMarker = page.nextKeyMarker();
            versionMarker = page.nextVersionIdMarker().isEmpty() ? null : page.nextVersionIdMarker();
        }
        assertThat(seen).isEqualTo(expected);
    }

    private static void apply(String bucket, Op op, Model model) {
        switch (op) {
            case Put p -> {
                ObjectRecord o = store.putObject(record(bucket, p.key()), false).object();
                model.put(p.key(), o.versionId());
            }
            case Delete d -> {
                MetadataStore.Deletion del = store.deleteObject(bucket, d.key(), null);
                model.delete(d.key(), del);
            }
            case DeleteVersion dv -> {
                List<Version> vs = model.versions(dv.key());
                if (vs.isEmpty()) return;
                Version v = vs.get(dv.index() % vs.size());
                MetadataStore.Deletion del = store.deleteObject(bucket, dv.key(), model.shownId(v));
                assertThat(del.deleteMarker()).isEqualTo(v.marker());
                vs.remove(v);
            }
            case SetVersioning s -> {
                store.setBucketVersioning(bucket, s.status());
                model.versioning = s.status();
            }
        }
    }

    // ---- model ----------------------------------------------------------------------------

    /** A version in the model; {@code id} null is the null version. */
    record Version(String id, boolean marker) {}

    /** A ListObjectVersions entry as the test compares it. */
    record Listed(String key, String versionId, boolean marker, boolean latest) {}

    static final class Model {
        String versioning; // null: never configured
        private final Map<String, List<Version>> byKey = new TreeMap<>(UTF8);

        List<Version> versions(String key) {
            return byKey.computeIfAbsent(key, k -> new ArrayList<>());
        }

        String shownId(Version v) {
            return v.id() != null ? v.id() : versioning == null ? null : ObjectRecord.NULL_VERSION;
        }

        void put(String key, String returnedId) {
            List<Version> vs = versions(key);
            if (versioning == null) {
                assertThat(returnedId).isNull();
                vs.clear();
                vs.add(new Version(null, false));
            } else if (versioning.equals("Enabled")) {
                assertThat(returnedId).hasSize(22).isNotEqualTo(ObjectRecord.NULL_VERSION);
                vs.addFirst(new Version(returnedId, false));
            } else {
                assertThat(returnedId).isEqualTo(ObjectRecord.NULL_VERSION);
                vs.removeIf(v -> v.id() == null);
                vs.addFirst(new Version(null, false));
            }
        }

        void delete(String key, MetadataStore.Deletion d) {
            List<Version> vs = versions(key);
            if (versioning == null) {
                assertThat(d.deleteMarker()).isFalse();
                vs.clear();
            } else if (versioning.equals("Enabled")) {
                assertThat(d.deleteMarker()).isTrue();
                vs.addFirst(new Version(d.versionId(), true));
            } else {
                assertThat(d.versionId()).isEqualTo(ObjectRecord.NULL_VERSION);
                vs.removeIf(v -> v.id() == null);
                vs.addFirst(new Version(null, true));
            }
        }

        /** Every entry of a full listing: versions newest first per key, keys rolled into common prefixes. */
        List<Object> listing(String prefix, String delimiter) {
            Map<String, List<Object>> byPosition = new TreeMap<>(UTF8);
            for (Map.Entry<String, List<Version>> e : byKey.entrySet()) {
                String k = e.getKey();
                if (!k.startsWith(prefix) || e.getValue().isEmpty()) continue;
                int i = delimiter.isEmpty() ? -1 : k.indexOf(delimiter, prefix.length());
                if (i >= 0) {
                    String common = k.substring(0, i + delimiter.length());
                    byPosition.put(common, List.of(common));
                    continue;
                }
                List<Object> entries = new ArrayList<>();
                for (Version v : e.getValue()) {
                    String shown = v.id() != null ? v.id() : ObjectRecord.NULL_VERSION; // listings always say "null"
                    entries.add(new Listed(k, shown, v.marker(), entries.isEmpty()));
                }
                byPosition.put(k, entries);
            }
            List<Object> out = new ArrayList<>();
            byPosition.values().forEach(out::addAll);
            return out;
        }
    }

    static final Comparator<String> UTF8 = (x, y) ->
            Arrays.compareUnsigned(x.getBytes(StandardCharsets.UTF_8), y.getBytes(StandardCharsets.UTF_8));

    private static ObjectRecord record(String bucket, String key) {
        return new ObjectRecord(bucket, key, List.of(), 0, "D41D8CD98F00B204E9800998ECF8427E", 0, null, 0, "Normal", "Standard",
                "default", "application/octet-stream", new LinkedHashMap<>(), Map.of(), Map.of());
    }
}
