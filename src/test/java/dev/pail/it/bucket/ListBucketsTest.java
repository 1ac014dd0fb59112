package dev.pail.it.bucket;

import dev.pail.it.V2Errors;
import dev.pail.it.OssHttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSException;
import com.aliyun.oss.model.Bucket;
import com.aliyun.oss.model.BucketList;
import com.aliyun.oss.model.ListBucketsRequest;
import com.aliyun.oss.model.StorageClass;
import com.aliyun.sdk.service.oss2.OSSClient;
import com.aliyun.sdk.service.oss2.models.BucketSummary;
import com.aliyun.sdk.service.oss2.models.CreateBucketConfiguration;
import com.aliyun.sdk.service.oss2.models.ListBucketsResult;
import com.aliyun.sdk.service.oss2.models.PutBucketRequest;
import com.aliyun.sdk.service.oss2.paginator.PaginatorOptions;
import dev.pail.it.Clients;
import dev.pail.it.TestServer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** ListBuckets with prefix, marker and max-keys over 12 buckets (plus 2 decoys) with J1 (V1, V4) and J2. */
class ListBucketsTest {
    static TestServer server;
    static OSSClient v2;
    static Instant before;
    static final List<String> LB = IntStream.range(0, 12).mapToObj(i -> String.format("lb-%02d", i)).toList();

    @BeforeAll
    static void start() {
        server = new TestServer();
        v2 = Clients.v2(server);
        before = Instant.now().minusSeconds(2);
        for (String b : LB) {
            v2.putBucket(PutBucketRequest.newBuilder().bucket(b).createBucketConfiguration(
                    CreateBucketConfiguration.newBuilder().storageClass(b.equals("lb-03") ? "IA" : "Standard").build()).build());
        }
        v2.putBucket(PutBucketRequest.newBuilder().bucket("decoy-a").build());
        v2.putBucket(PutBucketRequest.newBuilder().bucket("zz-decoy").build());
    }

    @AfterAll
    static void stop() throws Exception {
        v2.close();
        server.close();
    }

    String hostPort() { return "127.0.0.1:" + server.port(); }

    static OSS j1(String mode) { return mode.equals("V1") ? Clients.v1(server) : Clients.v4(server); }

    @ParameterizedTest
    @ValueSource(strings = {"V1", "V4"})
    void j1PaginatesWithPrefixMarkerMaxKeys(String mode) {
        OSS oss = j1(mode);
        try {
            List<String> seen = new ArrayList<>();
            List<Integer> pageSizes = new ArrayList<>();
            String marker = null;
            while (true) {
                BucketList page = oss.listBuckets(new ListBucketsRequest("lb-", marker, 5));
                assertThat(page.getPrefix()).isEqualTo("lb-");
                assertThat(page.getMaxKeys()).isEqualTo(5);
                pageSizes.add(page.getBucketList().size());
                for (Bucket b : page.getBucketList()) {
                    seen.add(b.getName());
                    assertThat(b.getLocation()).isEqualTo("oss-cn-hangzhou");
                    assertThat(b.getRegion()).isEqualTo("cn-hangzhou");
                    assertThat(b.getExtranetEndpoint()).isEqualTo(hostPort());
                    assertThat(b.getIntranetEndpoint()).isEqualTo(hostPort());
                    assertThat(b.getCreationDate().toInstant()).isBetween(before, Instant.now().plusSeconds(2));
                    assertThat(b.getStorageClass()).isEqualTo(b.getName().equals("lb-03") ? StorageClass.IA : StorageClass.Standard);
                    assertThat(b.getOwner()).isNotNull();
                    assertThat(b.getOwner().getId()).isNotBlank();
                }
                if (!page.isTruncated()) {
                    assertThat(page.getNextMarker()).isNullOrEmpty();
                    break;
                }
                assertThat(page.getNextMarker()).isEqualTo(seen.getLast());
                marker = page.getNextMarker();
            }
            assertThat(seen).containsExactlyElementsOf(LB);
            assertThat(pageSizes).containsExactly(5, 5, 2);
        } finally {
            oss.shutdown();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"V1", "V4"})
    void j1MarkerIsExclusiveAndPrefixFilters(String mode) {
        OSS oss = j1(mode);
        try {
            BucketList after = oss.listBuckets(new ListBucketsRequest("lb-", "lb-05", 100));
            assertThat(after.getBucketList()).extracting(Bucket::getName).containsExactlyElementsOf(LB.subList(6, 12));
            assertThat(after.getMarker()).isEqualTo("lb-05");
            assertThat(after.isTruncated()).isFalse();

            BucketList none = oss.listBuckets(new ListBucketsRequest("nothing-", null, 10));
            assertThat(none.getBucketList()).isEmpty();
            assertThat(none.isTruncated()).isFalse();

            // no prefix, marker past the lb- buckets: just the last decoy
            BucketList tail = oss.listBuckets(new ListBucketsRequest(null, "lb-11", 10));
            assertThat(tail.getBucketList()).extracting(Bucket::getName).containsExactly("zz-decoy");

            List<Bucket> all = oss.listBuckets();
            assertThat(all).extracting(Bucket::getName).containsSubsequence("decoy-a", "lb-00", "lb-11", "zz-decoy").hasSize(14);
            assertThat(all).extracting(Bucket::getName).isSorted();
        } finally {
            oss.shutdown();
        }
    }

