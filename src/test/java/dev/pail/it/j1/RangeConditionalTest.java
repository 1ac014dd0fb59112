package dev.pail.it.j1;

import dev.pail.it.OssHttp;
import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.OSS;
import com.aliyun.oss.model.GetObjectRequest;
import com.aliyun.oss.model.HeadObjectRequest;
import com.aliyun.oss.model.OSSObject;
import com.aliyun.oss.model.ObjectMetadata;
import com.aliyun.oss.model.ResponseHeaderOverrides;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** GetObject ranges, conditional requests and response-* overrides (core.md §7.10, §7.11). */
class RangeConditionalTest extends J1Base {
    private static final int SIZE = 1000;
    private static final byte[] DATA = random(SIZE, 1000);
    private static final DateTimeFormatter RFC1123 =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private String bucketWithObject(Sig sig) {
        String b = newBucket(sig);
        oss(sig).putObject(b, "r.bin", in(DATA));
        return b;
    }

    private record Got(int status, byte[] body, String contentRange, long contentLength, Long crc) {}

    private Got get(OSS oss, GetObjectRequest req) throws Exception {
        try (OSSObject o = oss.getObject(req)) {
            byte[] body = o.getObjectContent().readAllBytes();
            return new Got(o.getResponse().getStatusCode(), body, o.getResponse().getHeaders().get("Content-Range"),
                    o.getObjectMetadata().getContentLength(), o.getServerCRC());
        }
    }

