package dev.pail.it.v2;

import dev.pail.it.V2Errors;
import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.sdk.service.oss2.OSSClient;
import com.aliyun.sdk.service.oss2.exceptions.ServiceException;
import com.aliyun.sdk.service.oss2.models.GetObjectMetaRequest;
import com.aliyun.sdk.service.oss2.models.GetObjectRequest;
import com.aliyun.sdk.service.oss2.models.GetObjectResult;
import com.aliyun.sdk.service.oss2.models.HeadObjectRequest;
import com.aliyun.sdk.service.oss2.models.ListObjectsRequest;
import com.aliyun.sdk.service.oss2.models.ListObjectsV2Request;
import com.aliyun.sdk.service.oss2.models.PutBucketRequest;
import com.aliyun.sdk.service.oss2.models.PutObjectRequest;
import com.aliyun.sdk.service.oss2.transport.BinaryData;
import dev.pail.it.Clients;
import dev.pail.it.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Server errors surface from the V2 SDK as ServiceException with the right status, code, EC and a
 * request id equal to the x-oss-request-id header — for GET (XML body) and HEAD (x-oss-err) alike.
 */
class V2ErrorTest {
    static TestServer server;
    static OSSClient c;
    static final String B = "v2-errors";
    static final String NONE = "v2-errors-none";

    @BeforeAll
    static void start() {
        server = new TestServer();
        c = Clients.v2(server);
        c.putBucket(PutBucketRequest.newBuilder().bucket(B).build());
        c.putObject(PutObjectRequest.newBuilder().bucket(B).key("exists").body(BinaryData.fromString("original")).build());
    }

    @AfterAll
    static void stop() throws Exception {
        c.close();
        server.close();
    }

