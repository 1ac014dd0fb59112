package dev.pail.it.security;

import static dev.pail.it.TestServer.AK;
import static dev.pail.it.TestServer.SK;
import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.OSS;
import com.aliyun.oss.model.Bucket;
import com.aliyun.oss.model.OSSObjectSummary;
import com.aliyun.oss.model.ObjectMetadata;
import dev.pail.it.Clients;
import dev.pail.it.TestServer;
import dev.pail.it.RawHttp;
import dev.pail.it.V1Signature;
import dev.pail.it.RawHttp.Resp;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every endpoint Pail serves (route/Endpoint.java) × every way of not being allowed, on a private
 * bucket: each request must be refused with the exact code of core.md §3.7, and the stored state
 * (buckets, ACLs, objects, their ACLs and metadata) must be unchanged afterwards, as seen by a client
 * holding the right key. Requests are built byte by byte with the test's own V1 signer.
 */
class SecurityMatrixTest {
    static TestServer server;
    static OSS oss;
    static int port;

    static final String PRIV = "mx-private";
    static final String EMPTY = "mx-empty";
    static final String NEW = "mx-new";

    @BeforeAll
    static void start() {
        server = new TestServer();
        port = server.port();
        oss = Clients.v1(server);
        seed(PRIV, EMPTY);
        seed("ctl-private", "ctl-empty");
    }

    static void seed(String priv, String empty) {
        oss.createBucket(priv);
        oss.createBucket(empty);
        ObjectMetadata m = new ObjectMetadata();
        m.setContentType("text/x-secret");
        m.addUserMetadata("owner", "alice");
        oss.putObject(priv, "obj.txt", new ByteArrayInputStream("secret-bytes".getBytes()), m);
        oss.putObject(priv, "copy-src.txt", new ByteArrayInputStream("source".getBytes()));
    }

    @AfterAll
    static void stop() {
        oss.shutdown();
        server.close();
    }

    /** One request to one endpoint. {@code path} needs no encoding; {@code sub} is the signed sub-resource part. */
    record Case(String endpoint, String method, String path, String query, String sub, Map<String, String> headers, byte[] body) {
        String target() { return query.isEmpty() ? path : path + "?" + query; }
        String resource() { return sub.isEmpty() ? path : path + "?" + sub; }

        RawHttp.Req request() {
            RawHttp.Req r = RawHttp.req(method, target());
            headers.forEach(r::header);
            if (body != null) r.body(body);
            return r;
        }
    }

    static Case c(String endpoint, String method, String path, String query, String sub, Object... headersAndBody) {
        Map<String, String> h = new LinkedHashMap<>();
        byte[] body = null;
        for (int i = 0; i < headersAndBody.length; i++) {
            if (headersAndBody[i] instanceof byte[] b) {
                body = b;
            } else {
                h.put((String) headersAndBody[i], (String) headersAndBody[++i]);
            }
        }
        if (body == null && (method.equals("PUT") || method.equals("POST"))) body = new byte[0];
        return new Case(endpoint, method, path, query, sub, h, body);
    }