    private static GetObjectRequest range(String b, long start, long end, boolean standard) {
        GetObjectRequest r = new GetObjectRequest(b, "r.bin");
        r.setRange(start, end);
        if (standard) r.addHeader("x-oss-range-behavior", "standard");
        return r;
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void validRanges(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = bucketWithObject(sig);
        for (boolean standard : new boolean[] {false, true}) {
            Got ab = get(oss, range(b, 10, 19, standard)); // bytes=10-19
            assertThat(ab.status()).isEqualTo(206);
            assertThat(ab.body()).isEqualTo(Arrays.copyOfRange(DATA, 10, 20));
            assertThat(ab.contentRange()).isEqualTo("bytes 10-19/1000");
            assertThat(ab.contentLength()).isEqualTo(10);
            // the CRC header describes the whole object, also on range reads
            assertThat(ab.crc()).isEqualTo(crc(DATA));

            Got from = get(oss, range(b, 990, -1, standard)); // bytes=990-
            assertThat(from.status()).isEqualTo(206);
            assertThat(from.body()).isEqualTo(Arrays.copyOfRange(DATA, 990, 1000));
            assertThat(from.contentRange()).isEqualTo("bytes 990-999/1000");

            Got suffix = get(oss, range(b, -1, 25, standard)); // bytes=-25
            assertThat(suffix.status()).isEqualTo(206);
            assertThat(suffix.body()).isEqualTo(Arrays.copyOfRange(DATA, 975, 1000));
            assertThat(suffix.contentRange()).isEqualTo("bytes 975-999/1000");

            Got one = get(oss, range(b, 0, 0, standard));
            assertThat(one.status()).isEqualTo(206);
            assertThat(one.body()).containsExactly(DATA[0]);
            assertThat(one.contentRange()).isEqualTo("bytes 0-0/1000");

            Got last = get(oss, range(b, 999, 999, standard));
            assertThat(last.body()).containsExactly(DATA[999]);
            assertThat(last.contentRange()).isEqualTo("bytes 999-999/1000");

            Got whole = get(oss, range(b, 0, 999, standard));
            assertThat(whole.status()).isEqualTo(206);
            assertThat(whole.body()).isEqualTo(DATA);
            assertThat(whole.contentRange()).isEqualTo("bytes 0-999/1000");
        }
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void endPastTheObject(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = bucketWithObject(sig);
        // OSS default: a range it cannot serve is ignored, the whole object comes back with 200
        Got legacy = get(oss, range(b, 500, 5000, false));
        assertThat(legacy.status()).isEqualTo(200);
        assertThat(legacy.body()).isEqualTo(DATA);
        assertThat(legacy.contentRange()).isNull();
        // standard behaviour: the end is clamped
        Got standard = get(oss, range(b, 500, 5000, true));
        assertThat(standard.status()).isEqualTo(206);
        assertThat(standard.body()).isEqualTo(Arrays.copyOfRange(DATA, 500, 1000));
        assertThat(standard.contentRange()).isEqualTo("bytes 500-999/1000");
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void startPastTheObject(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = bucketWithObject(sig);
        for (long start : new long[] {1000, 1001, 50_000}) {
            Got legacy = get(oss, range(b, start, start + 10, false));
            assertThat(legacy.status()).isEqualTo(200);
            assertThat(legacy.body()).isEqualTo(DATA);
            Got open = get(oss, range(b, start, -1, false));
            assertThat(open.status()).isEqualTo(200);
            assertThat(open.body()).isEqualTo(DATA);

            ossError("InvalidRange", () -> oss.getObject(range(b, start, start + 10, true)).close());
            ossError("InvalidRange", () -> oss.getObject(range(b, start, -1, true)).close());
        }
        OssHttp.Resp r = raw.req("GET", b, "r.bin").header("Range", "bytes=1000-").header("x-oss-range-behavior", "standard").send();
        assertThat(r.status()).isEqualTo(416);
        assertThat(r.code()).isEqualTo("InvalidRange");
        OssHttp.Resp ignored = raw.req("GET", b, "r.bin").header("Range", "bytes=1000-").send();
        assertThat(ignored.status()).isEqualTo(200);
        assertThat(ignored.body()).isEqualTo(DATA);
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void suffixLongerThanTheObjectIsTheWholeObject(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = bucketWithObject(sig);
        // Without the standard header OSS's answer is not documented (core.md §9 q2): a 206 covering the whole
        // object (RFC 7233) or the range ignored (200). Either way the client receives the whole object.
        Got g = get(oss, range(b, -1, 5000, false));
        assertThat(g.body()).isEqualTo(DATA);
        assertThat(g.status()).isIn(200, 206);
        assertThat(g.contentRange()).isEqualTo(g.status() == 206 ? "bytes 0-999/1000" : null);
        Got s = get(oss, range(b, -1, 5000, true));
        assertThat(s.status()).isEqualTo(206);
        assertThat(s.body()).isEqualTo(DATA);
        assertThat(s.contentRange()).isEqualTo("bytes 0-999/1000");
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void ifMatchAndIfNoneMatch(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = bucketWithObject(sig);
        String etag = md5Hex(DATA);

        GetObjectRequest match = new GetObjectRequest(b, "r.bin");
        match.setMatchingETagConstraints(List.of(etag));
        assertThat(get(oss, match).body()).isEqualTo(DATA);
        GetObjectRequest quotedMatch = new GetObjectRequest(b, "r.bin");
        quotedMatch.setMatchingETagConstraints(List.of("\"" + etag + "\""));
        assertThat(get(oss, quotedMatch).body()).isEqualTo(DATA);

        GetObjectRequest noMatch = new GetObjectRequest(b, "r.bin");
        noMatch.setMatchingETagConstraints(List.of("0123456789ABCDEF0123456789ABCDEF"));
        ossError("PreconditionFailed", () -> oss.getObject(noMatch).close());

        GetObjectRequest noneMatchHit = new GetObjectRequest(b, "r.bin");
        noneMatchHit.setNonmatchingETagConstraints(List.of(etag));
        ossError("NotModified", () -> oss.getObject(noneMatchHit).close());

        GetObjectRequest noneMatchMiss = new GetObjectRequest(b, "r.bin");
        noneMatchMiss.setNonmatchingETagConstraints(List.of("0123456789ABCDEF0123456789ABCDEF"));
        assertThat(get(oss, noneMatchMiss).body()).isEqualTo(DATA);

        OssHttp.Resp pf = raw.req("GET", b, "r.bin").header("If-Match", "\"0123\"").send();
        assertThat(pf.status()).isEqualTo(412);
        assertThat(pf.code()).isEqualTo("PreconditionFailed");
        OssHttp.Resp nm = raw.req("GET", b, "r.bin").header("If-None-Match", "\"" + etag + "\"").send();
        assertThat(nm.status()).isEqualTo(304);
        assertThat(nm.body()).isEmpty();
        assertThat(nm.header("ETag")).isEqualTo("\"" + etag + "\"");
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void ifModifiedSinceAndIfUnmodifiedSince(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = bucketWithObject(sig);
        Date modified = oss.getObjectMetadata(b, "r.bin").getLastModified();
        Date before = new Date(modified.getTime() - 3_600_000);
        Date after = new Date(modified.getTime() + 3_600_000);

        GetObjectRequest modSinceBefore = new GetObjectRequest(b, "r.bin");
        modSinceBefore.setModifiedSinceConstraint(before);
        assertThat(get(oss, modSinceBefore).body()).isEqualTo(DATA);

        GetObjectRequest modSinceExact = new GetObjectRequest(b, "r.bin");
        modSinceExact.setModifiedSinceConstraint(modified);
        ossError("NotModified", () -> oss.getObject(modSinceExact).close());
        GetObjectRequest modSinceAfter = new GetObjectRequest(b, "r.bin");
        modSinceAfter.setModifiedSinceConstraint(after);
        ossError("NotModified", () -> oss.getObject(modSinceAfter).close());

        GetObjectRequest unmodSinceAfter = new GetObjectRequest(b, "r.bin");
        unmodSinceAfter.setUnmodifiedSinceConstraint(after);
        assertThat(get(oss, unmodSinceAfter).body()).isEqualTo(DATA);
        GetObjectRequest unmodSinceExact = new GetObjectRequest(b, "r.bin");
        unmodSinceExact.setUnmodifiedSinceConstraint(modified);
        assertThat(get(oss, unmodSinceExact).body()).isEqualTo(DATA);

        GetObjectRequest unmodSinceBefore = new GetObjectRequest(b, "r.bin");
        unmodSinceBefore.setUnmodifiedSinceConstraint(before);
        ossError("PreconditionFailed", () -> oss.getObject(unmodSinceBefore).close());

        OssHttp.Resp nm = raw.req("GET", b, "r.bin").header("If-Modified-Since", RFC1123.format(after.toInstant())).send();
        assertThat(nm.status()).isEqualTo(304);
        assertThat(nm.body()).isEmpty();
        OssHttp.Resp pf = raw.req("GET", b, "r.bin").header("If-Unmodified-Since", RFC1123.format(before.toInstant())).send();
        assertThat(pf.status()).isEqualTo(412);
        assertThat(pf.code()).isEqualTo("PreconditionFailed");
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void conditionalHeadObject(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = bucketWithObject(sig);
        String etag = md5Hex(DATA);
        HeadObjectRequest ok = new HeadObjectRequest(b, "r.bin");
        ok.setMatchingETagConstraints(List.of(etag));
        assertThat(oss.headObject(ok).getContentLength()).isEqualTo(SIZE);

        HeadObjectRequest pf = new HeadObjectRequest(b, "r.bin");
        pf.setMatchingETagConstraints(List.of("0123456789ABCDEF0123456789ABCDEF"));
        ossError("PreconditionFailed", () -> oss.headObject(pf));

        HeadObjectRequest nm = new HeadObjectRequest(b, "r.bin");
        nm.setNonmatchingETagConstraints(List.of(etag));
        ossError("NotModified", () -> oss.headObject(nm));

        OssHttp.Resp head = raw.req("HEAD", b, "r.bin").header("If-Match", "\"nope\"").send();
        assertThat(head.status()).isEqualTo(412);
        assertThat(head.body()).isEmpty();
        assertThat(head.code()).isEqualTo("PreconditionFailed"); // from x-oss-err
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void responseHeaderOverrides(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = newBucket(sig);
        ObjectMetadata m = new ObjectMetadata();
        m.setContentType("text/plain");
        m.setCacheControl("no-cache");
        oss.putObject(b, "o.txt", in(bytes("override me")), m);

        ResponseHeaderOverrides o = new ResponseHeaderOverrides();
        o.setContentType("application/json; charset=utf-8");
        o.setContentLangauge("fr-FR");
        o.setExpires("Thu, 01 Jan 2037 00:00:00 GMT");
        o.setCacheControl("max-age=60, public");
        o.setContentDisposition("attachment; filename=\"a b.txt\"");
        o.setContentEncoding("identity");
        GetObjectRequest req = new GetObjectRequest(b, "o.txt");
        req.setResponseHeaders(o);
        try (OSSObject got = oss.getObject(req)) {
            ObjectMetadata h = got.getObjectMetadata();
            assertThat(h.getContentType()).isEqualTo("application/json; charset=utf-8");
            assertThat(h.getRawMetadata().get("Content-Language")).isEqualTo("fr-FR");
            assertThat(h.getRawExpiresValue()).isEqualTo("Thu, 01 Jan 2037 00:00:00 GMT");
            assertThat(h.getCacheControl()).isEqualTo("max-age=60, public");
            assertThat(h.getContentDisposition()).isEqualTo("attachment; filename=\"a b.txt\"");
            assertThat(h.getContentEncoding()).isEqualTo("identity");
            assertThat(got.getObjectContent().readAllBytes()).isEqualTo(bytes("override me"));
        }
        // without overrides the stored values are back
        try (OSSObject got = oss.getObject(b, "o.txt")) {
            assertThat(got.getObjectMetadata().getContentType()).isEqualTo("text/plain");
            assertThat(got.getObjectMetadata().getCacheControl()).isEqualTo("no-cache");
        }
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void getMissingKeyAndBucket(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = newBucket(sig);
        com.aliyun.oss.OSSException e = ossError("NoSuchKey", () -> oss.getObject(b, "missing/key.txt").close());
        assertThat(e.getErrorFields()).containsEntry("Key", "missing/key.txt");
        assertThat(e.getEC()).matches("\\d{4}-\\d{8}");
        ossError("NoSuchBucket", () -> oss.getObject("no-such-bucket-get", "k").close());
        OssHttp.Resp r = raw.req("GET", b, "missing/key.txt").send();
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.code()).isEqualTo("NoSuchKey");
        assertThat(r.errorField("Key")).isEqualTo("missing/key.txt");
        assertThat(r.errorField("RequestId")).isEqualTo(r.header("x-oss-request-id"));
        assertThat(r.header("x-oss-ec")).isEqualTo(r.errorField("EC"));
    }
}
