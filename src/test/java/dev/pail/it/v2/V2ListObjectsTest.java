package dev.pail.it.v2;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.sdk.service.oss2.OSSClient;
import com.aliyun.sdk.service.oss2.models.CommonPrefix;
import com.aliyun.sdk.service.oss2.models.ListObjectsRequest;
import com.aliyun.sdk.service.oss2.models.ListObjectsResult;
import com.aliyun.sdk.service.oss2.models.ListObjectsV2Request;
import com.aliyun.sdk.service.oss2.models.ListObjectsV2Result;
import com.aliyun.sdk.service.oss2.models.ObjectSummary;
import com.aliyun.sdk.service.oss2.models.PutBucketRequest;
import com.aliyun.sdk.service.oss2.models.PutObjectRequest;
import com.aliyun.sdk.service.oss2.paginator.PaginatorOptions;
import com.aliyun.sdk.service.oss2.transport.BinaryData;
import dev.pail.it.Clients;
import dev.pail.it.TestServer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ListObjects (V1) and ListObjectsV2, direct and through the SDK paginators. */
class V2ListObjectsTest {
    static TestServer server;
    static OSSClient c;
    static final String B = "v2-list";
    static final String EMPTY = "v2-list-empty";
    /** In UTF-8 byte order. */
    static final List<String> KEYS;
    static Instant before;

    static {
        List<String> k = new ArrayList<>(List.of(
                "a.txt", "b b+c~!*.txt", "dir/", "dir/a b+c~!*.txt", "dir/sub/x", "dir/sub/y", "dir/ü%20&<x>.txt",
                "dir2/z", "key&amp;", "zeta/日本語", "~tilde"));
        for (int i = 0; i < 12; i++) k.add(String.format("page/%02d", i));
        k.sort(Comparator.comparing(s -> s.getBytes(StandardCharsets.UTF_8), java.util.Arrays::compareUnsigned));
        KEYS = List.copyOf(k);
    }

    @BeforeAll
    static void start() {
        server = new TestServer();
        c = Clients.v2(server);
        before = Instant.now().minusSeconds(2);
        c.putBucket(PutBucketRequest.newBuilder().bucket(B).build());
        c.putBucket(PutBucketRequest.newBuilder().bucket(EMPTY).build());
        for (String k : KEYS) {
            c.putObject(PutObjectRequest.newBuilder().bucket(B).key(k).body(BinaryData.fromString(k)).build());
        }
    }

    @AfterAll
    static void stop() throws Exception {
        c.close();
        server.close();
    }

    static long size(String key) { return key.getBytes(StandardCharsets.UTF_8).length; }

    @Test
    void listObjectsV1AllKeysDecoded() {
        ListObjectsResult r = c.listObjects(ListObjectsRequest.newBuilder().bucket(B).build());
        assertThat(r.name()).isEqualTo(B);
        assertThat(r.isTruncated()).isFalse();
        assertThat(r.maxKeys()).isEqualTo(100);
        assertThat(r.encodingType()).isEqualTo("url");
        assertThat(r.contents()).extracting(ObjectSummary::key).containsExactlyElementsOf(KEYS);
        for (ObjectSummary s : r.contents()) {
            assertThat(s.size()).isEqualTo(size(s.key()));
            assertThat(s.eTag()).matches("\"[0-9A-F]{32}\"");
            assertThat(s.type()).isEqualTo("Normal");
            assertThat(s.storageClass()).isEqualTo("Standard");
            assertThat(s.lastModified()).isBetween(before, Instant.now().plusSeconds(2));
            assertThat(s.owner()).isNotNull();
            assertThat(s.owner().id()).isNotBlank();
        }
    }

