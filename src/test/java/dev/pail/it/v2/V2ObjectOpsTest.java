package dev.pail.it.v2;

import dev.pail.it.V2Errors;
import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.sdk.service.oss2.OSSClient;
import com.aliyun.sdk.service.oss2.models.CopyObjectRequest;
import com.aliyun.sdk.service.oss2.models.CopyObjectResult;
import com.aliyun.sdk.service.oss2.models.DeleteMultipleObjectsRequest;
import com.aliyun.sdk.service.oss2.models.DeleteMultipleObjectsResult;
import com.aliyun.sdk.service.oss2.models.DeleteObject;
import com.aliyun.sdk.service.oss2.models.DeleteObjectRequest;
import com.aliyun.sdk.service.oss2.models.DeleteObjectResult;
import com.aliyun.sdk.service.oss2.models.DeletedInfo;
import com.aliyun.sdk.service.oss2.models.GetObjectAclRequest;
import com.aliyun.sdk.service.oss2.models.GetObjectAclResult;
import com.aliyun.sdk.service.oss2.models.GetObjectRequest;
import com.aliyun.sdk.service.oss2.models.GetObjectResult;
import com.aliyun.sdk.service.oss2.models.HeadObjectRequest;
import com.aliyun.sdk.service.oss2.models.HeadObjectResult;
import com.aliyun.sdk.service.oss2.models.PutBucketRequest;
import com.aliyun.sdk.service.oss2.models.PutObjectAclRequest;
import com.aliyun.sdk.service.oss2.models.PutObjectRequest;
import com.aliyun.sdk.service.oss2.models.PutObjectResult;
import com.aliyun.sdk.service.oss2.transport.BinaryData;
import dev.pail.it.Clients;
import dev.pail.it.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** DeleteObject, DeleteMultipleObjects, CopyObject and object ACLs through the V2 SDK. */
class V2ObjectOpsTest {
    static TestServer server;
    static OSSClient c;
    static final String B = "v2-ops";
    static final String B2 = "v2-ops-other";

    @BeforeAll
    static void start() {
        server = new TestServer();
        c = Clients.v2(server);
        c.putBucket(PutBucketRequest.newBuilder().bucket(B).build());
        c.putBucket(PutBucketRequest.newBuilder().bucket(B2).build());
    }

    @AfterAll
    static void stop() throws Exception {
        c.close();
        server.close();
    }

    private static PutObjectResult put(String bucket, String key, String body) {
        return c.putObject(PutObjectRequest.newBuilder().bucket(bucket).key(key).body(BinaryData.fromString(body)).build());
    }

