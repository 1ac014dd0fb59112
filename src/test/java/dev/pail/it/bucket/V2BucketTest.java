package dev.pail.it.bucket;

import dev.pail.it.V2Errors;
import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.sdk.service.oss2.OSSClient;
import com.aliyun.sdk.service.oss2.models.BucketInfo;
import com.aliyun.sdk.service.oss2.models.BucketStat;
import com.aliyun.sdk.service.oss2.models.CreateBucketConfiguration;
import com.aliyun.sdk.service.oss2.models.DeleteBucketRequest;
import com.aliyun.sdk.service.oss2.models.DeleteBucketResult;
import com.aliyun.sdk.service.oss2.models.DeleteObjectRequest;
import com.aliyun.sdk.service.oss2.models.GetBucketAclRequest;
import com.aliyun.sdk.service.oss2.models.GetBucketAclResult;
import com.aliyun.sdk.service.oss2.models.GetBucketInfoRequest;
import com.aliyun.sdk.service.oss2.models.GetBucketLocationRequest;
import com.aliyun.sdk.service.oss2.models.GetBucketStatRequest;
import com.aliyun.sdk.service.oss2.models.PutBucketAclRequest;
import com.aliyun.sdk.service.oss2.models.PutBucketRequest;
import com.aliyun.sdk.service.oss2.models.PutBucketResult;
import com.aliyun.sdk.service.oss2.models.PutObjectRequest;
import com.aliyun.sdk.service.oss2.transport.BinaryData;
import dev.pail.it.Clients;
import dev.pail.it.TestServer;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bucket operations through alibabacloud-oss-v2 (J2, V4 signatures). */
class V2BucketTest {
    static TestServer server;
    static OSSClient c;
    static final AtomicInteger seq = new AtomicInteger();

    @BeforeAll
    static void start() {
        server = new TestServer();
        c = Clients.v2(server);
    }

    @AfterAll
    static void stop() throws Exception {
        c.close();
        server.close();
    }

    static String name(String what) { return "v2b-" + what + "-" + seq.incrementAndGet(); }

    String hostPort() { return "127.0.0.1:" + server.port(); }

    private static void put(String b, String key, int size) {
        c.putObject(PutObjectRequest.newBuilder().bucket(b).key(key).body(BinaryData.fromBytes(new byte[size])).build());
    }

    private static void delete(String b, String key) {
        c.deleteObject(DeleteObjectRequest.newBuilder().bucket(b).key(key).build());
    }

    private static BucketInfo info(String b) {
        return c.getBucketInfo(GetBucketInfoRequest.newBuilder().bucket(b).build()).bucketInfo();
    }

    private static String grant(String b) {
        GetBucketAclResult r = c.getBucketAcl(GetBucketAclRequest.newBuilder().bucket(b).build());
        return r.accessControlPolicy().accessControlList().grant();
    }

    @Test
    void createWithAclAndStorageClassThenInfoLocationAcl() {
        String b = name("info");
        Instant before = Instant.now().minusSeconds(2);
        PutBucketResult created = c.putBucket(PutBucketRequest.newBuilder().bucket(b).acl("public-read-write")
                .createBucketConfiguration(CreateBucketConfiguration.newBuilder().storageClass("Archive").dataRedundancyType("ZRS").build())
                .build());
        assertThat(created.statusCode()).isEqualTo(200);
        assertThat(created.requestId()).matches("[0-9A-F]{24}");

        BucketInfo i = info(b);
        assertThat(i.name()).isEqualTo(b);
        assertThat(i.storageClass()).isEqualTo("Archive");
        assertThat(i.dataRedundancyType()).isEqualTo("ZRS");
        assertThat(i.location()).isEqualTo("oss-cn-hangzhou");
        assertThat(i.extranetEndpoint()).isEqualTo(hostPort());
        assertThat(i.intranetEndpoint()).isEqualTo(hostPort());
        assertThat(i.accessControlList().grant()).isEqualTo("public-read-write");
        assertThat(i.owner().id()).isNotBlank();
        assertThat(i.owner().displayName()).isNotBlank();
        assertThat(i.creationDate()).isBetween(before, Instant.now().plusSeconds(2));
        assertThat(i.blockPublicAccess()).isFalse();
        assertThat(i.serverSideEncryptionRule()).isNotNull();
        assertThat(i.versioning()).as("Versioning only once configured").isNull();

        assertThat(c.getBucketLocation(GetBucketLocationRequest.newBuilder().bucket(b).build()).locationConstraint())
                .isEqualTo("oss-cn-hangzhou");
        assertThat(grant(b)).isEqualTo("public-read-write");
        c.deleteBucket(DeleteBucketRequest.newBuilder().bucket(b).build());
    }

    @Test
    void defaultCreateSendsStandardAndIsPrivate() {
        String b = name("dflt");
        c.putBucket(PutBucketRequest.newBuilder().bucket(b).build());
        BucketInfo i = info(b);
        assertThat(i.storageClass()).isEqualTo("Standard");
        assertThat(i.dataRedundancyType()).isEqualTo("LRS");
        assertThat(i.accessControlList().grant()).isEqualTo("private");
        assertThat(grant(b)).isEqualTo("private");
        c.deleteBucket(DeleteBucketRequest.newBuilder().bucket(b).build());
    }

    @Test
    void recreateSameBucketIsOkAndKeepsObjects() {
        String b = name("again");
        c.putBucket(PutBucketRequest.newBuilder().bucket(b).build());
        put(b, "k", 7);
        PutBucketResult again = c.putBucket(PutBucketRequest.newBuilder().bucket(b).build());
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(c.doesObjectExist(b, "k")).isTrue();
        delete(b, "k");
        c.deleteBucket(DeleteBucketRequest.newBuilder().bucket(b).build());
    }

