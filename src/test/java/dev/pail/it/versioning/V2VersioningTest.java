package dev.pail.it.versioning;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.sdk.service.oss2.OSSClient;
import com.aliyun.sdk.service.oss2.exceptions.ServiceException;
import com.aliyun.sdk.service.oss2.models.AppendObjectRequest;
import com.aliyun.sdk.service.oss2.models.AppendObjectResult;
import com.aliyun.sdk.service.oss2.models.CompleteMultipartUpload;
import com.aliyun.sdk.service.oss2.models.CompleteMultipartUploadRequest;
import com.aliyun.sdk.service.oss2.models.CompleteMultipartUploadResult;
import com.aliyun.sdk.service.oss2.models.CopyObjectRequest;
import com.aliyun.sdk.service.oss2.models.CopyObjectResult;
import com.aliyun.sdk.service.oss2.models.DeleteMarkerEntry;
import com.aliyun.sdk.service.oss2.models.DeleteMultipleObjectsRequest;
import com.aliyun.sdk.service.oss2.models.DeleteMultipleObjectsResult;
import com.aliyun.sdk.service.oss2.models.DeleteObject;
import com.aliyun.sdk.service.oss2.models.DeleteObjectRequest;
import com.aliyun.sdk.service.oss2.models.DeleteObjectResult;
import com.aliyun.sdk.service.oss2.models.DeleteObjectTaggingRequest;
import com.aliyun.sdk.service.oss2.models.DeletedInfo;
import com.aliyun.sdk.service.oss2.models.GetBucketVersioningRequest;
import com.aliyun.sdk.service.oss2.models.GetObjectAclRequest;
import com.aliyun.sdk.service.oss2.models.GetObjectMetaRequest;
import com.aliyun.sdk.service.oss2.models.GetObjectMetaResult;
import com.aliyun.sdk.service.oss2.models.GetObjectRequest;
import com.aliyun.sdk.service.oss2.models.GetObjectResult;
import com.aliyun.sdk.service.oss2.models.GetObjectTaggingRequest;
import com.aliyun.sdk.service.oss2.models.GetSymlinkRequest;
import com.aliyun.sdk.service.oss2.models.HeadObjectRequest;
import com.aliyun.sdk.service.oss2.models.HeadObjectResult;
import com.aliyun.sdk.service.oss2.models.InitiateMultipartUploadRequest;
import com.aliyun.sdk.service.oss2.models.ListObjectVersionsRequest;
import com.aliyun.sdk.service.oss2.models.ListObjectVersionsResult;
import com.aliyun.sdk.service.oss2.models.ObjectVersion;
import com.aliyun.sdk.service.oss2.models.Part;
import com.aliyun.sdk.service.oss2.models.PutBucketRequest;
import com.aliyun.sdk.service.oss2.models.PutBucketVersioningRequest;
import com.aliyun.sdk.service.oss2.models.PutObjectAclRequest;
import com.aliyun.sdk.service.oss2.models.PutObjectRequest;
import com.aliyun.sdk.service.oss2.models.PutObjectResult;
import com.aliyun.sdk.service.oss2.models.PutObjectTaggingRequest;
import com.aliyun.sdk.service.oss2.models.PutObjectTaggingResult;
import com.aliyun.sdk.service.oss2.models.PutSymlinkRequest;
import com.aliyun.sdk.service.oss2.models.ResultModel;
import com.aliyun.sdk.service.oss2.models.Tag;
import com.aliyun.sdk.service.oss2.models.TagSet;
import com.aliyun.sdk.service.oss2.models.Tagging;
import com.aliyun.sdk.service.oss2.models.UploadPartRequest;
import com.aliyun.sdk.service.oss2.models.VersioningConfiguration;
import com.aliyun.sdk.service.oss2.transport.BinaryData;
import dev.pail.it.Clients;
import dev.pail.it.OssHttp;
import dev.pail.it.TestData;
import dev.pail.it.TestServer;
import dev.pail.it.V2Errors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bucket versioning through the V2 SDK over HTTP (core.md §7.17): the versioning status, version
 * ids on every kind of write, reads of older versions, delete markers, permanent deletes by id,
 * suspended versioning and the null version, DeleteMultipleObjects with version ids, copies from a
 * source version, and tags and ACLs of one version.
 */
class V2VersioningTest {
    private static final String VERSION_ID = "[A-Za-z0-9_-]{22}";
    private static final AtomicInteger BUCKETS = new AtomicInteger();

    static TestServer server;
    static OSSClient c;
    static OssHttp http;

    @BeforeAll
    static void start() {
        server = new TestServer();
        c = Clients.v2(server);
        http = new OssHttp(server);
    }

    @AfterAll
    static void stop() throws Exception {
        if (c != null) c.close();
        if (server != null) server.close();
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** A new bucket; versioning set to {@code status} unless null. */
    static String bucket(String status) {
        String b = "v2ver-" + BUCKETS.incrementAndGet();
        c.putBucket(PutBucketRequest.newBuilder().bucket(b).build());
        if (status != null) versioning(b, status);
        return b;
    }

    static void versioning(String bucket, String status) {
        var r = c.putBucketVersioning(PutBucketVersioningRequest.newBuilder().bucket(bucket)
                .versioningConfiguration(VersioningConfiguration.newBuilder().status(status).build()).build());
        assertThat(r.statusCode()).isEqualTo(200);
    }

    static String status(String bucket) {
        var r = c.getBucketVersioning(GetBucketVersioningRequest.newBuilder().bucket(bucket).build());
        return Optional.ofNullable(r.versioningConfiguration()).map(VersioningConfiguration::status).orElse(null);
    }

    /** Raw GetBucketVersioning (the tests' signer does not list "versioning", so the resource is given). */
    static OssHttp.Resp versioningXml(String bucket) {
        return http.req("GET", bucket, null).query("versioning").resource("/" + bucket + "/?versioning").send();
    }

    static PutObjectResult put(String bucket, String key, String body) { return put(bucket, key, TestData.bytes(body), null, null); }

    static PutObjectResult put(String bucket, String key, byte[] body, Map<String, String> meta, String tagging) {
        var b = PutObjectRequest.newBuilder().bucket(bucket).key(key).body(BinaryData.fromBytes(body));
        if (meta != null) b.metadata(meta);
        if (tagging != null) b.tagging(tagging);
        return c.putObject(b.build());
    }

    static GetObjectResult get(String bucket, String key, String versionId) {
        var b = GetObjectRequest.newBuilder().bucket(bucket).key(key);
        if (versionId != null) b.versionId(versionId); // the SDK's builders refuse null
        return c.getObject(b.build());
    }

    static byte[] bytes(String bucket, String key, String versionId) throws Exception {
        try (GetObjectResult r = get(bucket, key, versionId)) {
            return r.body().readAllBytes();
        }
    }

    static String text(String bucket, String key, String versionId) throws Exception {
        return new String(bytes(bucket, key, versionId), java.nio.charset.StandardCharsets.UTF_8);
    }

    static HeadObjectResult head(String bucket, String key, String versionId) {
        var b = HeadObjectRequest.newBuilder().bucket(bucket).key(key);
        if (versionId != null) b.versionId(versionId);
        return c.headObject(b.build());
    }

    static DeleteObjectResult delete(String bucket, String key, String versionId) {
        var b = DeleteObjectRequest.newBuilder().bucket(bucket).key(key);
        if (versionId != null) b.versionId(versionId);
        DeleteObjectResult r = c.deleteObject(b.build());
        assertThat(r.statusCode()).isEqualTo(204);
        return r;
    }

    /** A response header, case-insensitively (null when absent). */
    static String header(ResultModel r, String name) { return header(r.headers(), name); }

    static String header(Map<String, String> headers, String name) {
        return headers.entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue).findFirst().orElse(null);
    }

