package dev.pail.it.tagging;

import dev.pail.it.OssHttp;
import dev.pail.it.TestData;
import dev.pail.it.V2Errors;
import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSException;
import com.aliyun.oss.model.OSSObject;
import com.aliyun.sdk.service.oss2.OSSClient;
import com.aliyun.sdk.service.oss2.exceptions.ServiceException;
import com.aliyun.sdk.service.oss2.models.GetObjectTaggingRequest;
import com.aliyun.sdk.service.oss2.models.Tag;
import dev.pail.it.Clients;
import dev.pail.it.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
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
 * Shared fixture of the tagging and symlink tests: one in-process server per test class, J1
 * clients for both signature versions, a V2 client, a raw hand-signed HTTP client, and the tag
 * set of seed 002 (features.md §5).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TagBase {

    /** The J1 signature version a parameterized test runs with. */
    enum Sig { V1, V4 }

    /** The tags every example of seed 002 sets: {@code k1=v1&k2=v2&k3=v3} plus {@code k4+-=} → {@code +-=._:/}. */
    static final Map<String, String> SEED_TAGS = seedTags();

    /** Seed 002's tagging string exactly as oss2 builds it ({@code urlquote} keeps {@code /}). */
    static final String SEED_HEADER_OSS2 = "k1=v1&k2=v2&k3=v3&k4%2B-%3D=%2B-%3D._%3A/";

    private static final AtomicInteger BUCKETS = new AtomicInteger();

    TestServer server;
    OSS v1;
    OSS v4;
    OSSClient v2;
    OssHttp http;

    @BeforeAll
    void startServer() {
        server = new TestServer();
        v1 = Clients.v1(server);
        v4 = Clients.v4(server);
        v2 = Clients.v2(server);
        http = new OssHttp(server);
    }

    @AfterAll
    void stopServer() throws Exception {
        if (v1 != null) v1.shutdown();
        if (v4 != null) v4.shutdown();
        if (v2 != null) v2.close();
        if (server != null) server.close();
    }

    OSS oss(Sig sig) { return sig == Sig.V1 ? v1 : v4; }

    /** Creates a bucket with a name unique in this JVM run. */
    String newBucket() {
        String name = getClass().getSimpleName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "")
                + "-" + BUCKETS.incrementAndGet() + "-" + (System.nanoTime() % 100000);
        if (name.length() > 63) name = name.substring(name.length() - 63).replaceAll("^-+", "b");
        v1.createBucket(name);
        return name;
    }

    private static Map<String, String> seedTags() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("k1", "v1");
        m.put("k2", "v2");
        m.put("k3", "v3");
        m.put("k4+-=", "+-=._:/");
        return java.util.Collections.unmodifiableMap(m);
    }

    /** Seed tags plus keys and values that need encoding: spaces, non-ASCII letters. */
    static Map<String, String> richTags() {
        Map<String, String> m = new LinkedHashMap<>(SEED_TAGS);
        m.put("中文 键", "值 with space");
        m.put("Ünïcødé/ß", "éà:ü=ñ+/");
        return m;
    }

    /** The {@code x-oss-tagging} header form: RFC 3986 (Java SDK style, {@code /} encoded too). */
    static String header(Map<String, String> tags) {
        StringBuilder b = new StringBuilder();
        tags.forEach((k, v) -> {
            if (!b.isEmpty()) b.append('&');
            b.append(OssHttp.encode(k, true)).append('=').append(OssHttp.encode(v, true));
        });
        return b.toString();
    }

    /** A Tagging XML document (values not escaped: the tag character set needs none). */
    static String xml(Map<String, String> tags) {
        StringBuilder b = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Tagging><TagSet>");
        tags.forEach((k, v) -> b.append("<Tag><Key>").append(k).append("</Key><Value>").append(v).append("</Value></Tag>"));
        return b.append("</TagSet></Tagging>").toString();
    }

    /** Tags read back through the V2 SDK as an ordered map. */
    Map<String, String> v2Tags(String bucket, String key) {
        var r = v2.getObjectTagging(GetObjectTaggingRequest.newBuilder().bucket(bucket).key(key).build());
        Map<String, String> out = new LinkedHashMap<>();
        if (r.tagging() != null && r.tagging().tagSet() != null && r.tagging().tagSet().tags() != null) {
            for (Tag t : r.tagging().tagSet().tags()) out.put(t.key(), t.value() == null ? "" : t.value());
        }
        return out;
    }

    /** Tags read from the raw GetObjectTagging XML (independent of any SDK parser). */
    Map<String, String> rawTags(String bucket, String key) {
        OssHttp.Resp r = http.req("GET", bucket, key).query("tagging").send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = Pattern.compile("<Tag>\\s*<Key>([^<]*)</Key>\\s*<Value>([^<]*)</Value>\\s*</Tag>").matcher(r.text());
        while (m.find()) out.put(unescape(m.group(1)), unescape(m.group(2)));
        return out;
    }

    private static String unescape(String s) {
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&");
    }

    /** Asserts the tags through J1, V2 and the raw XML. */
    void assertTags(String bucket, String key, Map<String, String> expected) {
        assertThat(v1.getObjectTagging(bucket, key).getAllTags()).as("J1 tags of %s", key).isEqualTo(expected);
        assertThat(v2Tags(bucket, key)).as("V2 tags of %s", key).isEqualTo(expected);
        assertThat(rawTags(bucket, key)).as("raw tags of %s", key).isEqualTo(expected);
    }

    // ---- data ------------------------------------------------------------------------------

    static byte[] bytes(String s) { return TestData.bytes(s); }

    static byte[] random(int n, long seed) { return TestData.random(n, seed); }

    static InputStream in(byte[] b) { return TestData.in(b); }

    static byte[] read(OSSObject o) throws IOException { return TestData.read(o); }

    /** Raw GET of an object's bytes; asserts 200. */
    byte[] rawBytes(String bucket, String key) {
        OssHttp.Resp r = http.req("GET", bucket, key).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.body();
    }

    /** Raw HEAD status (404 when absent). */
    int headStatus(String bucket, String key) {
        return http.req("HEAD", bucket, key).send().status();
    }

    /** ETag and Last-Modified as a pair, for "unchanged" checks. */
    record Stamp(String etag, String lastModified) {}

    Stamp stamp(String bucket, String key) {
        OssHttp.Resp r = http.req("HEAD", bucket, key).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return new Stamp(r.header("ETag"), r.header("Last-Modified"));
    }

    /** Runs {@code call}, which must fail with an {@link OSSException} of {@code code}. */
    static OSSException ossError(String code, ThrowingCallable call) { return TestData.ossError(code, call); }

    /**
     * Runs {@code call}, which must fail with a V2 {@code ServiceException} (the SDK wraps it in an
     * OperationException) of {@code status} and {@code code}.
     */
    static ServiceException v2Error(int status, String code, ThrowingCallable call) { return V2Errors.expect(status, code, call); }

    /**
     * A response header of a V2 result, by case-insensitive name. (The V2 SDK 0.4.0 accessors
     * {@code taggingCount()} look the header up under a name spelled with U+2011 hyphens and so
     * always return null; tests read the header itself.)
     */
    static String v2Header(Map<String, String> headers, String name) {
        return headers.entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue).findFirst().orElse(null);
    }

    /** Asserts a raw response is an error with the status and code. */
    static OssHttp.Resp assertError(OssHttp.Resp r, int status, String code) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.code()).as(r.toString()).isEqualTo(code);
        return r;
    }

    static void sleepPastSecond() {
        try {
            Thread.sleep(1100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
