package dev.pail.it.tagging;

import dev.pail.it.OssHttp;
import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.OSS;
import com.aliyun.oss.model.SetObjectTaggingRequest;
import com.aliyun.oss.model.TagSet;
import com.aliyun.sdk.service.oss2.models.DeleteObjectTaggingRequest;
import com.aliyun.sdk.service.oss2.models.DeleteObjectTaggingResult;
import com.aliyun.sdk.service.oss2.models.GetObjectTaggingRequest;
import com.aliyun.sdk.service.oss2.models.PutObjectTaggingRequest;
import com.aliyun.sdk.service.oss2.models.PutObjectTaggingResult;
import com.aliyun.sdk.service.oss2.models.Tag;
import com.aliyun.sdk.service.oss2.models.Tagging;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Put/Get/DeleteObjectTagging (features.md §5) through J1 (V1 and V4 signatures), V2 and raw
 * HTTP: the always-present {@code <TagSet/>}, empty values, whole-set replacement, the error
 * cases (missing object or bucket, wrong Content-MD5) and the status codes.
 */
class ObjectTaggingApiTest extends TagBase {

    private static final String KEY = "dir/a b+c/ü%.txt";

    static Tagging v2Tagging(Map<String, String> tags) {
        List<Tag> list = new ArrayList<>();
        tags.forEach((k, v) -> list.add(Tag.newBuilder().key(k).value(v).build()));
        return Tagging.newBuilder().tagSet(com.aliyun.sdk.service.oss2.models.TagSet.newBuilder().tags(list).build()).build();
    }

    PutObjectTaggingResult v2Put(String b, String k, Map<String, String> tags) {
        return v2.putObjectTagging(PutObjectTaggingRequest.newBuilder().bucket(b).key(k).tagging(v2Tagging(tags)).build());
    }

    private String untagged() {
        String b = newBucket();
        v1.putObject(b, KEY, in(bytes("bytes")));
        return b;
    }