    static Map<String, String> tags(String bucket, String key, String versionId) {
        var b = GetObjectTaggingRequest.newBuilder().bucket(bucket).key(key);
        if (versionId != null) b.versionId(versionId);
        var r = c.getObjectTagging(b.build());
        Map<String, String> out = new LinkedHashMap<>();
        if (r.tagging() != null && r.tagging().tagSet() != null && r.tagging().tagSet().tags() != null) {
            for (Tag t : r.tagging().tagSet().tags()) out.put(t.key(), t.value() == null ? "" : t.value());
        }
        return out;
    }

    static Tagging tagging(Map<String, String> tags) {
        List<Tag> list = new ArrayList<>();
        tags.forEach((k, v) -> list.add(Tag.newBuilder().key(k).value(v).build()));
        return Tagging.newBuilder().tagSet(TagSet.newBuilder().tags(list).build()).build();
    }

    /** One listing page of a key's versions (at most 1000): versions and delete markers. */
    static ListObjectVersionsResult versionsOf(String bucket, String key) {
        return c.listObjectVersions(ListObjectVersionsRequest.newBuilder().bucket(bucket).prefix(key).build());
    }

    static List<String> versionIds(ListObjectVersionsResult r) {
        return r.versions().stream().map(ObjectVersion::versionId).toList();
    }

    static List<String> markerIds(ListObjectVersionsResult r) {
        return r.deleteMarkers().stream().map(DeleteMarkerEntry::versionId).toList();
    }

    static ServiceException error(int status, String code, org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        return V2Errors.expect(status, code, call);
    }

    // ---- the bucket's versioning status --------------------------------------------------------

    @Test
    void versioningStatusIsEmptyUntilConfiguredThenEnabledOrSuspendedOnly() {
        String b = bucket(null);
        assertThat(status(b)).as("never configured").isNull();
        OssHttp.Resp raw = versioningXml(b);
        assertThat(raw.status()).isEqualTo(200);
        assertThat(raw.text()).contains("VersioningConfiguration").doesNotContain("<Status>");

        versioning(b, "Enabled");
        assertThat(status(b)).isEqualTo("Enabled");
        assertThat(OssHttp.element(versioningXml(b).text(), "Status")).isEqualTo("Enabled");
        versioning(b, "Suspended");
        assertThat(status(b)).isEqualTo("Suspended");
        versioning(b, "Enabled");
        assertThat(status(b)).isEqualTo("Enabled");

        for (String bad : List.of("Disabled", "Off", "enabled", "")) {
            error(400, "MalformedXML", () -> c.putBucketVersioning(PutBucketVersioningRequest.newBuilder().bucket(b)
                    .versioningConfiguration(VersioningConfiguration.newBuilder().status(bad).build()).build()));
        }
        assertThat(status(b)).as("a rejected status changes nothing").isEqualTo("Enabled");

        error(404, "NoSuchBucket", () -> c.getBucketVersioning(GetBucketVersioningRequest.newBuilder().bucket("v2ver-missing").build()));
        error(404, "NoSuchBucket", () -> c.putBucketVersioning(PutBucketVersioningRequest.newBuilder().bucket("v2ver-missing")
                .versioningConfiguration(VersioningConfiguration.newBuilder().status("Enabled").build()).build()));
    }

    // ---- buckets without versioning ------------------------------------------------------------

    @Test
    void bucketsThatNeverHadVersioningSendNoVersionIds() throws Exception {
        String b = bucket(null);
        PutObjectResult p = put(b, "plain", "one");
        assertThat(p.versionId()).isNull();
        assertThat(header(p, "x-oss-version-id")).isNull();
        try (GetObjectResult g = get(b, "plain", null)) {
            assertThat(g.versionId()).isNull();
            assertThat(header(g, "x-oss-version-id")).isNull();
        }
        assertThat(header(head(b, "plain", null), "x-oss-version-id")).isNull();

        CopyObjectResult copy = c.copyObject(CopyObjectRequest.newBuilder().bucket(b).key("copy").sourceKey("plain").build());
        assertThat(copy.versionId()).isNull();
        assertThat(header(copy, "x-oss-version-id")).isNull();
        assertThat(header(copy, "x-oss-copy-source-version-id")).isNull();

        AppendObjectResult a = c.appendObject(AppendObjectRequest.newBuilder().bucket(b).key("append").position(0L)
                .body(BinaryData.fromString("abc")).build());
        assertThat(header(a, "x-oss-version-id")).isNull();
        var s = c.putSymlink(PutSymlinkRequest.newBuilder().bucket(b).key("link").symlinkTarget("plain").build());
        assertThat(header(s, "x-oss-version-id")).isNull();

        DeleteObjectResult d = delete(b, "plain", null);
        assertThat(header(d, "x-oss-version-id")).isNull();
        assertThat(header(d, "x-oss-delete-marker")).isNull();
        assertThat(c.doesObjectExist(b, "plain")).isFalse();
        ServiceException e = error(404, "NoSuchKey", () -> get(b, "plain", null));
        assertThat(V2Errors.header(e, "x-oss-delete-marker")).isNull();
    }

    @Test
    void objectsWrittenBeforeVersioningBecomeTheNullVersion() throws Exception {
        String b = bucket(null);
        put(b, "k", "before");
        versioning(b, "Enabled");
        PutObjectResult v1 = put(b, "k", "after");
        assertThat(v1.versionId()).matches(VERSION_ID);

        try (GetObjectResult g = get(b, "k", "null")) {
            assertThat(g.body().readAllBytes()).isEqualTo(TestData.bytes("before"));
            assertThat(header(g, "x-oss-version-id")).isEqualTo("null");
        }
        try (GetObjectResult g = get(b, "k", null)) {
            assertThat(g.body().readAllBytes()).isEqualTo(TestData.bytes("after"));
            assertThat(g.versionId()).isEqualTo(v1.versionId());
        }
        ListObjectVersionsResult l = versionsOf(b, "k");
        assertThat(versionIds(l)).containsExactly(v1.versionId(), "null");
        assertThat(l.versions()).extracting(ObjectVersion::isLatest).containsExactly(true, false);

        // the null version can be deleted by its id
        DeleteObjectResult d = delete(b, "k", "null");
        assertThat(d.versionId()).isEqualTo("null");
        assertThat(versionIds(versionsOf(b, "k"))).containsExactly(v1.versionId());
        error(404, "NoSuchVersion", () -> get(b, "k", "null"));
    }

