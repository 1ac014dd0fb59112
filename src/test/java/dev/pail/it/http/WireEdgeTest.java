package dev.pail.it.http;

import dev.pail.it.RawHttp;
import static dev.pail.it.TestServer.AK;
import static dev.pail.it.TestServer.SK;
import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.OSS;
import com.aliyun.oss.model.CannedAccessControlList;
import dev.pail.it.Clients;
import dev.pail.it.TestServer;
import dev.pail.it.RawHttp.Resp;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP-level edge cases against a real server over raw sockets: body framing (chunked,
 * {@code Expect: 100-continue}), oversized and malformed requests, hostile XML, unknown
 * sub-resources, the health endpoint and the shape of every error (core.md §5.1).
 */
class WireEdgeTest {
    static TestServer server;
    static OSS oss;
    static int port;
    static final String B = "wire-edge";

    @BeforeAll
    static void start() {
        server = new TestServer();
        port = server.port();
        oss = Clients.v1(server);
        oss.createBucket(B);
    }

    @AfterAll
    static void stop() {
        oss.shutdown();
        server.close();
    }

    private static Resp signed(RawHttp.Req r, String resource) { return r.signV1(AK, SK, resource).send(port); }

    private static byte[] get(String key) throws Exception {
        try (var o = oss.getObject(B, key)) {
            return o.getObjectContent().readAllBytes();
        }
    }

    // ---- health -----------------------------------------------------------------------------

    @Test
    void healthNeedsNoAuth() {
        Resp r = RawHttp.req("GET", "/-/health").send(port);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("ok\n");
        assertThat(RawHttp.req("HEAD", "/-/health").send(port).status()).isEqualTo(200);
        // Pail's own namespace offers nothing else, and never a bucket called "-"
        Resp put = RawHttp.req("PUT", "/-/health").body("x").send(port);
        assertThat(put.status()).isBetween(400, 499);
        put.assertEnvelope();
        RawHttp.req("GET", "/-/other").send(port).assertError(400, "InvalidBucketName");
        RawHttp.req("GET", "/-/").send(port).assertError(400, "InvalidBucketName");
    }

    // ---- body framing -------------------------------------------------------------------------

    @Test
    void chunkedPutStoresExactBytes() throws Exception {
        byte[] data = new byte[300_000];
        new Random(7).nextBytes(data);
        Resp r = signed(RawHttp.req("PUT", "/" + B + "/chunked.bin").body(data).chunked(), "/" + B + "/chunked.bin");
        r.assertOk();
        String md5 = HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("MD5").digest(data));
        assertThat(r.header("ETag")).isEqualTo("\"" + md5 + "\"");
        assertThat(get("chunked.bin")).isEqualTo(data);

