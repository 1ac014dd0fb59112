package dev.pail.it.versioning;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.model.ListObjectsRequest;
import com.aliyun.oss.model.ListObjectsV2Request;
import com.aliyun.oss.model.ListObjectsV2Result;
import com.aliyun.oss.model.ListVersionsRequest;
import com.aliyun.oss.model.OSSObjectSummary;
import com.aliyun.oss.model.OSSVersionSummary;
import com.aliyun.oss.model.ObjectListing;
import com.aliyun.oss.model.VersionListing;
import dev.pail.it.OssHttp;
import dev.pail.it.TestData;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * ListObjectVersions: Version and DeleteMarker entries, order, IsLatest, key-marker /
 * version-id-marker pagination, prefix, delimiter and common prefixes, URL encoding of odd keys,
 * and that ListObjects (V1 and V2) shows only current objects. Order is checked on the raw XML
 * (J1 returns every Version before every DeleteMarker); J1's own parse is checked as a set.
 */
class VersionListingJ1Test extends VersioningBase {

    /** A bucket with interleaved versions, markers and a null version; returns the full expected listing. */
    private List<Entry> populate(String b) {
        List<Entry> expected = new ArrayList<>();
        // a: null version (written before enabling), two id versions
        setVersioning(b, "Suspended");
        put(b, "a", bytes("a-null"));
        setVersioning(b, "Enabled");
        String a1 = put(b, "a", bytes("a1"));
        String a2 = put(b, "a", bytes("a22"));
        // b: version, marker, version, marker (current is a marker)
        String b1 = put(b, "b", bytes("b1"));
        String bm1 = header(oss.deleteObject(b, "b"), "x-oss-version-id");
        String b2 = put(b, "b", bytes("b2"));
        String bm2 = header(oss.deleteObject(b, "b"), "x-oss-version-id");
        // c/d: one version
        String cd = put(b, "c/d", bytes("cd"));
        // c/e: marker only
        String ce = header(oss.deleteObject(b, "c/e"), "x-oss-version-id");
        // z: three versions
        String z1 = put(b, "z", bytes("z1"));
        String z2 = put(b, "z", bytes("z2"));
        String z3 = put(b, "z", bytes("z3"));
        expected.add(Entry.version("a", a2, true));
        expected.add(Entry.version("a", a1, false));
        expected.add(Entry.version("a", "null", false));
        expected.add(Entry.marker("b", bm2, true));
        expected.add(Entry.version("b", b2, false));
        expected.add(Entry.marker("b", bm1, false));
        expected.add(Entry.version("b", b1, false));
        expected.add(Entry.version("c/d", cd, true));
        expected.add(Entry.marker("c/e", ce, true));
        expected.add(Entry.version("z", z3, true));
        expected.add(Entry.version("z", z2, false));
        expected.add(Entry.version("z", z1, false));
        return expected;
    }

    @Test
    void everyVersionAndMarkerNewestFirstWithIsLatestOnTheNewest() {
        String b = newBucket();
        List<Entry> expected = populate(b);
        Page p = page(b);
        assertThat(p.entries()).containsExactlyElementsOf(expected);
        assertThat(p.truncated()).isFalse();
        assertThat(p.commonPrefixes()).isEmpty();
        // J1 parses the same entries (Versions first, then DeleteMarkers)
        VersionListing l = oss.listVersions(b, "");
        assertThat(l.getVersionSummaries()).extracting(Entry::of).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(l.isTruncated()).isFalse();
        assertThat(l.getBucketName()).isEqualTo(b);
        // exactly one IsLatest per key
        Map<String, Long> latest = new HashMap<>();
        for (OSSVersionSummary s : l.getVersionSummaries()) if (s.isLatest()) latest.merge(s.getKey(), 1L, Long::sum);
        assertThat(latest).containsOnlyKeys("a", "b", "c/d", "c/e", "z").allSatisfy((k, n) -> assertThat(n).isEqualTo(1L));
    }

