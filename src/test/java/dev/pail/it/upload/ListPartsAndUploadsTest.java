package dev.pail.it.upload;

import dev.pail.xml.UrlEncoding;
import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.OSS;
import com.aliyun.oss.model.AbortMultipartUploadRequest;
import com.aliyun.oss.model.InitiateMultipartUploadRequest;
import com.aliyun.oss.model.ListMultipartUploadsRequest;
import com.aliyun.oss.model.ListPartsRequest;
import com.aliyun.oss.model.MultipartUpload;
import com.aliyun.oss.model.MultipartUploadListing;
import com.aliyun.oss.model.ObjectMetadata;
import com.aliyun.oss.model.PartListing;
import com.aliyun.oss.model.PartSummary;
import com.aliyun.sdk.service.oss2.models.ListObjectsV2Request;
import com.aliyun.sdk.service.oss2.models.ListPartsResult;
import com.aliyun.sdk.service.oss2.models.Part;
import com.aliyun.sdk.service.oss2.models.Upload;
import dev.pail.it.RawHttp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ListParts and ListMultipartUploads (features.md §3.6, §3.7), and how in-progress uploads show in
 * the bucket: invisible to ListObjects, counted by GetBucketStat, blocking DeleteBucket.
 */
class ListPartsAndUploadsTest extends UploadBase {
    static final String ISO = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.000Z";

    /** Keys of the listing bucket, some with several uploads. */
    static final List<String> KEYS = List.of("z", "a/1", "b/x", "a/1", "c", "d e+f/ü", "a/b/c", "a/2", "b/x", "a/1", "z");

    String listing;
    /** key + " " + uploadId, in the order OSS sorts them (key bytes, then upload id). */
    List<String> expected;
    /** per key, its upload ids in initiation order. */
    Map<String, List<String>> byKey = new LinkedHashMap<>();

    @BeforeAll
    void createUploads() {
        listing = newBucket();
        List<String> all = new ArrayList<>();
        for (String k : KEYS) {
            String id = initiate(v1, listing, k);
            byKey.computeIfAbsent(k, x -> new ArrayList<>()).add(id);
            all.add(k + " " + id);
        }
        all.sort(Comparator.comparing((String s) -> s.substring(0, s.lastIndexOf(' ')), ListPartsAndUploadsTest::compareUtf8)
                .thenComparing(s -> s.substring(s.lastIndexOf(' ') + 1)));
        expected = all;
    }

    private static List<String> entries(List<MultipartUpload> uploads) {
        return uploads.stream().map(u -> u.getKey() + " " + u.getUploadId()).toList();
    }

    // ---- ListParts --------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Sig.class)
    void listPartsPaginatesWithMaxPartsAndPartNumberMarker(Sig sig) {
        OSS oss = oss(sig);
        String b = newBucket();
        String id = initiate(oss, b, "parts");
        Map<Integer, byte[]> data = new LinkedHashMap<>();
        for (int n : new int[] {1, 2, 3, 4, 5, 6, 7, 9}) {
            data.put(n, random(100 + n * 10, n));
            part(oss, b, "parts", id, n, data.get(n));
        }
        List<PartSummary> seen = new ArrayList<>();
        Integer marker = null;
        List<List<Integer>> pages = new ArrayList<>();
        while (true) {
            ListPartsRequest r = new ListPartsRequest(b, "parts", id);
            r.setMaxParts(3);
            if (marker != null) r.setPartNumberMarker(marker);
            PartListing page = oss.listParts(r);
            assertThat(page.getMaxParts()).isEqualTo(3);
            assertThat(page.getPartNumberMarker()).isEqualTo(marker == null ? 0 : marker);
            assertThat(page.getUploadId()).isEqualTo(id);
            assertThat(page.getKey()).isEqualTo("parts");
            assertThat(page.getBucketName()).isEqualTo(b);
            assertThat(page.getStorageClass()).isEqualTo("Standard");
            pages.add(page.getParts().stream().map(PartSummary::getPartNumber).toList());
            seen.addAll(page.getParts());
            assertThat(page.getNextPartNumberMarker()).isEqualTo(page.getParts().getLast().getPartNumber());
            if (!page.isTruncated()) break;
            marker = page.getNextPartNumberMarker();
        }
        assertThat(pages).containsExactly(List.of(1, 2, 3), List.of(4, 5, 6), List.of(7, 9));
        for (PartSummary p : seen) {
            assertThat(p.getETag()).isEqualTo(md5Hex(data.get(p.getPartNumber())));
            assertThat(p.getSize()).isEqualTo(data.get(p.getPartNumber()).length);
            assertThat(p.getLastModified()).isNotNull();
        }
        // a marker between part numbers
        ListPartsRequest between = new ListPartsRequest(b, "parts", id);
        between.setPartNumberMarker(8);
        assertThat(oss.listParts(between).getParts()).extracting(PartSummary::getPartNumber).containsExactly(9);
    }