    // ---- Enabled: every write is a new version -------------------------------------------------

    @Test
    void everyPutIsANewVersionReadableByIdWithItsOwnBytesMetadataAndTags() throws Exception {
        String b = bucket("Enabled");
        byte[] big = TestData.random(10_000, 7);
        PutObjectResult p1 = put(b, "doc", TestData.bytes("first"), Map.of("m", "one"), "t=1");
        PutObjectResult p2 = put(b, "doc", TestData.bytes("second, longer"), Map.of("m", "two", "x", "y"), "t=2&u=2");
        PutObjectResult p3 = put(b, "doc", big, null, null);
        List<String> ids = List.of(p1.versionId(), p2.versionId(), p3.versionId());
        assertThat(ids).allMatch(id -> id.matches(VERSION_ID)).doesNotHaveDuplicates();
        assertThat(header(p1, "x-oss-version-id")).isEqualTo(p1.versionId());

        try (GetObjectResult g = get(b, "doc", p1.versionId())) {
            assertThat(g.body().readAllBytes()).isEqualTo(TestData.bytes("first"));
            assertThat(g.versionId()).isEqualTo(p1.versionId());
            assertThat(g.eTag()).isEqualTo(p1.eTag());
            assertThat(g.metadata()).containsExactlyEntriesOf(Map.of("m", "one"));
            assertThat(header(g, "x-oss-tagging-count")).isEqualTo("1");
        }
        try (GetObjectResult g = get(b, "doc", p2.versionId())) {
            assertThat(g.body().readAllBytes()).isEqualTo(TestData.bytes("second, longer"));
            assertThat(g.versionId()).isEqualTo(p2.versionId());
            assertThat(g.eTag()).isEqualTo(p2.eTag());
            assertThat(g.metadata()).isEqualTo(Map.of("m", "two", "x", "y"));
            assertThat(header(g, "x-oss-tagging-count")).isEqualTo("2");
        }
        try (GetObjectResult g = get(b, "doc", null)) {
            assertThat(g.body().readAllBytes()).isEqualTo(big);
            assertThat(g.versionId()).as("current version").isEqualTo(p3.versionId());
            assertThat(g.metadata()).isNullOrEmpty();
            assertThat(header(g, "x-oss-tagging-count")).isNull();
        }
        // a range of an older version
        try (GetObjectResult g = c.getObject(GetObjectRequest.newBuilder().bucket(b).key("doc").versionId(p2.versionId())
                .range("bytes=1-5").build())) {
            assertThat(g.statusCode()).isEqualTo(206);
            assertThat(g.body().readAllBytes()).isEqualTo(TestData.bytes("econd"));
        }

        HeadObjectResult h = head(b, "doc", p1.versionId());
        assertThat(h.versionId()).isEqualTo(p1.versionId());
        assertThat(h.contentLength()).isEqualTo(5L);
        assertThat(h.eTag()).isEqualTo(p1.eTag());
        assertThat(h.metadata()).isEqualTo(Map.of("m", "one"));
        assertThat(head(b, "doc", null).versionId()).isEqualTo(p3.versionId());

        GetObjectMetaResult m = c.getObjectMeta(GetObjectMetaRequest.newBuilder().bucket(b).key("doc").versionId(p2.versionId()).build());
        assertThat(m.versionId()).isEqualTo(p2.versionId());
        assertThat(m.eTag()).isEqualTo(p2.eTag());
        assertThat(m.contentLength()).isEqualTo(14L);

        assertThat(tags(b, "doc", p1.versionId())).isEqualTo(Map.of("t", "1"));
        assertThat(tags(b, "doc", p2.versionId())).isEqualTo(Map.of("t", "2", "u", "2"));
        assertThat(tags(b, "doc", null)).isEmpty();

        ListObjectVersionsResult l = versionsOf(b, "doc");
        assertThat(versionIds(l)).containsExactly(p3.versionId(), p2.versionId(), p1.versionId());
        assertThat(l.versions()).extracting(ObjectVersion::size).containsExactly(10_000L, 14L, 5L);
        assertThat(l.deleteMarkers()).isNullOrEmpty();
    }

    @Test
    void copyAppendMultipartAndSymlinkWritesReturnVersionIds() throws Exception {
        String b = bucket("Enabled");
        PutObjectResult src = put(b, "src", "source bytes");

        CopyObjectResult copy = c.copyObject(CopyObjectRequest.newBuilder().bucket(b).key("copy").sourceKey("src").build());
        assertThat(copy.versionId()).matches(VERSION_ID).isNotEqualTo(src.versionId());
        assertThat(copy.copySourceVersionId()).isEqualTo(src.versionId());
        assertThat(text(b, "copy", copy.versionId())).isEqualTo("source bytes");

        // append: the first append creates the version, later appends grow that same version
        // (AppendObjectResult.versionId() of SDK 0.4.0 reads a header named "versionId": read the real one)
        AppendObjectResult a1 = c.appendObject(AppendObjectRequest.newBuilder().bucket(b).key("log").position(0L)
                .body(BinaryData.fromString("abc")).build());
        String appended = header(a1, "x-oss-version-id");
        assertThat(appended).matches(VERSION_ID);
        AppendObjectResult a2 = c.appendObject(AppendObjectRequest.newBuilder().bucket(b).key("log").position(3L)
                .body(BinaryData.fromString("def")).build());
        assertThat(header(a2, "x-oss-version-id")).isEqualTo(appended);
        assertThat(a2.nextAppendPosition()).isEqualTo(6L);
        assertThat(text(b, "log", appended)).isEqualTo("abcdef");
        assertThat(versionIds(versionsOf(b, "log"))).containsExactly(appended);
        // an overwrite keeps the appended version as it was
        PutObjectResult over = put(b, "log", "replaced");
        assertThat(text(b, "log", appended)).isEqualTo("abcdef");
        assertThat(text(b, "log", null)).isEqualTo("replaced");
        assertThat(versionIds(versionsOf(b, "log"))).containsExactly(over.versionId(), appended);

        // multipart: Complete makes the version
        PutObjectResult old = put(b, "mp", "old");
        String uploadId = c.initiateMultipartUpload(InitiateMultipartUploadRequest.newBuilder().bucket(b).key("mp").build())
                .initiateMultipartUpload().uploadId();
        byte[] p1 = TestData.random(100 * 1024, 1);
        byte[] p2 = TestData.random(77, 2);
        List<Part> parts = new ArrayList<>();
        long n = 1;
        for (byte[] p : List.of(p1, p2)) {
            var r = c.uploadPart(UploadPartRequest.newBuilder().bucket(b).key("mp").uploadId(uploadId).partNumber(n)
                    .body(BinaryData.fromBytes(p)).build());
            parts.add(Part.newBuilder().partNumber(n++).eTag(r.eTag()).build());
        }
        CompleteMultipartUploadResult done = c.completeMultipartUpload(CompleteMultipartUploadRequest.newBuilder().bucket(b).key("mp")
                .uploadId(uploadId).completeMultipartUpload(CompleteMultipartUpload.newBuilder().parts(parts).build()).build());
        assertThat(done.versionId()).matches(VERSION_ID).isNotEqualTo(old.versionId());
        assertThat(bytes(b, "mp", done.versionId())).isEqualTo(TestData.concat(p1, p2));
        assertThat(text(b, "mp", old.versionId())).isEqualTo("old");

        // symlinks are versions too: each keeps its own target
        var s1 = c.putSymlink(PutSymlinkRequest.newBuilder().bucket(b).key("link").symlinkTarget("src").build());
        var s2 = c.putSymlink(PutSymlinkRequest.newBuilder().bucket(b).key("link").symlinkTarget("copy").build());
        assertThat(s1.versionId()).matches(VERSION_ID);
        assertThat(s2.versionId()).matches(VERSION_ID).isNotEqualTo(s1.versionId());
        var g1 = c.getSymlink(GetSymlinkRequest.newBuilder().bucket(b).key("link").versionId(s1.versionId()).build());
        assertThat(g1.symlinkTarget()).isEqualTo("src");
        assertThat(g1.versionId()).isEqualTo(s1.versionId());
        assertThat(c.getSymlink(GetSymlinkRequest.newBuilder().bucket(b).key("link").build()).symlinkTarget()).isEqualTo("copy");
    }