    @Test
    void entryFields() {
        String b = versionedBucket();
        byte[] d = random(1234, 5);
        long before = Instant.now().minusSeconds(5).toEpochMilli();
        String v1 = put(b, "k", d);
        String m = header(oss.deleteObject(b, "k"), "x-oss-version-id");
        VersionListing l = oss.listVersions(b, "");
        OSSVersionSummary ver = l.getVersionSummaries().stream().filter(s -> !s.isDeleteMarker()).findFirst().orElseThrow();
        assertThat(ver.getVersionId()).isEqualTo(v1);
        assertThat(ver.getSize()).isEqualTo(1234);
        assertThat(ver.getETag()).isEqualTo(TestData.md5Hex(d));
        assertThat(ver.getStorageClass()).isEqualTo("Standard");
        assertThat(ver.getLastModified().getTime()).isGreaterThan(before);
        assertThat(ver.getOwner()).isNotNull();
        assertThat(ver.getOwner().getId()).isNotBlank();
        OSSVersionSummary mark = l.getVersionSummaries().stream().filter(OSSVersionSummary::isDeleteMarker).findFirst().orElseThrow();
        assertThat(mark.getVersionId()).isEqualTo(m);
        assertThat(mark.isLatest()).isTrue();
        assertThat(mark.getLastModified().getTime()).isGreaterThanOrEqualTo(ver.getLastModified().getTime() - 1000);
        // raw: a DeleteMarker carries no ETag or Size
        Page p = page(b);
        NodeList markers = p.root().getElementsByTagName("DeleteMarker");
        assertThat(markers.getLength()).isEqualTo(1);
        Element dm = (Element) markers.item(0);
        assertThat(text(dm, "ETag")).isNull();
        assertThat(text(dm, "Size")).isNull();
        assertThat(text(dm, "LastModified")).isNotBlank();
        Element v = (Element) p.root().getElementsByTagName("Version").item(0);
        assertThat(text(v, "ETag")).isEqualTo("\"" + TestData.md5Hex(d) + "\"");
        assertThat(text(v, "Size")).isEqualTo("1234");
    }

    // ---- pagination -------------------------------------------------------------------------