    /** Every endpoint; destructive ones last so that the good-key control can run them in order. */
    static List<Case> cases(String priv, String empty, String fresh) {
        String p = "/" + priv + "/";
        byte[] delete = ("<Delete><Quiet>false</Quiet><Object><Key>obj.txt</Key></Object>"
                + "<Object><Key>copy-src.txt</Key></Object></Delete>").getBytes(StandardCharsets.UTF_8);
        return List.of(
                c("ListBuckets", "GET", "/", "", ""),
                c("PutBucket(new)", "PUT", "/" + fresh + "/", "", "", "x-oss-acl", "public-read-write"),
                c("PutBucket(existing)", "PUT", p, "", "", "x-oss-acl", "public-read-write"),
                c("GetBucketInfo", "GET", p, "bucketInfo", "bucketInfo"),
                c("GetBucketLocation", "GET", p, "location", "location"),
                c("GetBucketStat", "GET", p, "stat", "stat"),
                c("GetBucketAcl", "GET", p, "acl", "acl"),
                c("GetBucketVersioning", "GET", p, "versioning", "versioning"),
                c("PutBucketAcl", "PUT", p, "acl", "acl", "x-oss-acl", "public-read-write"),
                c("ListObjects", "GET", p, "prefix=&max-keys=10", ""),
                c("ListObjectsV2", "GET", p, "list-type=2&fetch-owner=true", ""),
                c("ListObjectVersions", "GET", p, "versions", "versions"),
                c("ListMultipartUploads", "GET", p, "uploads", "uploads"),
                c("ListLiveChannels", "GET", p, "live", "live"),
                c("PutObject(overwrite)", "PUT", p + "obj.txt", "", "", "Content-Type", "text/plain", "tampered".getBytes()),
                c("PutObject(new)", "PUT", p + "planted.txt", "", "", "x-oss-object-acl", "public-read", "planted".getBytes()),
                c("CopyObject(overwrite)", "PUT", p + "obj.txt", "", "", "x-oss-copy-source", "/" + priv + "/copy-src.txt"),
                c("CopyObject(new)", "PUT", p + "copied.txt", "", "", "x-oss-copy-source", "/" + priv + "/obj.txt",
                        "x-oss-object-acl", "public-read"),
                c("GetObject", "GET", p + "obj.txt", "", ""),
                c("GetObject(overrides)", "GET", p + "obj.txt", "response-content-type=text%2Fhtml", "response-content-type=text/html"),
                c("HeadObject", "HEAD", p + "obj.txt", "", ""),
                c("GetObjectMeta", "HEAD", p + "obj.txt", "objectMeta", "objectMeta"),
                c("GetObjectAcl", "GET", p + "obj.txt", "acl", "acl"),
                c("PutObjectAcl", "PUT", p + "obj.txt", "acl", "acl", "x-oss-object-acl", "public-read-write"),
                c("DeleteMultipleObjects", "POST", p, "delete", "delete", "Content-Type", "application/xml",
                        "Content-MD5", RawHttp.md5Base64(delete), delete),
                c("DeleteObject", "DELETE", p + "obj.txt", "", ""),
                c("DeleteBucket", "DELETE", "/" + empty + "/", "", ""));
    }

    /** A way of not being allowed, and the refusal it must get. */
    enum Mode {
        ANONYMOUS(403, "AccessDenied"),
        WRONG_SECRET(403, "SignatureDoesNotMatch"),
        UNKNOWN_KEY(403, "InvalidAccessKeyId"),
        EXPIRED_PRESIGNED(403, "AccessDenied"),
        EXPIRED_PRESIGNED_UNKNOWN_KEY(403, "AccessDenied"),
        REPLAYED_SIGNATURE(403, "SignatureDoesNotMatch"),
        DATE_20_MIN_AGO(403, "RequestTimeTooSkewed"),
        DATE_20_MIN_AHEAD(403, "RequestTimeTooSkewed");

        final int status;
        final String code;

        Mode(int status, String code) {
            this.status = status;
            this.code = code;
        }
    }

    static RawHttp.Req prepare(Case c, Mode mode) {
        RawHttp.Req r = c.request();
        Instant now = Instant.now();
        return switch (mode) {
            case ANONYMOUS -> r;
            case WRONG_SECRET -> r.signV1(AK, "WrongSecret0123456789abcdefghij", c.resource());
            case UNKNOWN_KEY -> r.signV1("LTAI5tNoSuchAccessKey", SK, c.resource());
            case EXPIRED_PRESIGNED -> r.presignV1(AK, SK, c.resource(), now.getEpochSecond() - 300);
            case EXPIRED_PRESIGNED_UNKNOWN_KEY -> r.presignV1("LTAI5tNoSuchAccessKey", SK, c.resource(), now.getEpochSecond() - 300);
            case REPLAYED_SIGNATURE -> {
                // a valid signature of another request (GetObject of obj.txt) at the same time
                String date = V1Signature.httpDate(now);
                String sig = V1Signature.sign(SK, "GET", Map.of(), date, "/" + PRIV + "/obj.txt");
                yield r.header("Date", date).header("Authorization", "OSS " + AK + ":" + sig);
            }
            case DATE_20_MIN_AGO -> r.signV1(AK, SK, c.resource(), now.minusSeconds(20 * 60));
            case DATE_20_MIN_AHEAD -> r.signV1(AK, SK, c.resource(), now.plusSeconds(20 * 60));
        };
    }

