package dev.pail.it.versioning;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSException;
import com.aliyun.oss.model.BucketVersioningConfiguration;
import com.aliyun.oss.model.GenericResult;
import com.aliyun.oss.model.GetObjectRequest;
import com.aliyun.oss.model.ListVersionsRequest;
import com.aliyun.oss.model.OSSObject;
import com.aliyun.oss.model.OSSVersionSummary;
import com.aliyun.oss.model.ObjectMetadata;
import com.aliyun.oss.model.SetBucketVersioningRequest;
import com.aliyun.oss.model.VersionListing;
import dev.pail.it.Clients;
import dev.pail.it.OssHttp;
import dev.pail.it.StoredBlobs;
import dev.pail.it.TestData;
import dev.pail.it.TestServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Shared fixture of the J1 versioning tests: one in-process server per test class, J1 clients
 * (V1 and V4 signatures), a raw hand-signed HTTP client for exact statuses and headers (the J1
 * exception does not expose response headers), and helpers for version ids, listings and the
 * blob files on disk.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class VersioningBase {

    /** A version id as Pail makes them: 22 characters of base64url. */
    static final Pattern VERSION_ID = Pattern.compile("[A-Za-z0-9_-]{22}");

    /** Well-formed (22 base64url characters) but never handed out. */
    static final String UNKNOWN_ID = "AAAAAAAAAAEAAAAAAAAAAA";

    private static final AtomicInteger BUCKETS = new AtomicInteger();

    TestServer server;
    OSS oss;
    OSS v4;
    OssHttp http;

    @BeforeAll
    void startServer() {
        server = new TestServer();
        oss = Clients.v1(server);
        v4 = Clients.v4(server);
        http = new OssHttp(server);
    }

    @AfterAll
    void stopServer() {
        if (oss != null) oss.shutdown();
        if (v4 != null) v4.shutdown();
        if (server != null) server.close();
    }

    // ---- buckets ----------------------------------------------------------------------------

    /** A bucket that never had versioning, with a name unique in this JVM run. */
    String newBucket() {
        String name = getClass().getSimpleName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "")
                + "-" + BUCKETS.incrementAndGet() + "-" + (System.nanoTime() % 100000);
        oss.createBucket(name);
        return name;
    }

    /** A new bucket with versioning Enabled. */
    String versionedBucket() {
        String b = newBucket();
        setVersioning(b, "Enabled");
        return b;
    }

    void setVersioning(String bucket, String status) {
        oss.setBucketVersioning(new SetBucketVersioningRequest(bucket, new BucketVersioningConfiguration(status)));
    }

    // ---- objects ----------------------------------------------------------------------------

    /** PutObject; returns the version id J1 reports (null when none was sent). */
    String put(String bucket, String key, byte[] data) {
        return oss.putObject(bucket, key, in(data)).getVersionId();
    }

    String put(String bucket, String key, byte[] data, ObjectMetadata m) {
        return oss.putObject(bucket, key, in(data), m).getVersionId();
    }

    /** The bytes of a version (current when {@code versionId} is null) through J1. */
    byte[] get(String bucket, String key, String versionId) {
        try {
            return read(oss.getObject(new GetObjectRequest(bucket, key, versionId)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A raw request on an object, with {@code versionId} (when not null) and further query parameters. */
    OssHttp.Req req(String method, String bucket, String key, String versionId) {
        OssHttp.Req r = http.req(method, bucket, key);
        if (versionId != null) r.query("versionId", versionId);
        return r;
    }

    OssHttp.Resp rawGet(String bucket, String key, String versionId) { return req("GET", bucket, key, versionId).send(); }

    OssHttp.Resp rawHead(String bucket, String key, String versionId) { return req("HEAD", bucket, key, versionId).send(); }

    OssHttp.Resp rawDelete(String bucket, String key, String versionId) { return req("DELETE", bucket, key, versionId).send(); }

    /** A raw request whose query is exactly {@code query} (already encoded), e.g. {@code versionId=} with nothing after it. */
    OssHttp.Resp rawQuery(String method, String bucket, String key, String query, String signedResource) {
        return http.req(method, bucket, key)
                .rawPath("/" + bucket + "/" + OssHttp.encode(key, false) + "?" + query)
                .resource(signedResource)
                .send();
    }

    /**
     * A raw request on a bucket sub-resource ({@code versioning}, {@code bucketInfo}, {@code versions}
     * ...), signed with that sub-resource in the canonicalized resource.
     */
    OssHttp.Resp bucketSub(String method, String bucket, String subResource, String body) {
        OssHttp.Req r = http.req(method, bucket, null).query(subResource).resource("/" + bucket + "/?" + subResource);
        if (body != null) r.body(body);
        return r.send();
    }

    // ---- listings ---------------------------------------------------------------------------

    /** Every version and delete marker under {@code prefix}, all pages, through J1. */
    List<OSSVersionSummary> versions(String bucket, String prefix) {
        List<OSSVersionSummary> out = new ArrayList<>();
        String keyMarker = null;
        String idMarker = null;
        for (int page = 0; page < 1000; page++) {
            ListVersionsRequest r = new ListVersionsRequest().withBucketName(bucket).withPrefix(prefix).withMaxResults(1000);
            if (keyMarker != null) r.withKeyMarker(keyMarker);
            if (idMarker != null && !idMarker.isEmpty()) r.withVersionIdMarker(idMarker);
            VersionListing l = oss.listVersions(r);
            out.addAll(l.getVersionSummaries());
            if (!l.isTruncated()) return out;
            keyMarker = l.getNextKeyMarker();
            idMarker = l.getNextVersionIdMarker();
        }
        throw new IllegalStateException("listing does not end");
    }

    /** One listing entry in a comparable form: key, version id, marker or not, latest or not. */
    record Entry(String key, String versionId, boolean deleteMarker, boolean latest) {
        static Entry of(OSSVersionSummary s) { return new Entry(s.getKey(), s.getVersionId(), s.isDeleteMarker(), s.isLatest()); }

        static Entry version(String key, String id, boolean latest) { return new Entry(key, id, false, latest); }

        static Entry marker(String key, String id, boolean latest) { return new Entry(key, id, true, latest); }
    }

    /**
     * One page of ListObjectVersions read from the raw XML, entries in document order (J1 returns
     * every Version before every DeleteMarker, so it cannot show the interleaved order).
     */
    record Page(List<Entry> entries, List<String> commonPrefixes, boolean truncated, String nextKeyMarker,
            String nextVersionIdMarker, Element root) {}

    /** A raw ListObjectVersions request; {@code params} are decoded name/value pairs (null value: bare name). */
    OssHttp.Resp rawListVersions(String bucket, String... params) {
        OssHttp.Req r = http.req("GET", bucket, null).query("versions").resource("/" + bucket + "/?versions");
        for (int i = 0; i < params.length; i += 2) r.query(params[i], params[i + 1] == null ? "" : params[i + 1]);
        return r.send();
    }

    Page page(String bucket, String... params) {
        OssHttp.Resp r = rawListVersions(bucket, params);
        assertStatus(r, 200);
        return parsePage(r.body());
    }

    static Page parsePage(byte[] xml) {
        Element root;
        try {
            root = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(xml)).getDocumentElement();
        } catch (Exception e) {
            throw new IllegalStateException(new String(xml, StandardCharsets.UTF_8), e);
        }
        boolean url = "url".equals(text(root, "EncodingType"));
        List<Entry> entries = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        NodeList children = root.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (!(children.item(i) instanceof Element e)) continue;
            switch (e.getTagName()) {
                case "Version", "DeleteMarker" -> entries.add(new Entry(decode(text(e, "Key"), url), text(e, "VersionId"),
                        e.getTagName().equals("DeleteMarker"), "true".equals(text(e, "IsLatest"))));
                case "CommonPrefixes" -> prefixes.add(decode(text(e, "Prefix"), url));
                default -> { }
            }
        }
        String nextKey = text(root, "NextKeyMarker");
        return new Page(entries, prefixes, "true".equals(text(root, "IsTruncated")), nextKey == null ? null : decode(nextKey, url),
                text(root, "NextVersionIdMarker"), root);
    }

    /** Text of the first direct child element {@code name}, or null. */
    static String text(Element parent, String name) {
        NodeList children = parent.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i) instanceof Element e && e.getTagName().equals(name)) return e.getTextContent();
        }
        return null;
    }

    private static String decode(String s, boolean url) {
        return s == null || !url ? s : URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** Every version and delete marker under {@code prefix}, in listing order, all pages, from the raw XML. */
    List<Entry> entries(String bucket, String prefix) {
        List<Entry> out = new ArrayList<>();
        String keyMarker = null;
        String idMarker = null;
        for (int n = 0; n < 1000; n++) {
            List<String> params = new ArrayList<>(List.of("prefix", prefix, "max-keys", "1000"));
            if (keyMarker != null) params.addAll(List.of("key-marker", keyMarker));
            if (idMarker != null && !idMarker.isEmpty()) params.addAll(List.of("version-id-marker", idMarker));
            Page p = page(bucket, params.toArray(String[]::new));
            out.addAll(p.entries());
            if (!p.truncated()) return out;
            keyMarker = p.nextKeyMarker();
            idMarker = p.nextVersionIdMarker();
        }
        throw new IllegalStateException("listing does not end");
    }

    /** The version ids of one key, newest first (delete markers included). */
    List<String> versionIds(String bucket, String key) {
        return entries(bucket, key).stream().filter(e -> e.key().equals(key)).map(Entry::versionId).toList();
    }

    // ---- storage ------------------------------------------------------------------------------

    /** Blobs stored (files and inline), once blobs freed by earlier requests are gone. */
    long storedBlobs() {
        return StoredBlobs.count(server, oss);
    }

    // ---- assertions -------------------------------------------------------------------------

    static void assertVersionId(String id) {
        assertThat(id).as("version id").isNotNull().matches(VERSION_ID);
    }

    /** A response header of a J1 result, by case-insensitive name (null when absent). */
    static String header(GenericResult r, String name) {
        assertThat(r.getResponse()).as("J1 kept the response of %s", r.getClass().getSimpleName()).isNotNull();
        return header(r.getResponse().getHeaders(), name);
    }

    static String header(Map<String, String> headers, String name) {
        return headers.entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue).findFirst().orElse(null);
    }

    /** Runs {@code call}, which must fail with an {@link OSSException} of {@code code}. */
    static OSSException ossError(String code, ThrowingCallable call) { return TestData.ossError(code, call); }

    /** Asserts a raw response is an error with the status and code. */
    static OssHttp.Resp assertError(OssHttp.Resp r, int status, String code) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.code()).as(r.toString()).isEqualTo(code);
        return r;
    }

    static OssHttp.Resp assertStatus(OssHttp.Resp r, int status) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        return r;
    }

    // ---- data ------------------------------------------------------------------------------

    static byte[] bytes(String s) { return TestData.bytes(s); }

    static byte[] random(int n, long seed) { return TestData.random(n, seed); }

    static InputStream in(byte[] b) { return TestData.in(b); }

    static byte[] read(OSSObject o) throws IOException { return TestData.read(o); }

    static ObjectMetadata meta(String contentType, Map<String, String> userMeta) {
        ObjectMetadata m = new ObjectMetadata();
        if (contentType != null) m.setContentType(contentType);
        if (userMeta != null) m.setUserMetadata(userMeta);
        return m;
    }
}
