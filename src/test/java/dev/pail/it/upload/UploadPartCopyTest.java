package dev.pail.it.upload;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.OSS;
import com.aliyun.oss.model.PartETag;
import com.aliyun.oss.model.UploadPartCopyRequest;
import com.aliyun.oss.model.UploadPartCopyResult;
import com.aliyun.sdk.service.oss2.models.UploadPartCopyRequest.Builder;
import dev.pail.it.RawHttp;
import dev.pail.it.V1Signature;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** UploadPartCopy (features.md §3.3) through J1, V2 and raw HTTP. */
class UploadPartCopyTest extends UploadBase {

    private static UploadPartCopyRequest copy(String srcB, String srcK, String b, String k, String id, int n, Long begin, Long size) {
        UploadPartCopyRequest r = new UploadPartCopyRequest(srcB, srcK, b, k, id);
        r.setPartNumber(n);
        if (begin != null) r.setBeginIndex(begin);
        if (size != null) r.setPartSize(size);
        return r;
    }

    private RawCall rawCopy(String b, String k, String id, int n, String source) {
        return raw("PUT", b, k, "partNumber=" + n + "&uploadId=" + id).header("x-oss-copy-source", source);
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void wholeSourceAndRangesBecomeParts(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = newBucket();
        byte[] src = random(300 * KB + 9, 1);
        oss.putObject(b, "src/ü key", in(src));
        String id = initiate(oss, b, "dst");

        // whole source (no range header)
        UploadPartCopyResult whole = oss.uploadPartCopy(copy(b, "src/ü key", b, "dst", id, 1, null, null));
        assertThat(whole.getETag()).isEqualTo(md5Hex(src));
        assertThat(whole.getPartNumber()).isEqualTo(1);
        // a range
        UploadPartCopyResult ranged = oss.uploadPartCopy(copy(b, "src/ü key", b, "dst", id, 2, 1000L, 150_000L));
        byte[] range = slice(src, 1000, 150_999);
        assertThat(ranged.getETag()).isEqualTo(md5Hex(range));
        // the part equals an uploaded part of the same bytes
        assertThat(oss.listParts(new com.aliyun.oss.model.ListPartsRequest(b, "dst", id)).getParts())
                .extracting(p -> p.getETag() + "/" + p.getSize())
                .containsExactly(md5Hex(src) + "/" + src.length, md5Hex(range) + "/" + range.length);
        complete(oss, b, "dst", id, whole.getPartETag(), ranged.getPartETag());
        byte[] expected = concat(src, range);
        assertThat(read(oss.getObject(b, "dst"))).isEqualTo(expected);
        assertThat(oss.getObjectMetadata(b, "dst").getServerCRC()).isEqualTo(crc64(expected));
    }

    @Test
    void etagIsInTheHeaderAndInTheCopyPartResultBody() {
        String b = newBucket();
        byte[] src = random(200 * KB, 2);
        v1.putObject(b, "s", in(src));
        String id = initiate(v1, b, "d");
        RawHttp.Resp r = rawCopy(b, "d", id, 1, "/" + b + "/s").header("x-oss-copy-source-range", "bytes=100-102499").send();
        assertThat(r.status()).isEqualTo(200);
        String etag = quoted(md5Hex(slice(src, 100, 102_499)));
        assertThat(r.header("etag")).isEqualTo(etag);
        assertThat(r.text()).contains("<CopyPartResult>");
        assertThat(element(r.text(), "ETag")).isIn(etag, "&quot;" + md5Hex(slice(src, 100, 102_499)) + "&quot;");
        assertThat(element(r.text(), "LastModified")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.000Z");
        // the source key may arrive with '/' escaped or literal
        v1.putObject(b, "dir/sub/s", in(src));
        assertThat(rawCopy(b, "d", id, 2, "/" + b + "/dir%2Fsub%2Fs").send().header("etag")).isEqualTo(quoted(md5Hex(src)));
        assertThat(rawCopy(b, "d", id, 3, "/" + b + "/dir/sub/s").send().header("etag")).isEqualTo(quoted(md5Hex(src)));
    }

    @Test
    void rangeBeyondTheSourceAndMissingSourcesAreErrors() {
        String b = newBucket();
        byte[] src = random(1000, 3);
        v1.putObject(b, "s", in(src));
        String id = initiate(v1, b, "d");
        // a range that does not fit inside the source is refused, not clamped
        for (String range : List.of("bytes=500-5000", "bytes=1000-1001", "bytes=0-1000", "bytes=9-3", "bytes=0-1,5-6", "items=0-1")) {
            rawCopy(b, "d", id, 1, "/" + b + "/s").header("x-oss-copy-source-range", range).send().assertError(400, "InvalidArgument");
        }
        rawCopy(b, "d", id, 1, "/" + b + "/nope").send().assertError(404, "NoSuchKey");
        rawCopy(b, "d", id, 1, "/" + b + "-nope/s").send().assertError(404, "NoSuchBucket");
        rawCopy(b, "d", "0123456789ABCDEF0123456789ABCDEF", 1, "/" + b + "/s").send().assertError(404, "NoSuchUpload");
        rawCopy(b, "d", id, 0, "/" + b + "/s").send().assertError(400, "InvalidArgument");
        raw("PUT", b, "d", "partNumber=1&uploadId=" + id).header("x-oss-copy-source", "/" + b + "/s")
                .header("x-oss-server-side-encryption", "AES256").send().assertError(400, "InvalidArgument");
        assertThat(v1.listParts(new com.aliyun.oss.model.ListPartsRequest(b, "d", id)).getParts()).isEmpty();
        // a valid last-byte range works
        RawHttp.Resp last = rawCopy(b, "d", id, 1, "/" + b + "/s").header("x-oss-copy-source-range", "bytes=999-999").send();
        assertThat(last.status()).isEqualTo(200);
        assertThat(last.header("etag")).isEqualTo(quoted(md5Hex(slice(src, 999, 999))));
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void sourceConditions(Sig sig) {
        OSS oss = oss(sig);
        String b = newBucket();
        byte[] src = random(2000, 4);
        oss.putObject(b, "s", in(src));
        String etag = md5Hex(src);
        String id = initiate(oss, b, "d");
        Date past = new Date(System.currentTimeMillis() - 3_600_000);
        Date future = new Date(System.currentTimeMillis() + 3_600_000);

        UploadPartCopyRequest ifMatch = copy(b, "s", b, "d", id, 1, null, null);
        ifMatch.setMatchingETagConstraints(List.of(etag));
        ifMatch.setUnmodifiedSinceConstraint(future);
        assertThat(oss.uploadPartCopy(ifMatch).getETag()).isEqualTo(etag);

        UploadPartCopyRequest noneMatch = copy(b, "s", b, "d", id, 2, null, null);
        noneMatch.setNonmatchingETagConstraints(List.of("00000000000000000000000000000000"));
        noneMatch.setModifiedSinceConstraint(past);
        assertThat(oss.uploadPartCopy(noneMatch).getETag()).isEqualTo(etag);

        UploadPartCopyRequest badMatch = copy(b, "s", b, "d", id, 3, null, null);
        badMatch.setMatchingETagConstraints(List.of("00000000000000000000000000000000"));
        ossError("PreconditionFailed", () -> oss.uploadPartCopy(badMatch));
        rawCopy(b, "d", id, 3, "/" + b + "/s").header("x-oss-copy-source-if-match", "\"00000000000000000000000000000000\"").send()
                .assertError(412, "PreconditionFailed");
        rawCopy(b, "d", id, 3, "/" + b + "/s").header("x-oss-copy-source-if-unmodified-since", V1Signature.httpDate(past.toInstant())).send()
                .assertError(412, "PreconditionFailed");
        // if-none-match / if-modified-since failures: OSS documents 412 (API reference) and 304 (ossutil); either refuses
        RawHttp.Resp none = rawCopy(b, "d", id, 3, "/" + b + "/s").header("x-oss-copy-source-if-none-match", quoted(etag)).send();
        assertThat(none.status()).isIn(304, 412);
        RawHttp.Resp since = rawCopy(b, "d", id, 3, "/" + b + "/s").header("x-oss-copy-source-if-modified-since",
                V1Signature.httpDate(future.toInstant())).send();
        assertThat(since.status()).isIn(304, 412);
        assertThat(oss.listParts(new com.aliyun.oss.model.ListPartsRequest(b, "d", id)).getParts())
                .extracting(p -> p.getPartNumber()).containsExactly(1, 2);
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void copyingFromAMultipartSourceAcrossPartBoundaries(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = newBucket();
        byte[] p1 = random(120 * KB, 11);
        byte[] p2 = random(110 * KB, 12);
        byte[] p3 = random(50 * KB + 7, 13);
        String sid = initiate(oss, b, "mp-src");
        complete(oss, b, "mp-src", sid, part(oss, b, "mp-src", sid, 1, p1), part(oss, b, "mp-src", sid, 2, p2),
                part(oss, b, "mp-src", sid, 3, p3));
        byte[] src = concat(p1, p2, p3);

        String id = initiate(oss, b, "mp-dst");
        long first = 100 * KB;
        long last = 120 * KB + 110 * KB + 20 * KB; // from inside part 1 to inside part 3
        UploadPartCopyResult across = oss.uploadPartCopy(copy(b, "mp-src", b, "mp-dst", id, 1, first, last - first + 1));
        byte[] range = slice(src, first, last);
        assertThat(across.getETag()).isEqualTo(md5Hex(range));
        // the exact boundary bytes: last byte of part 1 and first byte of part 2
        UploadPartCopyResult boundary = oss.uploadPartCopy(copy(b, "mp-src", b, "mp-dst", id, 2, 120L * KB - 1, 2L));
        assertThat(boundary.getETag()).isEqualTo(md5Hex(slice(src, 120 * KB - 1, 120 * KB)));
        // and the whole multipart source
        UploadPartCopyResult whole = oss.uploadPartCopy(copy(b, "mp-src", b, "mp-dst", id, 3, null, null));
        assertThat(whole.getETag()).isEqualTo(md5Hex(src));

        // part 2 is 2 bytes, so only 1 and 3 can be completed
        PartETag e1 = across.getPartETag();
        PartETag e3 = whole.getPartETag();
        complete(oss, b, "mp-dst", id, e1, e3);
        byte[] expected = concat(range, src);
        assertThat(read(oss.getObject(b, "mp-dst"))).isEqualTo(expected);
        assertThat(oss.getObjectMetadata(b, "mp-dst").getServerCRC()).isEqualTo(crc64(expected));
    }

    @Test
    void v2UploadPartCopy() throws Exception {
        String b = newBucket();
        byte[] src = random(130 * KB, 21);
        v1.putObject(b, "dir/src key+1", in(src));
        String id = initiate(v1, b, "v2dst");
        Builder r = com.aliyun.sdk.service.oss2.models.UploadPartCopyRequest.newBuilder().bucket(b).key("v2dst")
                .sourceBucket(b).sourceKey("dir/src key+1").partNumber(1L).uploadId(id);
        var res = v2.uploadPartCopy(r.build());
        assertThat(res.copyPartResult().eTag()).isEqualTo(quoted(md5Hex(src)));
        assertThat(res.copyPartResult().lastModified()).isNotNull();
        var ranged = v2.uploadPartCopy(r.partNumber(2L).copySourceRange("bytes=0-9").build());
        assertThat(ranged.copyPartResult().eTag()).isEqualTo(quoted(md5Hex(slice(src, 0, 9))));
        v2Error(412, "PreconditionFailed", () -> v2.uploadPartCopy(com.aliyun.sdk.service.oss2.models.UploadPartCopyRequest
                .newBuilder().bucket(b).key("v2dst").sourceBucket(b).sourceKey("dir/src key+1").partNumber(3L).uploadId(id)
                .copySourceIfMatch("\"00000000000000000000000000000000\"").build()));
        v2Error(404, "NoSuchUpload", () -> v2.uploadPartCopy(com.aliyun.sdk.service.oss2.models.UploadPartCopyRequest
                .newBuilder().bucket(b).key("v2dst").sourceBucket(b).sourceKey("dir/src key+1").partNumber(3L)
                .uploadId("0123456789ABCDEF0123456789ABCDEF").build()));
    }
}
