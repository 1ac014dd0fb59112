package dev.pail.it.versioning;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.OSS;
import com.aliyun.oss.model.BucketVersioningConfiguration;
import com.aliyun.oss.model.GenericRequest;
import com.aliyun.oss.model.ObjectMetadata;
import com.aliyun.oss.model.PutObjectRequest;
import com.aliyun.oss.model.SetBucketVersioningRequest;
import com.aliyun.oss.model.SetObjectTaggingRequest;
import com.aliyun.oss.model.TagSet;
import com.aliyun.sdk.service.oss2.OSSClient;
import com.aliyun.sdk.service.oss2.models.GetObjectTaggingRequest;
import com.aliyun.sdk.service.oss2.models.PutBucketVersioningRequest;
import com.aliyun.sdk.service.oss2.models.PutObjectTaggingRequest;
import com.aliyun.sdk.service.oss2.models.PutObjectTaggingResult;
import com.aliyun.sdk.service.oss2.models.Tag;
import com.aliyun.sdk.service.oss2.models.Tagging;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Seed 002, "Add or change tags for a specific object version" (oss2
 * {@code bucket.put_object_tagging(object_name, tagging, params={'versionId': version_id})} with
 * {@code owner=John}, {@code type=document}), mirrored with the J1 SDK (both signatures), the V2
 * SDK and the exact oss2 request on the wire. The key has two versions; the older one is tagged.
 * Its tags read back exactly by version id, the current version's tags do not change, the tags
 * survive later overwrites and a delete marker, and tagging leaves the version's ETag and
 * Last-Modified alone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Seed002VersionTaggingTest {
    enum Sig { V1, V4 }

    static final String KEY = "exampledir/exampleobject.txt";
    /** The seed's tag set, in its order. */
    static final Map<String, String> SEED = seedTags();
    static final Map<String, String> OLD_TAGS = Map.of("orig", "v1");
    static final Map<String, String> CURRENT_TAGS = Map.of("orig", "v2", "stage", "current");

    private static final AtomicInteger BUCKETS = new AtomicInteger();

    TestServer server;
    OSS j1;
    OSS j4;
    OSSClient v2;
    OssHttp http;

    @BeforeAll
    void start() {
        server = new TestServer();
        j1 = Clients.v1(server);
        j4 = Clients.v4(server);
        v2 = Clients.v2(server);
        http = new OssHttp(server);
    }

    @AfterAll
    void stop() throws Exception {
        if (j1 != null) j1.shutdown();
        if (j4 != null) j4.shutdown();
        if (v2 != null) v2.close();
        if (server != null) server.close();
    }

    private static Map<String, String> seedTags() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("owner", "John");
        m.put("type", "document");
        return java.util.Collections.unmodifiableMap(m);
    }

    // ---- fixture -------------------------------------------------------------------------------

    /** The two versions of {@link #KEY} in a fresh versioning-enabled bucket. */
    record Fixture(String bucket, String older, String current) {}

    /** Bucket and versions made through J1: versioning enabled, two tagged versions of the key. */
    Fixture fixtureJ1(OSS oss) {
        String b = "seed002-ver-" + BUCKETS.incrementAndGet();
        oss.createBucket(b);
        oss.setBucketVersioning(new SetBucketVersioningRequest(b, new BucketVersioningConfiguration(BucketVersioningConfiguration.ENABLED)));
        assertThat(oss.getBucketVersioning(b).getStatus()).isEqualTo("Enabled");
        String older = putJ1(oss, b, "version one", OLD_TAGS);
        String current = putJ1(oss, b, "version two, current", CURRENT_TAGS);
        assertThat(older).isNotNull().isNotEqualTo(current);
        return new Fixture(b, older, current);
    }

    static String putJ1(OSS oss, String b, String body, Map<String, String> tags) {
        ObjectMetadata m = new ObjectMetadata();
        if (!tags.isEmpty()) m.setObjectTagging(tags);
        return oss.putObject(new PutObjectRequest(b, KEY, TestData.in(TestData.bytes(body)), m)).getVersionId();
    }

    /** The same through V2. */
    Fixture fixtureV2() {
        String b = "seed002-ver-" + BUCKETS.incrementAndGet();
        v2.putBucket(com.aliyun.sdk.service.oss2.models.PutBucketRequest.newBuilder().bucket(b).build());
        v2.putBucketVersioning(PutBucketVersioningRequest.newBuilder().bucket(b)
                .versioningConfiguration(VersioningConfiguration.newBuilder().status("Enabled").build()).build());
        String older = putV2(b, "version one", "orig=v1");
        String current = putV2(b, "version two, current", "orig=v2&stage=current");
        return new Fixture(b, older, current);
    }

    String putV2(String b, String body, String tagging) {
        return v2.putObject(com.aliyun.sdk.service.oss2.models.PutObjectRequest.newBuilder().bucket(b).key(KEY).tagging(tagging)
                .body(BinaryData.fromString(body)).build()).versionId();
    }

    // ---- reading tags three ways ---------------------------------------------------------------

    /** Tags of a version (current when {@code versionId} is null) through J1. */
    Map<String, String> j1Tags(String b, String versionId) {
        return j1.getObjectTagging(new GenericRequest(b, KEY, versionId)).getAllTags();
    }

    Map<String, String> v2Tags(String b, String versionId) {
        var req = GetObjectTaggingRequest.newBuilder().bucket(b).key(KEY);
        if (versionId != null) req.versionId(versionId);
        var r = v2.getObjectTagging(req.build());
        Map<String, String> out = new LinkedHashMap<>();
        if (r.tagging() != null && r.tagging().tagSet() != null && r.tagging().tagSet().tags() != null) {
            for (Tag t : r.tagging().tagSet().tags()) out.put(t.key(), t.value() == null ? "" : t.value());
        }
        return out;
    }

    /** Tags from the raw GetObjectTagging XML, checking the response names the version. */
    Map<String, String> rawTags(String b, String versionId) {
        OssHttp.Req req = http.req("GET", b, KEY).query("tagging");
        if (versionId != null) req.query("versionId", versionId);
        OssHttp.Resp r = req.send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        if (versionId != null) assertThat(r.header("x-oss-version-id")).isEqualTo(versionId);
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = Pattern.compile("<Tag>\\s*<Key>([^<]*)</Key>\\s*<Value>([^<]*)</Value>\\s*</Tag>").matcher(r.text());
        while (m.find()) out.put(m.group(1), m.group(2));
        return out;
    }

    void assertTags(String b, String versionId, Map<String, String> expected) {
        assertThat(j1Tags(b, versionId)).as("J1 tags of version %s", versionId).isEqualTo(expected);
        assertThat(v2Tags(b, versionId)).as("V2 tags of version %s", versionId).isEqualTo(expected);
        assertThat(rawTags(b, versionId)).as("raw tags of version %s", versionId).isEqualTo(expected);
    }

    /** A version as HEAD shows it: ETag, Last-Modified, size, tag count and the version id header. */
    record Stamp(String etag, String lastModified, String length, String taggingCount, String versionId) {}

    Stamp stamp(String b, String versionId) {
        OssHttp.Resp r = http.req("HEAD", b, KEY).query("versionId", versionId).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return new Stamp(r.header("ETag"), r.header("Last-Modified"), r.header("Content-Length"), r.header("x-oss-tagging-count"),
                r.header("x-oss-version-id"));
    }

    byte[] bytes(String b, String versionId) {
        OssHttp.Resp r = http.req("GET", b, KEY).query("versionId", versionId).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.header("x-oss-version-id")).isEqualTo(versionId);
        return r.body();
    }

    static Tagging v2Tagging(Map<String, String> tags) {
        List<Tag> list = new ArrayList<>();
        tags.forEach((k, v) -> list.add(Tag.newBuilder().key(k).value(v).build()));
        return Tagging.newBuilder().tagSet(com.aliyun.sdk.service.oss2.models.TagSet.newBuilder().tags(list).build()).build();
    }

    static void sleepPastSecond() {
        try {
            Thread.sleep(1100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * What every variant checks after tagging the older version with the seed's tags: exactly those
     * tags on it, the current version untouched, the older version's bytes, ETag and Last-Modified
     * unchanged; then the tags survive an overwrite and a delete marker.
     */
    void assertSeedOutcome(Fixture f, Stamp olderBefore, Stamp currentBefore, OSS oss) {
        String b = f.bucket();
        assertTags(b, f.older(), SEED);
        assertTags(b, f.current(), CURRENT_TAGS);
        assertTags(b, null, CURRENT_TAGS);

        Stamp olderAfter = stamp(b, f.older());
        assertThat(olderAfter).as("tagging keeps the version's ETag and Last-Modified")
                .isEqualTo(new Stamp(olderBefore.etag(), olderBefore.lastModified(), olderBefore.length(), "2", f.older()));
        assertThat(stamp(b, f.current())).as("the current version is untouched").isEqualTo(currentBefore);
        assertThat(bytes(b, f.older())).isEqualTo(TestData.bytes("version one"));
        assertThat(bytes(b, f.current())).isEqualTo(TestData.bytes("version two, current"));

        // later writes make new versions; the tagged one keeps its tags
        String third = putJ1(oss, b, "version three", Map.of());
        assertTags(b, f.older(), SEED);
        assertTags(b, f.current(), CURRENT_TAGS);
        assertTags(b, third, Map.of());
        oss.deleteObject(b, KEY); // a delete marker on top
        assertTags(b, f.older(), SEED);
        V2Errors.expect(404, "NoSuchKey", () -> v2.getObjectTagging(GetObjectTaggingRequest.newBuilder().bucket(b).key(KEY).build()));
        assertThat(stamp(b, f.older()).lastModified()).isEqualTo(olderBefore.lastModified());
    }

    // ---- the seed, three ways ------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Sig.class)
    void tagASpecificVersionWithJ1(Sig sig) {
        OSS oss = sig == Sig.V1 ? j1 : j4;
        Fixture f = fixtureJ1(oss);
        assertTags(f.bucket(), f.older(), OLD_TAGS);
        Stamp olderBefore = stamp(f.bucket(), f.older());
        Stamp currentBefore = stamp(f.bucket(), f.current());
        assertThat(olderBefore.taggingCount()).isEqualTo("1");
        sleepPastSecond(); // a Last-Modified touched by the tagging would show

        SetObjectTaggingRequest req = new SetObjectTaggingRequest(f.bucket(), KEY, new TagSet(SEED));
        req.setVersionId(f.older());
        oss.setObjectTagging(req);

        assertSeedOutcome(f, olderBefore, currentBefore, oss);

        // changing them again replaces the whole set of that version only
        SetObjectTaggingRequest change = new SetObjectTaggingRequest(f.bucket(), KEY, Map.of("owner", "Jane"));
        change.setVersionId(f.older());
        oss.setObjectTagging(change);
        assertTags(f.bucket(), f.older(), Map.of("owner", "Jane"));
        assertTags(f.bucket(), f.current(), CURRENT_TAGS);
    }

    @Test
    void tagASpecificVersionWithV2() {
        Fixture f = fixtureV2();
        assertTags(f.bucket(), f.older(), OLD_TAGS);
        Stamp olderBefore = stamp(f.bucket(), f.older());
        Stamp currentBefore = stamp(f.bucket(), f.current());
        sleepPastSecond();

        PutObjectTaggingResult r = v2.putObjectTagging(PutObjectTaggingRequest.newBuilder().bucket(f.bucket()).key(KEY)
                .versionId(f.older()).tagging(v2Tagging(SEED)).build());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.versionId()).isEqualTo(f.older());

        assertSeedOutcome(f, olderBefore, currentBefore, j1);
    }

    @Test
    void tagASpecificVersionWithTheOss2RequestOnTheWire() {
        Fixture f = fixtureJ1(j1);
        Stamp olderBefore = stamp(f.bucket(), f.older());
        Stamp currentBefore = stamp(f.bucket(), f.current());
        sleepPastSecond();

        // oss2: PUT /exampledir/exampleobject.txt?tagging&versionId=... with its Tagging XML
        String xml = "<Tagging><TagSet><Tag><Key>owner</Key><Value>John</Value></Tag>"
                + "<Tag><Key>type</Key><Value>document</Value></Tag></TagSet></Tagging>";
        OssHttp.Resp r = http.req("PUT", f.bucket(), KEY).query("tagging").query("versionId", f.older())
                .header("Content-Type", "application/xml").body(xml).md5().send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.header("x-oss-version-id")).isEqualTo(f.older());

        assertSeedOutcome(f, olderBefore, currentBefore, j1);
    }

    // ---- what the seed's version id may not name -----------------------------------------------

    @Test
    void aDeleteMarkerOrUnknownVersionCannotBeTagged() {
        Fixture f = fixtureJ1(j1);
        j1.deleteObject(f.bucket(), KEY);
        String marker = j1.listVersions(f.bucket(), KEY).getVersionSummaries().stream()
                .filter(com.aliyun.oss.model.OSSVersionSummary::isDeleteMarker).findFirst().orElseThrow().getVersionId();

        SetObjectTaggingRequest onMarker = new SetObjectTaggingRequest(f.bucket(), KEY, new TagSet(SEED));
        onMarker.setVersionId(marker);
        TestData.ossError("NoSuchKey", () -> j1.setObjectTagging(onMarker));
        V2Errors.expect(404, "NoSuchKey", () -> v2.putObjectTagging(PutObjectTaggingRequest.newBuilder().bucket(f.bucket()).key(KEY)
                .versionId(marker).tagging(v2Tagging(SEED)).build()));
        V2Errors.expect(404, "NoSuchKey", () -> v2.getObjectTagging(GetObjectTaggingRequest.newBuilder().bucket(f.bucket()).key(KEY)
                .versionId(marker).build()));

        SetObjectTaggingRequest unknown = new SetObjectTaggingRequest(f.bucket(), KEY, new TagSet(SEED));
        unknown.setVersionId("AAAAAAAAAAAAAAAAAAAAAA");
        TestData.ossError("NoSuchVersion", () -> j1.setObjectTagging(unknown));

        // nothing changed on the real versions
        assertTags(f.bucket(), f.older(), OLD_TAGS);
        assertTags(f.bucket(), f.current(), CURRENT_TAGS);
    }
}
