package dev.pail.it.bucket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSException;
import com.aliyun.oss.model.AccessControlList;
import com.aliyun.oss.model.BucketVersioningConfiguration;
import com.aliyun.oss.model.DeleteObjectsRequest;
import com.aliyun.oss.model.DeleteObjectsResult;
import com.aliyun.oss.model.ListMultipartUploadsRequest;
import com.aliyun.oss.model.ListObjectsRequest;
import com.aliyun.oss.model.MultipartUploadListing;
import com.aliyun.oss.model.OSSObjectSummary;
import com.aliyun.oss.model.ObjectListing;
import com.aliyun.sdk.service.oss2.OSSClient;
import com.aliyun.sdk.service.oss2.models.DeleteBucketRequest;
import com.aliyun.sdk.service.oss2.models.DeleteMultipleObjectsRequest;
import com.aliyun.sdk.service.oss2.models.DeleteMultipleObjectsResult;
import com.aliyun.sdk.service.oss2.models.DeleteObject;
import com.aliyun.sdk.service.oss2.models.DeletedInfo;
import com.aliyun.sdk.service.oss2.models.GetObjectMetaRequest;
import com.aliyun.sdk.service.oss2.models.ListMultipartUploadsRequest.Builder;
import com.aliyun.sdk.service.oss2.models.ListMultipartUploadsResult;
import com.aliyun.sdk.service.oss2.models.ListObjectVersionsRequest;
import com.aliyun.sdk.service.oss2.models.ListObjectVersionsResult;
import com.aliyun.sdk.service.oss2.models.ObjectVersion;
import com.aliyun.sdk.service.oss2.models.PutBucketRequest;
import com.aliyun.sdk.service.oss2.models.PutObjectRequest;
import com.aliyun.sdk.service.oss2.transport.BinaryData;
import dev.pail.it.Clients;
import dev.pail.it.TestServer;
import java.io.ByteArrayInputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The bucket clean-up flows of the SDKs' own test fixtures (client-flows.md "Emptying a bucket"). */
class CleanupFlowTest {
    /** Keys that need url encoding in listings: space, plus, tilde, reserved, non-ASCII, XML specials, percent. */
    static final List<String> KEYS = List.of(
            "plain.txt", "dir/a b+c~!*.txt", "dir/ü%20&<x>.txt", "dir/sub/deep/", "x'\"()=;,$@#.bin", "日本語/ファイル");

    static TestServer server;

    @BeforeAll
    static void start() { server = new TestServer(); }

    @AfterAll
    static void stop() { server.close(); }

    // ---- Java V1 --------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"V1", "V4"})
    void j1CleanupFlow(String mode) {
        OSS oss = mode.equals("V1") ? Clients.v1(server) : Clients.v4(server);
        try {
            String b = "oss-java-sdk-" + System.currentTimeMillis() + "-" + mode.toLowerCase();
            oss.createBucket(b);
            for (String k : KEYS) oss.putObject(b, k, new ByteArrayInputStream(k.getBytes(StandardCharsets.UTF_8)));
            // a second batch to make the listing paginate at max-keys 4
            for (int i = 0; i < 5; i++) oss.putObject(b, "many/" + i, new ByteArrayInputStream(new byte[i]));

            // 1. GetBucketAcl: the bucket is there
            AccessControlList acl = oss.getBucketAcl(b);
            assertThat(acl.getOwner()).isNotNull();
            // 2. ListMultipartUploads: needs Bucket, MaxUploads, IsTruncated
            MultipartUploadListing uploads = oss.listMultipartUploads(new ListMultipartUploadsRequest(b));
            assertThat(uploads.getBucketName()).isEqualTo(b);
            assertThat(uploads.getMaxUploads()).isEqualTo(1000);
            assertThat(uploads.isTruncated()).isFalse();
            assertThat(uploads.getMultipartUploads()).isEmpty();
            // 3. GetBucketVersioning: never configured → <VersioningConfiguration/>, which J1 reports as status null
            BucketVersioningConfiguration v = oss.getBucketVersioning(b);
            assertThat(v.getStatus()).isNull();
            // 4. ListObjects?encoding-type=url, paged; 5. DeleteObjects per page
            List<String> listed = new ArrayList<>();
            String marker = null;
            int pages = 0;
            do {
                ObjectListing page = oss.listObjects(new ListObjectsRequest(b).withEncodingType("url").withMaxKeys(4).withMarker(marker));
                pages++;
                assertThat(page.getEncodingType()).isEqualTo("url");
                List<String> keys = new ArrayList<>();
                for (OSSObjectSummary s : page.getObjectSummaries()) {
                    assertThat(s.getOwner()).isNotNull();
                    assertThat(s.getOwner().getId()).isNotBlank();
                    // J1 leaves keys url-encoded when the caller chose the encoding type (core.md §7.7)
                    keys.add(URLDecoder.decode(s.getKey(), StandardCharsets.UTF_8));
                }
                listed.addAll(keys);
                marker = page.isTruncated() ? URLDecoder.decode(page.getNextMarker(), StandardCharsets.UTF_8) : null;
                if (!keys.isEmpty()) {
                    DeleteObjectsResult del = oss.deleteObjects(new DeleteObjectsRequest(b).withKeys(keys).withEncodingType("url"));
                    // likewise for the DeleteResult keys (J1 sends encoding-type as a request header)
                    assertThat(del.getEncodingType()).isEqualTo("url");
                    assertThat(del.getDeletedObjects()).extracting(k -> URLDecoder.decode(k, StandardCharsets.UTF_8))
                            .containsExactlyInAnyOrderElementsOf(keys);
                }
            } while (marker != null);
            assertThat(pages).isEqualTo(3);
            List<String> expected = new ArrayList<>(KEYS);
            for (int i = 0; i < 5; i++) expected.add("many/" + i);
            assertThat(listed).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(oss.listObjects(b).getObjectSummaries()).isEmpty();
            // 6. DeleteBucket, then GetBucketAcl says NoSuchBucket
            oss.deleteBucket(b);
            OSSException gone = catchThrowableOfType(OSSException.class, () -> oss.getBucketAcl(b));
            assertThat(gone.getErrorCode()).isEqualTo("NoSuchBucket");
            assertThat(oss.doesBucketExist(b)).isFalse();
        } finally {
            oss.shutdown();
        }
    }