    @Test
    void appendingToARestoredAppendableVersionLeavesEveryOtherVersionIntact() throws Exception {
        String b = bucket("Enabled");
        c.appendObject(AppendObjectRequest.newBuilder().bucket(b).key("log").position(0L).body(BinaryData.fromString("abc")).build());
        String v1 = head(b, "log", null).versionId();
        // an in-place copy (new metadata) keeps the object appendable; it grows to "abcdef"
        CopyObjectResult v2 = c.copyObject(CopyObjectRequest.newBuilder().bucket(b).key("log").sourceKey("log")
                .metadataDirective("REPLACE").metadata(Map.of("stage", "2")).build());
        appendIfAppendable(b, "log", 3, "def");
        String v2Bytes = text(b, "log", v2.versionId());
        // restore the first version onto the key, then append to it
        CopyObjectResult v3 = c.copyObject(CopyObjectRequest.newBuilder().bucket(b).key("log").sourceKey("log").sourceVersionId(v1).build());
        assertThat(v3.copySourceVersionId()).isEqualTo(v1);
        appendIfAppendable(b, "log", 3, "XYZ");

        assertThat(text(b, "log", v1)).isEqualTo("abc");
        assertThat(text(b, "log", v2.versionId())).as("an older version must never change").isEqualTo(v2Bytes);
        assertThat(text(b, "log", null)).isIn("abc", "abcXYZ");
    }

    /** Appends at {@code position} when the current version is appendable (OSS may make in-place copies Normal). */
    private static void appendIfAppendable(String b, String key, long position, String data) {
        if (!"Appendable".equals(head(b, key, null).objectType())) return;
        c.appendObject(AppendObjectRequest.newBuilder().bucket(b).key(key).position(position).body(BinaryData.fromString(data)).build());
    }

    @Test
    void appendAfterADeleteMarkerStartsANewAppendableVersion() throws Exception {
        String b = bucket("Enabled");
        c.appendObject(AppendObjectRequest.newBuilder().bucket(b).key("log").position(0L).body(BinaryData.fromString("old")).build());
        String old = head(b, "log", null).versionId();
        String marker = delete(b, "log", null).versionId();
        AppendObjectResult fresh = c.appendObject(AppendObjectRequest.newBuilder().bucket(b).key("log").position(0L)
                .body(BinaryData.fromString("new")).build());
        String id = header(fresh, "x-oss-version-id");
        assertThat(id).matches(VERSION_ID).isNotIn(old, marker);
        assertThat(text(b, "log", null)).isEqualTo("new");
        assertThat(text(b, "log", old)).isEqualTo("old");
        ListObjectVersionsResult l = versionsOf(b, "log");
        assertThat(versionIds(l)).containsExactly(id, old);
        assertThat(markerIds(l)).containsExactly(marker);
        // an older appendable version cannot grow: appends go to the current version only
        error(409, "PositionNotEqualToLength", () -> c.appendObject(AppendObjectRequest.newBuilder().bucket(b).key("log").position(0L)
                .body(BinaryData.fromString("x")).build()));
    }

    @Test
    void suspendedCopyAppendMultipartAndSymlinkWritesAreNullVersions() throws Exception {
        String b = bucket("Enabled");
        PutObjectResult src = put(b, "src", "source");
        versioning(b, "Suspended");
        CopyObjectResult copy = c.copyObject(CopyObjectRequest.newBuilder().bucket(b).key("copy").sourceKey("src").build());
        assertThat(copy.versionId()).isEqualTo("null");
        assertThat(copy.copySourceVersionId()).isEqualTo(src.versionId());
        AppendObjectResult a = c.appendObject(AppendObjectRequest.newBuilder().bucket(b).key("log").position(0L)
                .body(BinaryData.fromString("abc")).build());
        assertThat(header(a, "x-oss-version-id")).isEqualTo("null");
        String uploadId = c.initiateMultipartUpload(InitiateMultipartUploadRequest.newBuilder().bucket(b).key("src").build())
                .initiateMultipartUpload().uploadId();
        var part = c.uploadPart(UploadPartRequest.newBuilder().bucket(b).key("src").uploadId(uploadId).partNumber(1L)
                .body(BinaryData.fromString("multipart")).build());
        CompleteMultipartUploadResult done = c.completeMultipartUpload(CompleteMultipartUploadRequest.newBuilder().bucket(b).key("src")
                .uploadId(uploadId).completeMultipartUpload(CompleteMultipartUpload.newBuilder()
                        .parts(List.of(Part.newBuilder().partNumber(1L).eTag(part.eTag()).build())).build()).build());
        assertThat(done.versionId()).isEqualTo("null");
        assertThat(versionIds(versionsOf(b, "src"))).containsExactly("null", src.versionId());
        assertThat(text(b, "src", src.versionId())).isEqualTo("source");
        var link = c.putSymlink(PutSymlinkRequest.newBuilder().bucket(b).key("link").symlinkTarget("src").build());
        assertThat(link.versionId()).isEqualTo("null");
        assertThat(text(b, "link", null)).isEqualTo("multipart");

        DeleteMultipleObjectsResult r = c.deleteMultipleObjects(DeleteMultipleObjectsRequest.newBuilder().bucket(b)
                .deleteObjects(List.of(DeleteObject.newBuilder().key("copy").build())).build());
        assertThat(r.deletedObjects()).singleElement().satisfies(d -> {
            assertThat(d.deleteMarker()).isTrue();
            assertThat(d.deleteMarkerVersionId()).isEqualTo("null");
        });
        assertThat(markerIds(versionsOf(b, "copy"))).containsExactly("null");
        assertThat(versionsOf(b, "copy").versions()).as("the null copy was replaced by the null marker").isNullOrEmpty();
    }

