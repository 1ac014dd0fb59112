package dev.pail.it.upload;


import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSException;
import com.aliyun.oss.model.OSSObject;
import com.aliyun.sdk.service.oss2.OSSClient;
import com.aliyun.sdk.service.oss2.exceptions.ServiceException;
import dev.pail.it.Clients;
import dev.pail.it.TestServer;
import dev.pail.it.RawHttp;
import dev.pail.it.TestData;
import dev.pail.it.V1Signature;
import dev.pail.it.V2Errors;
import dev.pail.ops.Settings;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * Shared fixture of the append and multipart integration tests: one in-process server per test
 * class, J1 clients for both signature versions, a V2 client, a raw V1-signed HTTP client (for
 * statuses, exact headers and requests the SDKs refuse to send) and checksums computed here,
 * independently of the server's code.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class UploadBase {

    /** The signature version a J1 client uses. */
    enum Sig { V1, V4 }

    static final Pattern REQUEST_ID = Pattern.compile("[0-9A-F]{24}");
    static final int KB = 1024;

    private static final AtomicInteger BUCKETS = new AtomicInteger();

    TestServer server;
    OSS v1;
    OSS v4;
    OSSClient v2;

    /** The server's object size limit; tests of the limit override this. */
    long maxObjectSize() { return Settings.FIVE_GIB; }

    @BeforeAll
    void startServer() {
        server = new TestServer(maxObjectSize());
        v1 = Clients.v1(server);
        v4 = Clients.v4(server);
        v2 = Clients.v2(server);
    }

    @AfterAll
    void stopServer() throws Exception {
        if (v1 != null) v1.shutdown();
        if (v4 != null) v4.shutdown();
        if (v2 != null) v2.close();
        if (server != null) server.close();
    }

    OSS oss(Sig sig) { return sig == Sig.V1 ? v1 : v4; }

    /** Creates a bucket with a name unique in this JVM and returns it. */
    String newBucket() {
        String name = getClass().getSimpleName().toLowerCase(Locale.ROOT).replace("test", "") + "-" + BUCKETS.incrementAndGet();
        v1.createBucket(name);
        return name;
    }

    // ---- data, digests, CRC-64 --------------------------------------------------------------

    static byte[] bytes(String s) { return TestData.bytes(s); }

    static byte[] random(int n, long seed) { return TestData.random(n, seed); }

    static byte[] filled(int n, char c) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) c);
        return b;
    }

    static byte[] concat(byte[]... parts) { return TestData.concat(parts); }

    static byte[] slice(byte[] b, long first, long lastInclusive) {
        return java.util.Arrays.copyOfRange(b, (int) first, (int) lastInclusive + 1);
    }

    static InputStream in(byte[] b) { return TestData.in(b); }

    static byte[] md5(byte[] b) { return TestData.md5(b); }

    static String md5Hex(byte[] b) { return TestData.md5Hex(b); }

    static String md5B64(byte[] b) { return TestData.md5B64(b); }

    /** The multipart ETag form: upper-hex MD5 over the concatenated binary MD5s of the parts, "-" count. */
    static String multipartEtag(byte[]... parts) { return TestData.multipartEtag(parts); }

    static long crc64(byte[] b) { return TestData.crc64(b); }

    static String crcString(byte[] b) { return TestData.crcString(b); }

    // ---- J1 helpers --------------------------------------------------------------------------

    static byte[] read(OSSObject o) throws IOException { return TestData.read(o); }

    /** Runs {@code call}, which must fail with an {@link OSSException} of {@code code}; returns it. */
    static OSSException ossError(String code, ThrowingCallable call) { return TestData.ossError(code, call); }

    static String initiate(OSS oss, String b, String k) {
        return oss.initiateMultipartUpload(new com.aliyun.oss.model.InitiateMultipartUploadRequest(b, k)).getUploadId();
    }

    static com.aliyun.oss.model.PartETag part(OSS oss, String b, String k, String id, int n, byte[] data) {
        return oss.uploadPart(new com.aliyun.oss.model.UploadPartRequest(b, k, id, n, in(data), data.length)).getPartETag();
    }

    static com.aliyun.oss.model.CompleteMultipartUploadResult complete(OSS oss, String b, String k, String id,
            com.aliyun.oss.model.PartETag... parts) {
        return oss.completeMultipartUpload(new com.aliyun.oss.model.CompleteMultipartUploadRequest(b, k, id,
                new ArrayList<>(List.of(parts))));
    }

    /** A CompleteMultipartUpload body listing {@code (partNumber, etag)} pairs as given (ETags quoted). */
    static String completeXml(Object... numberEtag) {
        StringBuilder sb = new StringBuilder("<CompleteMultipartUpload>");
        for (int i = 0; i < numberEtag.length; i += 2) {
            sb.append("<Part><PartNumber>").append(numberEtag[i]).append("</PartNumber><ETag>\"").append(numberEtag[i + 1])
                    .append("\"</ETag></Part>");
        }
        return sb.append("</CompleteMultipartUpload>").toString();
    }

    // ---- V2 helpers ----------------------------------------------------------------------------

    /**
     * Runs {@code call}, which must fail with a V2 {@link ServiceException} (found in the cause chain)
     * of {@code status} and {@code code} whose request id is the {@code x-oss-request-id} header.
     */
    static ServiceException v2Error(int status, String code, ThrowingCallable call) { return V2Errors.expect(status, code, call); }

    /** A response header of a V2 error, case-insensitively. */
    static String v2Header(ServiceException e, String name) { return V2Errors.header(e, name); }

    // ---- raw HTTP ------------------------------------------------------------------------------

    /** Builds a raw V1-signed request; {@code query} is the literal query string (may be empty). */
    RawCall raw(String method, String bucket, String key, String query) { return new RawCall(method, bucket, key, query); }

    final class RawCall {
        private final String method;
        private final String bucket;
        private final String key;
        private final String query;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private byte[] body;
        private boolean chunked;

        RawCall(String method, String bucket, String key, String query) {
            this.method = method;
            this.bucket = bucket;
            this.key = key;
            this.query = query == null ? "" : query;
        }

        RawCall header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        RawCall body(byte[] b) {
            body = b;
            return this;
        }

        RawCall body(String s) { return body(bytes(s)); }

        RawCall chunked() {
            chunked = true;
            return this;
        }

        RawHttp.Resp send() {
            String path = "/" + bucket + "/" + (key == null ? "" : RawHttp.encPath(key));
            RawHttp.Req r = RawHttp.req(method, query.isEmpty() ? path : path + "?" + query);
            headers.forEach(r::header);
            if (body != null) r.body(body);
            else if (method.equals("PUT") || method.equals("POST")) r.body(new byte[0]);
            if (chunked) r.chunked();
            r.signV1(TestServer.AK, TestServer.SK, resource(bucket, key, query));
            return r.send(server.port());
        }
    }

    /** The V1 canonical resource: {@code /bucket/key} plus the signed sub-resources, sorted. */
    static String resource(String bucket, String key, String query) { return V1Signature.resource(bucket, key, query); }

    /** Texts of every {@code <name>} element, in document order. */
    static List<String> elements(String xml, String name) {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">(.*?)</" + Pattern.quote(name) + ">", Pattern.DOTALL).matcher(xml);
        List<String> out = new ArrayList<>();
        while (m.find()) out.add(m.group(1));
        return out;
    }

    /** Whether the document has the element (possibly empty, possibly self-closed). */
    static boolean hasElement(String xml, String name) {
        return xml.contains("<" + name + ">") || xml.contains("<" + name + "/>");
    }

    /** The text of the first element {@code name}, "" for an empty element, or null. */
    static String element(String xml, String name) { return RawHttp.element(xml, name); }

    static String quoted(String s) { return "\"" + s + "\""; }
}