    @Test
    void untaggedObjectReturnsAnEmptyTagSetElement() {
        String b = untagged();
        OssHttp.Resp r = http.req("GET", b, KEY).query("tagging").send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("application/xml");
        assertThat(r.text()).containsPattern("<Tagging>\\s*(<TagSet\\s*/>|<TagSet>\\s*</TagSet>)\\s*</Tagging>");
        // the Java SDK dereferences TagSet: it must not fail
        assertThat(v1.getObjectTagging(b, KEY).getAllTags()).isEmpty();
        assertThat(v4.getObjectTagging(b, KEY).getAllTags()).isEmpty();
        assertThat(v2Tags(b, KEY)).isEmpty();

        // and again after tags were set and deleted
        v1.setObjectTagging(b, KEY, Map.of("a", "b"));
        v1.deleteObjectTagging(b, KEY);
        OssHttp.Resp again = http.req("GET", b, KEY).query("tagging").send();
        assertThat(again.text()).containsPattern("<Tagging>\\s*(<TagSet\\s*/>|<TagSet>\\s*</TagSet>)\\s*</Tagging>");
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void emptyValuesRoundTrip(Sig sig) {
        OSS oss = oss(sig);
        String b = untagged();
        TagSet set = new TagSet();
        set.setTag("empty", "");
        set.setTag("full", "v");
        oss.setObjectTagging(new SetObjectTaggingRequest(b, KEY, set));
        assertTags(b, KEY, Map.of("empty", "", "full", "v"));
        OssHttp.Resp r = http.req("GET", b, KEY).query("tagging").send();
        assertThat(r.text()).containsPattern("<Key>empty</Key>\\s*(<Value\\s*/>|<Value></Value>)");

        v2Put(b, KEY, Map.of("v2empty", ""));
        assertTags(b, KEY, Map.of("v2empty", ""));

        // a self-closed Value element is an empty value as well
        OssHttp.Resp x = http.req("PUT", b, KEY).query("tagging")
                .body("<Tagging><TagSet><Tag><Key>selfclosed</Key><Value/></Tag></TagSet></Tagging>").send();
        assertThat(x.status()).as(x.toString()).isEqualTo(200);
        assertTags(b, KEY, Map.of("selfclosed", ""));

        // the header form: a bare key and "key=" are both empty values
        OssHttp.Resp p = http.req("PUT", b, "hdr").header("x-oss-tagging", "bare&eq=&x=1").body("h").send();
        assertThat(p.status()).as(p.toString()).isEqualTo(200);
        assertTags(b, "hdr", Map.of("bare", "", "eq", "", "x", "1"));
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void putReplacesTheWholeSetAndAnEmptyTagSetClears(Sig sig) {
        OSS oss = oss(sig);
        String b = untagged();
        oss.setObjectTagging(b, KEY, Map.of("a", "1", "b", "2", "c", "3"));
        assertTags(b, KEY, Map.of("a", "1", "b", "2", "c", "3"));
        oss.setObjectTagging(b, KEY, Map.of("d", "4"));
        assertTags(b, KEY, Map.of("d", "4"));
        // keys and values are case-sensitive
        oss.setObjectTagging(b, KEY, Map.of("Key", "Value", "key", "value"));
        assertTags(b, KEY, Map.of("Key", "Value", "key", "value"));

        OssHttp.Resp clear = http.req("PUT", b, KEY).query("tagging").body("<Tagging><TagSet/></Tagging>").send();
        assertThat(clear.status()).as(clear.toString()).isEqualTo(200);
        assertTags(b, KEY, Map.of());

        v2Put(b, KEY, SEED_TAGS);
        assertTags(b, KEY, SEED_TAGS);
        v2Put(b, KEY, Map.of()); // an empty TagSet from V2 clears too
        assertTags(b, KEY, Map.of());
        assertThat(rawBytes(b, KEY)).isEqualTo(bytes("bytes"));
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void deleteClearsAndIs204(Sig sig) {
        OSS oss = oss(sig);
        String b = untagged();
        oss.setObjectTagging(b, KEY, SEED_TAGS);
        oss.deleteObjectTagging(b, KEY);
        assertTags(b, KEY, Map.of());
        // deleting when there are no tags is fine too
        oss.deleteObjectTagging(b, KEY);

        v2Put(b, KEY, Map.of("x", "y"));
        DeleteObjectTaggingResult d = v2.deleteObjectTagging(DeleteObjectTaggingRequest.newBuilder().bucket(b).key(KEY).build());
        assertThat(d.statusCode()).isEqualTo(204);
        assertTags(b, KEY, Map.of());

        http.req("PUT", b, KEY).query("tagging").body(xml(Map.of("r", "s"))).send();
        OssHttp.Resp raw = http.req("DELETE", b, KEY).query("tagging").send();
        assertThat(raw.status()).as(raw.toString()).isEqualTo(204);
        assertTags(b, KEY, Map.of());
        assertThat(rawBytes(b, KEY)).isEqualTo(bytes("bytes"));
    }

    @Test
    void statusCodesOfPutAndGet() {
        String b = untagged();
        OssHttp.Resp put = http.req("PUT", b, KEY).query("tagging").body(xml(Map.of("a", "b"))).md5().send();
        assertThat(put.status()).as(put.toString()).isEqualTo(200);
        assertThat(v2Put(b, KEY, Map.of("c", "d")).statusCode()).isEqualTo(200);
        var get = v2.getObjectTagging(GetObjectTaggingRequest.newBuilder().bucket(b).key(KEY).build());
        assertThat(get.statusCode()).isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void missingObjectIsNoSuchKey(Sig sig) {
        OSS oss = oss(sig);
        String b = newBucket();
        ossError("NoSuchKey", () -> oss.getObjectTagging(b, "absent"));
        ossError("NoSuchKey", () -> oss.setObjectTagging(b, "absent", Map.of("a", "b")));
        ossError("NoSuchKey", () -> oss.deleteObjectTagging(b, "absent"));
        assertThat(headStatus(b, "absent")).as("PutObjectTagging must not create the object").isEqualTo(404);

        v2Error(404, "NoSuchKey", () -> v2Tags(b, "absent"));
        v2Error(404, "NoSuchKey", () -> v2Put(b, "absent", Map.of("a", "b")));
        v2Error(404, "NoSuchKey",
                () -> v2.deleteObjectTagging(DeleteObjectTaggingRequest.newBuilder().bucket(b).key("absent").build()));

        assertError(http.req("GET", b, "absent").query("tagging").send(), 404, "NoSuchKey");
        assertError(http.req("PUT", b, "absent").query("tagging").body(xml(Map.of("a", "b"))).send(), 404, "NoSuchKey");
        assertError(http.req("DELETE", b, "absent").query("tagging").send(), 404, "NoSuchKey");
        assertThat(headStatus(b, "absent")).isEqualTo(404);
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void missingBucketIsNoSuchBucket(Sig sig) {
        OSS oss = oss(sig);
        String b = "no-such-bucket-" + sig.name().toLowerCase(java.util.Locale.ROOT);
        ossError("NoSuchBucket", () -> oss.getObjectTagging(b, "k"));
        ossError("NoSuchBucket", () -> oss.setObjectTagging(b, "k", Map.of("a", "b")));
        ossError("NoSuchBucket", () -> oss.deleteObjectTagging(b, "k"));

        v2Error(404, "NoSuchBucket", () -> v2Tags(b, "k"));
        v2Error(404, "NoSuchBucket", () -> v2Put(b, "k", Map.of("a", "b")));
        v2Error(404, "NoSuchBucket",
                () -> v2.deleteObjectTagging(DeleteObjectTaggingRequest.newBuilder().bucket(b).key("k").build()));

        assertError(http.req("GET", b, "k").query("tagging").send(), 404, "NoSuchBucket");
        assertError(http.req("PUT", b, "k").query("tagging").body(xml(Map.of("a", "b"))).send(), 404, "NoSuchBucket");
        assertError(http.req("DELETE", b, "k").query("tagging").send(), 404, "NoSuchBucket");
    }

    @Test
    void wrongContentMd5IsInvalidDigestAndChangesNothing() {
        String b = untagged();
        v1.setObjectTagging(b, KEY, Map.of("keep", "me"));
        String body = xml(Map.of("new", "tags"));
        OssHttp.Resp wrong = http.req("PUT", b, KEY).query("tagging").body(body)
                .header("Content-MD5", dev.pail.it.RawHttp.md5Base64(bytes(body + " "))).send();
        assertError(wrong, 400, "InvalidDigest");
        assertTags(b, KEY, Map.of("keep", "me"));

        OssHttp.Resp right = http.req("PUT", b, KEY).query("tagging").body(body).md5().send();
        assertThat(right.status()).as(right.toString()).isEqualTo(200);
        assertTags(b, KEY, Map.of("new", "tags"));
    }

    @Test
    void xmlEscapedCharactersInTheDocumentAreDecoded() {
        String b = untagged();
        // characters the XML form may carry as references: they decode to allowed characters
        OssHttp.Resp r = http.req("PUT", b, KEY).query("tagging")
                .body("<Tagging><TagSet><Tag><Key>&#x4E2D;&#25991;</Key><Value>a&#x2B;b</Value></Tag></TagSet></Tagging>").send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("中文", "a+b");
        assertTags(b, KEY, expected);
    }
}