    @Test
    void listPartsWireFormat() {
        String b = newBucket();
        ObjectMetadata ia = new ObjectMetadata();
        ia.setHeader("x-oss-storage-class", "IA");
        String key = "dir/p q+r.bin";
        String id = v1.initiateMultipartUpload(new InitiateMultipartUploadRequest(b, key, ia)).getUploadId();
        // an upload without parts still has NextPartNumberMarker
        RawHttp.Resp empty = raw("GET", b, key, "uploadId=" + id).send();
        assertThat(empty.status()).isEqualTo(200);
        assertThat(element(empty.text(), "NextPartNumberMarker")).isEqualTo("0");
        assertThat(element(empty.text(), "IsTruncated")).isEqualTo("false");
        assertThat(element(empty.text(), "StorageClass")).isEqualTo("IA");
        assertThat(elements(empty.text(), "Part")).isEmpty();

        byte[] p1 = random(3000, 1);
        byte[] p2 = random(4000, 2);
        raw("PUT", b, key, "partNumber=1&uploadId=" + id).body(p1).send().assertOk();
        raw("PUT", b, key, "partNumber=2&uploadId=" + id).body(p2).send().assertOk();
        // oss2 sends empty markers and max-parts=1000
        RawHttp.Resp r = raw("GET", b, key, "uploadId=" + id + "&part-number-marker=&max-parts=1000").send();
        assertThat(r.status()).isEqualTo(200);
        String xml = r.text();
        assertThat(element(xml, "Bucket")).isEqualTo(b);
        assertThat(element(xml, "Key")).isEqualTo(key);
        assertThat(element(xml, "UploadId")).isEqualTo(id);
        assertThat(element(xml, "PartNumberMarker")).isEqualTo("0");
        assertThat(element(xml, "NextPartNumberMarker")).isEqualTo("2");
        assertThat(element(xml, "MaxParts")).isEqualTo("1000");
        assertThat(element(xml, "IsTruncated")).isEqualTo("false");
        assertThat(elements(xml, "PartNumber")).containsExactly("1", "2");
        assertThat(elements(xml, "HashCrc64ecma")).containsExactly(crcString(p1), crcString(p2));
        assertThat(elements(xml, "Size")).containsExactly("3000", "4000");
        assertThat(elements(xml, "ETag")).containsExactly(quoted(md5Hex(p1)), quoted(md5Hex(p2)));
        assertThat(elements(xml, "LastModified")).allMatch(t -> t.matches(ISO));

        // truncated page
        RawHttp.Resp one = raw("GET", b, key, "uploadId=" + id + "&max-parts=1").send();
        assertThat(element(one.text(), "IsTruncated")).isEqualTo("true");
        assertThat(element(one.text(), "NextPartNumberMarker")).isEqualTo("1");
        // past the last part: empty, not truncated, marker still present
        RawHttp.Resp past = raw("GET", b, key, "uploadId=" + id + "&part-number-marker=5").send();
        assertThat(elements(past.text(), "PartNumber")).isEmpty();
        assertThat(element(past.text(), "IsTruncated")).isEqualTo("false");
        assertThat(element(past.text(), "NextPartNumberMarker")).isNotNull();
        // encoding-type=url encodes the key
        RawHttp.Resp enc = raw("GET", b, key, "uploadId=" + id + "&encoding-type=url").send();
        assertThat(element(enc.text(), "Key")).isEqualTo("dir%2Fp%20q%2Br.bin");
        assertThat(element(enc.text(), "EncodingType")).isEqualTo("url");
        // unknown upload: what oss2's resumable probe relies on
        raw("GET", b, key, "uploadId=0123456789ABCDEF0123456789ABCDEF&part-number-marker=0&max-parts=1").send()
                .assertError(404, "NoSuchUpload");
    }

