package dev.pail.it.tagging;

import dev.pail.it.OssHttp;
import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.OSS;
import com.aliyun.oss.model.AppendObjectRequest;
import com.aliyun.oss.model.AppendObjectResult;
import com.aliyun.oss.model.CompleteMultipartUploadRequest;
import com.aliyun.oss.model.InitiateMultipartUploadRequest;
import com.aliyun.oss.model.ObjectMetadata;
import com.aliyun.oss.model.PartETag;
import com.aliyun.oss.model.UploadPartRequest;
import com.aliyun.sdk.service.oss2.models.AppendObjectRequest.Builder;
import com.aliyun.sdk.service.oss2.models.GetObjectRequest;
import com.aliyun.sdk.service.oss2.models.GetObjectResult;
import com.aliyun.sdk.service.oss2.models.HeadObjectRequest;
import com.aliyun.sdk.service.oss2.transport.BinaryData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code x-oss-tagging-count} on GET and HEAD (absent without tags), and AppendObject tagging:
 * only the creating append sets (and validates) tags; later appends ignore the header entirely.
 */
class TaggingCountAndAppendTest extends TagBase {

    /** The x-oss-tagging-count of a raw GET and a raw HEAD, which must agree; null when absent. */
    private String count(String b, String k) {
        OssHttp.Resp get = http.req("GET", b, k).send();
        OssHttp.Resp head = http.req("HEAD", b, k).send();
        assertThat(get.status()).as(get.toString()).isIn(200);
        assertThat(head.status()).as(head.toString()).isEqualTo(200);
        assertThat(head.has("x-oss-tagging-count")).isEqualTo(get.has("x-oss-tagging-count"));
        assertThat(head.header("x-oss-tagging-count")).isEqualTo(get.header("x-oss-tagging-count"));
        return get.header("x-oss-tagging-count");
    }

    private Long v2HeadCount(String b, String k) {
        String h = v2Header(v2.headObject(HeadObjectRequest.newBuilder().bucket(b).key(k).build()).headers(), "x-oss-tagging-count");
        return h == null ? null : Long.valueOf(h);
    }

    private Long v2GetCount(String b, String k) throws Exception {
        try (GetObjectResult r = v2.getObject(GetObjectRequest.newBuilder().bucket(b).key(k).build())) {
            r.body().readAllBytes();
            String h = v2Header(r.headers(), "x-oss-tagging-count");
            return h == null ? null : Long.valueOf(h);
        }
    }

