package dev.pail.it.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.HttpMethod;
import com.aliyun.oss.OSS;
import com.aliyun.oss.model.CannedAccessControlList;
import com.aliyun.oss.model.GeneratePresignedUrlRequest;
import com.aliyun.oss.model.GetObjectRequest;
import com.aliyun.oss.model.OSSObject;
import com.aliyun.oss.model.ObjectMetadata;
import com.aliyun.oss.model.PutImageStyleRequest;
import com.aliyun.sdk.service.oss2.models.GetObjectResult;
import com.aliyun.sdk.service.oss2.models.PresignResult;
import com.fasterxml.jackson.databind.JsonNode;
import dev.pail.it.OssHttp;
import dev.pail.it.TestData;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GetObject with {@code x-oss-process} (features.md §8) through J1, V2, presigned URLs and raw HTTP:
 * the SDK reference cases (400×267 JPEG; {@code resize,m_fixed,w_100,h_100}, {@code format,png},
 * {@code info}), response headers the SDKs' CRC checks depend on, access control, chained style
 * content, and the error table.
 */
class ImageProcessTest extends ImageBase {
    static final String FIXED = "image/resize,m_fixed,w_100,h_100";

    String bucket;
    byte[] source;

    @TempDir
    Path tmp;

    @BeforeAll
    void seedBucket() {
        bucket = newBucket();
        source = jpeg(W, H);
        put(bucket, "example.jpg", source, "image/jpeg");
        put(bucket, "example.png", png(W, H), "image/png");
    }

    private byte[] j1Get(OSS client, String key, String process, String[] contentType) throws Exception {
        GetObjectRequest req = new GetObjectRequest(bucket, key);
        req.setProcess(process);
        try (OSSObject o = client.getObject(req)) {
            if (contentType != null) contentType[0] = o.getObjectMetadata().getContentType();
            return TestData.read(o);
        }
    }

    private byte[] v2Get(String key, String process, String[] contentType) throws Exception {
        try (GetObjectResult r = v2.getObject(com.aliyun.sdk.service.oss2.models.GetObjectRequest.newBuilder()
                .bucket(bucket).key(key).process(process).build()); InputStream in = r.body()) {
            byte[] b = in.readAllBytes();
            if (contentType != null) contentType[0] = r.contentType();
            assertThat(r.contentLength()).isEqualTo(b.length);
            return b;
        }
    }

    // ---- the SDK reference cases ----------------------------------------------------------------

    @Test
    void resizeFixedThroughJ1BothSignatures() throws Exception {
        for (OSS client : new OSS[] {j1, j4}) {
            String[] ct = new String[1];
            byte[] out = j1Get(client, "example.jpg", FIXED, ct);
            assertThat(ct[0]).isEqualTo("image/jpeg");
            assertThat(formatOf(out)).isEqualTo("jpeg");
            BufferedImage img = decode(out);
            assertSize(img, 100, 100);
            assertQuadrants(img, TL, TR, BL, BR, 40);
        }
    }

    @Test
    void resizeFixedThroughV2() throws Exception {
        String[] ct = new String[1];
        byte[] out = v2Get("example.jpg", FIXED, ct);
        assertThat(ct[0]).isEqualTo("image/jpeg");
        assertThat(formatOf(out)).isEqualTo("jpeg");
        BufferedImage img = decode(out);
        assertSize(img, 100, 100);
        assertQuadrants(img, TL, TR, BL, BR, 40);
    }

    @Test
    void formatPngThroughJ1AndV2() throws Exception {
        String[] ct = new String[1];
        byte[] j = j1Get(j1, "example.jpg", "image/format,png", ct);
        assertThat(ct[0]).isEqualTo("image/png");
        assertThat(formatOf(j)).isEqualTo("png");
        BufferedImage img = decode(j);
        assertSize(img, W, H);
        assertQuadrants(img, TL, TR, BL, BR, 40);

        byte[] v = v2Get("example.jpg", "image/format,png", ct);
        assertThat(ct[0]).isEqualTo("image/png");
        assertThat(formatOf(v)).isEqualTo("png");
        assertSize(decode(v), W, H);
    }

    @Test
    void pngSourceStaysPngAndConvertsToJpeg() throws Exception {
        String[] ct = new String[1];
        byte[] out = j1Get(j1, "example.png", "image/resize,w_100", ct);
        assertThat(ct[0]).isEqualTo("image/png");
        assertThat(formatOf(out)).isEqualTo("png");
        BufferedImage img = decode(out);
        assertSize(img, 100, 67);
        assertQuadrants(img, TL, TR, BL, BR, 10);

        byte[] jpg = j1Get(j1, "example.png", "image/format,jpg", ct);
        assertThat(ct[0]).isEqualTo("image/jpeg");
        assertThat(formatOf(jpg)).isEqualTo("jpeg");
        assertSize(decode(jpg), W, H);
    }