    @Test
    void rawPaginationReassemblesTheListingForEveryPageSize() {
        String b = newBucket();
        List<Entry> expected = populate(b);
        for (int max = 1; max <= expected.size() + 1; max++) {
            List<Entry> all = new ArrayList<>();
            String keyMarker = null;
            String idMarker = null;
            for (int n = 0; n <= expected.size() + 1; n++) {
                List<String> params = new ArrayList<>(List.of("max-keys", Integer.toString(max)));
                if (keyMarker != null) params.addAll(List.of("key-marker", keyMarker));
                if (idMarker != null && !idMarker.isEmpty()) params.addAll(List.of("version-id-marker", idMarker));
                Page p = page(b, params.toArray(String[]::new));
                assertThat(p.entries().size()).as("page size with max-keys %d", max).isLessThanOrEqualTo(max);
                all.addAll(p.entries());
                if (!p.truncated()) {
                    assertThat(p.nextKeyMarker()).isNull();
                    break;
                }
                assertThat(p.entries()).isNotEmpty();
                Entry last = p.entries().getLast();
                assertThat(p.nextKeyMarker()).isEqualTo(last.key());
                assertThat(p.nextVersionIdMarker()).isEqualTo(last.versionId());
                keyMarker = p.nextKeyMarker();
                idMarker = p.nextVersionIdMarker();
            }
            assertThat(all).as("pages of %d", max).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void j1PaginationReassemblesTheListing() {
        String b = newBucket();
        List<Entry> expected = populate(b);
        for (int max : new int[] {1, 2, 3, 5, 7}) {
            List<Entry> all = new ArrayList<>();
            String keyMarker = null;
            String idMarker = null;
            for (int n = 0; n <= expected.size() + 1; n++) {
                ListVersionsRequest r = new ListVersionsRequest().withBucketName(b).withMaxResults(max);
                if (keyMarker != null) r.withKeyMarker(keyMarker);
                if (idMarker != null) r.withVersionIdMarker(idMarker);
                VersionListing l = oss.listVersions(r);
                assertThat(l.getMaxKeys()).isEqualTo(max);
                assertThat(l.getVersionSummaries().size()).isLessThanOrEqualTo(max);
                l.getVersionSummaries().forEach(s -> all.add(Entry.of(s)));
                if (!l.isTruncated()) break;
                keyMarker = l.getNextKeyMarker();
                idMarker = l.getNextVersionIdMarker();
                assertThat(keyMarker).isNotNull();
                assertThat(idMarker).isNotNull();
            }
            assertThat(all).as("J1 pages of %d", max).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(all).as("no duplicates").doesNotHaveDuplicates();
        }
    }

    @Test
    void versionIdMarkerContinuesWithinAKeyAndIsLatestStaysOnTheFirstPage() {
        String b = versionedBucket();
        String v1 = put(b, "k", bytes("1"));
        String v2 = put(b, "k", bytes("2"));
        String v3 = put(b, "k", bytes("3"));
        Page p1 = page(b, "max-keys", "1");
        assertThat(p1.entries()).containsExactly(Entry.version("k", v3, true));
        Page p2 = page(b, "max-keys", "1", "key-marker", "k", "version-id-marker", v3);
        assertThat(p2.entries()).containsExactly(Entry.version("k", v2, false));
        Page p3 = page(b, "key-marker", "k", "version-id-marker", v2);
        assertThat(p3.entries()).containsExactly(Entry.version("k", v1, false));
        assertThat(p3.truncated()).isFalse();
        // a key-marker alone skips every version of that key
        put(b, "l", bytes("l"));
        assertThat(page(b, "key-marker", "k").entries()).extracting(Entry::key).containsExactly("l");
        // a key-marker that names no key: everything after it
        assertThat(page(b, "key-marker", "j").entries()).extracting(Entry::key).containsExactly("k", "k", "k", "l");
        // echoed markers
        assertThat(text(p2.root(), "KeyMarker")).isEqualTo("k");
        assertThat(text(p2.root(), "VersionIdMarker")).isEqualTo(v3);
        assertThat(text(p2.root(), "MaxKeys")).isEqualTo("1");
    }

    @Test
    void nullVersionAsVersionIdMarker() {
        String b = newBucket();
        put(b, "k", bytes("null one"));
        setVersioning(b, "Enabled");
        String v1 = put(b, "k", bytes("v1"));
        put(b, "m", bytes("m"));
        Page p1 = page(b, "max-keys", "2");
        assertThat(p1.entries()).containsExactly(Entry.version("k", v1, true), Entry.version("k", "null", false));
        assertThat(p1.nextVersionIdMarker()).isEqualTo("null");
        Page p2 = page(b, "key-marker", "k", "version-id-marker", "null");
        assertThat(p2.entries()).extracting(Entry::key).containsExactly("m");
    }

    @Test
    void versionIdMarkerWithoutKeyMarkerIsInvalidArgument() {
        String b = versionedBucket();
        String v1 = put(b, "k", bytes("x"));
        assertError(rawListVersions(b, "version-id-marker", v1), 400, "InvalidArgument");
        ossError("InvalidArgument", () -> oss.listVersions(new ListVersionsRequest().withBucketName(b).withVersionIdMarker(v1)));
    }

    @Test
    void neverVersionedBucketPaginatesOverNullVersions() {
        String b = newBucket();
        for (String k : List.of("a", "b", "c")) put(b, k, bytes(k));
        List<Entry> all = new ArrayList<>();
        String keyMarker = null;
        String idMarker = null;
        for (int n = 0; n < 5; n++) {
            List<String> params = new ArrayList<>(List.of("max-keys", "1"));
            if (keyMarker != null) params.addAll(List.of("key-marker", keyMarker, "version-id-marker", idMarker));
            Page p = page(b, params.toArray(String[]::new));
            all.addAll(p.entries());
            if (!p.truncated()) break;
            keyMarker = p.nextKeyMarker();
            idMarker = p.nextVersionIdMarker();
        }
        assertThat(all).containsExactly(Entry.version("a", "null", true), Entry.version("b", "null", true), Entry.version("c", "null", true));
    }

    // ---- prefix and delimiter -------------------------------------------------------------------

    @Test
    void prefixAndDelimiterRollUpCommonPrefixes() {
        String b = versionedBucket();
        String a1 = put(b, "dir/a", bytes("1"));
        String a2 = put(b, "dir/a", bytes("2"));
        String bm = header(oss.deleteObject(b, "dir/b"), "x-oss-version-id");
        put(b, "dir/sub/c", bytes("c"));
        put(b, "dir/sub/d", bytes("d"));
        oss.deleteObject(b, "dir/sub2/gone"); // only a marker: still a common prefix of versions
        put(b, "dir2/x", bytes("x"));
        put(b, "top", bytes("t"));

        Page p = page(b, "prefix", "dir/", "delimiter", "/");
        assertThat(p.entries()).containsExactly(Entry.version("dir/a", a2, true), Entry.version("dir/a", a1, false),
                Entry.marker("dir/b", bm, true));
        assertThat(p.commonPrefixes()).containsExactly("dir/sub/", "dir/sub2/");
        assertThat(text(p.root(), "Prefix")).isEqualTo("dir/");
        assertThat(text(p.root(), "Delimiter")).isEqualTo("/");

        Page root = page(b, "delimiter", "/");
        assertThat(root.entries()).extracting(Entry::key).containsExactly("top");
        assertThat(root.commonPrefixes()).containsExactly("dir/", "dir2/");

        VersionListing l = oss.listVersions(new ListVersionsRequest().withBucketName(b).withPrefix("dir/").withDelimiter("/"));
        assertThat(l.getCommonPrefixes()).containsExactly("dir/sub/", "dir/sub2/");
        assertThat(l.getVersionSummaries()).extracting(Entry::of).containsExactlyInAnyOrderElementsOf(p.entries());

        // prefix only
        assertThat(page(b, "prefix", "dir/sub").entries()).extracting(Entry::key).containsExactly("dir/sub/c", "dir/sub/d", "dir/sub2/gone");
    }

    @Test
    void paginationWithADelimiterListsEachCommonPrefixOnce() {
        String b = versionedBucket();
        put(b, "a", bytes("a"));
        put(b, "a", bytes("a"));
        for (String k : List.of("p/1", "p/2", "p/3", "q/1")) {
            put(b, k, bytes(k));
            put(b, k, bytes(k));
        }
        put(b, "r", bytes("r"));
        Page full = page(b, "delimiter", "/");
        assertThat(full.entries()).extracting(Entry::key).containsExactly("a", "a", "r");
        assertThat(full.commonPrefixes()).containsExactly("p/", "q/");
        for (int max = 1; max <= 6; max++) {
            List<Entry> entries = new ArrayList<>();
            List<String> prefixes = new ArrayList<>();
            String keyMarker = null;
            String idMarker = null;
            for (int n = 0; n < 20; n++) {
                List<String> params = new ArrayList<>(List.of("delimiter", "/", "max-keys", Integer.toString(max)));
                if (keyMarker != null) params.addAll(List.of("key-marker", keyMarker));
                if (idMarker != null && !idMarker.isEmpty()) params.addAll(List.of("version-id-marker", idMarker));
                Page p = page(b, params.toArray(String[]::new));
                assertThat(p.entries().size() + p.commonPrefixes().size()).isLessThanOrEqualTo(max);
                entries.addAll(p.entries());
                prefixes.addAll(p.commonPrefixes());
                if (!p.truncated()) break;
                keyMarker = p.nextKeyMarker();
                idMarker = p.nextVersionIdMarker();
            }
            assertThat(entries).as("max %d", max).containsExactlyElementsOf(full.entries());
            assertThat(prefixes).as("max %d", max).containsExactly("p/", "q/");
        }
    }

    // ---- encoding-type=url ------------------------------------------------------------------------

    @Test
    void urlEncodingOfOddKeys() {
        String b = versionedBucket();
        List<String> keys = List.of("dir one/a b+c", "dir one/ü%20ß", "dir one/x&y<z>'\"", "plain", "ünïcødé/中文 键");
        Map<String, String> ids = new HashMap<>();
        for (String k : keys) {
            put(b, k, bytes(k));
            ids.put(k, put(b, k, bytes(k + "2")));
        }
        oss.deleteObject(b, "plain");

        // raw: every Key is encoded, and decodes to the stored key
        OssHttp.Resp r = assertStatus(rawListVersions(b, "encoding-type", "url"), 200);
        String xml = r.text();
        assertThat(xml).contains("<EncodingType>url</EncodingType>");
        assertThat(xml).doesNotContain("dir one").doesNotContain("中文").doesNotContain("&amp;");
        Page p = parsePage(r.body());
        assertThat(p.entries()).hasSize(keys.size() * 2 + 1);
        assertThat(p.entries()).extracting(Entry::key).containsOnlyElementsOf(keys);
        for (String k : keys) {
            List<Entry> mine = p.entries().stream().filter(e -> e.key().equals(k)).toList();
            assertThat(mine).as(k).hasSize(k.equals("plain") ? 3 : 2);
            if (!k.equals("plain")) assertThat(mine.getFirst()).isEqualTo(Entry.version(k, ids.get(k), true));
        }

        // J1 decodes the keys and common prefixes itself
        VersionListing l = oss.listVersions(new ListVersionsRequest().withBucketName(b).withEncodingType("url"));
        assertThat(l.getVersionSummaries()).extracting(OSSVersionSummary::getKey).containsOnlyElementsOf(keys).hasSize(keys.size() * 2 + 1);
        VersionListing d = oss.listVersions(new ListVersionsRequest().withBucketName(b).withEncodingType("url").withDelimiter("/"));
        assertThat(d.getCommonPrefixes()).containsExactly("dir one/", "ünïcødé/");
        assertThat(d.getVersionSummaries()).extracting(OSSVersionSummary::getKey).containsOnly("plain");

        // paginating over odd keys with J1, one entry at a time
        List<String> seen = new ArrayList<>();
        String keyMarker = null;
        String idMarker = null;
        for (int n = 0; n < 30; n++) {
            ListVersionsRequest req = new ListVersionsRequest().withBucketName(b).withEncodingType("url").withMaxResults(1);
            if (keyMarker != null) req.withKeyMarker(keyMarker).withVersionIdMarker(idMarker);
            VersionListing page = oss.listVersions(req);
            page.getVersionSummaries().forEach(s -> seen.add(s.getKey() + "#" + s.getVersionId()));
            if (!page.isTruncated()) break;
            keyMarker = page.getNextKeyMarker();
            idMarker = page.getNextVersionIdMarker();
        }
        assertThat(seen).hasSize(keys.size() * 2 + 1).doesNotHaveDuplicates();
        // prefix given as an odd string
        assertThat(page(b, "prefix", "ünïcødé/").entries()).extracting(Entry::key).containsOnly("ünïcødé/中文 键").hasSize(2);
    }

    // ---- ListObjects sees only current objects --------------------------------------------

    @Test
    void listObjectsShowsOnlyCurrentNonMarkerObjects() {
        String b = versionedBucket();
        put(b, "a", bytes("a1"));
        put(b, "a", bytes("a22"));
        put(b, "d/gone", bytes("x"));
        oss.deleteObject(b, "d/gone"); // d/ holds only a marker now
        put(b, "e/kept", bytes("e"));
        put(b, "e/kept", bytes("e2"));
        oss.deleteObject(b, "m");
        String z1 = put(b, "z", bytes("z"));
        put(b, "z", bytes("zz"));
        oss.deleteVersion(b, "z", versionIds(b, "z").getFirst()); // z1 current again
        assertThat(versionIds(b, "z")).containsExactly(z1);

        ObjectListing v1 = oss.listObjects(b);
        assertThat(v1.getObjectSummaries()).extracting(s -> s.getKey() + ":" + s.getSize()).containsExactly("a:3", "e/kept:2", "z:1");
        ListObjectsV2Result v2 = oss.listObjectsV2(new ListObjectsV2Request(b));
        assertThat(v2.getObjectSummaries()).extracting(OSSObjectSummary::getKey).containsExactly("a", "e/kept", "z");
        assertThat(v2.getKeyCount()).isEqualTo(3);

        ObjectListing delim = oss.listObjects(new ListObjectsRequest(b).withDelimiter("/"));
        assertThat(delim.getCommonPrefixes()).containsExactly("e/");
        assertThat(delim.getObjectSummaries()).extracting(OSSObjectSummary::getKey).containsExactly("a", "z");
        ListObjectsV2Result delim2 = oss.listObjectsV2(new ListObjectsV2Request(b).withDelimiter("/"));
        assertThat(delim2.getCommonPrefixes()).containsExactly("e/");

        // paging ListObjects one key at a time also skips what is not current
        List<String> keys = new ArrayList<>();
        String marker = null;
        for (int n = 0; n < 10; n++) {
            ObjectListing page = oss.listObjects(new ListObjectsRequest(b).withMaxKeys(1).withMarker(marker));
            page.getObjectSummaries().forEach(s -> keys.add(s.getKey()));
            if (!page.isTruncated()) break;
            marker = page.getNextMarker();
        }
        assertThat(keys).containsExactly("a", "e/kept", "z");
    }
}