    @Test
    void listObjectsV1DelimiterAndPrefix() {
        ListObjectsResult root = c.listObjects(ListObjectsRequest.newBuilder().bucket(B).delimiter("/").build());
        assertThat(root.delimiter()).isEqualTo("/");
        assertThat(root.contents()).extracting(ObjectSummary::key).containsExactly("a.txt", "b b+c~!*.txt", "key&amp;", "~tilde");
        assertThat(root.commonPrefixes()).extracting(CommonPrefix::prefix).containsExactly("dir/", "dir2/", "page/", "zeta/");

        ListObjectsResult dir = c.listObjects(ListObjectsRequest.newBuilder().bucket(B).prefix("dir/").delimiter("/").build());
        assertThat(dir.prefix()).isEqualTo("dir/");
        assertThat(dir.contents()).extracting(ObjectSummary::key).containsExactly("dir/", "dir/a b+c~!*.txt", "dir/ü%20&<x>.txt");
        assertThat(dir.commonPrefixes()).extracting(CommonPrefix::prefix).containsExactly("dir/sub/");
    }

    @Test
    void encodedPrefixMarkerAndStartAfterRoundTrip() {
        ListObjectsResult r = c.listObjects(ListObjectsRequest.newBuilder().bucket(B).prefix("dir/ü").delimiter("/").build());
        assertThat(r.prefix()).isEqualTo("dir/ü");
        assertThat(r.contents()).extracting(ObjectSummary::key).containsExactly("dir/ü%20&<x>.txt");
        ListObjectsResult m = c.listObjects(ListObjectsRequest.newBuilder().bucket(B).prefix("dir/").marker("dir/a b+c~!*.txt").build());
        assertThat(m.marker()).isEqualTo("dir/a b+c~!*.txt");
        assertThat(m.contents()).extracting(ObjectSummary::key).containsExactly("dir/sub/x", "dir/sub/y", "dir/ü%20&<x>.txt");
        ListObjectsV2Result v2 = c.listObjectsV2(ListObjectsV2Request.newBuilder().bucket(B).startAfter("b b+c~!*.txt").maxKeys(1L).build());
        assertThat(v2.startAfter()).isEqualTo("b b+c~!*.txt");
        assertThat(v2.contents()).extracting(ObjectSummary::key).containsExactly("dir/");
    }

    @Test
    void listObjectsV1MarkerPagination() {
        List<String> seen = new ArrayList<>();
        String marker = null;
        int pages = 0;
        do {
            ListObjectsRequest.Builder b = ListObjectsRequest.newBuilder().bucket(B).maxKeys(4L);
            if (marker != null) b.marker(marker);
            ListObjectsResult r = c.listObjects(b.build());
            pages++;
            assertThat(r.maxKeys()).isEqualTo(4);
            r.contents().forEach(s -> seen.add(s.key()));
            if (r.isTruncated()) {
                assertThat(r.nextMarker()).isEqualTo(seen.getLast());
                marker = r.nextMarker();
            } else {
                marker = null;
            }
        } while (marker != null);
        assertThat(seen).containsExactlyElementsOf(KEYS);
        assertThat(pages).isEqualTo((KEYS.size() + 3) / 4);
    }

    @Test
    void listObjectsV1Paginator() {
        List<String> seen = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        for (ListObjectsResult page : c.listObjectsPaginator(ListObjectsRequest.newBuilder().bucket(B).prefix("page/").build(),
                PaginatorOptions.newBuilder().limit(5L).build())) {
            sizes.add(page.contents().size());
            page.contents().forEach(s -> seen.add(s.key()));
        }
        assertThat(sizes).containsExactly(5, 5, 2);
        assertThat(seen).containsExactlyElementsOf(KEYS.stream().filter(k -> k.startsWith("page/")).toList());
    }

    @Test
    void listObjectsV2Basics() {
        ListObjectsV2Result r = c.listObjectsV2(ListObjectsV2Request.newBuilder().bucket(B).build());
        assertThat(r.name()).isEqualTo(B);
        assertThat(r.keyCount()).isEqualTo(KEYS.size());
        assertThat(r.isTruncated()).isFalse();
        assertThat(r.contents()).extracting(ObjectSummary::key).containsExactlyElementsOf(KEYS);
        assertThat(r.contents()).allSatisfy(s -> assertThat(s.owner()).as("no owner without fetch-owner").isNull());

        ListObjectsV2Result withOwner = c.listObjectsV2(ListObjectsV2Request.newBuilder().bucket(B).fetchOwner(true).maxKeys(3L).build());
        assertThat(withOwner.contents()).hasSize(3).allSatisfy(s -> assertThat(s.owner().id()).isNotBlank());
    }