    /** Everything a refused request could have changed, as the owner sees it. */
    static String snapshot() {
        StringBuilder sb = new StringBuilder();
        for (Bucket b : oss.listBuckets()) {
            if (!b.getName().startsWith("mx-")) continue;
            sb.append("bucket ").append(b.getName()).append(' ').append(oss.getBucketAcl(b.getName()).getCannedACL()).append('\n');
            for (OSSObjectSummary o : oss.listObjects(b.getName()).getObjectSummaries()) {
                ObjectMetadata m = oss.getObjectMetadata(b.getName(), o.getKey());
                sb.append("  ").append(o.getKey()).append(' ').append(o.getETag()).append(' ').append(o.getSize())
                        .append(' ').append(m.getContentType()).append(' ').append(m.getUserMetadata())
                        .append(' ').append(oss.getObjectAcl(b.getName(), o.getKey()).getPermission()).append('\n');
            }
        }
        return sb.toString();
    }

    @TestFactory
    Stream<DynamicTest> everyEndpointRefusesEveryUnauthorizedCaller() {
        String baseline = snapshot();
        assertThat(baseline).contains("bucket mx-private private").contains("obj.txt").contains("copy-src.txt")
                .contains("bucket mx-empty private").doesNotContain(NEW);
        List<DynamicTest> tests = new ArrayList<>();
        for (Mode mode : Mode.values()) {
            for (Case c : cases(PRIV, EMPTY, NEW)) {
                if (mode == Mode.REPLAYED_SIGNATURE && c.endpoint().equals("GetObject")) continue; // that is the signed request
                tests.add(DynamicTest.dynamicTest(c.endpoint() + " as " + mode, () -> {
                    Resp r = prepare(c, mode).send(port);
                    r.assertError(mode.status, mode.code);
                    if (c.method().equals("HEAD")) assertThat(r.body()).isEmpty();
                    if (mode.name().startsWith("DATE_")) {
                        assertThat(r.field("ServerTime")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.000Z");
                    }
                    if (mode == Mode.WRONG_SECRET || mode == Mode.REPLAYED_SIGNATURE) {
                        assertThat(r.field("StringToSign")).isNotNull();
                        assertThat(r.field("OSSAccessKeyId")).isEqualTo(AK);
                    }
                    // never a leak of the content in the refusal
                    assertThat(r.errorXml()).doesNotContain("secret-bytes");
                    assertThat(snapshot()).as("state after %s as %s", c.endpoint(), mode).isEqualTo(baseline);
                }));
            }
        }
        return tests.stream();
    }

    /** Control: the same requests signed correctly all succeed, so each refusal above is about the caller only. */
    @Test
    void theSameRequestsSucceedWithTheRightKey() {
        for (Case c : cases("ctl-private", "ctl-empty", "ctl-new")) {
            Resp r = c.request().signV1(AK, SK, c.resource()).send(port);
            r.assertOk();
        }
        assertThat(oss.doesBucketExist("ctl-new")).isTrue();
        assertThat(oss.doesBucketExist("ctl-empty")).isFalse();
        assertThat(oss.getBucketAcl("ctl-private").getCannedACL().toString()).isEqualTo("public-read-write");
        assertThat(oss.doesObjectExist("ctl-private", "obj.txt")).isFalse();
        assertThat(oss.doesObjectExist("ctl-private", "planted.txt")).isTrue();
        assertThat(oss.doesObjectExist("ctl-private", "copied.txt")).isTrue();
        // and presigned with a future expiry too (reads only: the state above has moved on)
        Resp r = RawHttp.req("GET", "/ctl-private/copied.txt").presignV1(AK, SK, "/ctl-private/copied.txt",
                Instant.now().getEpochSecond() + 300).send(port);
        r.assertOk();
        assertThat(r.text()).isEqualTo("source"); // copy-src.txt copied onto obj.txt, then obj.txt onto copied.txt
    }
}
