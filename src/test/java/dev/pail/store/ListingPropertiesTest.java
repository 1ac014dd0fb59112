package dev.pail.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * {@link SqliteMetadataStore#list} against a reference model: paging through a bucket with the
 * returned next marker yields every key and common prefix exactly once, in UTF-8 byte order, with
 * each page exactly the next slice of the model's entries.
 */
class ListingPropertiesTest {

    private static Path dir;
    private static SqliteMetadataStore store;
    private static final AtomicInteger BUCKETS = new AtomicInteger();

    @BeforeContainer
    static void open() throws IOException {
        dir = Files.createTempDirectory("pail-listing-");
        store = new SqliteMetadataStore(dir.resolve("meta.db"), false);
    }

    @AfterContainer
    static void close() throws IOException {
        store.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    // ---- generators -----------------------------------------------------------------------

    /**
     * Key material: delimiters and their pieces, letters that sort around them, multi-byte
     * characters, and characters whose UTF-16 order differs from their UTF-8 order (U+E000 and
     * U+FFFF sort after the surrogates of U+1F600/U+10000 in UTF-16, before them in UTF-8).
     */
    private static final List<String> TOKENS = List.of(
            "a", "b", "ab", "/", "-", ".", " ", "0", "A", "z", "~", "\u007f", "é", "中", "\uE000", "\uFFFF", "😀",
            "\uD800\uDC00", "\uDBFF\uDFFF", "//", "a/", "-b");

    private static Arbitrary<String> tokenString(int min, int max) {
        return Arbitraries.of(TOKENS).list().ofMinSize(min).ofMaxSize(max).map(l -> String.join("", l));
    }

    @Provide
    Arbitrary<Set<String>> keySets() {
        return tokenString(1, 6).set().ofMaxSize(40);
    }

    @Provide
    Arbitrary<String> delimiters() {
        return Arbitraries.of("", "/", "-", "ab");
    }

    @Provide
    Arbitrary<String> prefixes() {
        return Arbitraries.oneOf(Arbitraries.just(""), tokenString(1, 3));
    }

    /** A scenario whose prefix is (often) a real prefix of stored keys. */
    record Scenario(Set<String> keys, String prefix) {}

    @Provide
    Arbitrary<Scenario> scenarios() {
        return keySets().flatMap(keys -> {
            List<String> sorted = new ArrayList<>(keys);
            sorted.sort(null);
            Arbitrary<String> fromKeys = sorted.isEmpty()
                    ? Arbitraries.just("")
                    : Arbitraries.of(sorted).flatMap(k -> codePointPrefixes(k));
            return Arbitraries.oneOf(fromKeys, prefixes()).map(p -> new Scenario(keys, p));
        });
    }

    private static Arbitrary<String> codePointPrefixes(String key) {
        int n = key.codePointCount(0, key.length());
        return Arbitraries.integers().between(0, n).map(i -> key.substring(0, key.offsetByCodePoints(0, i)));
    }

    // ---- properties -----------------------------------------------------------------------

    @Property(tries = 400)
    void paginationYieldsEveryEntryOnceInByteOrder(
            @ForAll("scenarios") Scenario scenario,
            @ForAll("delimiters") String delimiter,
            @ForAll @IntRange(min = 1, max = 20) int pageSize) {
        String bucket = fill(scenario.keys());
        List<Entry> model = model(scenario.keys(), scenario.prefix(), delimiter, null);

        List<Entry> seen = new ArrayList<>();
        String marker = null;
        int pages = 0;
        while (true) {
            ListPage page = store.list(bucket, scenario.prefix(), marker, delimiter.isEmpty() ? null : delimiter, pageSize);
            int from = seen.size();
            List<Entry> expected = model.subList(from, Math.min(model.size(), from + pageSize));
            assertPage(page, expected, from + expected.size() < model.size(), "page %d after marker %s", pages, marker);
            seen.addAll(expected);
            pages++;
            if (!page.truncated()) break;
            assertThat(pages).as("pagination must terminate").isLessThanOrEqualTo(model.size());
            marker = page.nextMarker();
        }
        assertThat(seen).isEqualTo(model);
        // every stored key under the prefix is reported exactly once, itself or through its common prefix
        for (String k : scenario.keys()) {
            if (!k.startsWith(scenario.prefix())) continue;
            long covering = seen.stream().filter(e -> e.prefix() ? k.startsWith(e.name()) : k.equals(e.name())).count();
            assertThat(covering).as("entries covering %s", k).isEqualTo(1);
        }
    }

    /** Any marker, not only one the store returned: entries strictly after it, common prefixes never repeated. */
    @Property(tries = 300)
    void singlePageAfterArbitraryMarker(
            @ForAll("scenarios") Scenario scenario,
            @ForAll("delimiters") String delimiter,
            @ForAll("markers") String marker,
            @ForAll @IntRange(min = 1, max = 20) int pageSize) {
        String bucket = fill(scenario.keys());
        List<Entry> model = model(scenario.keys(), scenario.prefix(), delimiter, marker.isEmpty() ? null : marker);
        ListPage page = store.list(bucket, scenario.prefix(), marker.isEmpty() ? null : marker,
                delimiter.isEmpty() ? null : delimiter, pageSize);
        assertPage(page, model.subList(0, Math.min(pageSize, model.size())), model.size() > pageSize, "marker %s", marker);
    }

    @Provide
    Arbitrary<String> markers() {
        return Arbitraries.oneOf(Arbitraries.just(""), tokenString(1, 5));
    }

    @Property(tries = 50)
    void otherBucketsAndPrefixNeighboursNeverLeakIn(@ForAll("keySets") Set<String> keys) {
        String bucket = fill(keys);
        // a neighbour bucket whose name extends this one, holding different keys
        store.createBucket(new BucketRecord(bucket + "x", 0, "private", "Standard", "LRS"));
        store.putObject(record(bucket + "x", "zz-other"), false);
        ListPage page = store.list(bucket, "", null, null, 1000);
        assertThat(page.objects()).extracting(ObjectRecord::key).containsExactlyElementsOf(sortedUtf8(keys));
        assertThat(page.objects()).allSatisfy(o -> assertThat(o.bucket()).isEqualTo(bucket));
        assertThat(page.truncated()).isFalse();
    }

    // ---- model ----------------------------------------------------------------------------

    /** A listing entry: a key, or a common prefix. */
    record Entry(String name, boolean prefix) {}

    static final Comparator<String> UTF8 = (x, y) ->
            Arrays.compareUnsigned(x.getBytes(StandardCharsets.UTF_8), y.getBytes(StandardCharsets.UTF_8));

    private static List<String> sortedUtf8(Set<String> keys) {
        List<String> out = new ArrayList<>(keys);
        out.sort(UTF8);
        return out;
    }

    /**
     * The whole listing, computed the obvious way: every key under the prefix maps to itself or to
     * its common prefix (the prefix plus everything up to and including the first delimiter after
     * it); entries are deduplicated, byte-ordered, and only those after the marker are kept.
     */
    static List<Entry> model(Set<String> keys, String prefix, String delimiter, String marker) {
        TreeSet<Entry> entries = new TreeSet<>(Comparator.comparing(Entry::name, UTF8));
        for (String k : keys) {
            if (!k.startsWith(prefix)) continue;
            if (marker != null && UTF8.compare(k, marker) <= 0) continue;
            Entry e = new Entry(k, false);
            if (!delimiter.isEmpty()) {
                int i = k.substring(prefix.length()).indexOf(delimiter);
                if (i >= 0) e = new Entry(k.substring(0, prefix.length() + i + delimiter.length()), true);
            }
            if (e.prefix() && marker != null && UTF8.compare(e.name(), marker) <= 0) continue;
            entries.add(e); // (a key never equals a common prefix: the prefix would contain the delimiter)
        }
        return List.copyOf(entries);
    }

    private static void assertPage(ListPage page, List<Entry> expected, boolean moreAfter, String what, Object... args) {
        String as = what.formatted(args);
        assertThat(page.objects()).as(as + ": objects").extracting(ObjectRecord::key)
                .containsExactlyElementsOf(expected.stream().filter(e -> !e.prefix()).map(Entry::name).toList());
        assertThat(page.commonPrefixes()).as(as + ": common prefixes")
                .containsExactlyElementsOf(expected.stream().filter(Entry::prefix).map(Entry::name).toList());
        assertThat(page.truncated()).as(as + ": truncated").isEqualTo(moreAfter);
        assertThat(page.nextMarker()).as(as + ": next marker")
                .isEqualTo(moreAfter ? expected.getLast().name() : null);
    }

    // ---- plumbing -------------------------------------------------------------------------

    private static String fill(Set<String> keys) {
        String bucket = "b" + BUCKETS.incrementAndGet();
        store.createBucket(new BucketRecord(bucket, 0, "private", "Standard", "LRS"));
        for (String k : keys) store.putObject(record(bucket, k), false);
        return bucket;
    }

    private static ObjectRecord record(String bucket, String key) {
        return new ObjectRecord(bucket, key, java.util.List.of(), 0, "D41D8CD98F00B204E9800998ECF8427E", 0, null, 0, "Normal", "Standard",
                "default", "application/octet-stream", Map.of(), Map.of(), Map.of());
    }
}