    @Test
    void listObjectsV2DelimiterStartAfterAndTokens() {
        ListObjectsV2Result root = c.listObjectsV2(ListObjectsV2Request.newBuilder().bucket(B).delimiter("/").build());
        assertThat(root.keyCount()).isEqualTo(8);
        assertThat(root.commonPrefixes()).extracting(CommonPrefix::prefix).containsExactly("dir/", "dir2/", "page/", "zeta/");

        ListObjectsV2Result after = c.listObjectsV2(ListObjectsV2Request.newBuilder().bucket(B).startAfter("dir/sub/y").maxKeys(2L).build());
        assertThat(after.startAfter()).isEqualTo("dir/sub/y");
        assertThat(after.contents()).extracting(ObjectSummary::key).containsExactly("dir/ü%20&<x>.txt", "dir2/z");
        assertThat(after.isTruncated()).isTrue();
        assertThat(after.nextContinuationToken()).isNotBlank();

        ListObjectsV2Result next = c.listObjectsV2(ListObjectsV2Request.newBuilder().bucket(B)
                .continuationToken(after.nextContinuationToken()).maxKeys(2L).build());
        assertThat(next.continuationToken()).isEqualTo(after.nextContinuationToken());
        assertThat(next.contents()).extracting(ObjectSummary::key).containsExactly(
                KEYS.get(KEYS.indexOf("dir2/z") + 1), KEYS.get(KEYS.indexOf("dir2/z") + 2));

        // pages of common prefixes and keys mixed
        List<String> entries = new ArrayList<>();
        String token = null;
        do {
            ListObjectsV2Request.Builder b = ListObjectsV2Request.newBuilder().bucket(B).delimiter("/").maxKeys(3L);
            if (token != null) b.continuationToken(token);
            ListObjectsV2Result p = c.listObjectsV2(b.build());
            assertThat(p.keyCount()).isEqualTo(p.contents().size() + p.commonPrefixes().size()).isLessThanOrEqualTo(3);
            p.contents().forEach(s -> entries.add(s.key()));
            p.commonPrefixes().forEach(cp -> entries.add(cp.prefix()));
            token = p.isTruncated() ? p.nextContinuationToken() : null;
        } while (token != null);
        assertThat(entries).containsExactlyInAnyOrder("a.txt", "b b+c~!*.txt", "key&amp;", "~tilde", "dir/", "dir2/", "page/", "zeta/");
    }

    @Test
    void listObjectsV2Paginator() {
        List<String> seen = new ArrayList<>();
        int pages = 0;
        for (ListObjectsV2Result page : c.listObjectsV2Paginator(ListObjectsV2Request.newBuilder().bucket(B).maxKeys(5L).build())) {
            pages++;
            page.contents().forEach(s -> seen.add(s.key()));
        }
        assertThat(seen).containsExactlyElementsOf(KEYS);
        assertThat(pages).isEqualTo((KEYS.size() + 4) / 5);
    }

    @Test
    void emptyBucketAndNoMatch() {
        ListObjectsResult r = c.listObjects(ListObjectsRequest.newBuilder().bucket(EMPTY).build());
        assertThat(r.contents()).isNullOrEmpty();
        assertThat(r.isTruncated()).isFalse();
        ListObjectsV2Result v2 = c.listObjectsV2(ListObjectsV2Request.newBuilder().bucket(B).prefix("nothing/").build());
        assertThat(v2.keyCount()).isZero();
        assertThat(v2.contents()).isNullOrEmpty();
    }
}