    private static ObjectMetadata tagged(Map<String, String> tags) {
        ObjectMetadata m = new ObjectMetadata();
        m.setObjectTagging(tags);
        return m;
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void countFollowsTheTagsAndIsAbsentWithoutThem(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = newBucket();
        oss.putObject(b, "plain", in(bytes("p")));
        assertThat(count(b, "plain")).isNull();
        assertThat(oss.getObjectMetadata(b, "plain").getRawMetadata()).doesNotContainKey("x-oss-tagging-count");
        assertThat(v2HeadCount(b, "plain")).isNull();
        assertThat(v2GetCount(b, "plain")).isNull();

        oss.putObject(new com.aliyun.oss.model.PutObjectRequest(b, "tagged", in(bytes("t")), tagged(SEED_TAGS)));
        assertThat(count(b, "tagged")).isEqualTo("4");
        assertThat(oss.getObjectMetadata(b, "tagged").getRawMetadata().get("x-oss-tagging-count")).isEqualTo("4");
        assertThat(v2HeadCount(b, "tagged")).isEqualTo(4L);
        assertThat(v2GetCount(b, "tagged")).isEqualTo(4L);

        oss.setObjectTagging(b, "plain", Map.of("a", "", "b", "x"));
        assertThat(count(b, "plain")).as("empty values count").isEqualTo("2");
        oss.setObjectTagging(b, "tagged", TagLimitsTest.tags(10));
        assertThat(count(b, "tagged")).isEqualTo("10");
        assertThat(v2HeadCount(b, "tagged")).isEqualTo(10L);
        oss.deleteObjectTagging(b, "tagged");
        assertThat(count(b, "tagged")).isNull();
        assertThat(v2HeadCount(b, "tagged")).isNull();
        http.req("PUT", b, "plain").query("tagging").body("<Tagging><TagSet/></Tagging>").send();
        assertThat(count(b, "plain")).isNull();
    }

    @Test
    void countOnEveryObjectTypeAndRangeAndObjectMeta() {
        String b = newBucket();
        String id = v1.initiateMultipartUpload(new InitiateMultipartUploadRequest(b, "mp", tagged(Map.of("a", "1")))).getUploadId();
        PartETag p = v1.uploadPart(new UploadPartRequest(b, "mp", id, 1, in(bytes("part")), 4)).getPartETag();
        v1.completeMultipartUpload(new CompleteMultipartUploadRequest(b, "mp", id, new ArrayList<>(List.of(p))));
        assertThat(count(b, "mp")).isEqualTo("1");

        AppendObjectRequest a = new AppendObjectRequest(b, "app", in(bytes("abc")), tagged(Map.of("a", "1", "b", "2")));
        a.setPosition(0L);
        v1.appendObject(a);
        assertThat(count(b, "app")).isEqualTo("2");

        // a symlink reports its own tags, not its target's
        v1.createSymlink(new com.aliyun.oss.model.CreateSymlinkRequest(b, "link", "app"));
        assertThat(count(b, "link")).isNull();
        http.req("PUT", b, "link").query("tagging").body(xml(SEED_TAGS)).send();
        assertThat(count(b, "link")).isEqualTo("4");
        assertThat(count(b, "app")).isEqualTo("2");

        OssHttp.Resp range = http.req("GET", b, "app").header("Range", "bytes=1-1").send();
        assertThat(range.status()).isEqualTo(206);
        assertThat(range.header("x-oss-tagging-count")).isEqualTo("2");
    }

    // ---- append ---------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Sig.class)
    void laterAppendsIgnoreEvenInvalidTaggingJ1(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = newBucket();
        String k = "log.txt";
        AppendObjectRequest first = new AppendObjectRequest(b, k, in(bytes("one,")), tagged(SEED_TAGS));
        first.setPosition(0L);
        AppendObjectResult r = oss.appendObject(first);
        assertTags(b, k, SEED_TAGS);

        List<Map<String, String>> later = new ArrayList<>();
        later.add(Map.of("different", "tags"));
        later.add(TagLimitsTest.tags(11));
        later.add(Map.of("a@b", "c"));
        later.add(Map.of("k", "x".repeat(300)));
        StringBuilder expected = new StringBuilder("one,");
        long next = r.getNextPosition();
        int i = 0;
        for (Map<String, String> tags : later) {
            String chunk = "chunk" + (i++) + ",";
            AppendObjectRequest more = new AppendObjectRequest(b, k, in(bytes(chunk)), tagged(tags));
            more.setPosition(next);
            next = oss.appendObject(more).getNextPosition();
            expected.append(chunk);
            assertTags(b, k, SEED_TAGS);
        }
        assertThat(read(oss.getObject(b, k))).isEqualTo(bytes(expected.toString()));
        assertThat(count(b, k)).isEqualTo("4");
    }

    @Test
    void laterAppendsIgnoreEvenInvalidTaggingRawAndV2() {
        String b = newBucket();
        String k = "v2.log";
        Builder first = com.aliyun.sdk.service.oss2.models.AppendObjectRequest.newBuilder().bucket(b).key(k).position(0L)
                .tagging("first=yes").body(BinaryData.fromString("1"));
        long next = v2.appendObject(first.build()).nextAppendPosition();
        for (String bad : List.of("aa=bb=cc", "a=b&a=b", "%ZZ", "=v", TagBase.header(TagLimitsTest.tags(12)), "x=y")) {
            next = v2.appendObject(com.aliyun.sdk.service.oss2.models.AppendObjectRequest.newBuilder().bucket(b).key(k).position(next)
                    .tagging(bad).body(BinaryData.fromString("+")).build()).nextAppendPosition();
            assertTags(b, k, Map.of("first", "yes"));
        }
        OssHttp.Resp raw = http.req("POST", b, k).query("append").query("position", Long.toString(next))
                .header("x-oss-tagging", "me@example.com=1").body("!").send();
        assertThat(raw.status()).as(raw.toString()).isEqualTo(200);
        assertTags(b, k, Map.of("first", "yes"));
        assertThat(rawBytes(b, k)).isEqualTo(bytes("1++++++!"));
    }

    @Test
    void anUntaggedAppendableObjectStaysUntaggedAndTaggingCallsSurviveAppends() {
        String b = newBucket();
        OssHttp.Resp first = http.req("POST", b, "u").query("append").query("position", "0").body("a").send();
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        OssHttp.Resp second = http.req("POST", b, "u").query("append").query("position", "1")
                .header("x-oss-tagging", "late=tag").body("b").send();
        assertThat(second.status()).as(second.toString()).isEqualTo(200);
        assertTags(b, "u", Map.of());
        assertThat(count(b, "u")).isNull();

        Map<String, String> set = new LinkedHashMap<>();
        set.put("set", "later");
        v1.setObjectTagging(b, "u", set);
        OssHttp.Resp third = http.req("POST", b, "u").query("append").query("position", "2").body("c").send();
        assertThat(third.status()).as(third.toString()).isEqualTo(200);
        assertTags(b, "u", set);
        assertThat(rawBytes(b, "u")).isEqualTo(bytes("abc"));
    }
}
