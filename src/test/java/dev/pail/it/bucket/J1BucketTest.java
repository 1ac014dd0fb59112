package dev.pail.it.bucket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSException;
import com.aliyun.oss.model.AccessControlList;
import com.aliyun.oss.model.Bucket;
import com.aliyun.oss.model.BucketInfo;
import com.aliyun.oss.model.BucketStat;
import com.aliyun.oss.model.CannedAccessControlList;
import com.aliyun.oss.model.CreateBucketRequest;
import com.aliyun.oss.model.DataRedundancyType;
import com.aliyun.oss.model.ObjectMetadata;
import com.aliyun.oss.model.StorageClass;
import com.aliyun.oss.model.VoidResult;
import dev.pail.it.Clients;
import dev.pail.it.TestServer;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bucket operations through aliyun-sdk-oss 3.18.5 (J1), once with V1 and once with V4 signatures. */
class J1BucketTest {
    static TestServer server;
    static final AtomicInteger seq = new AtomicInteger();

    @BeforeAll
    static void start() { server = new TestServer(); }

    @AfterAll
    static void stop() { server.close(); }

    static OSS client(String mode) {
        return mode.equals("V1") ? Clients.v1(server) : Clients.v4(server);
    }

    static String name(String mode, String what) {
        return "j1-" + mode.toLowerCase() + "-" + what + "-" + seq.incrementAndGet();
    }

    String hostPort() { return "127.0.0.1:" + server.port(); }

    private static void put(OSS oss, String bucket, String key, int size) {
        ObjectMetadata m = new ObjectMetadata();
        m.setContentLength(size);
        oss.putObject(bucket, key, new ByteArrayInputStream(new byte[size]), m);
    }