    // ---- headers: the processed response is not the source object ------------------------------

    @Test
    void responseCarriesNeitherSourceCrcNorSourceEtag() {
        OssHttp.Resp plain = http.req("GET", bucket, "example.jpg").send();
        assertThat(plain.status()).isEqualTo(200);
        String sourceEtag = plain.header("etag");
        assertThat(plain.header("x-oss-hash-crc64ecma")).isEqualTo(TestData.crcString(source));

        OssHttp.Resp r = rawProcess(bucket, "example.jpg", FIXED);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.body()).isNotEqualTo(source);
        String crc = r.header("x-oss-hash-crc64ecma");
        assertThat(crc).as("a CRC header, if any, must be the processed bytes'")
                .isIn(null, TestData.crcString(r.body()));
        assertThat(r.header("etag")).isNotEqualTo(sourceEtag);
        assertThat(r.header("content-md5")).isIn(null, TestData.md5B64(r.body()));
        assertThat(r.header("content-length")).isEqualTo(Integer.toString(r.body().length));
        assertThat(r.header("content-type")).isEqualTo("image/jpeg");
    }

    @Test
    void j1DownloadToFileWithCrcCheckSucceeds() throws Exception {
        File f = tmp.resolve("j1.jpg").toFile();
        GetObjectRequest req = new GetObjectRequest(bucket, "example.jpg");
        req.setProcess(FIXED);
        ObjectMetadata meta = j1.getObject(req, f);
        assertThat(meta).isNotNull();
        byte[] out = Files.readAllBytes(f.toPath());
        assertSize(decode(out), 100, 100);
        assertThat(out).isNotEqualTo(source);

        // a full processed download through the CRC-checking stream as well
        byte[] viaStream = j1Get(j1, "example.jpg", "image/format,png", null);
        assertThat(formatOf(viaStream)).isEqualTo("png");
    }

    @Test
    void v2DownloadToFileSucceeds() throws Exception {
        Path f = tmp.resolve("v2.png");
        v2.getObjectToFile(com.aliyun.sdk.service.oss2.models.GetObjectRequest.newBuilder()
                .bucket(bucket).key("example.jpg").process("image/format,png").build(), f);
        byte[] out = Files.readAllBytes(f);
        assertThat(formatOf(out)).isEqualTo("png");
        assertSize(decode(out), W, H);
    }

    // ---- info ------------------------------------------------------------------------------------

    private static void assertInfo(JsonNode info, String w, String h, long size, String format) {
        for (String field : new String[] {"ImageWidth", "ImageHeight", "FileSize", "Format"}) {
            assertThat(info.path(field).path("value").isTextual()).as("%s.value is a string in %s", field, info).isTrue();
        }
        assertThat(info.path("ImageWidth").path("value").asText()).isEqualTo(w);
        assertThat(info.path("ImageHeight").path("value").asText()).isEqualTo(h);
        assertThat(info.path("FileSize").path("value").asText()).isEqualTo(Long.toString(size));
        assertThat(info.path("Format").path("value").asText()).isEqualTo(format);
    }

    @Test
    void infoReturnsJsonWithStringValues() throws Exception {
        String[] ct = new String[1];
        byte[] j = j1Get(j1, "example.jpg", "image/info", ct);
        assertThat(ct[0]).startsWith("application/json");
        assertInfo(json(j), "400", "267", source.length, "jpg");

        byte[] png = stored(bucket, "example.png");
        byte[] v = v2Get("example.png", "image/info", ct);
        assertThat(ct[0]).startsWith("application/json");
        assertInfo(json(v), "400", "267", png.length, "png");
    }

    @Test
    void infoCannotBeCombined() {
        assertError(rawProcess(bucket, "example.jpg", "image/resize,w_100/info"), 400, "InvalidArgument");
    }

    // ---- presigned URLs --------------------------------------------------------------------------

    private static byte[] fetch(URL url, int expectStatus) throws Exception {
        HttpURLConnection c = (HttpURLConnection) url.openConnection();
        try {
            assertThat(c.getResponseCode()).as("GET %s", url).isEqualTo(expectStatus);
            try (InputStream in = expectStatus < 300 ? c.getInputStream() : c.getErrorStream()) {
                return in == null ? new byte[0] : in.readAllBytes();
            }
        } finally {
            c.disconnect();
        }
    }

    @Test
    void j1PresignedUrlWithProcess() throws Exception {
        for (OSS client : new OSS[] {j1, j4}) {
            GeneratePresignedUrlRequest req = new GeneratePresignedUrlRequest(bucket, "example.jpg", HttpMethod.GET);
            req.setExpiration(new Date(System.currentTimeMillis() + 600_000));
            req.setProcess(FIXED);
            URL url = client.generatePresignedUrl(req);
            assertThat(url.getQuery()).contains("x-oss-process=");
            BufferedImage img = decode(fetch(url, 200));
            assertSize(img, 100, 100);

            // the process is signed: changing it breaks the signature
            URL tampered = URI.create(url.toString().replace("w_100", "w_101")).toURL();
            assertThat(tampered.toString()).isNotEqualTo(url.toString());
            String err = new String(fetch(tampered, 403), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(err).contains("<Code>SignatureDoesNotMatch</Code>");
        }
    }

    @Test
    void v2PresignedUrlWithProcess() throws Exception {
        PresignResult p = v2.presign(com.aliyun.sdk.service.oss2.models.GetObjectRequest.newBuilder()
                .bucket(bucket).key("example.jpg").process("image/resize,w_100/format,png").build());
        assertThat(p.method()).isEqualTo("GET");
        URL url = URI.create(p.url()).toURL();
        assertThat(url.getQuery()).contains("x-oss-process=");
        byte[] out = fetch(url, 200);
        assertThat(formatOf(out)).isEqualTo("png");
        assertSize(decode(out), 100, 67);

        URL tampered = URI.create(p.url().replace("w_100", "w_101")).toURL();
        String err = new String(fetch(tampered, 403), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(err).contains("<Code>SignatureDoesNotMatch</Code>");
    }

    // ---- access control ----------------------------------------------------------------------------

    @Test
    void anonymousProcessingFollowsTheObjectAcl() {
        put(bucket, "public.jpg", source, "image/jpeg");
        j1.setObjectAcl(bucket, "public.jpg", CannedAccessControlList.PublicRead);
        put(bucket, "private.jpg", source, "image/jpeg");

        OssHttp.Resp ok = http.req("GET", bucket, "public.jpg").query("x-oss-process", "image/resize,w_100").anonymous().send();
        assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
        assertSize(decode(ok.body()), 100, 67);

        assertError(http.req("GET", bucket, "private.jpg").query("x-oss-process", "image/resize,w_100").anonymous().send(),
                403, "AccessDenied");
        // a style does not open a private object either
        PutImageStyleRequest s = new PutImageStyleRequest();
        s.SetBucketName(bucket);
        s.SetStyleName("anon");
        s.SetStyle("image/resize,w_50");
        j1.putImageStyle(s);
        assertError(http.req("GET", bucket, "private.jpg").query("x-oss-process", "style/anon").anonymous().send(), 403, "AccessDenied");
        OssHttp.Resp styled = http.req("GET", bucket, "public.jpg").query("x-oss-process", "style/anon").anonymous().send();
        assertThat(styled.status()).as(styled.toString()).isEqualTo(200);
        assertThat(decode(styled.body()).getWidth()).isEqualTo(50);
    }

    @Test
    void wrongSecretIsRefused() {
        OSS bad = dev.pail.it.Clients.v1(server, dev.pail.it.TestServer.AK, "wrong-secret-wrong-secret-00000");
        try {
            GetObjectRequest req = new GetObjectRequest(bucket, "example.jpg");
            req.setProcess(FIXED);
            j1Error("SignatureDoesNotMatch", () -> bad.getObject(req).close());
        } finally {
            bad.shutdown();
        }
    }

    // ---- styles with chained actions -------------------------------------------------------------

    @Test
    void chainedStyleResizesThenRotates() {
        PutImageStyleRequest s = new PutImageStyleRequest();
        s.SetBucketName(bucket);
        s.SetStyleName("chain");
        s.SetStyle("image/resize,w_100/rotate,90");
        j1.putImageStyle(s);

        OssHttp.Resp r = rawProcess(bucket, "example.jpg", "style/chain");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        BufferedImage img = decode(r.body());
        assertSize(img, 67, 100);
        // clockwise: the old bottom-left comes to the top-left, the old top-left to the top-right
        assertQuadrants(img, BL, TL, BR, TR, 40);

        // the same through V2 with the actions given inline
        BufferedImage inline = decode(rawProcess(bucket, "example.jpg", "image/resize,w_100/rotate,90").body());
        assertSize(inline, 67, 100);
    }

    @Test
    void rotateNinetyOfTheReferenceImage() {
        BufferedImage img = decode(rawProcess(bucket, "example.jpg", "image/rotate,90").body());
        assertSize(img, H, W);
        assertQuadrants(img, BL, TL, BR, TR, 40);
    }

    // ---- interplay with plain GetObject features ---------------------------------------------------

    /** features.md §8: Range is not specified for processed output; Pail ignores it (whole result, 200). */
    @Test
    void rangeIsIgnoredWhenProcessing() {
        OssHttp.Resp r = raw("GET", bucket, "example.jpg", q("x-oss-process", FIXED)).header("Range", "bytes=0-9").send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.header("content-range")).isNull();
        assertSize(decode(r.body()), 100, 100);
    }

    /** A conditional on the source's ETag must not turn a processed GET into a 304 of the source. */
    @Test
    void sourceEtagConditionDoesNotShortCircuitProcessing() {
        String etag = http.req("HEAD", bucket, "example.jpg").send().header("etag");
        OssHttp.Resp r = raw("GET", bucket, "example.jpg", q("x-oss-process", FIXED)).header("If-None-Match", etag).send();
        // either processed (200) or an honest 304 without a body; never the source bytes
        assertThat(r.status()).as(r.toString()).isIn(200, 304);
        if (r.status() == 200) assertSize(decode(r.body()), 100, 100);
        else assertThat(r.body()).isEmpty();
    }

    @Test
    void processingFollowsSymlinks() {
        j1.createSymlink(bucket, "link.jpg", "example.jpg");
        OssHttp.Resp r = rawProcess(bucket, "link.jpg", FIXED);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertSize(decode(r.body()), 100, 100);
        // a dangling link fails as a plain GET of it does
        j1.createSymlink(bucket, "dangling.jpg", "nothing-here.jpg");
        OssHttp.Resp plain = http.req("GET", bucket, "dangling.jpg").send();
        assertThat(plain.status()).isEqualTo(404);
        assertError(rawProcess(bucket, "dangling.jpg", FIXED), 404, plain.code());
    }

    @Test
    void processingAVersionByIdUsesThatVersion() {
        String b = newBucket();
        j1.setBucketVersioning(new com.aliyun.oss.model.SetBucketVersioningRequest(b,
                new com.aliyun.oss.model.BucketVersioningConfiguration("Enabled")));
        put(b, "v.jpg", jpeg(W, H), "image/jpeg");
        String first = j1.getObjectMetadata(b, "v.jpg").getVersionId();
        put(b, "v.jpg", jpeg(200, 100), "image/jpeg");
        assertSize(decode(rawProcess(b, "v.jpg", "image/format,png").body()), 200, 100);
        OssHttp.Resp old = raw("GET", b, "v.jpg", q("x-oss-process", "image/format,png", "versionId", first)).send();
        assertThat(old.status()).as(old.toString()).isEqualTo(200);
        assertSize(decode(old.body()), W, H);
        assertThat(old.header("x-oss-version-id")).isEqualTo(first);
    }

    /** The result cache must not serve one object's output for another with different content. */
    @Test
    void overwrittenSourceIsReprocessed() {
        put(bucket, "changing.jpg", jpeg(W, H), "image/jpeg");
        assertSize(decode(rawProcess(bucket, "changing.jpg", "image/resize,w_100").body()), 100, 67);
        put(bucket, "changing.jpg", jpeg(200, 200), "image/jpeg");
        assertSize(decode(rawProcess(bucket, "changing.jpg", "image/resize,w_100").body()), 100, 100);
    }

    // ---- errors ----------------------------------------------------------------------------------

    @Test
    void badParametersAreInvalidArgument() {
        for (String p : new String[] {"image/resize,w_0", "image/resize,w_16385", "image/rotate,400", "image/rotate,-1",
                "image/resize,m_stretch,w_10", "image/format,xyz", "image/quality,q_0", "image/bright,101",
                "image/resize,m_fixed,w_5000,h_5000,limit_0", "image/resize,w_100,color_FFFFFF00"}) {
            assertError(rawProcess(bucket, "example.jpg", p), 400, "InvalidArgument");
        }
        GetObjectRequest req = new GetObjectRequest(bucket, "example.jpg");
        req.setProcess("image/resize,w_0");
        j1Error("InvalidArgument", () -> j1.getObject(req).close());
        v2Error(400, "InvalidArgument", () -> v2.getObject(com.aliyun.sdk.service.oss2.models.GetObjectRequest.newBuilder()
                .bucket(bucket).key("example.jpg").process("image/rotate,400").build()).close());
    }

    @Test
    void missingRequiredParameterIsMissingArgument() {
        assertError(rawProcess(bucket, "example.jpg", "image/blur,r_3"), 400, "MissingArgument");
    }

    @Test
    void unknownStyleIsNoSuchStyle() {
        assertError(rawProcess(bucket, "example.jpg", "style/never-made"), 404, "NoSuchStyle");
        v2Error(404, "NoSuchStyle", () -> v2.getObject(com.aliyun.sdk.service.oss2.models.GetObjectRequest.newBuilder()
                .bucket(bucket).key("example.jpg").process("style/never-made").build()).close());
    }

    @Test
    void nonImageObjectIsBadRequest() {
        put(bucket, "notes.txt", TestData.bytes("just some text, not an image"), "text/plain");
        assertError(rawProcess(bucket, "notes.txt", "image/resize,w_100"), 400, "BadRequest");
        assertError(rawProcess(bucket, "notes.txt", "image/info"), 400, "BadRequest");
        // a truncated JPEG is not an image either
        byte[] truncated = java.util.Arrays.copyOf(source, 200);
        put(bucket, "truncated.jpg", truncated, "image/jpeg");
        OssHttp.Resp r = rawProcess(bucket, "truncated.jpg", "image/resize,w_100");
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
    }

    @Test
    void missingObjectIsNoSuchKey() {
        assertError(rawProcess(bucket, "no-such.jpg", "image/resize,w_100"), 404, "NoSuchKey");
        v2Error(404, "NoSuchKey", () -> v2.getObject(com.aliyun.sdk.service.oss2.models.GetObjectRequest.newBuilder()
                .bucket(bucket).key("no-such.jpg").process("image/resize,w_100").build()).close());
    }

    @Test
    void saveasInAGetIsRefused() {
        String saveas = "image/resize,w_100|sys/saveas,o_" + b64url("copy.jpg") + ",b_" + b64url(bucket);
        OssHttp.Resp r = rawProcess(bucket, "example.jpg", saveas);
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.code()).isNotNull();
        assertThat(http.req("HEAD", bucket, "copy.jpg").send().status()).isEqualTo(404);
    }

    @Test
    void sourceOverTwentyMegabytesIsImageTooLargeWithoutProcessing() {
        // not even an image: ImageTooLarge proves the size is checked before anything is decoded
        byte[] big = TestData.random(20 * 1024 * 1024 + 1, 7);
        put(bucket, "big.jpg", big, "image/jpeg");
        long t0 = System.nanoTime();
        OssHttp.Resp r = rawProcess(bucket, "big.jpg", "image/resize,w_100");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertError(r, 400, "ImageTooLarge");
        assertThat(ms).as("refusal time").isLessThan(3000);
        j1.deleteObject(bucket, "big.jpg");
    }

    @Test
    void pngClaiming40000SquareIsImageTooLargeQuickly() {
        byte[] bomb = pngHeaderOnly(40_000, 40_000);
        put(bucket, "bomb.png", bomb, "image/png");
        long t0 = System.nanoTime();
        OssHttp.Resp r = rawProcess(bucket, "bomb.png", "image/resize,w_100");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertError(r, 400, "ImageTooLarge");
        assertThat(ms).as("refusal time").isLessThan(2000);
        assertError(rawProcess(bucket, "bomb.png", "image/info"), 400, "ImageTooLarge");
    }

    @Test
    void pngAtTheSideLimitButOverPixelBudgetIsRefused() {
        // 30000 × 9000 = 270 M px: each side allowed, the total is not
        byte[] wide = pngHeaderOnly(30_000, 9_000);
        put(bucket, "wide.png", wide, "image/png");
        assertError(rawProcess(bucket, "wide.png", "image/resize,w_100"), 400, "ImageTooLarge");
    }

    @Test
    void unknownActionIsNotImplementedAndEmptyProcessIsRefused() {
        OssHttp.Resp r = rawProcess(bucket, "example.jpg", "image/frobnicate,x_1");
        assertThat(r.status()).as(r.toString()).isIn(400, 501);
        assertThat(r.code()).isEqualTo("NotImplemented");
        OssHttp.Resp empty = rawProcess(bucket, "example.jpg", "image/");
        assertThat(empty.status()).as(empty.toString()).isEqualTo(400);
    }

    static String b64url(String s) {
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
