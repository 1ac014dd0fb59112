package dev.pail.it.security;

import static dev.pail.it.TestServer.AK;
import static dev.pail.it.TestServer.SK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aliyun.oss.ClientBuilderConfiguration;
import com.aliyun.oss.HttpMethod;
import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import com.aliyun.oss.OSSException;
import com.aliyun.oss.model.GeneratePresignedUrlRequest;
import com.aliyun.oss.model.ResponseHeaderOverrides;
import com.aliyun.sdk.service.oss2.OSSClient;
import com.aliyun.sdk.service.oss2.PresignOptions;
import com.aliyun.sdk.service.oss2.models.GetObjectRequest;
import com.aliyun.sdk.service.oss2.models.PresignResult;
import com.aliyun.sdk.service.oss2.models.PutObjectRequest;
import dev.pail.it.Clients;
import dev.pail.it.TestServer;
import dev.pail.it.RawHttp;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Presigned URLs made by the official SDKs (core.md §3.3, §3.5) and used by a plain HTTP client, plus
 * STS temporary keys (§3.6). Expired and tampered URLs must be refused with the documented codes.
 */
class PresignedUrlTest {
    static TestServer server;
    static OSS v1;
    static OSS v4;
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static final String B = "presign";
    static final String KEY = "dir/pre sign+1 ü.txt";
    static final String BODY = "presigned content";

    @BeforeAll
    static void start() {
        server = new TestServer();
        v1 = Clients.v1(server);
        v4 = Clients.v4(server);
        v1.createBucket(B);
        v1.putObject(B, KEY, new ByteArrayInputStream(BODY.getBytes(StandardCharsets.UTF_8)));
    }

    @AfterAll
    static void stop() {
        v1.shutdown();
        v4.shutdown();
        server.close();
    }

    static Date in(Duration d) { return new Date(System.currentTimeMillis() + d.toMillis()); }

