package dev.pail.it.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.model.GenericResult;
import com.aliyun.oss.model.ObjectMetadata;
import com.aliyun.oss.model.ProcessObjectRequest;
import com.aliyun.oss.model.PutImageStyleRequest;
import com.aliyun.sdk.service.oss2.models.ProcessObjectResult;
import com.aliyun.sdk.service.oss2.models.internal.ImageProcessJson;
import com.fasterxml.jackson.databind.JsonNode;
import dev.pail.it.OssHttp;
import dev.pail.it.RawHttp;
import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ProcessObject, {@code POST /<key>?x-oss-process} with {@code |sys/saveas} (features.md §8): J1's
 * {@code processObject} (raw body, the Java SDK test's {@code "status": "OK"}), V2's
 * {@code ProcessObjectRequest}, ali-oss's URL-encoded body over raw HTTP, both base64 alphabets,
 * and the errors.
 */
class ProcessObjectTest extends ImageBase {
    String bucket;
    byte[] source;

    @BeforeAll
    void seedBucket() {
        bucket = newBucket();
        source = jpeg(W, H);
        put(bucket, "example.jpg", source, "image/jpeg");
    }

    static String b64url(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    static String b64std(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** The stored object's bytes, Content-Type and length as the server reports them. */
    record Saved(byte[] bytes, String contentType, long length) {}

    Saved saved(String b, String key) throws Exception {
        ObjectMetadata m = j1.getObjectMetadata(b, key);
        return new Saved(stored(b, key), m.getContentType(), m.getContentLength());
    }

    private static String j1Body(GenericResult r) throws Exception {
        try (InputStream in = r.getResponse().getContent()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void j1ProcessObjectSavesTheResult() throws Exception {
        String target = "j1/out.jpg";
        GenericResult r = j1.processObject(new ProcessObjectRequest(bucket, "example.jpg",
                "image/resize,w_100|sys/saveas,o_" + b64url(target) + ",b_" + b64url(bucket)));
        String body = j1Body(r);
        // the Java SDK's own integration test looks for this exact substring
        assertThat(body).contains("\"status\": \"OK\"");
        assertThat(body.indexOf("\"status\": \"OK\"")).isPositive();
        JsonNode j = json(body.getBytes(StandardCharsets.UTF_8));
        assertThat(j.path("status").asText()).isEqualTo("OK");
        assertThat(j.path("object").asText()).isEqualTo(target);
        assertThat(j.path("bucket").asText()).isEqualTo(bucket);

        Saved s = saved(bucket, target);
        assertThat(j.path("fileSize").isIntegralNumber()).isTrue();
        assertThat(j.path("fileSize").asLong()).isEqualTo(s.length()).isEqualTo(s.bytes().length);
        assertThat(s.contentType()).isEqualTo("image/jpeg");
        assertThat(formatOf(s.bytes())).isEqualTo("jpeg");
        BufferedImage img = decode(s.bytes());
        assertSize(img, 100, 67);
        assertQuadrants(img, TL, TR, BL, BR, 40);
        // the source is untouched
        assertThat(stored(bucket, "example.jpg")).isEqualTo(source);
    }

    @Test
    void v2ProcessObjectSavesTheResult() throws Exception {
        String target = "v2/out.png";
        ProcessObjectResult r = v2.processObject(com.aliyun.sdk.service.oss2.models.ProcessObjectRequest.newBuilder()
                .bucket(bucket).key("example.jpg")
                .process("image/resize,m_fixed,w_100,h_100/format,png|sys/saveas,o_" + b64url(target) + ",b_" + b64url(bucket))
                .build());
        ImageProcessJson j = r.imageProcessResult();
        assertThat(j).isNotNull();
        assertThat(j.status()).isEqualTo("OK");
        assertThat(j.object()).isEqualTo(target);
        assertThat(j.bucket()).isEqualTo(bucket);

        Saved s = saved(bucket, target);
        assertThat(j.fileSize()).isEqualTo(s.length());
        assertThat(s.contentType()).isEqualTo("image/png");
        assertThat(formatOf(s.bytes())).isEqualTo("png");
        assertSize(decode(s.bytes()), 100, 100);
        // the saved object reads back like any other, CRC included
        try (var g = v2.getObject(com.aliyun.sdk.service.oss2.models.GetObjectRequest.newBuilder().bucket(bucket).key(target).build());
                InputStream in = g.body()) {
            assertThat(in.readAllBytes()).isEqualTo(s.bytes());
            assertThat(g.hashCrc64ecma()).isEqualTo(dev.pail.it.TestData.crcString(s.bytes()));
            assertThat(g.eTag()).isEqualTo("\"" + dev.pail.it.TestData.md5Hex(s.bytes()) + "\"");
        }
    }

    /**
     * A key whose standard base64 needs '+', '/' and '=' padding (the Java test and the V2 sample send
     * that alphabet): {@code c3RkLzAtPz8/Pj4+LS5qcGc=}.
     */
    static String keyWithPlusAndSlashInBase64() {
        String k = "std/0-???>>>-.jpg";
        String e = b64std(k);
        assertThat(e).contains("+").contains("/").endsWith("=");
        return k;
    }

    @Test
    void standardBase64IsAccepted() throws Exception {
        String target = keyWithPlusAndSlashInBase64();
        String o = b64std(target);
        assertThat(o).contains("+").contains("/");
        GenericResult r = j1.processObject(new ProcessObjectRequest(bucket, "example.jpg",
                "image/resize,w_100|sys/saveas,o_" + o + ",b_" + b64std(bucket)));
        JsonNode j = json(j1Body(r).getBytes(StandardCharsets.UTF_8));
        assertThat(j.path("object").asText()).isEqualTo(target);
        assertSize(decode(saved(bucket, target).bytes()), 100, 67);

        // V2 with the same standard-alphabet value
        String target2 = target.replace("std/", "v2s/");
        String o2 = b64std(target2);
        assertThat(o2).contains("+").contains("/");
        ProcessObjectResult v = v2.processObject(com.aliyun.sdk.service.oss2.models.ProcessObjectRequest.newBuilder()
                .bucket(bucket).key("example.jpg").process("image/resize,w_50|sys/saveas,o_" + o2).build());
        assertThat(v.imageProcessResult().object()).isEqualTo(target2);
        assertSize(decode(saved(bucket, target2).bytes()), 50, 33);
    }

    @Test
    void bucketOmittedSavesIntoTheSameBucket() throws Exception {
        String target = "same/out.jpg";
        GenericResult r = j1.processObject(new ProcessObjectRequest(bucket, "example.jpg",
                "image/rotate,90|sys/saveas,o_" + b64url(target)));
        JsonNode j = json(j1Body(r).getBytes(StandardCharsets.UTF_8));
        assertThat(j.path("status").asText()).isEqualTo("OK");
        assertThat(j.path("bucket").asText()).isIn("", bucket);
        BufferedImage img = decode(saved(bucket, target).bytes());
        assertSize(img, H, W);
        assertQuadrants(img, BL, TL, BR, TR, 40);
    }

    @Test
    void savesIntoAnotherBucket() throws Exception {
        String other = newBucket();
        String target = "cross.jpg";
        ProcessObjectResult r = v2.processObject(com.aliyun.sdk.service.oss2.models.ProcessObjectRequest.newBuilder()
                .bucket(bucket).key("example.jpg")
                .process("image/resize,w_100|sys/saveas,o_" + b64url(target) + ",b_" + b64url(other)).build());
        assertThat(r.imageProcessResult().bucket()).isEqualTo(other);
        assertSize(decode(saved(other, target).bytes()), 100, 67);
        assertThat(http.req("HEAD", bucket, target).send().status()).isEqualTo(404);
    }

    @Test
    void styleCanBeSaved() throws Exception {
        PutImageStyleRequest s = new PutImageStyleRequest();
        s.SetBucketName(bucket);
        s.SetStyleName("thumb");
        s.SetStyle("image/resize,m_fixed,w_40,h_30");
        j1.putImageStyle(s);
        String target = "styled.jpg";
        j1Body(j1.processObject(new ProcessObjectRequest(bucket, "example.jpg", "style/thumb|sys/saveas,o_" + b64url(target))));
        assertSize(decode(saved(bucket, target).bytes()), 40, 30);
    }

    /** ali-oss {@code processObjectSave}: {@code querystring.stringify}, i.e. the whole value URL-encoded, standard base64. */
    @Test
    void urlEncodedBodyAsAliOssSendsIt() throws Exception {
        String target = keyWithPlusAndSlashInBase64().replace("std/", "ali/");
        assertThat(b64std(target)).contains("+").contains("/");
        String process = "image/resize,w_100|sys/saveas,o_" + b64std(target) + ",b_" + b64std(bucket);
        String body = "x-oss-process=" + RawHttp.enc(process);
        assertThat(body).contains("%2B").contains("%2F").contains("%7C");
        OssHttp.Resp r = raw("POST", bucket, "example.jpg", q("x-oss-process", "")).body(body).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.header("content-type")).startsWith("application/json");
        JsonNode j = json(r.body());
        assertThat(j.path("status").asText()).isEqualTo("OK");
        assertThat(j.path("object").asText()).isEqualTo(target);
        Saved s = saved(bucket, target);
        assertThat(j.path("fileSize").asLong()).isEqualTo(s.length());
        assertSize(decode(s.bytes()), 100, 67);
    }

    @Test
    void rawBodyWithPlusIsNotTurnedIntoSpace() throws Exception {
        String target = keyWithPlusAndSlashInBase64().replace("std/", "raw/");
        assertThat(b64std(target)).contains("+");
        String body = "x-oss-process=image/resize,w_100|sys/saveas,o_" + b64std(target) + ",b_" + b64std(bucket);
        OssHttp.Resp r = raw("POST", bucket, "example.jpg", q("x-oss-process", "")).body(body).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(json(r.body()).path("object").asText()).isEqualTo(target);
        assertThat(saved(bucket, target).bytes()).isNotEmpty();
    }

    @Test
    void missingTargetObjectIsRefused() {
        OssHttp.Resp r = raw("POST", bucket, "example.jpg", q("x-oss-process", ""))
                .body("x-oss-process=image/resize,w_100|sys/saveas,b_" + b64url(bucket)).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.code()).isIn("MissingArgument", "InvalidArgument");
        j1Error(r.code(), () -> j1.processObject(new ProcessObjectRequest(bucket, "example.jpg",
                "image/resize,w_100|sys/saveas,b_" + b64url(bucket))));
    }

    @Test
    void noSaveasIsRefused() {
        OssHttp.Resp r = raw("POST", bucket, "example.jpg", q("x-oss-process", "")).body("x-oss-process=image/resize,w_100").send();
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
    }

    @Test
    void invalidBase64IsBadRequest() {
        OssHttp.Resp r = raw("POST", bucket, "example.jpg", q("x-oss-process", ""))
                .body("x-oss-process=image/resize,w_100|sys/saveas,o_a").send();
        assertError(r, 400, "BadRequest");
    }

    @Test
    void missingTargetBucketIsNoSuchBucket() {
        String missing = "no-such-bucket-" + System.nanoTime() % 100000;
        OssHttp.Resp r = raw("POST", bucket, "example.jpg", q("x-oss-process", ""))
                .body("x-oss-process=image/resize,w_100|sys/saveas,o_" + b64url("x.jpg") + ",b_" + b64url(missing)).send();
        assertError(r, 404, "NoSuchBucket");
    }

    @Test
    void invalidTargetBucketNameIsRefused() {
        OssHttp.Resp r = raw("POST", bucket, "example.jpg", q("x-oss-process", ""))
                .body("x-oss-process=image/resize,w_100|sys/saveas,o_" + b64url("x.jpg") + ",b_" + b64url("Bad_Bucket!")).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
    }

    @Test
    void processingErrorsSaveNothing() {
        String target = "never.jpg";
        OssHttp.Resp bad = raw("POST", bucket, "example.jpg", q("x-oss-process", ""))
                .body("x-oss-process=image/resize,w_0|sys/saveas,o_" + b64url(target)).send();
        assertError(bad, 400, "InvalidArgument");
        OssHttp.Resp missing = raw("POST", bucket, "no-such.jpg", q("x-oss-process", ""))
                .body("x-oss-process=image/resize,w_10|sys/saveas,o_" + b64url(target)).send();
        assertError(missing, 404, "NoSuchKey");
        assertThat(http.req("HEAD", bucket, target).send().status()).isEqualTo(404);
    }

    @Test
    void anonymousCannotSaveIntoAPrivateBucket() {
        put(bucket, "pub.jpg", source, "image/jpeg");
        j1.setObjectAcl(bucket, "pub.jpg", com.aliyun.oss.model.CannedAccessControlList.PublicRead);
        OssHttp.Resp r = http.req("POST", bucket, "pub.jpg").query("x-oss-process")
                .body("x-oss-process=image/resize,w_10|sys/saveas,o_" + b64url("anon.jpg")).anonymous().send();
        assertError(r, 403, "AccessDenied");
        assertThat(http.req("HEAD", bucket, "anon.jpg").send().status()).isEqualTo(404);
    }

    @Test
    void savingOverTheSourceReplacesIt() throws Exception {
        put(bucket, "self.jpg", source, "image/jpeg");
        String body = j1Body(j1.processObject(new ProcessObjectRequest(bucket, "self.jpg",
                "image/resize,w_100|sys/saveas,o_" + b64url("self.jpg"))));
        assertThat(json(body.getBytes(StandardCharsets.UTF_8)).path("status").asText()).isEqualTo("OK");
        Saved s = saved(bucket, "self.jpg");
        assertSize(decode(s.bytes()), 100, 67);
        assertThat(json(body.getBytes(StandardCharsets.UTF_8)).path("fileSize").asLong()).isEqualTo(s.length());
    }

    @Test
    void savingIntoAVersionedBucketKeepsThePreviousVersion() throws Exception {
        String b = newBucket();
        j1.setBucketVersioning(new com.aliyun.oss.model.SetBucketVersioningRequest(b,
                new com.aliyun.oss.model.BucketVersioningConfiguration("Enabled")));
        put(b, "src.jpg", source, "image/jpeg");
        put(b, "dst.jpg", source, "image/jpeg");
        OssHttp.Resp r = raw("POST", b, "src.jpg", q("x-oss-process", ""))
                .body("x-oss-process=image/resize,w_100|sys/saveas,o_" + b64url("dst.jpg")).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        var versions = j1.listVersions(new com.aliyun.oss.model.ListVersionsRequest().withBucketName(b).withPrefix("dst.jpg"));
        assertThat(versions.getVersionSummaries()).hasSize(2);
        assertSize(decode(saved(b, "dst.jpg").bytes()), 100, 67);
    }
}