    @Test
    void v2ListPartsHasCrcsAndMarkers() {
        String b = newBucket();
        String key = "v2 parts/ü";
        String id = initiate(v1, b, key);
        List<byte[]> data = new ArrayList<>();
        for (int n = 1; n <= 5; n++) {
            data.add(random(500 * n, n));
            part(v1, b, key, id, n, data.getLast());
        }
        ListPartsResult r = v2.listParts(com.aliyun.sdk.service.oss2.models.ListPartsRequest.newBuilder().bucket(b).key(key)
                .uploadId(id).encodingType("url").build());
        assertThat(r.key()).isEqualTo(key);
        assertThat(r.partNumberMarker()).isEqualTo(0L);
        assertThat(r.nextPartNumberMarker()).isEqualTo(5L);
        assertThat(r.isTruncated()).isFalse();
        assertThat(r.parts()).hasSize(5);
        for (Part p : r.parts()) {
            byte[] d = data.get(p.partNumber().intValue() - 1);
            assertThat(p.hashCrc64ecma()).isEqualTo(crcString(d));
            assertThat(p.eTag()).isEqualTo(quoted(md5Hex(d)));
            assertThat(p.size()).isEqualTo((long) d.length);
            assertThat(p.lastModified()).isNotNull();
        }
        List<Long> numbers = new ArrayList<>();
        v2.listPartsPaginator(com.aliyun.sdk.service.oss2.models.ListPartsRequest.newBuilder().bucket(b).key(key).uploadId(id)
                .maxParts(2L).build()).forEach(page -> page.parts().forEach(p -> numbers.add(p.partNumber())));
        assertThat(numbers).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    // ---- ListMultipartUploads ---------------------------------------------------------------

    @Test
    void fullListingIsSortedByKeyThenInitiationOrder() {
        MultipartUploadListing all = v1.listMultipartUploads(new ListMultipartUploadsRequest(listing));
        assertThat(all.isTruncated()).isFalse();
        assertThat(all.getMaxUploads()).isEqualTo(1000);
        assertThat(entries(all.getMultipartUploads())).containsExactlyElementsOf(expected);
        // several uploads of one key are listed in the order they were initiated
        for (Map.Entry<String, List<String>> e : byKey.entrySet()) {
            assertThat(all.getMultipartUploads().stream().filter(u -> u.getKey().equals(e.getKey())).map(MultipartUpload::getUploadId))
                    .as(e.getKey()).containsExactlyElementsOf(e.getValue());
        }
        assertThat(all.getMultipartUploads()).allMatch(u -> u.getInitiated() != null);
    }

    @Test
    void uploadIdsOfOneKeyFollowInitiationOrder() {
        String b = newBucket();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 30; i++) ids.add(initiate(v1, b, "same"));
        ListMultipartUploadsRequest r = new ListMultipartUploadsRequest(b);
        assertThat(v1.listMultipartUploads(r).getMultipartUploads()).extracting(MultipartUpload::getUploadId)
                .containsExactlyElementsOf(ids);
        // and paging by upload-id-marker walks them in that order
        List<String> paged = new ArrayList<>();
        String idMarker = null;
        for (int pages = 0; pages < 40; pages++) {
            ListMultipartUploadsRequest p = new ListMultipartUploadsRequest(b);
            p.setMaxUploads(7);
            if (idMarker != null) {
                p.setKeyMarker("same");
                p.setUploadIdMarker(idMarker);
            }
            MultipartUploadListing page = v1.listMultipartUploads(p);
            page.getMultipartUploads().forEach(u -> paged.add(u.getUploadId()));
            if (!page.isTruncated()) break;
            idMarker = page.getNextUploadIdMarker();
        }
        assertThat(paged).containsExactlyElementsOf(ids);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 10})
    void paginationReturnsEveryUploadExactlyOnce(int max) {
        List<String> seen = new ArrayList<>();
        String keyMarker = null;
        String idMarker = null;
        for (int pages = 0; pages < 50; pages++) {
            ListMultipartUploadsRequest r = new ListMultipartUploadsRequest(listing);
            r.setMaxUploads(max);
            r.setKeyMarker(keyMarker);
            r.setUploadIdMarker(idMarker);
            MultipartUploadListing page = v4.listMultipartUploads(r);
            assertThat(page.getMultipartUploads().size()).isLessThanOrEqualTo(max);
            assertThat(page.getMaxUploads()).isEqualTo(max);
            seen.addAll(entries(page.getMultipartUploads()));
            if (!page.isTruncated()) break;
            assertThat(page.getNextKeyMarker()).isEqualTo(page.getMultipartUploads().getLast().getKey());
            assertThat(page.getNextUploadIdMarker()).isEqualTo(page.getMultipartUploads().getLast().getUploadId());
            keyMarker = page.getNextKeyMarker();
            idMarker = page.getNextUploadIdMarker();
        }
        assertThat(seen).containsExactlyElementsOf(expected);

        // the V2 paginator
        List<String> v2seen = new ArrayList<>();
        v2.listMultipartUploadsPaginator(com.aliyun.sdk.service.oss2.models.ListMultipartUploadsRequest.newBuilder().bucket(listing)
                .maxUploads((long) max).build()).forEach(p -> p.uploads().forEach(u -> v2seen.add(u.key() + " " + u.uploadId())));
        assertThat(v2seen).containsExactlyElementsOf(expected);
    }

    @Test
    void markersPrefixAndDelimiter() {
        // key-marker alone: everything after that key
        ListMultipartUploadsRequest km = new ListMultipartUploadsRequest(listing);
        km.setKeyMarker("a/1");
        assertThat(entries(v1.listMultipartUploads(km).getMultipartUploads()))
                .containsExactlyElementsOf(expected.stream().filter(e -> compareUtf8(e.substring(0, e.lastIndexOf(' ')), "a/1") > 0).toList());
        // key-marker + upload-id-marker: the rest of that key's uploads, then later keys
        List<String> a1 = byKey.get("a/1");
        km.setUploadIdMarker(a1.get(0));
        List<String> after = entries(v1.listMultipartUploads(km).getMultipartUploads());
        assertThat(after.subList(0, 2)).containsExactly("a/1 " + a1.get(1), "a/1 " + a1.get(2));
        assertThat(after).hasSize(expected.size() - 1);

        ListMultipartUploadsRequest prefix = new ListMultipartUploadsRequest(listing);
        prefix.setPrefix("a/");
        assertThat(entries(v1.listMultipartUploads(prefix).getMultipartUploads()))
                .containsExactlyElementsOf(expected.stream().filter(e -> e.startsWith("a/")).toList());

        ListMultipartUploadsRequest delim = new ListMultipartUploadsRequest(listing);
        delim.setDelimiter("/");
        MultipartUploadListing d = v1.listMultipartUploads(delim);
        assertThat(d.getCommonPrefixes()).containsExactly("a/", "b/", "d e+f/");
        assertThat(d.getMultipartUploads()).extracting(MultipartUpload::getKey).containsExactly("c", "z", "z");
        assertThat(d.getDelimiter()).isEqualTo("/");

        delim.setPrefix("a/");
        MultipartUploadListing ad = v1.listMultipartUploads(delim);
        assertThat(ad.getCommonPrefixes()).containsExactly("a/b/");
        assertThat(ad.getMultipartUploads()).extracting(MultipartUpload::getKey).containsExactly("a/1", "a/1", "a/1", "a/2");

        // delimiter with one entry per page: every prefix and upload once
        List<String> seen = new ArrayList<>();
        String keyMarker = null;
        String idMarker = null;
        for (int pages = 0; pages < 20; pages++) {
            ListMultipartUploadsRequest r = new ListMultipartUploadsRequest(listing);
            r.setDelimiter("/");
            r.setMaxUploads(1);
            r.setKeyMarker(keyMarker);
            r.setUploadIdMarker(idMarker);
            MultipartUploadListing page = v1.listMultipartUploads(r);
            assertThat(page.getMultipartUploads().size() + page.getCommonPrefixes().size()).isLessThanOrEqualTo(1);
            page.getCommonPrefixes().forEach(p -> seen.add("prefix " + p));
            page.getMultipartUploads().forEach(u -> seen.add(u.getKey() + " " + u.getUploadId()));
            if (!page.isTruncated()) break;
            keyMarker = page.getNextKeyMarker();
            idMarker = page.getNextUploadIdMarker();
        }
        List<String> z = byKey.get("z");
        assertThat(seen).containsExactly("prefix a/", "prefix b/", "c " + byKey.get("c").getFirst(), "prefix d e+f/",
                "z " + z.get(0), "z " + z.get(1));
    }

    @Test
    void listUploadsWireFormatAndUrlEncoding() {
        // oss2 sends every parameter, empty where unused
        RawHttp.Resp r = raw("GET", listing, null, "uploads=&prefix=&delimiter=&key-marker=&upload-id-marker=&max-uploads=1000&encoding-type=url")
                .send();
        assertThat(r.status()).isEqualTo(200);
        String xml = r.text();
        assertThat(element(xml, "EncodingType")).isEqualTo("url");
        assertThat(element(xml, "Bucket")).isEqualTo(listing);
        assertThat(element(xml, "IsTruncated")).isEqualTo("false");
        assertThat(element(xml, "MaxUploads")).isEqualTo("1000");
        for (String e : List.of("KeyMarker", "UploadIdMarker", "NextKeyMarker", "NextUploadIdMarker", "Prefix", "Delimiter")) {
            assertThat(hasElement(xml, e)).as(e).isTrue();
        }
        assertThat(elements(xml, "Key")).contains("d%20e%2Bf%2F%C3%BC", "a%2F1");
        assertThat(elements(xml, "UploadId")).hasSize(expected.size());
        assertThat(elements(xml, "Initiated")).hasSize(expected.size()).allMatch(t -> t.matches(ISO));

        RawHttp.Resp pre = raw("GET", listing, null, "uploads&prefix=d%20e&delimiter=%2F&encoding-type=url").send();
        assertThat(element(pre.text(), "Prefix")).isEqualTo("d%20e");
        assertThat(element(pre.text(), "Delimiter")).isEqualTo("%2F");
        assertThat(pre.text()).contains("<CommonPrefixes><Prefix>d%20e%2Bf%2F</Prefix></CommonPrefixes>");

        // truncated: markers of the last upload
        RawHttp.Resp t = raw("GET", listing, null, "uploads&max-uploads=2").send();
        assertThat(element(t.text(), "IsTruncated")).isEqualTo("true");
        String[] second = expected.get(1).split(" (?=[0-9A-F]{32}$)");
        assertThat(element(t.text(), "NextKeyMarker")).isEqualTo(second[0]);
        assertThat(element(t.text(), "NextUploadIdMarker")).isEqualTo(second[1]);

        // J1 passes encoding-type through and leaves decoding to the caller
        ListMultipartUploadsRequest j1 = new ListMultipartUploadsRequest(listing);
        j1.setEncodingType("url");
        j1.setPrefix("d e");
        List<String> j1keys = v1.listMultipartUploads(j1).getMultipartUploads().stream().map(MultipartUpload::getKey).toList();
        assertThat(j1keys).containsExactly("d%20e%2Bf%2F%C3%BC");
        assertThat(java.net.URLDecoder.decode(j1keys.getFirst(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("d e+f/ü");
        // V2 always decodes
        List<Upload> v2u = v2.listMultipartUploads(com.aliyun.sdk.service.oss2.models.ListMultipartUploadsRequest.newBuilder()
                .bucket(listing).prefix("d e").encodingType("url").build()).uploads();
        assertThat(v2u).extracting(Upload::key).containsExactly("d e+f/ü");
    }

    // ---- uploads and the rest of the bucket -----------------------------------------------------

    @Test
    void inProgressUploadsAreInvisibleToListObjectsAndCountedByBucketStat() throws Exception {
        String b = newBucket();
        String id1 = initiate(v1, b, "pending-1");
        String id2 = initiate(v1, b, "pending-2");
        part(v1, b, "pending-1", id1, 1, random(5000, 1));
        assertThat(v1.listObjects(b).getObjectSummaries()).isEmpty();
        assertThat(v2.listObjectsV2(ListObjectsV2Request.newBuilder().bucket(b).build()).keyCount()).isZero();
        assertThat(raw("HEAD", b, "pending-1", "").send().status()).isEqualTo(404);
        var stat = v1.getBucketStat(b);
        assertThat(stat.getMultipartUploadCount()).isEqualTo(2);
        assertThat(stat.getObjectCount()).isZero();

        // DeleteBucket is refused while an upload is in progress
        ossError("BucketNotEmpty", () -> v1.deleteBucket(b));
        raw("DELETE", b, null, "").send().assertError(409, "BucketNotEmpty");

        complete(v1, b, "pending-1", id1, new com.aliyun.oss.model.PartETag(1, md5Hex(random(5000, 1))));
        assertThat(v1.listObjects(b).getObjectSummaries()).extracting(s -> s.getKey()).containsExactly("pending-1");
        stat = v1.getBucketStat(b);
        assertThat(stat.getMultipartUploadCount()).isEqualTo(1);
        assertThat(stat.getObjectCount()).isEqualTo(1);
        v1.deleteObject(b, "pending-1");
        ossError("BucketNotEmpty", () -> v1.deleteBucket(b));

        v1.abortMultipartUpload(new AbortMultipartUploadRequest(b, "pending-2", id2));
        assertThat(v1.getBucketStat(b).getMultipartUploadCount()).isZero();
        RawHttp.Resp del = raw("DELETE", b, null, "").send();
        assertThat(del.status()).isEqualTo(204);
        assertThat(v1.doesBucketExist(b)).isFalse();
    }

    @Test
    void bucketStatCountsTheListingBucketsUploads() {
        assertThat(v1.getBucketStat(listing).getMultipartUploadCount()).isEqualTo(KEYS.size());
        RawHttp.Resp r = raw("GET", listing, null, "stat").send();
        assertThat(element(r.text(), "MultipartUploadCount")).isEqualTo(Integer.toString(KEYS.size()));
    }

    /** Unsigned byte-wise comparison of UTF-8, the order OSS lists keys in. */
    static int compareUtf8(String a, String b) {
        return java.util.Arrays.compareUnsigned(bytes(a), bytes(b));
    }
}
