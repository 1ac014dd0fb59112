package dev.pail.it.v2;

import dev.pail.it.V2Errors;
import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.sdk.service.oss2.OSSClient;
import com.aliyun.sdk.service.oss2.exceptions.ServiceException;
import com.aliyun.sdk.service.oss2.models.GetObjectRequest;
import com.aliyun.sdk.service.oss2.models.GetObjectResult;
import com.aliyun.sdk.service.oss2.models.HeadObjectRequest;
import com.aliyun.sdk.service.oss2.models.HeadObjectResult;
import com.aliyun.sdk.service.oss2.models.PutBucketRequest;
import com.aliyun.sdk.service.oss2.models.PutObjectRequest;
import com.aliyun.sdk.service.oss2.models.PutObjectResult;
import com.aliyun.sdk.service.oss2.transport.BinaryData;
import dev.pail.it.Clients;
import dev.pail.it.TestServer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Range reads (with and without x-oss-range-behavior: standard) and conditional GET/HEAD through the V2 SDK. */
class V2RangeConditionalTest {
    static final DateTimeFormatter HTTP = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ROOT).withZone(ZoneOffset.UTC);

    static TestServer server;
    static OSSClient c;
    static final String B = "v2-range";
    static final byte[] DATA = new byte[1000];
    static String etag;
    static String crc;

    @BeforeAll
    static void start() {
        server = new TestServer();
        c = Clients.v2(server);
        c.putBucket(PutBucketRequest.newBuilder().bucket(B).build());
        for (int i = 0; i < DATA.length; i++) DATA[i] = (byte) (i * 7 + 3);
        PutObjectResult put = c.putObject(PutObjectRequest.newBuilder().bucket(B).key("r").body(BinaryData.fromBytes(DATA)).build());
        etag = put.eTag();
        crc = put.hashCrc64ecma();
    }

    @AfterAll
    static void stop() throws Exception {
        c.close();
        server.close();
    }

    private record Read(int status, byte[] body, String contentRange, Long length, String crc) {}

    private static Read get(String range, boolean standard) throws Exception {
        GetObjectRequest.Builder b = GetObjectRequest.newBuilder().bucket(B).key("r").range(range);
        if (standard) b.rangeBehavior("standard");
        try (GetObjectResult r = c.getObject(b.build())) {
            return new Read(r.statusCode(), r.body().readAllBytes(), r.contentRange(), r.contentLength(), r.hashCrc64ecma());
        }
    }

    @Test
    void validRanges() throws Exception {
        for (boolean standard : new boolean[] {false, true}) {
            Read r = get("bytes=10-19", standard);
            assertThat(r.status()).isEqualTo(206);
            assertThat(r.body()).isEqualTo(Arrays.copyOfRange(DATA, 10, 20));
            assertThat(r.contentRange()).isEqualTo("bytes 10-19/1000");
            assertThat(r.length()).isEqualTo(10);
            assertThat(r.crc()).as("CRC of the whole object, also on range reads").isEqualTo(crc);

            Read open = get("bytes=990-", standard);
            assertThat(open.status()).isEqualTo(206);
            assertThat(open.body()).isEqualTo(Arrays.copyOfRange(DATA, 990, 1000));
            assertThat(open.contentRange()).isEqualTo("bytes 990-999/1000");

            Read suffix = get("bytes=-5", standard);
            assertThat(suffix.status()).isEqualTo(206);
            assertThat(suffix.body()).isEqualTo(Arrays.copyOfRange(DATA, 995, 1000));
            assertThat(suffix.contentRange()).isEqualTo("bytes 995-999/1000");

            Read one = get("bytes=0-0", standard);
            assertThat(one.body()).containsExactly(DATA[0]);
            assertThat(one.contentRange()).isEqualTo("bytes 0-0/1000");
        }
    }

    @Test
    void standardBehaviourClampsTheEndAndRefusesAStartPastTheEnd() throws Exception {
        Read clamped = get("bytes=900-5000", true);
        assertThat(clamped.status()).isEqualTo(206);
        assertThat(clamped.body()).isEqualTo(Arrays.copyOfRange(DATA, 900, 1000));
        assertThat(clamped.contentRange()).isEqualTo("bytes 900-999/1000");

        ServiceException e = V2Errors.expect(416, "InvalidRange", () -> get("bytes=1000-1001", true));
        assertThat(e.errorMessage()).isNotBlank();
        V2Errors.expect(416, "InvalidRange", () -> get("bytes=5000-", true));
    }

    @Test
    void rangesOnAnEmptyObject() throws Exception {
        c.putObject(PutObjectRequest.newBuilder().bucket(B).key("empty").body(BinaryData.fromBytes(new byte[0])).build());
        V2Errors.expect(416, "InvalidRange", () -> {
            try (GetObjectResult r = c.getObject(GetObjectRequest.newBuilder().bucket(B).key("empty").range("bytes=0-0").rangeBehavior("standard").build())) {
                r.body().readAllBytes();
            }
        });
        try (GetObjectResult r = c.getObject(GetObjectRequest.newBuilder().bucket(B).key("empty").range("bytes=0-0").build())) {
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body().readAllBytes()).isEmpty();
        }
    }

    @Test
    void legacyBehaviourIgnoresAnUnsatisfiableRange() throws Exception {
        for (String range : new String[] {"bytes=1000-1001", "bytes=5000-", "bytes=20-10"}) {
            Read r = get(range, false);
            assertThat(r.status()).as(range).isEqualTo(200);
            assertThat(r.body()).as(range).isEqualTo(DATA);
            assertThat(r.contentRange()).as(range).isNull();
        }
    }

    @Test
    void ifMatchAndIfNoneMatch() throws Exception {
        try (GetObjectResult r = c.getObject(GetObjectRequest.newBuilder().bucket(B).key("r").ifMatch(etag).build())) {
            assertThat(r.body().readAllBytes()).isEqualTo(DATA);
        }
        V2Errors.expect(412, "PreconditionFailed",
                () -> c.getObject(GetObjectRequest.newBuilder().bucket(B).key("r").ifMatch("\"0123456789ABCDEF0123456789ABCDEF\"").build()));
        ServiceException nm = expectNotModified(() -> c.getObject(GetObjectRequest.newBuilder().bucket(B).key("r").ifNoneMatch(etag).build()));
        assertThat(V2Errors.header(nm, "ETag")).isEqualTo(etag);
        try (GetObjectResult r = c.getObject(GetObjectRequest.newBuilder().bucket(B).key("r").ifNoneMatch("\"00000000000000000000000000000000\"").build())) {
            assertThat(r.body().readAllBytes()).isEqualTo(DATA);
        }
        // HEAD: same outcomes, the error surfaces from x-oss-err
        HeadObjectResult h = c.headObject(HeadObjectRequest.newBuilder().bucket(B).key("r").ifMatch(etag).build());
        assertThat(h.contentLength()).isEqualTo(1000);
        V2Errors.expect(412, "PreconditionFailed",
                () -> c.headObject(HeadObjectRequest.newBuilder().bucket(B).key("r").ifMatch("\"nope\"").build()));
        expectNotModified(() -> c.headObject(HeadObjectRequest.newBuilder().bucket(B).key("r").ifNoneMatch(etag).build()));
    }

    @Test
    void ifModifiedSinceAndIfUnmodifiedSince() throws Exception {
        String past = HTTP.format(Instant.now().minusSeconds(3600));
        String future = HTTP.format(Instant.now().plusSeconds(3600));
        try (GetObjectResult r = c.getObject(GetObjectRequest.newBuilder().bucket(B).key("r").ifModifiedSince(past).build())) {
            assertThat(r.body().readAllBytes()).isEqualTo(DATA);
        }
        expectNotModified(() -> c.getObject(GetObjectRequest.newBuilder().bucket(B).key("r").ifModifiedSince(future).build()));
        try (GetObjectResult r = c.getObject(GetObjectRequest.newBuilder().bucket(B).key("r").ifUnmodifiedSince(future).build())) {
            assertThat(r.body().readAllBytes()).isEqualTo(DATA);
        }
        V2Errors.expect(412, "PreconditionFailed",
                () -> c.getObject(GetObjectRequest.newBuilder().bucket(B).key("r").ifUnmodifiedSince(past).build()));
        // the object's own Last-Modified is "not modified since" itself
        String lastModified = c.headObject(HeadObjectRequest.newBuilder().bucket(B).key("r").build()).lastModified();
        expectNotModified(() -> c.getObject(GetObjectRequest.newBuilder().bucket(B).key("r").ifModifiedSince(lastModified).build()));
        try (GetObjectResult r = c.getObject(GetObjectRequest.newBuilder().bucket(B).key("r").ifUnmodifiedSince(lastModified).build())) {
            assertThat(r.body().readAllBytes()).isEqualTo(DATA);
        }
    }

    @Test
    void conditionalsCombineWithRange() throws Exception {
        try (GetObjectResult r = c.getObject(GetObjectRequest.newBuilder().bucket(B).key("r").ifMatch(etag)
                .range("bytes=100-199").rangeBehavior("standard").build())) {
            assertThat(r.statusCode()).isEqualTo(206);
            assertThat(r.body().readAllBytes()).isEqualTo(Arrays.copyOfRange(DATA, 100, 200));
        }
    }

    /** 304 carries no body; the V2 SDK still raises a ServiceException with status 304. */
    private static ServiceException expectNotModified(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(call);
        ServiceException e = V2Errors.service(t);
        assertThat(e).as(String.valueOf(t)).isNotNull();
        assertThat(e.statusCode()).isEqualTo(304);
        assertThat(V2Errors.header(e, "x-oss-request-id")).matches("[0-9A-F]{24}");
        return e;
    }
}