        // an empty chunked body is an empty object, not a missing length
        signed(RawHttp.req("PUT", "/" + B + "/chunked-empty").body(new byte[0]).chunked(), "/" + B + "/chunked-empty").assertOk();
        assertThat(get("chunked-empty")).isEmpty();
    }

    @Test
    void putWithoutAnyLengthIsRefused() {
        // neither Content-Length nor chunked: 411, nothing stored
        signed(RawHttp.req("PUT", "/" + B + "/nolength"), "/" + B + "/nolength").assertError(411, "MissingContentLength");
        assertThat(oss.doesObjectExist(B, "nolength")).isFalse();
    }

    @Test
    void expectContinueWithBadAuthIsRefusedBeforeTheBody() throws Exception {
        for (String mode : new String[] {"wrong-signature", "anonymous"}) {
            RawHttp.Req r = RawHttp.req("PUT", "/" + B + "/expect-bad-" + mode);
            r.header("Host", "127.0.0.1:" + port).header("Content-Length", "1048576").header("Expect", "100-continue");
            if (mode.equals("wrong-signature")) r.signV1(AK, "not-the-secret", "/" + B + "/expect-bad-" + mode);
            headersOnly(r).assertError(403, mode.equals("anonymous") ? "AccessDenied" : "SignatureDoesNotMatch");
            assertThat(oss.doesObjectExist(B, "expect-bad-" + mode)).isFalse();
        }
        // other outcomes known from the headers alone are refused before 100 Continue as well
        oss.putObject(B, "expect-existing", new ByteArrayInputStream("old".getBytes()));
        RawHttp.Req r = RawHttp.req("PUT", "/" + B + "/expect-existing").header("Host", "127.0.0.1:" + port)
                .header("Content-Length", "1048576").header("Expect", "100-continue").header("x-oss-forbid-overwrite", "true");
        headersOnly(r.signV1(AK, SK, "/" + B + "/expect-existing")).assertError(409, "FileAlreadyExists");
        RawHttp.Req nb = RawHttp.req("PUT", "/no-such-bucket-expect/k").header("Host", "127.0.0.1:" + port)
                .header("Content-Length", "1048576").header("Expect", "100-continue");
        headersOnly(nb.signV1(AK, SK, "/no-such-bucket-expect/k")).assertError(404, "NoSuchBucket");
        assertThat(get("expect-existing")).isEqualTo("old".getBytes());
    }

    /**
     * Sends only the head of {@code r} (which announces a body and {@code Expect: 100-continue}) and
     * never the body: the final answer must come anyway, without a {@code 100 Continue} first, and the
     * connection must then be closed since the announced body was never read.
     */
    private static Resp headersOnly(RawHttp.Req r) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            StringBuilder head = new StringBuilder(r.method + " " + r.target + " HTTP/1.1\r\n");
            r.headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            OutputStream out = s.getOutputStream();
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            String status = RawHttp.readHead(in);
            assertThat(status).doesNotContain("100 Continue").doesNotStartWith("HTTP/1.1 1");
            byte[] rest = in.readAllBytes(); // EOF: the server closed
            Resp resp = RawHttp.Resp.parse(r.method, (status + new String(rest, StandardCharsets.ISO_8859_1)).getBytes(StandardCharsets.ISO_8859_1));
            assertThat(resp.interim()).isEmpty();
            assertThat(resp.header("Connection")).isEqualToIgnoringCase("close");
            return resp;
        }
    }

    @Test
    void expectContinueWithGoodAuthGetsContinueThenOk() throws Exception {
        byte[] data = "continued body".getBytes(StandardCharsets.UTF_8);
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            RawHttp.Req r = RawHttp.req("PUT", "/" + B + "/expect-good");
            r.header("Host", "127.0.0.1:" + port).header("Content-Length", Integer.toString(data.length))
                    .header("Expect", "100-continue").signV1(AK, SK, "/" + B + "/expect-good");
            StringBuilder head = new StringBuilder("PUT " + r.target + " HTTP/1.1\r\n");
            r.headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            OutputStream out = s.getOutputStream();
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            assertThat(RawHttp.readHead(in)).startsWith("HTTP/1.1 100 Continue");
            out.write(data);
            out.flush();
            String fin = RawHttp.readHead(in);
            assertThat(fin).startsWith("HTTP/1.1 200 ");
        }
        assertThat(get("expect-good")).isEqualTo(data);
    }

    @Test
    void earlyErrorSurvivesAnUnsentBody() throws Exception {
        // a client that writes its whole body before reading must still get the 403, not a reset
        byte[] big = new byte[16 << 20];
        for (String mode : new String[] {"wrong-signature", "anonymous"}) {
            RawHttp.Req r = RawHttp.req("PUT", "/" + B + "/early-" + mode).body(big);
            if (mode.equals("wrong-signature")) r.signV1(AK, "not-the-secret", "/" + B + "/early-" + mode);
            Resp resp = r.send(port);
            resp.assertError(403, mode.equals("anonymous") ? "AccessDenied" : "SignatureDoesNotMatch");
            assertThat(oss.doesObjectExist(B, "early-" + mode)).isFalse();
        }
        // the same with a chunked body, and to a bucket that does not exist
        RawHttp.req("PUT", "/" + B + "/early-chunked").body(big).chunked().send(port).assertError(403, "AccessDenied");
        signed(RawHttp.req("PUT", "/no-such-bucket-early/k").body(big), "/no-such-bucket-early/k").assertError(404, "NoSuchBucket");
        assertThat(RawHttp.req("GET", "/-/health").send(port).status()).isEqualTo(200);
    }

    // ---- oversized / malformed requests -------------------------------------------------------

    @Test
    void oversizedHeaderIsA4xxAndTheServerStaysHealthy() {
        String big = "a".repeat(64 * 1024);
        Resp r = RawHttp.req("GET", "/" + B + "/x").header("X-Big", big).send(port);
        assertThat(r.status()).isBetween(400, 499);
        r.assertEnvelope();
        // many headers adding up to more than the limit
        RawHttp.Req many = RawHttp.req("GET", "/" + B + "/x");
        for (int i = 0; i < 2000; i++) many.header("X-H" + i, "v".repeat(30));
        Resp r2 = many.send(port);
        assertThat(r2.status()).isBetween(400, 499);
        // a huge request line
        Resp r3 = RawHttp.req("GET", "/" + B + "/" + "k".repeat(64 * 1024)).send(port);
        assertThat(r3.status()).isBetween(400, 499);
        r3.assertEnvelope();
        assertThat(RawHttp.req("GET", "/-/health").send(port).status()).isEqualTo(200);
        signed(RawHttp.req("PUT", "/" + B + "/after-big").body("fine"), "/" + B + "/after-big").assertOk();
    }

    @Test
    void malformedRequestTargetsAreClientErrors() {
        // bad percent-encoding in the path or the query, invalid UTF-8 in a key, unknown method
        signed(RawHttp.req("GET", "/" + B + "/bad%zzkey"), "/" + B + "/bad%zzkey").assertError(400, "InvalidArgument");
        signed(RawHttp.req("GET", "/" + B + "/?prefix=%zz"), "/" + B + "/").assertError(400, "InvalidArgument");
        RawHttp.req("GET", "/" + B + "/%C3%28").send(port).assertError(400, "InvalidObjectName");
        Resp m = signed(RawHttp.req("PATCH", "/" + B + "/k"), "/" + B + "/k");
        assertThat(m.status()).isEqualTo(405);
        m.assertError(405, "MethodNotAllowed");
        Resp http10 = RawHttp.req("GET", "no-slash").send(port);
        assertThat(http10.status()).isBetween(400, 499);
        assertThat(RawHttp.req("GET", "/-/health").send(port).status()).isEqualTo(200);
    }

    @Test
    void oddRequestTargetsNeverCauseServerErrors() {
        String[] targets = {
            "//", "///", "/%2F", "/%2F/", "/%2Fx/k", "/" + B + "%2Fk", "/" + B + "%2F", "/.", "/..", "/../", "/../" + B + "/k",
            "/%2e%2e/", "/-", "/%2D/health", "/" + B + "/?", "/" + B + "/?&&=&", "/" + B + "/?=x", "/" + B + "/?acl&acl",
            "/" + B + "/?max-keys=abc", "/" + B + "/?max-keys=-1", "/" + B + "/?max-keys=99999999999", "/?max-keys=0",
            "/" + B + "/?list-type=2&continuation-token=%FF%FE", "/" + B + "/?list-type=3", "/" + B + "/k?versionId=",
            "/" + B + "/%", "/" + B + "/%2", "/" + B + "/%%32", "/" + B + "/k%", "/" + "a".repeat(300) + "/k", "/*", "*",
        };
        for (String method : new String[] {"GET", "HEAD", "DELETE", "PUT", "POST"}) {
            for (String t : targets) {
                for (boolean sign : new boolean[] {false, true}) {
                    RawHttp.Req r = RawHttp.req(method, t);
                    if (method.equals("PUT") || method.equals("POST")) r.body(new byte[0]);
                    if (sign) r.signV1(AK, SK, "/");
                    Resp resp = r.send(port);
                    assertThat(resp.status()).as("%s %s signed=%s", method, t, sign).isLessThan(500);
                    if (resp.status() >= 400) resp.assertEnvelope();
                }
            }
        }
        assertThat(oss.doesBucketExist(B)).isTrue();
        assertThat(RawHttp.req("GET", "/-/health").send(port).status()).isEqualTo(200);
    }

    @Test
    void malformedXmlToDeleteMultipleObjects() {
        oss.putObject(B, "keep-me", new ByteArrayInputStream("k".getBytes()));
        String[] bodies = {
            "<Delete><Object><Key>keep-me</Key></Object>",           // unterminated
            "this is not xml",
            "<Delete><Quiet>true</Quiet></Delete>",                    // no objects
            "<Delete><Object><Key>keep-me</Key></Object></Delete><x/>", // trailing garbage
        };
        for (String body : bodies) {
            signed(RawHttp.req("POST", "/" + B + "/?delete").body(body).md5(), "/" + B + "/?delete").assertError(400, "MalformedXML");
        }
        // an empty body too
        signed(RawHttp.req("POST", "/" + B + "/?delete").body(new byte[0]).md5(), "/" + B + "/?delete").assertError(400, "MalformedXML");
        assertThat(oss.doesObjectExist(B, "keep-me")).isTrue();

        // control: character references (pyv2 writes &#01; for control characters) are fine
        oss.putObject(B, "ctl\u0001key&", new ByteArrayInputStream("c".getBytes()));
        Resp ok = signed(RawHttp.req("POST", "/" + B + "/?delete&encoding-type=url")
                .body("<Delete><Quiet>false</Quiet><Object><Key>ctl&#01;key&amp;</Key></Object></Delete>").md5(), "/" + B + "/?delete");
        ok.assertOk();
        assertThat(ok.text()).contains("<Key>ctl%01key%26</Key>");
        assertThat(oss.doesObjectExist(B, "ctl\u0001key&")).isFalse();
    }

    @Test
    void externalEntitiesAreNeverResolved(@TempDir Path dir) throws Exception {
        // if the server expanded &x; it would read the file and delete the object named by its content
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "xxe-victim");
        oss.putObject(B, "xxe-victim", new ByteArrayInputStream("v".getBytes()));
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE Delete [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]>"
                + "<Delete><Quiet>false</Quiet><Object><Key>&x;</Key></Object></Delete>";
        Resp r = signed(RawHttp.req("POST", "/" + B + "/?delete").body(xxe).md5(), "/" + B + "/?delete");
        assertThat(r.status()).isBetween(400, 499);
        assertThat(r.text()).doesNotContain("xxe-victim");
        assertThat(oss.doesObjectExist(B, "xxe-victim")).isTrue();

        // an internal entity or an undeclared one must not silently turn into another key ("ab")
        oss.putObject(B, "ab", new ByteArrayInputStream("ab".getBytes()));
        String internal = "<?xml version=\"1.0\"?><!DOCTYPE Delete [<!ENTITY x \"\">]>"
                + "<Delete><Object><Key>a&x;b</Key></Object></Delete>";
        signed(RawHttp.req("POST", "/" + B + "/?delete").body(internal).md5(), "/" + B + "/?delete").assertError(400, "MalformedXML");
        signed(RawHttp.req("POST", "/" + B + "/?delete").body("<Delete><Object><Key>a&undeclared;b</Key></Object></Delete>").md5(),
                "/" + B + "/?delete").assertError(400, "MalformedXML");
        assertThat(oss.doesObjectExist(B, "ab")).isTrue();

        // parameter entities / external DTD: refused as well
        String dtd = "<?xml version=\"1.0\"?><!DOCTYPE Delete SYSTEM \"" + secret.toUri() + "\">"
                + "<Delete><Object><Key>xxe-victim</Key></Object></Delete>";
        Resp r2 = signed(RawHttp.req("POST", "/" + B + "/?delete").body(dtd).md5(), "/" + B + "/?delete");
        assertThat(r2.status()).isBetween(400, 499);
        r2.assertEnvelope();

        // entity expansion bomb: refused quickly
        StringBuilder bomb = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE Delete [<!ENTITY a0 \"xxxxxxxxxx\">");
        for (int i = 1; i < 10; i++) {
            bomb.append("<!ENTITY a").append(i).append(" \"").append(("&a" + (i - 1) + ";").repeat(10)).append("\">");
        }
        bomb.append("]><Delete><Object><Key>&a9;</Key></Object></Delete>");
        long t0 = System.nanoTime();
        Resp r3 = signed(RawHttp.req("POST", "/" + B + "/?delete").body(bomb.toString()).md5(), "/" + B + "/?delete");
        assertThat(r3.status()).isBetween(400, 499);
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(5_000);

        // the same through PutBucket's CreateBucketConfiguration: never the file's content as storage class
        Files.writeString(secret, "Archive");
        String cfg = "<?xml version=\"1.0\"?><!DOCTYPE c [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]>"
                + "<CreateBucketConfiguration><StorageClass>&x;</StorageClass></CreateBucketConfiguration>";
        Resp r4 = signed(RawHttp.req("PUT", "/xxe-bucket/").body(cfg), "/xxe-bucket/");
        assertThat(r4.status()).isBetween(400, 499);
        assertThat(oss.doesBucketExist("xxe-bucket")).isFalse();
        assertThat(oss.doesObjectExist(B, "xxe-victim")).isTrue();
    }

    // ---- unknown sub-resources ----------------------------------------------------------------

    @Test
    void unknownSubResourcesAreRefusedNotServedAsSomethingElse() {
        oss.putObject(B, "sub/k", new ByteArrayInputStream("k".getBytes()));
        String[][] cases = {
            {"GET", "/" + B + "/?cors", "/" + B + "/?cors"},
            {"GET", "/" + B + "/?cors=", "/" + B + "/?cors"},
            {"GET", "/" + B + "/?lifecycle", "/" + B + "/?lifecycle"},
            {"GET", "/" + B + "/?policy", "/" + B + "/?policy"},
            {"PUT", "/" + B + "/?website", "/" + B + "/?website"},
            {"DELETE", "/" + B + "/?cors", "/" + B + "/?cors"},
            {"DELETE", "/" + B + "/?tagging", "/" + B + "/?tagging"},
            {"GET", "/" + B + "/sub/k?cors", "/" + B + "/sub/k?cors"},
            {"DELETE", "/" + B + "/sub/k?acl", "/" + B + "/sub/k?acl"},
            {"PUT", "/" + B + "/sub/k?objectMeta", "/" + B + "/sub/k?objectMeta"},
            {"GET", "/?cors", "/?cors"},
        };
        for (String[] c : cases) {
            RawHttp.Req r = RawHttp.req(c[0], c[1]);
            if (c[0].equals("PUT")) r.body("<x/>");
            Resp resp = signed(r, c[2]);
            assertThat(resp.status()).as("%s %s", c[0], c[1]).isBetween(400, 499);
            assertThat(resp.text()).as("%s %s", c[0], c[1]).doesNotContain("ListBucketResult").doesNotContain("ListAllMyBucketsResult");
            resp.assertEnvelope();
        }
        // nothing was deleted or overwritten by the refused requests
        assertThat(oss.doesBucketExist(B)).isTrue();
        assertThat(oss.doesObjectExist(B, "sub/k")).isTrue();
        assertThat(oss.getObjectMetadata(B, "sub/k").getContentLength()).isEqualTo(1);
        // anonymous: an unknown sub-resource on a private bucket is never a listing either
        Resp anon = RawHttp.req("GET", "/" + B + "/?cors").send(port);
        assertThat(anon.status()).isBetween(400, 499);
        assertThat(anon.text()).doesNotContain("ListBucketResult");
    }

    // ---- error envelope ---------------------------------------------------------------------------

    @Test
    void everyErrorIsTheOssEnvelope() {
        signed(RawHttp.req("GET", "/" + B + "/no-such-key"), "/" + B + "/no-such-key").assertError(404, "NoSuchKey");
        signed(RawHttp.req("GET", "/no-such-bucket-x/"), "/no-such-bucket-x/").assertError(404, "NoSuchBucket");
        signed(RawHttp.req("PUT", "/Bad_Bucket/"), "/Bad_Bucket/").assertError(400, "InvalidBucketName");
        signed(RawHttp.req("PUT", "/" + B + "/k").header("x-oss-object-acl", "bogus").body("x"), "/" + B + "/k")
                .assertError(400, "InvalidArgument");
        RawHttp.req("GET", "/" + B + "/k").header("Authorization", "Bearer abc").send(port).assertError(400, "InvalidArgument");
        signed(RawHttp.req("GET", "/" + B + "/k"), "/" + B + "/other").assertError(403, "SignatureDoesNotMatch");

        // HEAD errors: no body, the document is in x-oss-err (base64), same request id
        Resp head = signed(RawHttp.req("HEAD", "/" + B + "/no-such-key"), "/" + B + "/no-such-key");
        head.assertError(404, "NoSuchKey");
        assertThat(head.body()).isEmpty();
        assertThat(head.header("x-oss-err")).isNotBlank();
        assertThat(head.field("Key")).isEqualTo("no-such-key");
        Resp headMeta = signed(RawHttp.req("HEAD", "/" + B + "/no-such-key?objectMeta"), "/" + B + "/no-such-key?objectMeta");
        headMeta.assertError(404, "NoSuchKey");
        Resp headAnon = RawHttp.req("HEAD", "/" + B + "/no-such-key").send(port);
        headAnon.assertError(403, "AccessDenied");
        Resp headSig = signed(RawHttp.req("HEAD", "/" + B + "/k"), "/" + B + "/zzz");
        headSig.assertError(403, "SignatureDoesNotMatch");
        assertThat(headSig.field("StringToSign")).isNotNull();

        // two errors never share a request id
        String a = signed(RawHttp.req("GET", "/" + B + "/nope"), "/" + B + "/nope").header("x-oss-request-id");
        String b = signed(RawHttp.req("GET", "/" + B + "/nope"), "/" + B + "/nope").header("x-oss-request-id");
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void successfulResponsesCarryARequestIdToo() {
        Resp r = signed(RawHttp.req("GET", "/" + B + "/?acl"), "/" + B + "/?acl");
        r.assertOk();
        assertThat(r.header("x-oss-request-id")).matches("[0-9A-F]{24}");
        assertThat(r.header("Server")).isEqualTo("AliyunOSS");
        oss.setBucketAcl(B, CannedAccessControlList.Private);
    }
}