    @Test
    void j1MaxKeysZeroIsInvalidArgument() {
        OSS oss = j1("V1");
        try {
            OSSException e = catchThrowableOfType(OSSException.class, () -> oss.listBuckets(new ListBucketsRequest(null, null, 0)));
            assertThat(e.getErrorCode()).isEqualTo("InvalidArgument");
            assertThat(e.getErrorFields()).containsEntry("ArgumentName", "max-keys");
        } finally {
            oss.shutdown();
        }
    }

    @Test
    void v2PaginatesWithPrefixMarkerMaxKeys() {
        List<String> seen = new ArrayList<>();
        String marker = null;
        int pages = 0;
        while (true) {
            var req = com.aliyun.sdk.service.oss2.models.ListBucketsRequest.newBuilder().prefix("lb-").maxKeys(5L);
            if (marker != null) req.marker(marker);
            ListBucketsResult page = v2.listBuckets(req.build());
            pages++;
            assertThat(page.owner()).isNotNull();
            assertThat(page.owner().id()).isNotBlank();
            assertThat(page.prefix()).isEqualTo("lb-");
            assertThat(page.maxKeys()).isEqualTo(5L);
            for (BucketSummary b : page.buckets()) {
                seen.add(b.name());
                assertThat(b.location()).isEqualTo("oss-cn-hangzhou");
                assertThat(b.region()).isEqualTo("cn-hangzhou");
                assertThat(b.extranetEndpoint()).isEqualTo(hostPort());
                assertThat(b.intranetEndpoint()).isEqualTo(hostPort());
                assertThat(b.storageClass()).isEqualTo(b.name().equals("lb-03") ? "IA" : "Standard");
                assertThat(b.creationDate()).isBetween(before, Instant.now().plusSeconds(2));
            }
            if (!page.isTruncated()) break;
            marker = page.nextMarker();
            assertThat(marker).isEqualTo(seen.getLast());
        }
        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactlyElementsOf(LB);
    }

    @Test
    void v2Paginator() {
        List<String> seen = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        for (ListBucketsResult page : v2.listBucketsPaginator(
                com.aliyun.sdk.service.oss2.models.ListBucketsRequest.newBuilder().prefix("lb-").build(),
                PaginatorOptions.newBuilder().limit(4L).build())) {
            sizes.add(page.buckets().size());
            page.buckets().forEach(b -> seen.add(b.name()));
        }
        assertThat(sizes).containsExactly(4, 4, 4);
        assertThat(seen).containsExactlyElementsOf(LB);

        List<String> everything = new ArrayList<>();
        for (ListBucketsResult page : v2.listBucketsPaginator(com.aliyun.sdk.service.oss2.models.ListBucketsRequest.newBuilder().build())) {
            page.buckets().forEach(b -> everything.add(b.name()));
        }
        assertThat(everything).hasSize(14).isSorted().contains("decoy-a", "zz-decoy");
    }