    private static String read(String bucket, String key) throws Exception {
        try (GetObjectResult r = c.getObject(GetObjectRequest.newBuilder().bucket(bucket).key(key).build())) {
            return new String(r.body().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static boolean exists(String bucket, String key) {
        return c.doesObjectExist(bucket, key);
    }

    // ---- delete -----------------------------------------------------------------------------

    @Test
    void deleteObjectIs204EvenWhenAbsent() {
        put(B, "del/one", "x");
        DeleteObjectResult r = c.deleteObject(DeleteObjectRequest.newBuilder().bucket(B).key("del/one").build());
        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(r.requestId()).matches("[0-9A-F]{24}");
        assertThat(exists(B, "del/one")).isFalse();
        V2Errors.expect(404, "NoSuchKey", () -> c.getObject(GetObjectRequest.newBuilder().bucket(B).key("del/one").build()));
        DeleteObjectResult again = c.deleteObject(DeleteObjectRequest.newBuilder().bucket(B).key("del/one").build());
        assertThat(again.statusCode()).isEqualTo(204);
        V2Errors.expect(404, "NoSuchBucket", () -> c.deleteObject(DeleteObjectRequest.newBuilder().bucket("v2-ops-none").key("k").build()));
    }

    @Test
    void deleteMultipleObjectsVerboseWithSpecialKeys() {
        List<String> keys = List.of("multi/a b+c~!*.txt", "multi/ü%20&<x>.txt", "multi/plain", "multi/ctl\u0001char", "multi/trailing/");
        for (String k : keys) put(B, k, k);
        List<DeleteObject> objs = new ArrayList<>();
        for (String k : keys) objs.add(DeleteObject.newBuilder().key(k).build());
        objs.add(DeleteObject.newBuilder().key("multi/never-existed").build());
        DeleteMultipleObjectsResult r = c.deleteMultipleObjects(
                DeleteMultipleObjectsRequest.newBuilder().bucket(B).deleteObjects(objs).build());
        assertThat(r.statusCode()).isEqualTo(200);
        List<String> expected = new ArrayList<>(keys);
        expected.add("multi/never-existed");
        // the SDK asks for encoding-type=url and decodes the keys itself
        assertThat(r.deletedObjects()).extracting(DeletedInfo::key).containsExactlyInAnyOrderElementsOf(expected);
        for (String k : keys) assertThat(exists(B, k)).as(k).isFalse();
    }

    @Test
    void deleteMultipleObjectsQuiet() {
        put(B, "quiet/1", "1");
        put(B, "quiet/2", "2");
        DeleteMultipleObjectsResult r = c.deleteMultipleObjects(DeleteMultipleObjectsRequest.newBuilder().bucket(B).quiet(true)
                .deleteObjects(List.of(DeleteObject.newBuilder().key("quiet/1").build(), DeleteObject.newBuilder().key("quiet/2").build()))
                .build());
        assertThat(r.deletedObjects()).isNullOrEmpty();
        assertThat(exists(B, "quiet/1")).isFalse();
        assertThat(exists(B, "quiet/2")).isFalse();
    }

    @Test
    void deleteMultipleObjectsAtMostAThousandKeys() {
        put(B, "bulk/0500", "x");
        List<DeleteObject> thousand = new ArrayList<>();
        for (int i = 0; i < 1000; i++) thousand.add(DeleteObject.newBuilder().key(String.format("bulk/%04d", i)).build());
        DeleteMultipleObjectsResult r = c.deleteMultipleObjects(DeleteMultipleObjectsRequest.newBuilder().bucket(B).deleteObjects(thousand).build());
        assertThat(r.deletedObjects()).hasSize(1000);
        assertThat(exists(B, "bulk/0500")).isFalse();
        List<DeleteObject> tooMany = new ArrayList<>(thousand);
        tooMany.add(DeleteObject.newBuilder().key("bulk/1000").build());
        V2Errors.expect(400, "MalformedXML",
                () -> c.deleteMultipleObjects(DeleteMultipleObjectsRequest.newBuilder().bucket(B).deleteObjects(tooMany).build()));
    }

    @Test
    void deleteMultipleObjectsOnMissingBucket() {
        V2Errors.expect(404, "NoSuchBucket", () -> c.deleteMultipleObjects(DeleteMultipleObjectsRequest.newBuilder().bucket("v2-ops-none")
                .deleteObjects(List.of(DeleteObject.newBuilder().key("k").build())).build()));
    }

    // ---- copy -------------------------------------------------------------------------------

    @Test
    void copyWithinAndAcrossBucketsKeepsBytesAndMetadata() throws Exception {
        PutObjectResult src = c.putObject(PutObjectRequest.newBuilder().bucket(B).key("copy/src a+b.txt")
                .contentType("text/x-test").metadata(Map.of("color", "blue")).body(BinaryData.fromString("copy me")).build());

        CopyObjectResult same = c.copyObject(CopyObjectRequest.newBuilder().bucket(B).key("copy/dst.txt")
                .sourceBucket(B).sourceKey("copy/src a+b.txt").build());
        assertThat(same.statusCode()).isEqualTo(200);
        assertThat(same.eTag()).isEqualTo(src.eTag());
        assertThat(same.hashCrc64()).isEqualTo(src.hashCrc64ecma());
        assertThat(same.lastModified()).isNotBlank();
        assertThat(read(B, "copy/dst.txt")).isEqualTo("copy me");
        HeadObjectResult h = c.headObject(HeadObjectRequest.newBuilder().bucket(B).key("copy/dst.txt").build());
        assertThat(h.contentType()).isEqualTo("text/x-test");
        assertThat(h.metadata()).containsEntry("color", "blue");

        CopyObjectResult cross = c.copyObject(CopyObjectRequest.newBuilder().bucket(B2).key("from-other/ü.txt")
                .sourceBucket(B).sourceKey("copy/src a+b.txt").build());
        assertThat(cross.eTag()).isEqualTo(src.eTag());
        assertThat(read(B2, "from-other/ü.txt")).isEqualTo("copy me");

        // the source is unaffected by deleting the copy and vice versa
        c.deleteObject(DeleteObjectRequest.newBuilder().bucket(B).key("copy/src a+b.txt").build());
        assertThat(read(B, "copy/dst.txt")).isEqualTo("copy me");
        assertThat(read(B2, "from-other/ü.txt")).isEqualTo("copy me");
    }

    @Test
    void copyWithReplaceDirectiveAndInPlace() throws Exception {
        put(B, "copy/meta", "payload");
        c.copyObject(CopyObjectRequest.newBuilder().bucket(B).key("copy/meta2").sourceBucket(B).sourceKey("copy/meta")
                .metadataDirective("REPLACE").contentType("application/x-new").metadata(Map.of("k", "v2"))
                .storageClass("IA").build());
        HeadObjectResult h = c.headObject(HeadObjectRequest.newBuilder().bucket(B).key("copy/meta2").build());
        assertThat(h.contentType()).isEqualTo("application/x-new");
        assertThat(h.metadata()).containsEntry("k", "v2");
        assertThat(h.storageClass()).isEqualTo("IA");
        assertThat(read(B, "copy/meta2")).isEqualTo("payload");

        // in place: only metadata changes
        c.copyObject(CopyObjectRequest.newBuilder().bucket(B).key("copy/meta").sourceBucket(B).sourceKey("copy/meta")
                .metadataDirective("REPLACE").metadata(Map.of("fresh", "yes")).build());
        HeadObjectResult self = c.headObject(HeadObjectRequest.newBuilder().bucket(B).key("copy/meta").build());
        assertThat(self.metadata()).containsEntry("fresh", "yes");
        assertThat(read(B, "copy/meta")).isEqualTo("payload");
    }

    @Test
    void copySourceKeysWithReservedCharacters() throws Exception {
        for (String key : new String[] {"copy/q?x=1&y=#frag", "copy/100% + 50%", "copy/ü/日本", "copy/a//b/", "copy/~!*'()"}) {
            put(B, key, "body of " + key);
            String dst = key.replace("copy/", "copied/");
            CopyObjectResult r = c.copyObject(CopyObjectRequest.newBuilder().bucket(B).key(dst).sourceBucket(B).sourceKey(key).build());
            assertThat(r.statusCode()).as(key).isEqualTo(200);
            assertThat(read(B, dst)).as(key).isEqualTo("body of " + key);
        }
    }

    @Test
    void copyErrors() {
        put(B, "copy/e-src", "e");
        put(B, "copy/e-dst", "taken");
        V2Errors.expect(409, "FileAlreadyExists", () -> c.copyObject(CopyObjectRequest.newBuilder().bucket(B).key("copy/e-dst")
                .sourceBucket(B).sourceKey("copy/e-src").forbidOverwrite("true").build()));
        V2Errors.expect(404, "NoSuchKey", () -> c.copyObject(CopyObjectRequest.newBuilder().bucket(B).key("copy/x")
                .sourceBucket(B).sourceKey("copy/no-such-source").build()));
        V2Errors.expect(404, "NoSuchBucket", () -> c.copyObject(CopyObjectRequest.newBuilder().bucket("v2-ops-none").key("copy/x")
                .sourceBucket(B).sourceKey("copy/e-src").build()));
        V2Errors.expect(412, "PreconditionFailed", () -> c.copyObject(CopyObjectRequest.newBuilder().bucket(B).key("copy/x")
                .sourceBucket(B).sourceKey("copy/e-src").copySourceIfMatch("\"00000000000000000000000000000000\"").build()));
        assertThat(exists(B, "copy/x")).isFalse();
    }

    // ---- ACL --------------------------------------------------------------------------------

    @Test
    void objectAclRoundTrip() {
        put(B, "acl/obj", "a");
        GetObjectAclResult initial = c.getObjectAcl(GetObjectAclRequest.newBuilder().bucket(B).key("acl/obj").build());
        assertThat(initial.accessControlPolicy().accessControlList().grant()).isEqualTo("default");
        assertThat(initial.accessControlPolicy().owner().id()).isNotBlank();
        for (String acl : new String[] {"public-read", "public-read-write", "private", "default"}) {
            assertThat(c.putObjectAcl(PutObjectAclRequest.newBuilder().bucket(B).key("acl/obj").objectAcl(acl).build()).statusCode())
                    .isEqualTo(200);
            assertThat(c.getObjectAcl(GetObjectAclRequest.newBuilder().bucket(B).key("acl/obj").build())
                    .accessControlPolicy().accessControlList().grant()).isEqualTo(acl);
        }
        c.putObject(PutObjectRequest.newBuilder().bucket(B).key("acl/at-put").objectAcl("public-read").body(BinaryData.fromString("p")).build());
        assertThat(c.getObjectAcl(GetObjectAclRequest.newBuilder().bucket(B).key("acl/at-put").build())
                .accessControlPolicy().accessControlList().grant()).isEqualTo("public-read");

        V2Errors.expect(400, "InvalidArgument",
                () -> c.putObjectAcl(PutObjectAclRequest.newBuilder().bucket(B).key("acl/obj").objectAcl("world").build()));
        V2Errors.expect(404, "NoSuchKey",
                () -> c.putObjectAcl(PutObjectAclRequest.newBuilder().bucket(B).key("acl/none").objectAcl("private").build()));
        V2Errors.expect(404, "NoSuchKey", () -> c.getObjectAcl(GetObjectAclRequest.newBuilder().bucket(B).key("acl/none").build()));
        V2Errors.expect(404, "NoSuchBucket", () -> c.getObjectAcl(GetObjectAclRequest.newBuilder().bucket("v2-ops-none").key("k").build()));
    }
}
