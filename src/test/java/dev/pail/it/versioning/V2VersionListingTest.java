package dev.pail.it.versioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.aliyun.sdk.service.oss2.OSSClient;
import com.aliyun.sdk.service.oss2.models.CommonPrefix;
import com.aliyun.sdk.service.oss2.models.DeleteBucketRequest;
import com.aliyun.sdk.service.oss2.models.DeleteMarkerEntry;
import com.aliyun.sdk.service.oss2.models.DeleteMultipleObjectsRequest;
import com.aliyun.sdk.service.oss2.models.DeleteMultipleObjectsResult;
import com.aliyun.sdk.service.oss2.models.DeleteObject;
import com.aliyun.sdk.service.oss2.models.DeleteObjectRequest;
import com.aliyun.sdk.service.oss2.models.DeletedInfo;
import com.aliyun.sdk.service.oss2.models.ListObjectVersionsRequest;
import com.aliyun.sdk.service.oss2.models.ListObjectVersionsResult;
import com.aliyun.sdk.service.oss2.models.ObjectVersion;
import com.aliyun.sdk.service.oss2.models.PutBucketRequest;
import com.aliyun.sdk.service.oss2.models.PutBucketVersioningRequest;
import com.aliyun.sdk.service.oss2.models.PutObjectRequest;
import com.aliyun.sdk.service.oss2.models.PutObjectResult;
import com.aliyun.sdk.service.oss2.models.VersioningConfiguration;
import com.aliyun.sdk.service.oss2.paginator.PaginatorOptions;
import com.aliyun.sdk.service.oss2.transport.BinaryData;
import dev.pail.it.Clients;
import dev.pail.it.OssHttp;
import dev.pail.it.TestServer;
import dev.pail.it.V2Errors;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ListObjectVersions through the V2 SDK and on the wire (core.md §7.17): versions and delete
 * markers newest first per key, IsLatest, key-marker/version-id-marker paging (by hand and with the
 * SDK's paginator), prefix, delimiter, encoding-type url, and the V2 SDKs' bucket clean-up flow
 * (list every version, delete them by id, delete the bucket) on versioned, suspended and
 * unversioned buckets.
 */
class V2VersionListingTest {
    private static final AtomicInteger BUCKETS = new AtomicInteger();

    static TestServer server;
    static OSSClient c;
    static OssHttp http;

    @BeforeAll
    static void start() {
        server = new TestServer();
        c = Clients.v2(server);
        http = new OssHttp(server);
    }

    @AfterAll
    static void stop() throws Exception {
        if (c != null) c.close();
        if (server != null) server.close();
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** One listed entry, in document order. */
    record Entry(String key, String versionId, boolean marker, boolean latest) {
        Id id() { return new Id(key, versionId); }
    }

    /** A version of a key. */
    record Id(String key, String versionId) {}

    static String bucket(String status) {
        String b = "v2list-" + BUCKETS.incrementAndGet();
        c.putBucket(PutBucketRequest.newBuilder().bucket(b).build());
        if (status != null) versioning(b, status);
        return b;
    }

    static void versioning(String bucket, String status) {
        c.putBucketVersioning(PutBucketVersioningRequest.newBuilder().bucket(bucket)
                .versioningConfiguration(VersioningConfiguration.newBuilder().status(status).build()).build());
    }

    static PutObjectResult put(String bucket, String key, String body) {
        return c.putObject(PutObjectRequest.newBuilder().bucket(bucket).key(key).body(BinaryData.fromString(body)).build());
    }

    /** Deletes without a version id: in a versioned bucket, the id of the delete marker written. */
    static String delete(String bucket, String key) {
        var r = c.deleteObject(DeleteObjectRequest.newBuilder().bucket(bucket).key(key).build());
        assertThat(r.deleteMarker()).isTrue();
        return r.versionId();
    }

    static ListObjectVersionsRequest.Builder request(String bucket) { return ListObjectVersionsRequest.newBuilder().bucket(bucket); }

    /**
     * The raw ListVersionsResult (the tests' V1 signer does not list "versions" as a sub-resource,
     * so the canonical resource is given).
     */
    static String rawXml(String bucket, Map<String, String> params) {
        OssHttp.Req r = http.req("GET", bucket, null).query("versions").resource("/" + bucket + "/?versions");
        params.forEach(r::query);
        OssHttp.Resp resp = r.send();
        assertThat(resp.status()).as(resp.toString()).isEqualTo(200);
        return resp.text();
    }

    private static final Pattern ENTRY = Pattern.compile("<(Version|DeleteMarker)>(.*?)</\\1>", Pattern.DOTALL);

    /** The Version and DeleteMarker entries of a raw listing, in document order (keys url-decoded when {@code url}). */
    static List<Entry> entries(String xml, boolean url) {
        List<Entry> out = new ArrayList<>();
        Matcher m = ENTRY.matcher(xml);
        while (m.find()) {
            String body = m.group(2);
            String key = OssHttp.element(body, "Key");
            out.add(new Entry(url ? URLDecoder.decode(key, StandardCharsets.UTF_8) : key, OssHttp.element(body, "VersionId"),
                    m.group(1).equals("DeleteMarker"), Boolean.parseBoolean(OssHttp.element(body, "IsLatest"))));
        }
        return out;
    }

    /** Every version and marker of a page as (key, versionId). */
    static List<Id> ids(ListObjectVersionsResult r) {
        List<Id> out = new ArrayList<>();
        for (ObjectVersion v : r.versions()) out.add(new Id(v.key(), v.versionId()));
        for (DeleteMarkerEntry d : r.deleteMarkers()) out.add(new Id(d.key(), d.versionId()));
        return out;
    }

    /** The whole bucket in one request (the tests never hold more than 1000 entries). */
    static List<Entry> everything(String bucket) {
        String xml = rawXml(bucket, Map.of("max-keys", "1000"));
        assertThat(OssHttp.element(xml, "IsTruncated")).isEqualTo("false");
        return entries(xml, false);
    }

    /** Checks the per-key invariants of a full listing: keys ascending, exactly one latest per key, and it comes first. */
    static void assertWellOrdered(List<Entry> all) {
        String previous = null;
        for (Entry e : all) {
            boolean first = !e.key().equals(previous);
            assertThat(e.latest()).as("IsLatest of %s (first of its key: %s)", e, first).isEqualTo(first);
            if (previous != null && first) {
                assertThat(java.util.Arrays.compareUnsigned(previous.getBytes(StandardCharsets.UTF_8), e.key().getBytes(StandardCharsets.UTF_8)))
                        .as("%s after %s", e.key(), previous).isNegative();
            }
            previous = e.key();
        }
        assertThat(new HashSet<>(all.stream().map(Entry::id).toList())).as("no entry twice").hasSize(all.size());
    }

    // ---- contents and order --------------------------------------------------------------------

    @Test
    void versionsAndDeleteMarkersAreListedNewestFirstPerKey() {
        String b = bucket("Enabled");
        PutObjectResult a1 = put(b, "a", "a1");
        PutObjectResult b1 = put(b, "b", "b-one");
        PutObjectResult a2 = put(b, "a", "a-two");
        String ma = delete(b, "a");
        PutObjectResult c1 = put(b, "c/d", "c");
        String mb = delete(b, "b");
        PutObjectResult b2 = put(b, "b", "b2");

        List<Entry> raw = everything(b);
        assertThat(raw).containsExactly(
                new Entry("a", ma, true, true), new Entry("a", a2.versionId(), false, false), new Entry("a", a1.versionId(), false, false),
                new Entry("b", b2.versionId(), false, true), new Entry("b", mb, true, false), new Entry("b", b1.versionId(), false, false),
                new Entry("c/d", c1.versionId(), false, true));

        ListObjectVersionsResult r = c.listObjectVersions(request(b).build());
        assertThat(r.name()).isEqualTo(b);
        assertThat(r.isTruncated()).isFalse();
        assertThat(r.versions()).extracting(ObjectVersion::key, ObjectVersion::versionId, ObjectVersion::isLatest, ObjectVersion::size,
                        ObjectVersion::eTag)
                .containsExactly(
                        tuple("a", a2.versionId(), false, 5L, a2.eTag()), tuple("a", a1.versionId(), false, 2L, a1.eTag()),
                        tuple("b", b2.versionId(), true, 2L, b2.eTag()), tuple("b", b1.versionId(), false, 5L, b1.eTag()),
                        tuple("c/d", c1.versionId(), true, 1L, c1.eTag()));
        assertThat(r.versions()).allSatisfy(v -> {
            assertThat(v.lastModified()).isNotNull();
            assertThat(v.storageClass()).isEqualTo("Standard");
            assertThat(v.owner()).isNotNull();
        });
        assertThat(r.deleteMarkers()).extracting(DeleteMarkerEntry::key, DeleteMarkerEntry::versionId, DeleteMarkerEntry::isLatest)
                .containsExactly(tuple("a", ma, true), tuple("b", mb, false));
        assertThat(r.deleteMarkers()).allSatisfy(d -> assertThat(d.lastModified()).isNotNull());
    }

    @Test
    void anUnversionedBucketListsEachObjectAsItsOnlyNullVersion() {
        String b = bucket(null);
        PutObjectResult x = put(b, "x", "xx");
        put(b, "y", "y");
        put(b, "x", "xxx"); // overwritten: still a single version
        ListObjectVersionsResult r = c.listObjectVersions(request(b).build());
        assertThat(r.versions()).extracting(ObjectVersion::key, ObjectVersion::versionId, ObjectVersion::isLatest, ObjectVersion::size)
                .containsExactly(tuple("x", "null", true, 3L), tuple("y", "null", true, 1L));
        assertThat(r.versions().get(0).eTag()).isNotEqualTo(x.eTag());
        assertThat(r.deleteMarkers()).isNullOrEmpty();
    }

    // ---- paging --------------------------------------------------------------------------------

    /** 10 keys with 1 to 4 entries each, markers on top, in the middle and at the bottom. */
    static String mixedBucket() {
        String b = bucket("Enabled");
        for (int k = 0; k < 10; k++) {
            String key = "k" + k;
            int versions = 1 + k % 3;
            if (k % 4 == 1) delete(b, key); // a marker with nothing below it
            for (int v = 0; v < versions; v++) put(b, key, key + "." + v);
            if (k % 3 == 0) delete(b, key); // a marker on top
            if (k % 5 == 2) {
                delete(b, key);
                put(b, key, key + ".after");
            }
        }
        return b;
    }

    @Test
    void pagingByHandWithKeyAndVersionIdMarkersVisitsEveryEntryOnceInOrder() {
        String b = mixedBucket();
        List<Entry> all = everything(b);
        assertThat(all).hasSizeGreaterThan(25);
        assertWellOrdered(all);

        for (int max : new int[] {1, 2, 3, 4, 7}) {
            List<Entry> paged = new ArrayList<>();
            String keyMarker = null, versionMarker = null;
            int pages = 0;
            while (true) {
                Map<String, String> params = new LinkedHashMap<>();
                params.put("max-keys", Integer.toString(max));
                if (keyMarker != null) params.put("key-marker", keyMarker);
                if (versionMarker != null) params.put("version-id-marker", versionMarker);
                String xml = rawXml(b, params);
                List<Entry> page = entries(xml, false);
                pages++;
                assertThat(page.size()).as("page %d with max-keys %d", pages, max).isBetween(1, max);
                paged.addAll(page);
                assertThat(OssHttp.element(xml, "MaxKeys")).isEqualTo(Integer.toString(max));
                if (keyMarker != null) assertThat(OssHttp.element(xml, "KeyMarker")).isEqualTo(keyMarker);
                if (versionMarker != null) assertThat(OssHttp.element(xml, "VersionIdMarker")).isEqualTo(versionMarker);
                if (!"true".equals(OssHttp.element(xml, "IsTruncated"))) {
                    assertThat(xml).doesNotContain("<NextKeyMarker>");
                    break;
                }
                Entry last = page.getLast();
                keyMarker = OssHttp.element(xml, "NextKeyMarker");
                versionMarker = OssHttp.element(xml, "NextVersionIdMarker");
                assertThat(keyMarker).as("NextKeyMarker").isEqualTo(last.key());
                assertThat(versionMarker).as("NextVersionIdMarker").isEqualTo(last.versionId());
                assertThat(pages).as("paging must end").isLessThan(200);
            }
            assertThat(paged).as("max-keys %d", max).containsExactlyElementsOf(all);
            assertThat(pages).isEqualTo((all.size() + max - 1) / max);
        }
    }

    @Test
    void theSdkPaginatorVisitsEveryVersionAndMarkerOnce() {
        String b = mixedBucket();
        List<Id> expected = everything(b).stream().map(Entry::id).toList();
        for (long limit : new long[] {1, 3, 5}) {
            List<Id> seen = new ArrayList<>();
            int pages = 0;
            for (ListObjectVersionsResult page : c.listObjectVersionsPaginator(request(b).build(),
                    PaginatorOptions.newBuilder().limit(limit).build())) {
                pages++;
                assertThat(ids(page).size()).isBetween(1, (int) limit);
                seen.addAll(ids(page));
                assertThat(pages).isLessThan(200);
            }
            assertThat(seen).as("limit %d", limit).containsExactlyInAnyOrderElementsOf(expected).doesNotHaveDuplicates();
        }
        // the same through maxKeys on the request itself
        List<Id> seen = new ArrayList<>();
        for (ListObjectVersionsResult page : c.listObjectVersionsPaginator(request(b).maxKeys(4L).build())) seen.addAll(ids(page));
        assertThat(seen).containsExactlyInAnyOrderElementsOf(expected).doesNotHaveDuplicates();
    }

    @Test
    void aKeySplitAcrossPagesHasItsLatestOnlyOnTheFirstOfThem() {
        String b = bucket("Enabled");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) ids.add(put(b, "many", "v" + i).versionId());
        String next = put(b, "next", "n").versionId();
        List<Entry> paged = new ArrayList<>();
        for (ListObjectVersionsResult page : c.listObjectVersionsPaginator(request(b).maxKeys(2L).build())) {
            for (ObjectVersion v : page.versions()) paged.add(new Entry(v.key(), v.versionId(), false, v.isLatest()));
        }
        assertThat(paged).extracting(Entry::key, Entry::versionId, Entry::latest).containsExactly(
                tuple("many", ids.get(4), true), tuple("many", ids.get(3), false), tuple("many", ids.get(2), false),
                tuple("many", ids.get(1), false), tuple("many", ids.get(0), false), tuple("next", next, true));

        // resuming inside the key: only the older versions of it, then the next key
        ListObjectVersionsResult r = c.listObjectVersions(request(b).keyMarker("many").versionIdMarker(ids.get(2)).build());
        assertThat(r.versions()).extracting(ObjectVersion::key, ObjectVersion::versionId, ObjectVersion::isLatest).containsExactly(
                tuple("many", ids.get(1), false), tuple("many", ids.get(0), false), tuple("next", next, true));
        // a key-marker alone starts after the key
        assertThat(c.listObjectVersions(request(b).keyMarker("many").build()).versions()).extracting(ObjectVersion::key)
                .containsExactly("next");
    }

    // ---- prefix, delimiter, encoding -----------------------------------------------------------

    @Test
    void prefixAndDelimiterGroupKeysIntoCommonPrefixesOnce() {
        String b = bucket("Enabled");
        put(b, "photos/2024/a.jpg", "1");
        put(b, "photos/2024/a.jpg", "2");
        put(b, "photos/2024/b.jpg", "3");
        put(b, "photos/2025/c.jpg", "4");
        delete(b, "photos/2025/c.jpg");
        PutObjectResult t1 = put(b, "photos/top.jpg", "5");
        PutObjectResult t2 = put(b, "photos/top.jpg", "6");
        put(b, "docs/x", "7");
        PutObjectResult z = put(b, "z", "8");

        ListObjectVersionsResult r = c.listObjectVersions(request(b).prefix("photos/").delimiter("/").build());
        assertThat(r.prefix()).isEqualTo("photos/");
        assertThat(r.delimiter()).isEqualTo("/");
        assertThat(r.commonPrefixes()).extracting(CommonPrefix::prefix).containsExactly("photos/2024/", "photos/2025/");
        assertThat(r.versions()).extracting(ObjectVersion::key, ObjectVersion::versionId)
                .containsExactly(tuple("photos/top.jpg", t2.versionId()), tuple("photos/top.jpg", t1.versionId()));
        assertThat(r.deleteMarkers()).isNullOrEmpty();

        ListObjectVersionsResult top = c.listObjectVersions(request(b).delimiter("/").build());
        assertThat(top.commonPrefixes()).extracting(CommonPrefix::prefix).containsExactly("docs/", "photos/");
        assertThat(top.versions()).extracting(ObjectVersion::versionId).containsExactly(z.versionId());

        ListObjectVersionsResult deep = c.listObjectVersions(request(b).prefix("photos/2025/").build());
        assertThat(deep.deleteMarkers()).extracting(DeleteMarkerEntry::key, DeleteMarkerEntry::isLatest)
                .containsExactly(tuple("photos/2025/c.jpg", true));
        assertThat(deep.versions()).extracting(ObjectVersion::key, ObjectVersion::isLatest).containsExactly(tuple("photos/2025/c.jpg", false));

        // one entry per page: each common prefix exactly once, then the versions
        List<String> sequence = new ArrayList<>();
        int pages = 0;
        for (ListObjectVersionsResult page : c.listObjectVersionsPaginator(request(b).prefix("photos/").delimiter("/").maxKeys(1L).build())) {
            pages++;
            for (CommonPrefix p : page.commonPrefixes()) sequence.add("CP " + p.prefix());
            for (ObjectVersion v : page.versions()) sequence.add(v.key() + " " + v.versionId());
            assertThat(pages).isLessThan(50);
        }
        assertThat(sequence).containsExactly("CP photos/2024/", "CP photos/2025/",
                "photos/top.jpg " + t2.versionId(), "photos/top.jpg " + t1.versionId());
    }

    @Test
    void encodingTypeUrlCarriesAwkwardKeysAndTheSdkDecodesThem() {
        String b = bucket("Enabled");
        List<String> keys = List.of("a b+c", "amp&<>\"'", "ctl\u0001x", "pct%20lit", "tab\tkey", "trailing/", "ü/ñ 中文");
        Set<Id> expected = new LinkedHashSet<>();
        for (String k : keys) {
            expected.add(new Id(k, put(b, k, "1").versionId()));
            expected.add(new Id(k, put(b, k, "2").versionId()));
        }
        expected.add(new Id("a b+c", delete(b, "a b+c")));

        // the SDK always asks for encoding-type=url and decodes keys and markers
        List<Id> seen = new ArrayList<>();
        for (ListObjectVersionsResult page : c.listObjectVersionsPaginator(request(b).maxKeys(1L).build())) {
            assertThat(page.encodingType()).isEqualTo("url");
            seen.addAll(ids(page));
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(expected).doesNotHaveDuplicates();

        // on the wire: keys and markers percent-encoded
        String xml = rawXml(b, Map.of("encoding-type", "url", "max-keys", "1", "key-marker", "amp&<>\"'"));
        assertThat(OssHttp.element(xml, "EncodingType")).isEqualTo("url");
        assertThat(OssHttp.element(xml, "KeyMarker")).isEqualTo("amp%26%3C%3E%22%27");
        assertThat(OssHttp.element(xml, "Key")).isEqualTo("ctl%01x");
        assertThat(OssHttp.element(xml, "NextKeyMarker")).isEqualTo("ctl%01x");
        assertThat(entries(xml, true)).extracting(Entry::key).containsExactly("ctl\u0001x");

        // a prefix with special characters
        ListObjectVersionsResult r = c.listObjectVersions(request(b).prefix("ü/").build());
        assertThat(r.prefix()).isEqualTo("ü/");
        assertThat(r.versions()).extracting(ObjectVersion::key).containsOnly("ü/ñ 中文").hasSize(2);
        ListObjectVersionsResult d = c.listObjectVersions(request(b).prefix("a b").build());
        assertThat(d.deleteMarkers()).extracting(DeleteMarkerEntry::key).containsExactly("a b+c");
    }

    // ---- the V2 SDKs' bucket clean-up flow -----------------------------------------------------

    /**
     * 30 keys × 3 versions, plus delete markers: on top of every third key, between versions of
     * every fifth, and on their own for two keys. Returns every version and marker written.
     */
    static Set<Id> fill(String b) {
        Set<Id> written = new LinkedHashSet<>();
        for (int k = 0; k < 30; k++) {
            String key = String.format("dir%d/obj-%02d", k % 4, k);
            for (int v = 0; v < 3; v++) {
                written.add(new Id(key, put(b, key, key + "#" + v).versionId()));
                if (k % 5 == 0 && v == 1) written.add(new Id(key, delete(b, key)));
            }
            if (k % 3 == 0) written.add(new Id(key, delete(b, key)));
        }
        for (String lonely : List.of("lonely-1", "lonely-2")) written.add(new Id(lonely, delete(b, lonely)));
        return written;
    }

    /**
     * The clean-up flow of the V2 SDK samples: page through ListObjectVersions, delete each page's
     * versions and markers by id with DeleteMultipleObjects, then delete the bucket. Returns what
     * the listing returned, in order.
     */
    static List<Id> cleanUpPageByPage(String b, long maxKeys) {
        List<Id> listed = new ArrayList<>();
        int pages = 0;
        for (ListObjectVersionsResult page : c.listObjectVersionsPaginator(request(b).build(),
                PaginatorOptions.newBuilder().limit(maxKeys).build())) {
            assertThat(++pages).as("paging must end").isLessThan(500);
            List<Id> ids = ids(page);
            assertThat(ids.size()).isBetween(1, (int) maxKeys);
            listed.addAll(ids);
            deleteVersions(b, ids);
        }
        return listed;
    }

    static void deleteVersions(String b, List<Id> ids) {
        List<DeleteObject> objects = ids.stream().map(i -> DeleteObject.newBuilder().key(i.key()).versionId(i.versionId()).build()).toList();
        DeleteMultipleObjectsResult r = c.deleteMultipleObjects(DeleteMultipleObjectsRequest.newBuilder().bucket(b).deleteObjects(objects).build());
        assertThat(r.deletedObjects()).extracting(DeletedInfo::key, DeletedInfo::versionId)
                .containsExactlyInAnyOrderElementsOf(ids.stream().map(i -> tuple(i.key(), i.versionId())).toList());
    }

    static void deleteBucket(String b) {
        var r = c.deleteBucket(DeleteBucketRequest.newBuilder().bucket(b).build());
        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(c.doesBucketExist(b)).isFalse();
    }

    @Test
    void cleanUpFlowEmptiesAVersionedBucketDeletingPageByPage() {
        String b = bucket("Enabled");
        Set<Id> written = fill(b);
        assertThat(written).hasSize(30 * 3 + 10 + 6 + 2);
        List<Id> listed = cleanUpPageByPage(b, 7);
        assertThat(listed).as("every version and marker exactly once").doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(written);
        assertThat(ids(c.listObjectVersions(request(b).build()))).isEmpty();
        deleteBucket(b);

        // a bucket created again under the name starts without versioning and without old versions
        c.putBucket(PutBucketRequest.newBuilder().bucket(b).build());
        var status = c.getBucketVersioning(com.aliyun.sdk.service.oss2.models.GetBucketVersioningRequest.newBuilder().bucket(b).build())
                .versioningConfiguration();
        assertThat(status == null ? null : status.status()).isNull();
        assertThat(put(b, "dir0/obj-00", "new").versionId()).isNull();
        assertThat(ids(c.listObjectVersions(request(b).build()))).containsExactly(new Id("dir0/obj-00", "null"));
    }

    @Test
    void cleanUpFlowEmptiesAVersionedBucketListingEverythingFirst() {
        String b = bucket("Enabled");
        Set<Id> written = fill(b);
        List<Id> listed = new ArrayList<>();
        for (ListObjectVersionsResult page : c.listObjectVersionsPaginator(request(b).maxKeys(9L).build())) listed.addAll(ids(page));
        assertThat(listed).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(written);

        // a bucket that still holds a delete marker is not empty
        Id last = listed.stream().filter(i -> i.key().equals("lonely-2")).findFirst().orElseThrow();
        List<Id> allButOne = new ArrayList<>(listed);
        allButOne.remove(last);
        deleteVersions(b, allButOne);
        V2Errors.expect(409, "BucketNotEmpty", () -> c.deleteBucket(DeleteBucketRequest.newBuilder().bucket(b).build()));
        deleteVersions(b, List.of(last));
        deleteBucket(b);
    }

    @Test
    void cleanUpFlowEmptiesASuspendedBucketWithNullVersionsAndNullMarkers() {
        String b = bucket("Enabled");
        Set<Id> written = new LinkedHashSet<>();
        for (int k = 0; k < 12; k++) written.add(new Id("s" + k, put(b, "s" + k, "enabled").versionId()));
        versioning(b, "Suspended");
        for (int k = 0; k < 12; k++) {
            String key = "s" + k;
            String nullVersion = put(b, key, "suspended").versionId();
            assertThat(nullVersion).isEqualTo("null");
            written.add(new Id(key, nullVersion));
            // on every other key a "null" delete marker replaces that null version: still one "null" entry
            if (k % 2 == 0) assertThat(delete(b, key)).isEqualTo("null");
        }
        assertThat(written).hasSize(24);
        List<Entry> before = everything(b);
        assertThat(before).filteredOn(Entry::marker).extracting(Entry::versionId).hasSize(6).containsOnly("null");
        List<Id> listed = cleanUpPageByPage(b, 5);
        assertThat(listed).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(written);
        deleteBucket(b);
    }

    @Test
    void cleanUpFlowEmptiesABucketThatNeverHadVersioning() {
        String b = bucket(null);
        Set<Id> written = new LinkedHashSet<>();
        for (int k = 0; k < 25; k++) {
            String key = String.format("plain/%02d", k);
            put(b, key, "x");
            written.add(new Id(key, "null"));
        }
        List<Id> listed = cleanUpPageByPage(b, 6);
        assertThat(listed).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(written);
        deleteBucket(b);
    }

    @Test
    void cleanUpFlowEmptiesABucketWithObjectsFromBeforeVersioningWasEnabled() {
        String b = bucket(null);
        Set<Id> written = new LinkedHashSet<>();
        for (int k = 0; k < 8; k++) {
            put(b, "old" + k, "before");
            written.add(new Id("old" + k, "null"));
        }
        versioning(b, "Enabled");
        for (int k = 0; k < 8; k += 2) {
            written.add(new Id("old" + k, put(b, "old" + k, "after").versionId()));
            written.add(new Id("old" + k, delete(b, "old" + k)));
        }
        List<Id> listed = cleanUpPageByPage(b, 3);
        assertThat(listed).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(written);
        deleteBucket(b);
    }
}
