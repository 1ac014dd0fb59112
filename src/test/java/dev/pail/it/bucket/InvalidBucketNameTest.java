package dev.pail.it.bucket;

import dev.pail.it.V2Errors;
import dev.pail.it.OssHttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.aliyun.sdk.service.oss2.OSSClient;
import com.aliyun.sdk.service.oss2.models.PutBucketRequest;
import dev.pail.it.Clients;
import dev.pail.it.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Invalid bucket names (core.md §8). Both Java SDKs refuse them before sending anything, so the
 * server side is exercised with hand-signed V1 requests.
 */
class InvalidBucketNameTest {
    /** uppercase, too short, too long (64), leading dash, trailing dash, underscore, dot. */
    static final List<String> INVALID = List.of(
            "Upper-case-bucket", "ab", "a".repeat(64), "-leading-dash", "trailing-dash-", "under_score", "dot.name");

    static TestServer server;
    static OssHttp raw;

    @BeforeAll
    static void start() {
        server = new TestServer();
        raw = new OssHttp(server);
    }

    @AfterAll
    static void stop() { server.close(); }

    @Test
    void serverRejectsInvalidNamesWithInvalidBucketName() throws Exception {
        for (String bad : INVALID) {
            OssHttp.Resp r = raw.send("PUT", "/" + bad + "/", "/" + bad + "/", Map.of(), null);
            assertThat(r.status()).as(bad).isEqualTo(400);
            assertThat(OssHttp.element(r.text(), "Code")).as(bad).isEqualTo("InvalidBucketName");
            String requestId = r.firstHeader("x-oss-request-id").orElseThrow();
            assertThat(requestId).matches("[0-9A-F]{24}");
            assertThat(OssHttp.element(r.text(), "RequestId")).isEqualTo(requestId);
            assertThat(r.firstHeader("x-oss-ec")).isPresent();
            assertThat(r.firstHeader("Content-Type")).hasValue("application/xml");
        }
        // nothing was created
        OssHttp.Resp list = raw.send("GET", "/", "/", Map.of(), null);
        assertThat(list.status()).isEqualTo(200);
        for (String bad : INVALID) assertThat(list.text()).doesNotContain("<Name>" + bad + "</Name>");
    }

    @Test
    void boundaryNamesAreValid() throws Exception {
        for (String ok : List.of("abc", "a".repeat(63), "0-9", "a-b-c-1")) {
            OssHttp.Resp r = raw.send("PUT", "/" + ok + "/", "/" + ok + "/", Map.of(), null);
            assertThat(r.status()).as(ok).isEqualTo(200);
            OssHttp.Resp d = raw.send("DELETE", "/" + ok + "/", "/" + ok + "/", Map.of(), null);
            assertThat(d.status()).as(ok).isEqualTo(204);
            assertThat(d.text()).isEmpty();
        }
    }

    @Test
    void rawCreateHonoursAclHeaderAndRejectsABadOne() throws Exception {
        OssHttp.Resp r = raw.send("PUT", "/raw-acl-bucket/", "/raw-acl-bucket/", Map.of("x-oss-acl", "public-read"), null);
        assertThat(r.status()).isEqualTo(200);
        OssHttp.Resp acl = raw.send("GET", "/raw-acl-bucket/?acl", "/raw-acl-bucket/?acl", Map.of(), null);
        assertThat(OssHttp.element(acl.text(), "Grant")).isEqualTo("public-read");
        OssHttp.Resp bad = raw.send("PUT", "/raw-acl-bad/", "/raw-acl-bad/", Map.of("x-oss-acl", "everyone"), null);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(OssHttp.element(bad.text(), "Code")).isEqualTo("InvalidArgument");
        raw.send("DELETE", "/raw-acl-bucket/", "/raw-acl-bucket/", Map.of(), null);
    }

    /**
     * The V2 SDK validates bucket names too ("input.bucket is invalid"), without a request, but it
     * tolerates {@code _} (legacy names, like J1 for non-create operations): that one reaches the server.
     */
    @Test
    void v2RejectsInvalidNamesClientSide() throws Exception {
        try (OSSClient c = Clients.v2(server)) {
            V2Errors.expect(400, "InvalidBucketName", () -> c.putBucket(PutBucketRequest.newBuilder().bucket("under_score").build()));
            for (String bad : INVALID) {
                if (bad.equals("under_score")) continue;
                Throwable t = catchThrowable(() -> c.putBucket(PutBucketRequest.newBuilder().bucket(bad).build()));
                assertThat(t).as(bad).isNotNull();
                assertThat(V2Errors.service(t)).as(bad).isNull();
                assertThat(V2Errors.messages(t)).as(bad).contains("bucket is invalid");
            }
        }
    }
}