    @ParameterizedTest
    @ValueSource(strings = {"V1", "V4"})
    void createWithAclAndStorageClassThenInfo(String mode) {
        OSS oss = client(mode);
        try {
            String b = name(mode, "info");
            Instant before = Instant.now().minusSeconds(2);
            Bucket created = oss.createBucket(new CreateBucketRequest(b)
                    .withCannedACL(CannedAccessControlList.PublicRead)
                    .withStorageType(StorageClass.IA)
                    .withDataRedundancyType(DataRedundancyType.ZRS));
            assertThat(created.getName()).isEqualTo(b);

            BucketInfo info = oss.getBucketInfo(b);
            Bucket ib = info.getBucket();
            assertThat(ib.getName()).isEqualTo(b);
            assertThat(ib.getStorageClass()).isEqualTo(StorageClass.IA);
            assertThat(ib.getLocation()).isEqualTo("oss-cn-hangzhou");
            assertThat(ib.getExtranetEndpoint()).isEqualTo(hostPort());
            assertThat(ib.getIntranetEndpoint()).isEqualTo(hostPort());
            assertThat(ib.getOwner().getId()).isNotBlank();
            assertThat(ib.getCreationDate().toInstant()).isBetween(before, Instant.now().plusSeconds(2));
            assertThat(info.getCannedACL()).isEqualTo(CannedAccessControlList.PublicRead);
            assertThat(info.getDataRedundancyType()).isEqualTo(DataRedundancyType.ZRS);
            assertThat(info.isBlockPublicAccess()).isFalse();

            assertThat(oss.getBucketLocation(b)).isEqualTo("oss-cn-hangzhou");
            AccessControlList acl = oss.getBucketAcl(b);
            assertThat(acl.getCannedACL()).isEqualTo(CannedAccessControlList.PublicRead);
            assertThat(acl.getOwner().getId()).isEqualTo(ib.getOwner().getId());
            oss.deleteBucket(b);
        } finally {
            oss.shutdown();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"V1", "V4"})
    void defaultsArePrivateStandardLrs(String mode) {
        OSS oss = client(mode);
        try {
            String b = name(mode, "dflt");
            oss.createBucket(b);
            BucketInfo info = oss.getBucketInfo(b);
            assertThat(info.getBucket().getStorageClass()).isEqualTo(StorageClass.Standard);
            assertThat(info.getCannedACL()).isEqualTo(CannedAccessControlList.Private);
            assertThat(info.getDataRedundancyType()).isEqualTo(DataRedundancyType.LRS);
            assertThat(oss.getBucketAcl(b).getCannedACL()).isEqualTo(CannedAccessControlList.Private);
            oss.deleteBucket(b);
        } finally {
            oss.shutdown();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"V1", "V4"})
    void recreatingAnOwnBucketSucceedsAndKeepsItsObjects(String mode) throws Exception {
        OSS oss = client(mode);
        try {
            String b = name(mode, "again");
            oss.createBucket(b);
            put(oss, b, "keep.txt", 5);
            Bucket again = oss.createBucket(b);
            assertThat(again.getName()).isEqualTo(b);
            assertThat(oss.doesObjectExist(b, "keep.txt")).isTrue();
            assertThat(oss.getObject(b, "keep.txt").getObjectMetadata().getContentLength()).isEqualTo(5);
            oss.deleteObject(b, "keep.txt");
            oss.deleteBucket(b);
        } finally {
            oss.shutdown();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"V1", "V4"})
    void putAndGetBucketAcl(String mode) {
        OSS oss = client(mode);
        try {
            String b = name(mode, "acl");
            oss.createBucket(b);
            for (CannedAccessControlList a : new CannedAccessControlList[] {
                    CannedAccessControlList.PublicReadWrite, CannedAccessControlList.PublicRead, CannedAccessControlList.Private}) {
                oss.setBucketAcl(b, a);
                assertThat(oss.getBucketAcl(b).getCannedACL()).isEqualTo(a);
                assertThat(oss.getBucketInfo(b).getCannedACL()).isEqualTo(a);
            }
            OSSException e = catchThrowableOfType(OSSException.class,
                    () -> oss.setBucketAcl(name(mode, "absent"), CannedAccessControlList.PublicRead));
            assertThat(e.getErrorCode()).isEqualTo("NoSuchBucket");
            oss.deleteBucket(b);
        } finally {
            oss.shutdown();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"V1", "V4"})
    void bucketStatCountsObjectsAndBytes(String mode) {
        OSS oss = client(mode);
        try {
            String b = name(mode, "stat");
            oss.createBucket(b);
            BucketStat empty = oss.getBucketStat(b);
            assertThat(empty.getObjectCount()).isZero();
            assertThat(empty.getStorageSize()).isZero();

            put(oss, b, "a", 1);
            put(oss, b, "dir/b", 1000);
            put(oss, b, "dir/c", 4096);
            put(oss, b, "dir/c", 100); // overwrite: counted once, with its new size
            BucketStat s = oss.getBucketStat(b);
            assertThat(s.getObjectCount()).isEqualTo(3);
            assertThat(s.getStorageSize()).isEqualTo(1101);
            assertThat(s.getStandardObjectCount()).isEqualTo(3);
            assertThat(s.getStandardStorage()).isEqualTo(1101);
            assertThat(s.getMultipartUploadCount()).isZero();
            assertThat(s.getLastModifiedTime()).isBetween(Instant.now().minusSeconds(60).getEpochSecond(),
                    Instant.now().plusSeconds(2).getEpochSecond());

            oss.deleteObject(b, "a");
            BucketStat after = oss.getBucketStat(b);
            assertThat(after.getObjectCount()).isEqualTo(2);
            assertThat(after.getStorageSize()).isEqualTo(1100);
            oss.deleteObject(b, "dir/b");
            oss.deleteObject(b, "dir/c");
            oss.deleteBucket(b);
        } finally {
            oss.shutdown();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"V1", "V4"})
    void deleteBucketNotEmptyThenEmptyThenMissing(String mode) {
        OSS oss = client(mode);
        try {
            String b = name(mode, "del");
            oss.createBucket(b);
            put(oss, b, "x", 3);

            OSSException notEmpty = catchThrowableOfType(OSSException.class, () -> oss.deleteBucket(b));
            assertThat(notEmpty.getErrorCode()).isEqualTo("BucketNotEmpty");
            assertThat(notEmpty.getRequestId()).hasSize(24);
            assertThat(oss.doesBucketExist(b)).isTrue();

            oss.deleteObject(b, "x");
            VoidResult r = oss.deleteBucket(b);
            assertThat(r.getResponse().getStatusCode()).isEqualTo(204);
            assertThat(oss.doesBucketExist(b)).isFalse();

            OSSException missing = catchThrowableOfType(OSSException.class, () -> oss.deleteBucket(b));
            assertThat(missing.getErrorCode()).isEqualTo("NoSuchBucket");
            assertThat(missing.getRequestId()).matches("[0-9A-F]{24}");
            assertThat(catchThrowableOfType(OSSException.class, () -> oss.getBucketInfo(b)).getErrorCode()).isEqualTo("NoSuchBucket");
            assertThat(catchThrowableOfType(OSSException.class, () -> oss.getBucketLocation(b)).getErrorCode()).isEqualTo("NoSuchBucket");
            assertThat(catchThrowableOfType(OSSException.class, () -> oss.getBucketStat(b)).getErrorCode()).isEqualTo("NoSuchBucket");
            assertThat(catchThrowableOfType(OSSException.class, () -> oss.getBucketAcl(b)).getErrorCode()).isEqualTo("NoSuchBucket");
        } finally {
            oss.shutdown();
        }
    }

    /** J1 validates bucket names client-side for createBucket (IllegalArgumentException, nothing sent). */
    @ParameterizedTest
    @ValueSource(strings = {"V1", "V4"})
    void invalidNamesAreRejectedClientSide(String mode) {
        OSS oss = client(mode);
        try {
            for (String bad : InvalidBucketNameTest.INVALID) {
                Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> oss.createBucket(bad));
                assertThat(t).as(bad).isInstanceOf(IllegalArgumentException.class);
            }
        } finally {
            oss.shutdown();
        }
    }
}
