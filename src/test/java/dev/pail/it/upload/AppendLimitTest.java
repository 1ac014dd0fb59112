package dev.pail.it.upload;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.model.AppendObjectRequest;
import com.aliyun.oss.model.InitiateMultipartUploadRequest;
import dev.pail.it.RawHttp;
import org.junit.jupiter.api.Test;

/**
 * The size limit of an appendable object (5 GB on OSS, features.md §2), exercised with a server whose
 * limit is 1 MiB: an append that would cross it is refused whatever its framing, and the object keeps
 * its last acknowledged length and CRC.
 */
class AppendLimitTest extends UploadBase {
    static final int LIMIT = 1024 * 1024;

    @Override
    long maxObjectSize() { return LIMIT; }

    private void assertObject(String b, String k, byte[] data) {
        RawHttp.Resp h = raw("HEAD", b, k, "").send();
        assertThat(h.status()).isEqualTo(200);
        assertThat(h.header("content-length")).isEqualTo(Integer.toString(data.length));
        assertThat(h.header("x-oss-next-append-position")).isEqualTo(Integer.toString(data.length));
        assertThat(h.header("x-oss-hash-crc64ecma")).isEqualTo(crcString(data));
        assertThat(raw("GET", b, k, "").send().body()).isEqualTo(data);
    }

    @Test
    void appendsUpToTheLimitSucceedAndBeyondAreRefused() {
        String b = newBucket();
        byte[] one = random(600 * KB, 1);
        assertThat(raw("POST", b, "big", "append&position=0").body(one).send().status()).isEqualTo(200);

        // Content-Length that would cross the limit
        byte[] over = random(LIMIT - one.length + 1, 2);
        raw("POST", b, "big", "append&position=" + one.length).body(over).send().assertError(400, "InvalidArgument");
        assertObject(b, "big", one);
        // the same, chunked (the size is only known while streaming)
        raw("POST", b, "big", "append&position=" + one.length).body(over).chunked().send().assertError(400, "InvalidArgument");
        assertObject(b, "big", one);

        // exactly up to the limit works, and nothing of the refused bodies remains
        byte[] rest = random(LIMIT - one.length, 3);
        AppendObjectRequest a = new AppendObjectRequest(b, "big", in(rest));
        a.setPosition((long) one.length);
        a.setInitCRC(crc64(one));
        assertThat(v1.appendObject(a).getNextPosition()).isEqualTo((long) LIMIT);
        byte[] full = concat(one, rest);
        assertObject(b, "big", full);

        // one more byte is refused, an empty append is still fine
        raw("POST", b, "big", "append&position=" + LIMIT).body(new byte[1]).send().assertError(400, "InvalidArgument");
        assertThat(raw("POST", b, "big", "append&position=" + LIMIT).body(new byte[0]).send().status()).isEqualTo(200);
        assertObject(b, "big", full);
    }

    @Test
    void aFirstAppendLargerThanTheLimitCreatesNothing() {
        String b = newBucket();
        byte[] over = random(LIMIT + 1, 4);
        raw("POST", b, "first", "append&position=0").body(over).send().assertError(400, "InvalidArgument");
        assertThat(raw("HEAD", b, "first", "").send().status()).isEqualTo(404);
        raw("POST", b, "first", "append&position=0").body(over).chunked().send().assertError(400, "InvalidArgument");
        assertThat(raw("HEAD", b, "first", "").send().status()).isEqualTo(404);
    }

    @Test
    void aPartLargerThanTheLimitIsRefused() {
        String b = newBucket();
        String id = v1.initiateMultipartUpload(new InitiateMultipartUploadRequest(b, "mp")).getUploadId();
        byte[] over = random(LIMIT + 1, 5);
        raw("PUT", b, "mp", "partNumber=1&uploadId=" + id).body(over).send().assertError(400, "EntityTooLarge");
        raw("PUT", b, "mp", "partNumber=1&uploadId=" + id).body(over).chunked().send().assertError(400, "EntityTooLarge");
        RawHttp.Resp parts = raw("GET", b, "mp", "uploadId=" + id).send();
        assertThat(parts.status()).isEqualTo(200);
        assertThat(elements(parts.text(), "PartNumber")).isEmpty();
    }
}