    static HttpResponse<String> get(URL url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(url.toURI()).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> send(String method, String url, Map<String, String> headers, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        headers.forEach(b::header);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Asserts an OSS error response: status, Code, and RequestId equal to the x-oss-request-id header. */
    static void assertError(HttpResponse<String> r, int status, String code) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(RawHttp.element(r.body(), "Code")).isEqualTo(code);
        String id = r.headers().firstValue("x-oss-request-id").orElseThrow();
        assertThat(id).matches("[0-9A-F]{24}");
        assertThat(RawHttp.element(r.body(), "RequestId")).isEqualTo(id);
    }

    static String content(String key) throws Exception {
        try (var o = v1.getObject(B, key)) {
            return new String(o.getObjectContent().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    // ---- J1 presigned GET / PUT ---------------------------------------------------------------

    @Test
    void j1PresignedGetV1AndV4() throws Exception {
        for (OSS oss : new OSS[] {v1, v4}) {
            URL url = oss.generatePresignedUrl(B, KEY, in(Duration.ofMinutes(10)));
            HttpResponse<String> r = get(url);
            assertThat(r.statusCode()).as(url.toString()).isEqualTo(200);
            assertThat(r.body()).isEqualTo(BODY);
        }
        assertThat(v1.generatePresignedUrl(B, KEY, in(Duration.ofMinutes(1))).getQuery()).contains("OSSAccessKeyId=");
        assertThat(v4.generatePresignedUrl(B, KEY, in(Duration.ofMinutes(1))).getQuery())
                .contains("x-oss-signature-version=OSS4-HMAC-SHA256");
    }

    @Test
    void j1PresignedPutWithSignedContentType() throws Exception {
        int i = 0;
        for (OSS oss : new OSS[] {v1, v4}) {
            String key = "put/presigned-" + (i++) + " x.txt";
            GeneratePresignedUrlRequest req = new GeneratePresignedUrlRequest(B, key, HttpMethod.PUT);
            req.setExpiration(in(Duration.ofMinutes(10)));
            req.setContentType("text/plain");
            String url = oss.generatePresignedUrl(req).toString();

            // a different Content-Type than the signed one is refused, and nothing is written
            assertError(send("PUT", url, Map.of("Content-Type", "application/json"), "wrong"), 403, "SignatureDoesNotMatch");
            assertThat(v1.doesObjectExist(B, key)).isFalse();
            // the PUT URL cannot be used as a GET (the verb is signed)
            assertError(send("GET", url, Map.of("Content-Type", "text/plain"), null), 403, "SignatureDoesNotMatch");

            // x-oss-* headers are signed: a presigned PUT cannot also make the object public, nor turn into a copy
            assertError(send("PUT", url, Map.of("Content-Type", "text/plain", "x-oss-object-acl", "public-read-write"), "acl"),
                    403, "SignatureDoesNotMatch");
            assertError(send("PUT", url, Map.of("Content-Type", "text/plain", "x-oss-copy-source", "/" + B + "/" + RawHttp.encPath(KEY)), ""),
                    403, "SignatureDoesNotMatch");
            assertError(send("PUT", url + "&acl", Map.of("Content-Type", "text/plain", "x-oss-object-acl", "public-read"), ""),
                    403, "SignatureDoesNotMatch");
            assertThat(v1.doesObjectExist(B, key)).isFalse();

            HttpResponse<String> ok = send("PUT", url, Map.of("Content-Type", "text/plain"), "uploaded via presign");
            assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
            assertThat(content(key)).isEqualTo("uploaded via presign");
            assertThat(v1.getObjectMetadata(B, key).getContentType()).isEqualTo("text/plain");
        }
    }

    @Test
    void j1ResponseHeaderOverrides() throws Exception {
        for (OSS oss : new OSS[] {v1, v4}) {
            GeneratePresignedUrlRequest req = new GeneratePresignedUrlRequest(B, KEY, HttpMethod.GET);
            req.setExpiration(in(Duration.ofMinutes(10)));
            ResponseHeaderOverrides o = new ResponseHeaderOverrides();
            o.setContentType("text/html; charset=utf-8");
            o.setContentDisposition("attachment; filename=\"a b.txt\"");
            o.setCacheControl("no-cache");
            o.setContentLangauge("de-DE"); // sic: the SDK's spelling
            o.setExpires("Thu, 01 Dec 2033 16:00:00 GMT");
            o.setContentEncoding("identity");
            req.setResponseHeaders(o);
            URL url = oss.generatePresignedUrl(req);
            HttpResponse<String> r = get(url);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.body()).isEqualTo(BODY);
            var h = r.headers();
            assertThat(h.firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
            assertThat(h.firstValue("Content-Disposition")).hasValue("attachment; filename=\"a b.txt\"");
            assertThat(h.firstValue("Cache-Control")).hasValue("no-cache");
            assertThat(h.firstValue("Content-Language")).hasValue("de-DE");
            assertThat(h.firstValue("Expires")).hasValue("Thu, 01 Dec 2033 16:00:00 GMT");
            assertThat(h.firstValue("Content-Encoding")).hasValue("identity");

            // the overrides are signed: changing one breaks the signature
            String tampered = url.toString().replace("no-cache", "public");
            assertThat(tampered).isNotEqualTo(url.toString());
            assertError(send("GET", tampered, Map.of(), null), 403, "SignatureDoesNotMatch");
            // and adding one that was not signed too
            assertError(send("GET", url + "&response-content-language=fr", Map.of(), null), 403, "SignatureDoesNotMatch");
        }
    }

    // ---- V2 SDK presign ----------------------------------------------------------------------------

    @Test
    void v2SdkPresignGetAndPut() throws Exception {
        try (OSSClient c = Clients.v2(server)) {
            PresignResult g = c.presign(GetObjectRequest.newBuilder().bucket(B).key(KEY)
                    .responseContentDisposition("inline; filename=x.txt").build());
            assertThat(g.method()).isEqualTo("GET");
            HttpResponse<String> r = send("GET", g.url(), g.signedHeaders().orElse(Map.of()), null);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.body()).isEqualTo(BODY);
            assertThat(r.headers().firstValue("Content-Disposition")).hasValue("inline; filename=x.txt");

            PresignResult p = c.presign(PutObjectRequest.newBuilder().bucket(B).key("v2/presigned put.txt")
                    .contentType("text/csv").build(), PresignOptions.newBuilder().expiration(Duration.ofMinutes(5)).build());
            assertThat(p.method()).isEqualTo("PUT");
            Map<String, String> signed = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            signed.putAll(p.signedHeaders().orElse(Map.of()));
            assertThat(signed).containsEntry("Content-Type", "text/csv");
            HttpResponse<String> put = send("PUT", p.url(), signed, "a,b\n1,2\n");
            assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
            assertThat(content("v2/presigned put.txt")).isEqualTo("a,b\n1,2\n");
            assertThat(v1.getObjectMetadata(B, "v2/presigned put.txt").getContentType()).isEqualTo("text/csv");
        }
    }

    // ---- expired and tampered ------------------------------------------------------------------------

    @Test
    void expiredV1PresignedUrlIsAccessDenied() throws Exception {
        URL url = v1.generatePresignedUrl(B, KEY, new Date(System.currentTimeMillis() - 60_000));
        HttpResponse<String> r = get(url);
        assertError(r, 403, "AccessDenied");
        assertThat(RawHttp.element(r.body(), "Message")).containsIgnoringCase("expired");
    }

    @Test
    void expiredV4PresignedUrlIsAccessDenied() throws Exception {
        String resource = "/" + B + "/" + RawHttp.encPath(KEY);
        // control: the test's own V4 presigner works for a fresh URL
        HttpResponse<String> fresh = send("GET", v4Presign(resource, Instant.now().minusSeconds(5), 600), Map.of(), null);
        assertThat(fresh.statusCode()).as(fresh.body()).isEqualTo(200);
        assertThat(fresh.body()).isEqualTo(BODY);
        // signed two hours ago, valid for one minute
        HttpResponse<String> r = send("GET", v4Presign(resource, Instant.now().minusSeconds(7200), 60), Map.of(), null);
        assertError(r, 403, "AccessDenied");
    }

    @Test
    void tamperedSignaturesAreRefused() throws Exception {
        for (OSS oss : new OSS[] {v1, v4}) {
            String url = oss.generatePresignedUrl(B, KEY, in(Duration.ofMinutes(10))).toString();
            String name = url.contains("x-oss-signature=") ? "x-oss-signature=" : "Signature=";
            int at = url.indexOf(name) + name.length();
            char c = url.charAt(at);
            String tampered = url.substring(0, at) + (c == 'A' ? 'B' : 'A') + url.substring(at + 1);
            assertError(send("GET", tampered, Map.of(), null), 403, "SignatureDoesNotMatch");
            // the URL of one key does not open another
            String other = url.replace("pre%20sign", "pre%20sigN");
            assertThat(other).isNotEqualTo(url);
            assertError(send("GET", other, Map.of(), null), 403, "SignatureDoesNotMatch");
        }
        // extending the V1 expiry invalidates the signature
        String url = v1.generatePresignedUrl(B, KEY, in(Duration.ofMinutes(10))).toString();
        String expires = url.replaceAll(".*[?&]Expires=(\\d+).*", "$1");
        String longer = url.replace("Expires=" + expires, "Expires=" + (Long.parseLong(expires) + 86400));
        assertError(send("GET", longer, Map.of(), null), 403, "SignatureDoesNotMatch");
        // a wrong signing secret
        OSS bad = Clients.v1(server, AK, "not-the-secret");
        assertError(get(bad.generatePresignedUrl(B, KEY, in(Duration.ofMinutes(10)))), 403, "SignatureDoesNotMatch");
        bad.shutdown();
        // an unknown key id
        OSS unknown = Clients.v4(server, "LTAI5tUnknownKeyId", SK);
        assertError(get(unknown.generatePresignedUrl(B, KEY, in(Duration.ofMinutes(10)))), 403, "InvalidAccessKeyId");
        unknown.shutdown();
    }

    // ---- STS ----------------------------------------------------------------------------------------------

    static OSS stsV1(String token) {
        return new OSSClientBuilder().build(server.endpoint(), TestServer.STS_AK, TestServer.STS_SK, token,
                new ClientBuilderConfiguration());
    }

    @Test
    void stsWithCorrectTokenWorks() throws Exception {
        OSS[] clients = {stsV1(TestServer.STS_TOKEN), Clients.sts(server, TestServer.STS_TOKEN)};
        int i = 0;
        for (OSS sts : clients) {
            String key = "sts/object-" + (i++);
            sts.putObject(B, key, new ByteArrayInputStream("temporary".getBytes()));
            try (var o = sts.getObject(B, key)) {
                assertThat(new String(o.getObjectContent().readAllBytes())).isEqualTo("temporary");
            }
            assertThat(sts.listObjects(B, "sts/").getObjectSummaries()).isNotEmpty();
            // presigned URLs of a temporary key carry the token and work too
            URL url = sts.generatePresignedUrl(B, key, in(Duration.ofMinutes(5)));
            assertThat(url.getQuery()).containsAnyOf("security-token=", "x-oss-security-token=");
            HttpResponse<String> r = get(url);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("temporary");
            // a presigned URL whose token was swapped is refused
            String swapped = url.toString().replace("CAIS", "CAIX");
            assertThat(swapped).isNotEqualTo(url.toString());
            assertThat(send("GET", swapped, Map.of(), null).statusCode()).isEqualTo(403);
            sts.shutdown();
        }
    }

    @Test
    void stsWithWrongOrMissingTokenIsRefused() {
        OSS[] clients = {stsV1("wrong-token"), Clients.sts(server, "wrong-token"), stsV1(null),
                Clients.v1(server, TestServer.STS_AK, TestServer.STS_SK)};
        for (OSS sts : clients) {
            assertThatThrownBy(() -> sts.putObject(B, "sts/denied", new ByteArrayInputStream("x".getBytes())))
                    .isInstanceOfSatisfying(OSSException.class, e -> assertThat(e.getErrorCode()).isEqualTo("InvalidAccessKeyId"));
            assertThatThrownBy(() -> sts.getObject(B, KEY))
                    .isInstanceOfSatisfying(OSSException.class, e -> assertThat(e.getErrorCode()).isEqualTo("InvalidAccessKeyId"));
            sts.shutdown();
        }
        assertThat(v1.doesObjectExist(B, "sts/denied")).isFalse();
        // the main key presenting a token it does not have is refused as well
        OSS mainWithToken = new OSSClientBuilder().build(server.endpoint(), AK, SK, TestServer.STS_TOKEN, new ClientBuilderConfiguration());
        assertThatThrownBy(() -> mainWithToken.getObject(B, KEY)).isInstanceOf(OSSException.class);
        mainWithToken.shutdown();
    }

    @Test
    void stsTokenInHeaderVariants() {
        String r = "/" + B + "/" + KEY;
        String target = "/" + B + "/" + RawHttp.encPath(KEY);
        // V1 header auth: the token as x-oss-security-token (signed) or as security-token (pyv2 in V1 mode, unsigned)
        RawHttp.req("GET", target).header("x-oss-security-token", TestServer.STS_TOKEN)
                .signV1(TestServer.STS_AK, TestServer.STS_SK, r).send(server.port()).assertOk();
        RawHttp.req("GET", target).header("security-token", TestServer.STS_TOKEN)
                .signV1(TestServer.STS_AK, TestServer.STS_SK, r).send(server.port()).assertOk();
        RawHttp.req("GET", target).header("security-token", "CAIS-wrong")
                .signV1(TestServer.STS_AK, TestServer.STS_SK, r).send(server.port()).assertError(403, "InvalidAccessKeyId");
        RawHttp.req("GET", target).signV1(TestServer.STS_AK, TestServer.STS_SK, r).send(server.port())
                .assertError(403, "InvalidAccessKeyId");
        // V1 presign: security-token is a signed sub-resource
        long exp = Instant.now().getEpochSecond() + 300;
        String tok = "security-token=" + RawHttp.enc(TestServer.STS_TOKEN);
        RawHttp.req("GET", target + "?" + tok).presignV1(TestServer.STS_AK, TestServer.STS_SK, r + "?security-token=" + TestServer.STS_TOKEN, exp)
                .send(server.port()).assertOk();
        RawHttp.req("GET", target).presignV1(TestServer.STS_AK, TestServer.STS_SK, r, exp).send(server.port())
                .assertError(403, "InvalidAccessKeyId");
        // a token signed but then swapped for another one
        RawHttp.Req swapped = RawHttp.req("GET", target + "?" + tok)
                .presignV1(TestServer.STS_AK, TestServer.STS_SK, r + "?security-token=" + TestServer.STS_TOKEN, exp);
        swapped.target = swapped.target.replace(tok, "security-token=other");
        swapped.send(server.port()).assertError(403, "InvalidAccessKeyId");
    }

    // ---- an independent V4 presigner (core.md §3.5) for URLs the SDKs will not make ------------------------

    static String v4Presign(String encodedResource, Instant signedAt, long expires) throws Exception {
        String date = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(signedAt);
        String day = date.substring(0, 8);
        String credential = AK + "/" + day + "/cn-hangzhou/oss/aliyun_v4_request";
        Map<String, String> q = new TreeMap<>();
        q.put("x-oss-credential", RawHttp.enc(credential));
        q.put("x-oss-date", date);
        q.put("x-oss-expires", Long.toString(expires));
        q.put("x-oss-signature-version", "OSS4-HMAC-SHA256");
        StringBuilder query = new StringBuilder();
        q.forEach((k, v) -> query.append(query.isEmpty() ? "" : "&").append(k).append('=').append(v));
        String canonical = "GET\n" + encodedResource + "\n" + query + "\n\n\nUNSIGNED-PAYLOAD";
        String scope = day + "/cn-hangzhou/oss/aliyun_v4_request";
        String sts = "OSS4-HMAC-SHA256\n" + date + "\n" + scope + "\n" + HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8)));
        byte[] k = hmac(("aliyun_v4" + SK).getBytes(StandardCharsets.UTF_8), day);
        k = hmac(k, "cn-hangzhou");
        k = hmac(k, "oss");
        k = hmac(k, "aliyun_v4_request");
        String sig = HexFormat.of().formatHex(hmac(k, sts));
        return server.endpoint() + encodedResource + "?" + query + "&x-oss-signature=" + sig;
    }

    static byte[] hmac(byte[] key, String data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }
}