    @Test
    void uploadPartCopyReadsTheSourceVersionItNames() throws Exception {
        String b = bucket("Enabled");
        byte[] old = TestData.random(120 * 1024, 11);
        PutObjectResult v1 = put(b, "src", old, null, null);
        put(b, "src", "newer");
        String uploadId = c.initiateMultipartUpload(InitiateMultipartUploadRequest.newBuilder().bucket(b).key("dst").build())
                .initiateMultipartUpload().uploadId();
        var part = c.uploadPartCopy(com.aliyun.sdk.service.oss2.models.UploadPartCopyRequest.newBuilder().bucket(b).key("dst")
                .uploadId(uploadId).partNumber(1L).sourceKey("src").sourceVersionId(v1.versionId()).build());
        assertThat(part.copySourceVersionId()).isEqualTo(v1.versionId());
        CompleteMultipartUploadResult done = c.completeMultipartUpload(CompleteMultipartUploadRequest.newBuilder().bucket(b).key("dst")
                .uploadId(uploadId).completeMultipartUpload(CompleteMultipartUpload.newBuilder()
                        .parts(List.of(Part.newBuilder().partNumber(1L).eTag(part.copyPartResult().eTag()).build())).build()).build());
        assertThat(bytes(b, "dst", done.versionId())).isEqualTo(old);
    }

    @Test
    void listingsForbidOverwriteAndBucketInfoInAVersionedBucket() {
        String b = bucket("Enabled");
        put(b, "keep", "1");
        put(b, "gone", "1");
        put(b, "keep", "22");
        delete(b, "gone", null);
        var l = c.listObjectsV2(com.aliyun.sdk.service.oss2.models.ListObjectsV2Request.newBuilder().bucket(b).build());
        assertThat(l.contents()).extracting(o -> o.key(), o -> o.size())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("keep", 2L));
        var l1 = c.listObjects(com.aliyun.sdk.service.oss2.models.ListObjectsRequest.newBuilder().bucket(b).build());
        assertThat(l1.contents()).extracting(o -> o.key()).containsExactly("keep");

        // x-oss-forbid-overwrite does not apply once a bucket has versioning: the overwrite is a new version
        PutObjectResult p = c.putObject(PutObjectRequest.newBuilder().bucket(b).key("keep").forbidOverwrite(true)
                .body(BinaryData.fromString("333")).build());
        assertThat(p.versionId()).matches(VERSION_ID);
        assertThat(versionsOf(b, "keep").versions()).hasSize(3);