    @Test
    void j1DeleteObjectsWithoutEncodingAndQuiet() {
        OSS oss = Clients.v1(server);
        try {
            String b = "j1-quiet-" + System.nanoTime();
            oss.createBucket(b);
            for (String k : KEYS) oss.putObject(b, k, new ByteArrayInputStream(k.getBytes(StandardCharsets.UTF_8)));
            DeleteObjectsResult verbose = oss.deleteObjects(new DeleteObjectsRequest(b).withKeys(KEYS.subList(0, 3)));
            assertThat(verbose.getDeletedObjects()).containsExactlyInAnyOrderElementsOf(KEYS.subList(0, 3));
            DeleteObjectsResult quiet = oss.deleteObjects(new DeleteObjectsRequest(b).withKeys(new ArrayList<>(KEYS.subList(3, KEYS.size()))).withQuiet(true));
            assertThat(quiet.getDeletedObjects()).isEmpty();
            assertThat(oss.listObjects(b).getObjectSummaries()).isEmpty();
            oss.deleteBucket(b);
        } finally {
            oss.shutdown();
        }
    }

    // ---- Java V2 --------------------------------------------------------------------------

    @Test
    void v2CleanupFlow() throws Exception {
        try (OSSClient c = Clients.v2(server)) {
            String b = "oss-java-sdk-v2-" + System.currentTimeMillis();
            c.putBucket(PutBucketRequest.newBuilder().bucket(b).build());
            for (String k : KEYS) {
                c.putObject(PutObjectRequest.newBuilder().bucket(b).key(k).body(BinaryData.fromString(k)).build());
            }
            assertThat(c.doesBucketExist(b)).isTrue();
            for (String k : KEYS) {
                assertThat(c.doesObjectExist(b, k)).as(k).isTrue();
                assertThat(c.doesObjectExistLegacy(b, k)).as(k).isTrue();
            }

            // 1. ListObjectVersions on an unversioned bucket: version id "null", paged by 4
            List<DeleteObject> toDelete = new ArrayList<>();
            int pages = 0;
            for (ListObjectVersionsResult page : c.listObjectVersionsPaginator(
                    ListObjectVersionsRequest.newBuilder().bucket(b).maxKeys(4L).build())) {
                pages++;
                assertThat(page.name()).isEqualTo(b);
                assertThat(page.deleteMarkers()).isEmpty();
                for (ObjectVersion v : page.versions()) {
                    assertThat(v.versionId()).isEqualTo("null");
                    assertThat(v.isLatest()).isTrue();
                    assertThat(v.owner()).isNotNull();
                    assertThat(v.size()).isEqualTo(v.key().getBytes(StandardCharsets.UTF_8).length);
                    toDelete.add(DeleteObject.newBuilder().key(v.key()).versionId(v.versionId()).build());
                }
            }
            assertThat(pages).isEqualTo(2);
            assertThat(toDelete).extracting(DeleteObject::key).containsExactlyInAnyOrderElementsOf(KEYS);

            // 2. DeleteMultipleObjects with those version ids
            DeleteMultipleObjectsResult del = c.deleteMultipleObjects(
                    DeleteMultipleObjectsRequest.newBuilder().bucket(b).deleteObjects(toDelete).build());
            assertThat(del.deletedObjects()).extracting(DeletedInfo::key).containsExactlyInAnyOrderElementsOf(KEYS);
            for (String k : KEYS) assertThat(c.doesObjectExist(b, k)).as(k).isFalse();

            // 3. ListMultipartUploads?max-uploads=1000
            Builder lmu = com.aliyun.sdk.service.oss2.models.ListMultipartUploadsRequest.newBuilder().bucket(b).maxUploads(1000L);
            ListMultipartUploadsResult uploads = c.listMultipartUploads(lmu.build());
            assertThat(uploads.bucket()).isEqualTo(b);
            assertThat(uploads.isTruncated()).isFalse();
            assertThat(uploads.maxUploads()).isEqualTo(1000L);
            assertThat(uploads.uploads()).isEmpty();

            // 4. DeleteBucket
            assertThat(c.deleteBucket(DeleteBucketRequest.newBuilder().bucket(b).build()).statusCode()).isEqualTo(204);
            assertThat(c.doesBucketExist(b)).isFalse();
        }
    }

    @Test
    void v2ExistenceHelpersOnMissingThings() throws Exception {
        try (OSSClient c = Clients.v2(server)) {
            String b = "v2-exist-" + System.nanoTime();
            assertThat(c.doesBucketExist(b)).isFalse();
            c.putBucket(PutBucketRequest.newBuilder().bucket(b).build());
            assertThat(c.doesBucketExist(b)).isTrue();
            assertThat(c.doesObjectExist(b, "absent")).isFalse();
            assertThat(c.doesObjectExistLegacy(b, "absent")).isFalse();
            assertThat(c.doesObjectExist(GetObjectMetaRequest.newBuilder().bucket(b).key("absent/x").build())).isFalse();
            c.deleteBucket(DeleteBucketRequest.newBuilder().bucket(b).build());
        }
    }
}