    /** The wire document itself: every element oss2 / client-flows.md require, ISO dates with .000Z. */
    @Test
    void rawDocumentHasEveryRequiredElement() throws Exception {
        var r = new OssHttp(server).send("GET", "/?prefix=lb-&marker=lb-01&max-keys=2", "/", java.util.Map.of(), null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.firstHeader("Content-Type")).hasValue("application/xml");
        String xml = r.text();
        assertThat(xml).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
        assertThat(OssHttp.element(xml, "Prefix")).isEqualTo("lb-");
        assertThat(OssHttp.element(xml, "Marker")).isEqualTo("lb-01");
        assertThat(OssHttp.element(xml, "MaxKeys")).isEqualTo("2");
        assertThat(OssHttp.element(xml, "IsTruncated")).isEqualTo("true");
        assertThat(OssHttp.element(xml, "NextMarker")).isEqualTo("lb-03");
        assertThat(OssHttp.element(xml, "Owner")).contains("<ID>").contains("<DisplayName>");
        String bucket = OssHttp.element(xml, "Bucket");
        assertThat(OssHttp.element(bucket, "Name")).isEqualTo("lb-02");
        assertThat(OssHttp.element(bucket, "CreationDate")).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.000Z");
        assertThat(OssHttp.element(bucket, "Location")).isEqualTo("oss-cn-hangzhou");
        assertThat(OssHttp.element(bucket, "Region")).isEqualTo("cn-hangzhou");
        assertThat(OssHttp.element(bucket, "ExtranetEndpoint")).isEqualTo(hostPort());
        assertThat(OssHttp.element(bucket, "IntranetEndpoint")).isEqualTo(hostPort());
        assertThat(OssHttp.element(bucket, "StorageClass")).isEqualTo("Standard");
        assertThat(xml.split("<Bucket>", -1)).hasSize(3);
        assertThat(r.firstHeader("x-oss-request-id").orElseThrow()).matches("[0-9A-F]{24}");
        assertThat(r.firstHeader("Server")).hasValue("AliyunOSS");
    }

    /** Endpoints echo whatever host:port the client addressed, e.g. localhost (path style for J1 and J2). */
    @Test
    void endpointsFollowTheHostTheClientUsed() throws Exception {
        String endpoint = "http://localhost:" + server.port();
        OSS oss = new com.aliyun.oss.OSSClientBuilder().build(endpoint, TestServer.AK, TestServer.SK,
                new com.aliyun.oss.ClientBuilderConfiguration());
        try {
            BucketList page = oss.listBuckets(new ListBucketsRequest("lb-", null, 1));
            assertThat(page.getBucketList().getFirst().getExtranetEndpoint()).isEqualTo("localhost:" + server.port());
            assertThat(oss.getBucketInfo("lb-00").getBucket().getIntranetEndpoint()).isEqualTo("localhost:" + server.port());
        } finally {
            oss.shutdown();
        }
        try (OSSClient c = OSSClient.newBuilder().endpoint(endpoint).region("cn-hangzhou")
                .credentialsProvider(new com.aliyun.sdk.service.oss2.credentials.StaticCredentialsProvider(TestServer.AK, TestServer.SK))
                .build()) {
            ListBucketsResult r = c.listBuckets(com.aliyun.sdk.service.oss2.models.ListBucketsRequest.newBuilder().prefix("lb-0").build());
            assertThat(r.buckets()).hasSize(10).allSatisfy(b -> assertThat(b.extranetEndpoint()).isEqualTo("localhost:" + server.port()));
        }
    }

    @Test
    void v2InvalidMaxKeys() {
        V2Errors.expect(400, "InvalidArgument",
                () -> v2.listBuckets(com.aliyun.sdk.service.oss2.models.ListBucketsRequest.newBuilder().maxKeys(1001L).build()));
    }
}