        var info = c.getBucketInfo(com.aliyun.sdk.service.oss2.models.GetBucketInfoRequest.newBuilder().bucket(b).build()).bucketInfo();
        assertThat(info.versioning()).isEqualTo("Enabled");
        versioning(b, "Suspended");
        assertThat(c.getBucketInfo(com.aliyun.sdk.service.oss2.models.GetBucketInfoRequest.newBuilder().bucket(b).build())
                .bucketInfo().versioning()).isEqualTo("Suspended");
        String plain = bucket(null);
        assertThat(c.getBucketInfo(com.aliyun.sdk.service.oss2.models.GetBucketInfoRequest.newBuilder().bucket(plain).build())
                .bucketInfo().versioning()).isNull();
    }

    @Test
    void concurrentWritesToOneKeyEachKeepTheirOwnVersion() throws Exception {
        String b = bucket("Enabled");
        int threads = 8, each = 8;
        Map<String, String> written = new java.util.concurrent.ConcurrentHashMap<>();
        List<String> markers = java.util.Collections.synchronizedList(new ArrayList<>());
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(threads)) {
            List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        String body = "t" + thread + "-" + i;
                        assertThat(written.put(put(b, "hot", body).versionId(), body)).isNull();
                        if (i % 4 == 3) markers.add(delete(b, "hot", null).versionId());
                    }
                    return null;
                }));
            }
            for (var f : futures) f.get();
        }
        assertThat(written).hasSize(threads * each);
        ListObjectVersionsResult l = versionsOf(b, "hot");
        assertThat(versionIds(l)).containsExactlyInAnyOrderElementsOf(written.keySet());
        assertThat(markerIds(l)).containsExactlyInAnyOrderElementsOf(markers);
        for (Map.Entry<String, String> e : written.entrySet()) assertThat(text(b, "hot", e.getKey())).isEqualTo(e.getValue());
    }

    // ---- delete markers ------------------------------------------------------------------------

    @Test
    void deleteWithoutVersionIdStacksDeleteMarkersThatHideTheObject() throws Exception {
        String b = bucket("Enabled");
        PutObjectResult v1 = put(b, "k", "one");
        PutObjectResult v2 = put(b, "k", "two");

        DeleteObjectResult d1 = delete(b, "k", null);
        assertThat(d1.deleteMarker()).isTrue();
        assertThat(d1.versionId()).matches(VERSION_ID).isNotIn(v1.versionId(), v2.versionId());
        String m1 = d1.versionId();

        ServiceException e = error(404, "NoSuchKey", () -> get(b, "k", null));
        assertThat(V2Errors.header(e, "x-oss-delete-marker")).isEqualTo("true");
        assertThat(V2Errors.header(e, "x-oss-version-id")).isEqualTo(m1);
        OssHttp.Resp rawHead = http.req("HEAD", b, "k").send();
        assertThat(rawHead.status()).isEqualTo(404);
        assertThat(rawHead.header("x-oss-delete-marker")).isEqualTo("true");
        assertThat(rawHead.header("x-oss-version-id")).isEqualTo(m1);
        error(404, "NoSuchKey", () -> head(b, "k", null));
        assertThat(c.doesObjectExist(b, "k")).isFalse();

        // the marker itself cannot be read; the versions under it can
        ServiceException onMarker = error(405, "MethodNotAllowed", () -> get(b, "k", m1));
        assertThat(V2Errors.header(onMarker, "x-oss-delete-marker")).isEqualTo("true");
        OssHttp.Resp headMarker = http.req("HEAD", b, "k").query("versionId", m1).send();
        assertThat(headMarker.status()).isEqualTo(405);
        assertThat(headMarker.header("x-oss-delete-marker")).isEqualTo("true");
        assertThat(headMarker.header("x-oss-version-id")).isEqualTo(m1);
        error(405, "MethodNotAllowed", () -> c.getObjectMeta(GetObjectMetaRequest.newBuilder().bucket(b).key("k").versionId(m1).build()));
        assertThat(text(b, "k", v1.versionId())).isEqualTo("one");
        assertThat(text(b, "k", v2.versionId())).isEqualTo("two");

        DeleteObjectResult d2 = delete(b, "k", null);
        assertThat(d2.deleteMarker()).isTrue();
        String m2 = d2.versionId();
        assertThat(m2).matches(VERSION_ID).isNotEqualTo(m1);
        ListObjectVersionsResult l = versionsOf(b, "k");
        assertThat(markerIds(l)).containsExactly(m2, m1);
        assertThat(l.deleteMarkers()).extracting(DeleteMarkerEntry::isLatest).containsExactly(true, false);
        assertThat(versionIds(l)).containsExactly(v2.versionId(), v1.versionId());
        assertThat(l.versions()).extracting(ObjectVersion::isLatest).containsExactly(false, false);

        // removing the top marker by id uncovers the one below it
        DeleteObjectResult r2 = delete(b, "k", m2);
        assertThat(r2.versionId()).isEqualTo(m2);
        assertThat(r2.deleteMarker()).isTrue();
        ServiceException still = error(404, "NoSuchKey", () -> get(b, "k", null));
        assertThat(V2Errors.header(still, "x-oss-version-id")).isEqualTo(m1);

        // removing the last marker makes the newest version current again
        DeleteObjectResult r1 = delete(b, "k", m1);
        assertThat(r1.deleteMarker()).isTrue();
        try (GetObjectResult g = get(b, "k", null)) {
            assertThat(g.body().readAllBytes()).isEqualTo(TestData.bytes("two"));
            assertThat(g.versionId()).isEqualTo(v2.versionId());
        }
        assertThat(c.doesObjectExist(b, "k")).isTrue();
        assertThat(versionsOf(b, "k").deleteMarkers()).isNullOrEmpty();
    }

    @Test
    void deleteByVersionIdRemovesItForGoodAndTheNewestRemainingBecomesCurrent() throws Exception {
        String b = bucket("Enabled");
        PutObjectResult v1 = put(b, "k", "one");
        PutObjectResult v2 = put(b, "k", "two");
        PutObjectResult v3 = put(b, "k", "three");

        DeleteObjectResult d3 = delete(b, "k", v3.versionId());
        assertThat(d3.versionId()).isEqualTo(v3.versionId());
        assertThat(d3.deleteMarker()).as("not a marker").isNotEqualTo(Boolean.TRUE);
        assertThat(header(d3, "x-oss-delete-marker")).isNull();
        try (GetObjectResult g = get(b, "k", null)) {
            assertThat(g.body().readAllBytes()).isEqualTo(TestData.bytes("two"));
            assertThat(g.versionId()).isEqualTo(v2.versionId());
        }
        error(404, "NoSuchVersion", () -> get(b, "k", v3.versionId()));
        error(404, "NoSuchVersion", () -> head(b, "k", v3.versionId()));

        // a non-current version: the current one stays
        delete(b, "k", v1.versionId());
        assertThat(text(b, "k", null)).isEqualTo("two");
        assertThat(versionIds(versionsOf(b, "k"))).containsExactly(v2.versionId());

        // unknown ids
        error(404, "NoSuchVersion", () -> get(b, "k", "AAAAAAAAAAAAAAAAAAAAAA"));
        error(404, "NoSuchVersion", () -> get(b, "k", "not-a-version"));
        delete(b, "k", "AAAAAAAAAAAAAAAAAAAAAA");
        assertThat(text(b, "k", null)).as("deleting an unknown version changes nothing").isEqualTo("two");

        // the last version: the key is gone, with no delete marker
        delete(b, "k", v2.versionId());
        ServiceException e = error(404, "NoSuchKey", () -> get(b, "k", null));
        assertThat(V2Errors.header(e, "x-oss-delete-marker")).isNull();
        assertThat(c.doesObjectExist(b, "k")).isFalse();
        ListObjectVersionsResult l = versionsOf(b, "k");
        assertThat(l.versions()).isNullOrEmpty();
        assertThat(l.deleteMarkers()).isNullOrEmpty();
    }

    @Test
    void removingTheCurrentVersionUnderWhichADeleteMarkerLiesLeavesTheMarkerCurrent() throws Exception {
        String b = bucket("Enabled");
        PutObjectResult v1 = put(b, "k", "one");
        String marker = delete(b, "k", null).versionId();
        PutObjectResult v2 = put(b, "k", "two");
        assertThat(text(b, "k", null)).isEqualTo("two");

        delete(b, "k", v2.versionId());
        ServiceException e = error(404, "NoSuchKey", () -> get(b, "k", null));
        assertThat(V2Errors.header(e, "x-oss-delete-marker")).isEqualTo("true");
        assertThat(V2Errors.header(e, "x-oss-version-id")).isEqualTo(marker);
        assertThat(c.doesObjectExist(b, "k")).isFalse();
        ListObjectVersionsResult l = versionsOf(b, "k");
        assertThat(l.deleteMarkers()).extracting(DeleteMarkerEntry::versionId, DeleteMarkerEntry::isLatest)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(marker, true));
        assertThat(l.versions()).extracting(ObjectVersion::versionId, ObjectVersion::isLatest)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(v1.versionId(), false));

        delete(b, "k", marker);
        assertThat(text(b, "k", null)).isEqualTo("one");
    }

    // ---- Suspended: the null version -----------------------------------------------------------

    @Test
    void suspendedWritesReplaceTheNullVersionAndKeepTheOthers() throws Exception {
        String b = bucket("Enabled");
        PutObjectResult v1 = put(b, "k", "one");
        versioning(b, "Suspended");

        PutObjectResult n1 = put(b, "k", "two");
        assertThat(n1.versionId()).isEqualTo("null");
        assertThat(header(n1, "x-oss-version-id")).isEqualTo("null");
        PutObjectResult n2 = put(b, "k", "three");
        assertThat(n2.versionId()).isEqualTo("null");
        try (GetObjectResult g = get(b, "k", null)) {
            assertThat(g.body().readAllBytes()).isEqualTo(TestData.bytes("three"));
            assertThat(g.versionId()).isEqualTo("null");
        }
        assertThat(text(b, "k", "null")).isEqualTo("three");
        assertThat(text(b, "k", v1.versionId())).isEqualTo("one");
        ListObjectVersionsResult l = versionsOf(b, "k");
        assertThat(versionIds(l)).as("one null version, replaced in place").containsExactly("null", v1.versionId());
        assertThat(l.versions()).extracting(ObjectVersion::size).containsExactly(5L, 3L);

        // a delete is a "null" marker, which replaces the null version
        DeleteObjectResult d = delete(b, "k", null);
        assertThat(d.deleteMarker()).isTrue();
        assertThat(d.versionId()).isEqualTo("null");
        ServiceException e = error(404, "NoSuchKey", () -> get(b, "k", null));
        assertThat(V2Errors.header(e, "x-oss-delete-marker")).isEqualTo("true");
        assertThat(V2Errors.header(e, "x-oss-version-id")).isEqualTo("null");
        error(405, "MethodNotAllowed", () -> get(b, "k", "null"));
        l = versionsOf(b, "k");
        assertThat(markerIds(l)).containsExactly("null");
        assertThat(versionIds(l)).containsExactly(v1.versionId());

        // enabled again: new ids, the null marker stays below
        versioning(b, "Enabled");
        PutObjectResult v4 = put(b, "k", "four");
        assertThat(v4.versionId()).matches(VERSION_ID);
        l = versionsOf(b, "k");
        assertThat(versionIds(l)).containsExactly(v4.versionId(), v1.versionId());
        assertThat(markerIds(l)).containsExactly("null");

        // suspended once more: the new null version replaces the null marker and is the newest
        versioning(b, "Suspended");
        PutObjectResult n3 = put(b, "k", "five!");
        assertThat(n3.versionId()).isEqualTo("null");
        l = versionsOf(b, "k");
        assertThat(l.deleteMarkers()).isNullOrEmpty();
        assertThat(versionIds(l)).containsExactly("null", v4.versionId(), v1.versionId());
        assertThat(l.versions()).extracting(ObjectVersion::isLatest).containsExactly(true, false, false);
        assertThat(text(b, "k", null)).isEqualTo("five!");
        assertThat(text(b, "k", v4.versionId())).isEqualTo("four");

        // deleting the null version by id: the newest remaining becomes current
        delete(b, "k", "null");
        try (GetObjectResult g = get(b, "k", null)) {
            assertThat(g.body().readAllBytes()).isEqualTo(TestData.bytes("four"));
            assertThat(g.versionId()).isEqualTo(v4.versionId());
        }
    }

    // ---- DeleteMultipleObjects -----------------------------------------------------------------

    @Test
    void deleteMultipleObjectsWithVersionIdsReportsVersionsAndMarkers() throws Exception {
        String b = bucket("Enabled");
        String odd = "dir/ü +%&<x>.txt";
        PutObjectResult a1 = put(b, "a", "a1");
        PutObjectResult a2 = put(b, "a", "a2");
        put(b, "b", "b1");
        PutObjectResult c1 = put(b, "c", "c1");
        String cMarker = delete(b, "c", null).versionId();
        PutObjectResult o1 = put(b, odd, "odd1");
        put(b, odd, "odd2");

        DeleteMultipleObjectsResult r = c.deleteMultipleObjects(DeleteMultipleObjectsRequest.newBuilder().bucket(b).deleteObjects(List.of(
                DeleteObject.newBuilder().key("a").versionId(a1.versionId()).build(),
                DeleteObject.newBuilder().key("b").build(),
                DeleteObject.newBuilder().key("c").versionId(cMarker).build(),
                DeleteObject.newBuilder().key(odd).versionId(o1.versionId()).build())).build());
        assertThat(r.statusCode()).isEqualTo(200);
        Map<String, DeletedInfo> byKey = new LinkedHashMap<>();
        for (DeletedInfo i : r.deletedObjects()) byKey.put(i.key(), i);
        assertThat(byKey).containsOnlyKeys("a", "b", "c", odd);

        DeletedInfo a = byKey.get("a");
        assertThat(a.versionId()).isEqualTo(a1.versionId());
        assertThat(a.deleteMarker()).isNotEqualTo(Boolean.TRUE);
        assertThat(a.deleteMarkerVersionId()).isNull();

        DeletedInfo bi = byKey.get("b");
        assertThat(bi.versionId()).isNull();
        assertThat(bi.deleteMarker()).isTrue();
        assertThat(bi.deleteMarkerVersionId()).matches(VERSION_ID);

        DeletedInfo ci = byKey.get("c");
        assertThat(ci.versionId()).isEqualTo(cMarker);
        assertThat(ci.deleteMarker()).isTrue();
        assertThat(ci.deleteMarkerVersionId()).isEqualTo(cMarker);

        assertThat(byKey.get(odd).versionId()).isEqualTo(o1.versionId());

        // the effects
        assertThat(versionIds(versionsOf(b, "a"))).containsExactly(a2.versionId());
        error(404, "NoSuchVersion", () -> get(b, "a", a1.versionId()));
        ServiceException e = error(404, "NoSuchKey", () -> get(b, "b", null));
        assertThat(V2Errors.header(e, "x-oss-version-id")).isEqualTo(bi.deleteMarkerVersionId());
        assertThat(markerIds(versionsOf(b, "b"))).containsExactly(bi.deleteMarkerVersionId());
        try (GetObjectResult g = get(b, "c", null)) {
            assertThat(g.body().readAllBytes()).isEqualTo(TestData.bytes("c1"));
            assertThat(g.versionId()).isEqualTo(c1.versionId());
        }
        assertThat(text(b, odd, null)).isEqualTo("odd2");
        assertThat(versionsOf(b, odd).versions()).hasSize(1);

        // quiet: nothing reported, everything done
        DeleteMultipleObjectsResult q = c.deleteMultipleObjects(DeleteMultipleObjectsRequest.newBuilder().bucket(b).quiet(true)
                .deleteObjects(List.of(DeleteObject.newBuilder().key("a").versionId(a2.versionId()).build(),
                        DeleteObject.newBuilder().key("b").versionId(bi.deleteMarkerVersionId()).build())).build());
        assertThat(q.deletedObjects()).isNullOrEmpty();
        assertThat(c.doesObjectExist(b, "a")).isFalse();
        assertThat(versionsOf(b, "a").versions()).isNullOrEmpty();
        assertThat(text(b, "b", null)).isEqualTo("b1");
    }

    // ---- copy from a version -------------------------------------------------------------------

    @Test
    void copyObjectReadsTheSourceVersionItNames() throws Exception {
        String b = bucket("Enabled");
        String plain = bucket(null);
        PutObjectResult v1 = put(b, "src", TestData.bytes("old bytes"), Map.of("a", "1"), "t=old");
        PutObjectResult v2 = put(b, "src", TestData.bytes("new"), Map.of("a", "2"), "t=new");

        CopyObjectResult fromOld = c.copyObject(CopyObjectRequest.newBuilder().bucket(b).key("dst").sourceKey("src")
                .sourceVersionId(v1.versionId()).build());
        assertThat(fromOld.copySourceVersionId()).isEqualTo(v1.versionId());
        assertThat(header(fromOld, "x-oss-copy-source-version-id")).isEqualTo(v1.versionId());
        assertThat(fromOld.versionId()).matches(VERSION_ID);
        assertThat(fromOld.eTag()).isEqualTo(v1.eTag());
        try (GetObjectResult g = get(b, "dst", null)) {
            assertThat(g.body().readAllBytes()).isEqualTo(TestData.bytes("old bytes"));
            assertThat(g.metadata()).isEqualTo(Map.of("a", "1"));
            assertThat(g.versionId()).isEqualTo(fromOld.versionId());
        }
        assertThat(tags(b, "dst", null)).isEqualTo(Map.of("t", "old"));

        CopyObjectResult fromCurrent = c.copyObject(CopyObjectRequest.newBuilder().bucket(b).key("dst2").sourceKey("src").build());
        assertThat(fromCurrent.copySourceVersionId()).isEqualTo(v2.versionId());
        assertThat(text(b, "dst2", null)).isEqualTo("new");

        // into a bucket without versioning: the source version is reported, no version is made
        CopyObjectResult across = c.copyObject(CopyObjectRequest.newBuilder().bucket(plain).key("x").sourceBucket(b).sourceKey("src")
                .sourceVersionId(v1.versionId()).build());
        assertThat(across.copySourceVersionId()).isEqualTo(v1.versionId());
        assertThat(across.versionId()).isNull();
        assertThat(text(plain, "x", null)).isEqualTo("old bytes");

        // restoring an older version onto its own key makes it the newest version
        CopyObjectResult restore = c.copyObject(CopyObjectRequest.newBuilder().bucket(b).key("src").sourceKey("src")
                .sourceVersionId(v1.versionId()).build());
        assertThat(restore.versionId()).matches(VERSION_ID).isNotIn(v1.versionId(), v2.versionId());
        assertThat(text(b, "src", null)).isEqualTo("old bytes");
        assertThat(text(b, "src", v2.versionId())).isEqualTo("new");
        assertThat(text(b, "src", v1.versionId())).isEqualTo("old bytes");
        assertThat(versionIds(versionsOf(b, "src"))).containsExactly(restore.versionId(), v2.versionId(), v1.versionId());

        // a delete marker as the source
        String marker = delete(b, "src", null).versionId();
        error(400, "InvalidArgument", () -> c.copyObject(CopyObjectRequest.newBuilder().bucket(b).key("dst3").sourceKey("src")
                .sourceVersionId(marker).build()));
        error(404, "NoSuchKey", () -> c.copyObject(CopyObjectRequest.newBuilder().bucket(b).key("dst3").sourceKey("src").build()));
        error(404, "NoSuchVersion", () -> c.copyObject(CopyObjectRequest.newBuilder().bucket(b).key("dst3").sourceKey("src")
                .sourceVersionId("AAAAAAAAAAAAAAAAAAAAAA").build()));
        assertThat(c.doesObjectExist(b, "dst3")).isFalse();
        // the versions under the marker can still be copied
        assertThat(c.copyObject(CopyObjectRequest.newBuilder().bucket(b).key("dst3").sourceKey("src")
                .sourceVersionId(v2.versionId()).build()).copySourceVersionId()).isEqualTo(v2.versionId());
        assertThat(text(b, "dst3", null)).isEqualTo("new");
    }

    // ---- tags and ACL of one version -----------------------------------------------------------

    @Test
    void taggingAndAclApplyToTheNamedVersionOnly() throws Exception {
        String b = bucket("Enabled");
        PutObjectResult v1 = put(b, "k", TestData.bytes("one"), null, "orig=1");
        PutObjectResult v2 = put(b, "k", TestData.bytes("two"), null, "orig=2");

        PutObjectTaggingResult pt = c.putObjectTagging(PutObjectTaggingRequest.newBuilder().bucket(b).key("k").versionId(v1.versionId())
                .tagging(tagging(Map.of("owner", "John"))).build());
        assertThat(pt.versionId()).isEqualTo(v1.versionId());
        assertThat(tags(b, "k", v1.versionId())).isEqualTo(Map.of("owner", "John"));
        assertThat(tags(b, "k", v2.versionId())).isEqualTo(Map.of("orig", "2"));
        assertThat(tags(b, "k", null)).isEqualTo(Map.of("orig", "2"));

        // without versionId: the current version
        PutObjectTaggingResult cur = c.putObjectTagging(PutObjectTaggingRequest.newBuilder().bucket(b).key("k")
                .tagging(tagging(Map.of("now", "yes"))).build());
        assertThat(cur.versionId()).isEqualTo(v2.versionId());
        assertThat(tags(b, "k", v2.versionId())).isEqualTo(Map.of("now", "yes"));
        assertThat(tags(b, "k", v1.versionId())).isEqualTo(Map.of("owner", "John"));

        var dt = c.deleteObjectTagging(DeleteObjectTaggingRequest.newBuilder().bucket(b).key("k").versionId(v1.versionId()).build());
        assertThat(dt.versionId()).isEqualTo(v1.versionId());
        assertThat(tags(b, "k", v1.versionId())).isEmpty();
        assertThat(tags(b, "k", null)).isEqualTo(Map.of("now", "yes"));

        // ACL of one version
        c.putObjectAcl(PutObjectAclRequest.newBuilder().bucket(b).key("k").versionId(v1.versionId()).objectAcl("public-read").build());
        var acl1 = c.getObjectAcl(GetObjectAclRequest.newBuilder().bucket(b).key("k").versionId(v1.versionId()).build());
        assertThat(acl1.accessControlPolicy().accessControlList().grant()).isEqualTo("public-read");
        assertThat(header(acl1, "x-oss-version-id")).isEqualTo(v1.versionId()); // GetObjectAclResult.versionId() reads "versionId"
        assertThat(c.getObjectAcl(GetObjectAclRequest.newBuilder().bucket(b).key("k").build())
                .accessControlPolicy().accessControlList().grant()).isEqualTo("default");
        assertThat(http.req("GET", b, "k").query("versionId", v1.versionId()).anonymous().send().status())
                .as("the public-read version is readable anonymously").isEqualTo(200);
        assertThat(http.req("GET", b, "k").anonymous().send().status()).as("the current version is not").isEqualTo(403);

        // a delete marker has no tags
        String marker = delete(b, "k", null).versionId();
        error(404, "NoSuchKey", () -> c.getObjectTagging(GetObjectTaggingRequest.newBuilder().bucket(b).key("k").versionId(marker).build()));
        error(404, "NoSuchKey", () -> c.putObjectTagging(PutObjectTaggingRequest.newBuilder().bucket(b).key("k").versionId(marker)
                .tagging(tagging(Map.of("x", "y"))).build()));
        error(404, "NoSuchKey", () -> c.getObjectTagging(GetObjectTaggingRequest.newBuilder().bucket(b).key("k").build()));
        error(404, "NoSuchVersion", () -> c.getObjectTagging(GetObjectTaggingRequest.newBuilder().bucket(b).key("k")
                .versionId("AAAAAAAAAAAAAAAAAAAAAA").build()));
        // the versions under the marker keep theirs
        assertThat(tags(b, "k", v2.versionId())).isEqualTo(Map.of("now", "yes"));
    }
}