    @Test
    void putAndGetBucketAcl() {
        String b = name("acl");
        c.putBucket(PutBucketRequest.newBuilder().bucket(b).build());
        for (String a : new String[] {"public-read", "public-read-write", "private"}) {
            assertThat(c.putBucketAcl(PutBucketAclRequest.newBuilder().bucket(b).acl(a).build()).statusCode()).isEqualTo(200);
            assertThat(grant(b)).isEqualTo(a);
        }
        V2Errors.expect(400, "InvalidArgument", () -> c.putBucketAcl(PutBucketAclRequest.newBuilder().bucket(b).acl("nobody").build()));
        V2Errors.expect(404, "NoSuchBucket", () -> c.putBucketAcl(PutBucketAclRequest.newBuilder().bucket(name("none")).acl("private").build()));
        c.deleteBucket(DeleteBucketRequest.newBuilder().bucket(b).build());
    }

    @Test
    void bucketStatAfterPuts() {
        String b = name("stat");
        c.putBucket(PutBucketRequest.newBuilder().bucket(b).build());
        BucketStat s0 = c.getBucketStat(GetBucketStatRequest.newBuilder().bucket(b).build()).bucketStat();
        assertThat(s0.objectCount()).isZero();
        assertThat(s0.storage()).isZero();
        put(b, "one", 1);
        put(b, "kib", 1024);
        put(b, "mib", 1 << 20);
        BucketStat s = c.getBucketStat(GetBucketStatRequest.newBuilder().bucket(b).build()).bucketStat();
        assertThat(s.objectCount()).isEqualTo(3);
        assertThat(s.storage()).isEqualTo(1 + 1024 + (1 << 20));
        assertThat(s.standardObjectCount()).isEqualTo(3);
        assertThat(s.standardStorage()).isEqualTo(1 + 1024 + (1 << 20));
        assertThat(s.infrequentAccessObjectCount()).isZero();
        assertThat(s.archiveObjectCount()).isZero();
        assertThat(s.multipartUploadCount()).isZero();
        assertThat(s.liveChannelCount()).isZero();
        assertThat(s.deleteMarkerCount()).isZero();
        assertThat(s.lastModifiedTime()).isBetween(Instant.now().minusSeconds(60).getEpochSecond(), Instant.now().plusSeconds(2).getEpochSecond());
        for (String k : new String[] {"one", "kib", "mib"}) delete(b, k);
        c.deleteBucket(DeleteBucketRequest.newBuilder().bucket(b).build());
    }

    /** Objects uploaded without x-oss-storage-class take the bucket's class (features.md §10). */
    @Test
    void objectsInheritTheBucketStorageClassInStat() {
        String b = name("ia");
        c.putBucket(PutBucketRequest.newBuilder().bucket(b)
                .createBucketConfiguration(CreateBucketConfiguration.newBuilder().storageClass("IA").build()).build());
        put(b, "inherits", 10);
        c.putObject(PutObjectRequest.newBuilder().bucket(b).key("explicit").storageClass("Standard").body(BinaryData.fromBytes(new byte[20])).build());
        assertThat(c.headObject(com.aliyun.sdk.service.oss2.models.HeadObjectRequest.newBuilder().bucket(b).key("inherits").build())
                .storageClass()).isEqualTo("IA");
        BucketStat s = c.getBucketStat(GetBucketStatRequest.newBuilder().bucket(b).build()).bucketStat();
        assertThat(s.objectCount()).isEqualTo(2);
        assertThat(s.storage()).isEqualTo(30);
        assertThat(s.infrequentAccessObjectCount()).isEqualTo(1);
        assertThat(s.infrequentAccessStorage()).isEqualTo(10);
        assertThat(s.standardObjectCount()).isEqualTo(1);
        assertThat(s.standardStorage()).isEqualTo(20);
        delete(b, "inherits");
        delete(b, "explicit");
        c.deleteBucket(DeleteBucketRequest.newBuilder().bucket(b).build());
    }

    @Test
    void deleteBucketStatusesAndErrors() {
        String b = name("del");
        c.putBucket(PutBucketRequest.newBuilder().bucket(b).build());
        put(b, "x", 1);
        var notEmpty = V2Errors.expect(409, "BucketNotEmpty", () -> c.deleteBucket(DeleteBucketRequest.newBuilder().bucket(b).build()));
        assertThat(notEmpty.ec()).isNotBlank();
        assertThat(c.doesBucketExist(b)).isTrue();
        delete(b, "x");
        DeleteBucketResult r = c.deleteBucket(DeleteBucketRequest.newBuilder().bucket(b).build());
        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(r.requestId()).matches("[0-9A-F]{24}");
        assertThat(c.doesBucketExist(b)).isFalse();
        var missing = V2Errors.expect(404, "NoSuchBucket", () -> c.deleteBucket(DeleteBucketRequest.newBuilder().bucket(b).build()));
        assertThat(missing.errorFields()).containsEntry("BucketName", b);
        V2Errors.expect(404, "NoSuchBucket", () -> info(b));
        V2Errors.expect(404, "NoSuchBucket", () -> c.getBucketLocation(GetBucketLocationRequest.newBuilder().bucket(b).build()));
        V2Errors.expect(404, "NoSuchBucket", () -> c.getBucketStat(GetBucketStatRequest.newBuilder().bucket(b).build()));
        V2Errors.expect(404, "NoSuchBucket", () -> grant(b));
    }
}