    private static String read(String key) throws Exception {
        try (GetObjectResult r = c.getObject(GetObjectRequest.newBuilder().bucket(B).key(key).build())) {
            return new String(r.body().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void noSuchKeyOnGet() {
        ServiceException e = V2Errors.expect(404, "NoSuchKey", () -> c.getObject(GetObjectRequest.newBuilder().bucket(B).key("dir/missing.txt").build()));
        assertThat(e.errorMessage()).isEqualTo("The specified key does not exist.");
        assertThat(e.ec()).isEqualTo("0026-00000001");
        assertThat(V2Errors.header(e, "x-oss-ec")).isEqualTo("0026-00000001");
        assertThat(e.errorFields()).containsEntry("Key", "dir/missing.txt").containsEntry("HostId", "127.0.0.1:" + server.port());
        assertThat(V2Errors.header(e, "Content-Type")).isEqualTo("application/xml");
    }

    @Test
    void noSuchKeyOnHeadComesFromXOssErr() {
        ServiceException e = V2Errors.expect(404, "NoSuchKey", () -> c.headObject(HeadObjectRequest.newBuilder().bucket(B).key("missing").build()));
        String err = V2Errors.header(e, "x-oss-err");
        assertThat(err).isNotNull();
        String xml = new String(Base64.getDecoder().decode(err), StandardCharsets.UTF_8);
        assertThat(xml).contains("<Code>NoSuchKey</Code>").contains("<RequestId>" + e.requestId() + "</RequestId>");
        assertThat(e.ec()).isEqualTo("0026-00000001");
    }

    @Test
    void noSuchKeyOnGetObjectMeta() {
        V2Errors.expect(404, "NoSuchKey", () -> c.getObjectMeta(GetObjectMetaRequest.newBuilder().bucket(B).key("missing").build()));
    }

    @Test
    void noSuchBucketEverywhere() {
        ServiceException e = V2Errors.expect(404, "NoSuchBucket", () -> c.getObject(GetObjectRequest.newBuilder().bucket(NONE).key("k").build()));
        assertThat(e.errorFields()).containsEntry("BucketName", NONE);
        assertThat(e.errorMessage()).isEqualTo("The specified bucket does not exist.");
        V2Errors.expect(404, "NoSuchBucket", () -> c.headObject(HeadObjectRequest.newBuilder().bucket(NONE).key("k").build()));
        V2Errors.expect(404, "NoSuchBucket", () -> c.getObjectMeta(GetObjectMetaRequest.newBuilder().bucket(NONE).key("k").build()));
        V2Errors.expect(404, "NoSuchBucket", () -> c.putObject(PutObjectRequest.newBuilder().bucket(NONE).key("k").body(BinaryData.fromString("x")).build()));
        V2Errors.expect(404, "NoSuchBucket", () -> c.listObjects(ListObjectsRequest.newBuilder().bucket(NONE).build()));
        V2Errors.expect(404, "NoSuchBucket", () -> c.listObjectsV2(ListObjectsV2Request.newBuilder().bucket(NONE).build()));
    }

    @Test
    void fileAlreadyExistsWithForbidOverwrite() throws Exception {
        ServiceException e = V2Errors.expect(409, "FileAlreadyExists", () -> c.putObject(PutObjectRequest.newBuilder().bucket(B).key("exists")
                .forbidOverwrite(true).body(BinaryData.fromString("replacement")).build()));
        assertThat(e.ec()).isEqualTo("0026-00000201");
        assertThat(read("exists")).isEqualTo("original");
        // forbidOverwrite=false and a new key are fine
        c.putObject(PutObjectRequest.newBuilder().bucket(B).key("fresh").forbidOverwrite(true).body(BinaryData.fromString("new")).build());
        assertThat(read("fresh")).isEqualTo("new");
        c.putObject(PutObjectRequest.newBuilder().bucket(B).key("fresh").forbidOverwrite(false).body(BinaryData.fromString("newer")).build());
        assertThat(read("fresh")).isEqualTo("newer");
    }

    @Test
    void invalidDigest() throws Exception {
        String wrongMd5 = Base64.getEncoder().encodeToString(new byte[16]);
        ServiceException e = V2Errors.expect(400, "InvalidDigest", () -> c.putObject(PutObjectRequest.newBuilder().bucket(B).key("digest")
                .contentMd5(wrongMd5).body(BinaryData.fromString("some bytes")).build()));
        assertThat(e.ec()).startsWith("0017-");
        V2Errors.expect(404, "NoSuchKey", () -> read("digest"));
        V2Errors.expect(400, "InvalidDigest", () -> c.putObject(PutObjectRequest.newBuilder().bucket(B).key("digest")
                .contentMd5("not base64!").body(BinaryData.fromString("some bytes")).build()));
        // the right digest is accepted
        String md5 = Base64.getEncoder().encodeToString(java.security.MessageDigest.getInstance("MD5").digest("some bytes".getBytes()));
        c.putObject(PutObjectRequest.newBuilder().bucket(B).key("digest").contentMd5(md5).body(BinaryData.fromString("some bytes")).build());
        assertThat(read("digest")).isEqualTo("some bytes");
    }

    @Test
    void invalidArgumentOnBadHeaderValues() {
        V2Errors.expect(400, "InvalidArgument", () -> c.putObject(PutObjectRequest.newBuilder().bucket(B).key("bad-acl")
                .objectAcl("everyone").body(BinaryData.fromString("x")).build()));
        V2Errors.expect(400, "InvalidArgument", () -> c.putObject(PutObjectRequest.newBuilder().bucket(B).key("bad-class")
                .storageClass("Glacier").body(BinaryData.fromString("x")).build()));
        V2Errors.expect(400, "InvalidArgument", () -> c.listObjects(ListObjectsRequest.newBuilder().bucket(B).maxKeys(0L).build()));
    }

    @Test
    void requestIdsDifferPerRequest() {
        ServiceException a = V2Errors.expect(404, "NoSuchKey", () -> c.getObject(GetObjectRequest.newBuilder().bucket(B).key("m1").build()));
        ServiceException b = V2Errors.expect(404, "NoSuchKey", () -> c.getObject(GetObjectRequest.newBuilder().bucket(B).key("m1").build()));
        assertThat(a.requestId()).isNotEqualTo(b.requestId());
    }
}
