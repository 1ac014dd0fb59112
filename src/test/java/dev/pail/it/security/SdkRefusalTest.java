package dev.pail.it.security;

import static dev.pail.it.TestServer.AK;
import static dev.pail.it.TestServer.SK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSException;
import com.aliyun.oss.model.ObjectMetadata;
import com.aliyun.sdk.service.oss2.OSSClient;
import com.aliyun.sdk.service.oss2.exceptions.ServiceException;
import com.aliyun.sdk.service.oss2.models.GetObjectRequest;
import com.aliyun.sdk.service.oss2.models.HeadObjectRequest;
import com.aliyun.sdk.service.oss2.models.PutObjectRequest;
import com.aliyun.sdk.service.oss2.transport.BinaryData;
import dev.pail.it.Clients;
import dev.pail.it.TestServer;
import java.io.ByteArrayInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The official SDKs surface refusals as service errors with the right code, also when the refusal
 * comes before a large upload body has been sent (the server must not reset the connection under
 * the client's feet), and for HEAD, where the error travels in {@code x-oss-err}.
 */
class SdkRefusalTest {
    static TestServer server;
    static OSS oss;
    static final String B = "sdk-refusal";
    static final byte[] BIG = new byte[8 << 20];

    @BeforeAll
    static void start() {
        server = new TestServer();
        oss = Clients.v1(server);
        oss.createBucket(B);
        oss.putObject(B, "existing", new ByteArrayInputStream("existing".getBytes()));
    }

    @AfterAll
    static void stop() {
        oss.shutdown();
        server.close();
    }

    static String j1Code(Runnable r) {
        Throwable t = catchThrowable(r::run);
        assertThat(t).isInstanceOf(OSSException.class);
        return ((OSSException) t).getErrorCode();
    }

    static ServiceException v2Error(Runnable r) {
        Throwable t = catchThrowable(r::run);
        assertThat(t).isNotNull();
        ServiceException se = ServiceException.asCause(t);
        assertThat(se).as("service error inside %s", t).isNotNull();
        return se;
    }

    @Test
    void j1LargeUploadsWithBadCredentialsGetTheServiceError() {
        String[][] cases = {
            {"v1", AK, "WrongSecret0123456789abcdefghij", "SignatureDoesNotMatch"},
            {"v4", "LTAI5tNoSuchAccessKey", SK, "InvalidAccessKeyId"},
        };
        for (String[] c : cases) {
            OSS bad = c[0].equals("v1") ? Clients.v1(server, c[1], c[2]) : Clients.v4(server, c[1], c[2]);
            try {
                ObjectMetadata m = new ObjectMetadata();
                m.setContentLength(BIG.length);
                assertThat(j1Code(() -> bad.putObject(B, "big-" + c[0], new ByteArrayInputStream(BIG), m))).as(String.join(" ", c))
                        .isEqualTo(c[3]);
                // chunked (no length): J1 streams it
                assertThat(j1Code(() -> bad.putObject(B, "big-chunked-" + c[0], new ByteArrayInputStream(BIG)))).isEqualTo(c[3]);
                // HEAD: the code comes from x-oss-err
                assertThat(j1Code(() -> bad.getObjectMetadata(B, "existing"))).isEqualTo(c[3]);
            } finally {
                bad.shutdown();
            }
        }
        // an upload to a bucket that does not exist, with the right key
        ObjectMetadata m = new ObjectMetadata();
        m.setContentLength(BIG.length);
        assertThat(j1Code(() -> oss.putObject("sdk-no-such-bucket", "k", new ByteArrayInputStream(BIG), m))).isEqualTo("NoSuchBucket");
        assertThat(oss.listObjects(B).getObjectSummaries()).extracting(s -> s.getKey()).containsExactly("existing");
    }

    @Test
    void v2SdkGetsServiceErrors() {
        try (OSSClient bad = Clients.v2(server, AK, "WrongSecret0123456789abcdefghij");
             OSSClient unknown = Clients.v2(server, "LTAI5tNoSuchAccessKey", SK)) {
            ServiceException put = v2Error(() -> bad.putObject(PutObjectRequest.newBuilder().bucket(B).key("big-v2")
                    .body(BinaryData.fromBytes(BIG)).build()));
            assertThat(put.statusCode()).isEqualTo(403);
            assertThat(put.errorCode()).isEqualTo("SignatureDoesNotMatch");
            assertThat(put.requestId()).matches("[0-9A-F]{24}");

            ServiceException head = v2Error(() -> bad.headObject(HeadObjectRequest.newBuilder().bucket(B).key("existing").build()));
            assertThat(head.errorCode()).isEqualTo("SignatureDoesNotMatch");

            ServiceException get = v2Error(() -> unknown.getObject(GetObjectRequest.newBuilder().bucket(B).key("existing").build()));
            assertThat(get.errorCode()).isEqualTo("InvalidAccessKeyId");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertThat(oss.doesObjectExist(B, "big-v2")).isFalse();
    }
}
