package dev.pail.it.tagging;

import dev.pail.it.OssHttp;
import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.model.AppendObjectRequest;
import com.aliyun.oss.model.InitiateMultipartUploadRequest;
import com.aliyun.oss.model.ListMultipartUploadsRequest;
import com.aliyun.oss.model.ObjectMetadata;
import com.aliyun.oss.model.PutObjectRequest;
import com.aliyun.sdk.service.oss2.models.PutObjectTaggingRequest;
import com.aliyun.sdk.service.oss2.models.Tag;
import com.aliyun.sdk.service.oss2.models.Tagging;
import com.aliyun.sdk.service.oss2.transport.BinaryData;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The tag limits of features.md §5, identical for the {@code x-oss-tagging} header and the
 * PutObjectTagging XML: 10 tags, keys of 1–128 and values of 0–256 characters, the character set
 * (no {@code %} or {@code @}), no duplicate keys, no {@code aa=bb=cc}. Every refusal is a 400 that
 * changes nothing: a refused write stores nothing and leaves the previous object, its bytes and
 * its tags as they were.
 */
class TagLimitsTest extends TagBase {

    static String repeat(String s, int n) { return s.repeat(n); }

    static Map<String, String> tags(int n) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) m.put("k" + i, "v" + i);
        return m;
    }

    /** A valid tag set at every limit at once: 10 tags, a 128-character key, a 256-character value. */
    static Map<String, String> atTheLimits() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(repeat("k", 128), "v");
        m.put("long", repeat("v", 256));
        m.put(repeat("键", 128), repeat("值", 256)); // characters, not bytes
        m.put("empty", "");
        m.put("chars", "Aa0 +-=._:/");
        for (int i = 5; i < 10; i++) m.put("k" + i, "v");
        return m;
    }

    /** Invalid tag sets that both forms can express. */
    static Map<String, Map<String, String>> invalidSets() {
        Map<String, Map<String, String>> m = new LinkedHashMap<>();
        m.put("11 tags", tags(11));
        m.put("15 tags", tags(15));
        m.put("key of 129", Map.of(repeat("k", 129), "v"));
        m.put("key of 129 non-ASCII", Map.of(repeat("键", 129), "v"));
        m.put("value of 257", Map.of("k", repeat("v", 257)));
        m.put("empty key", Map.of("", "v"));
        m.put("% in key", Map.of("a%b", "v"));
        m.put("% in value", Map.of("k", "50%"));
        m.put("@ in key", Map.of("a@b", "v"));
        m.put("@ in value", Map.of("k", "me@example.com"));
        return m;
    }

    /** Invalid {@code x-oss-tagging} header values. */
    static Map<String, String> invalidHeaders() {
        Map<String, String> m = new LinkedHashMap<>();
        invalidSets().forEach((name, set) -> m.put(name, header(set)));
        m.put("duplicate key", "a=b&a=b");
        m.put("duplicate key, other value", "a=b&a=c");
        m.put("aa=bb=cc", "aa=bb=cc");
        m.put("unencoded @", "a@b=c");
        m.put("empty key before =", "=v");
        return m;
    }

    /** Invalid PutObjectTagging documents. */
    static Map<String, String> invalidDocuments() {
        Map<String, String> m = new LinkedHashMap<>();
        invalidSets().forEach((name, set) -> m.put(name, xml(set)));
        m.put("duplicate key", "<Tagging><TagSet><Tag><Key>a</Key><Value>b</Value></Tag><Tag><Key>a</Key><Value>b</Value></Tag></TagSet></Tagging>");
        m.put("duplicate key, other value",
                "<Tagging><TagSet><Tag><Key>a</Key><Value>b</Value></Tag><Tag><Key>a</Key><Value>c</Value></Tag></TagSet></Tagging>");
        m.put("empty key element", "<Tagging><TagSet><Tag><Key/><Value>v</Value></Tag></TagSet></Tagging>");
        return m;
    }

    // ---- accepted at the limits -------------------------------------------------------------

    @Test
    void theLimitsThemselvesAreAcceptedInBothForms() {
        String b = newBucket();
        Map<String, String> limits = atTheLimits();
        OssHttp.Resp put = http.req("PUT", b, "header").header("x-oss-tagging", header(limits)).body("h").send();
        assertThat(put.status()).as(put.toString()).isEqualTo(200);
        assertTags(b, "header", limits);

        http.req("PUT", b, "xml").body("x").send();
        OssHttp.Resp tag = http.req("PUT", b, "xml").query("tagging").body(xml(limits)).send();
        assertThat(tag.status()).as(tag.toString()).isEqualTo(200);
        assertTags(b, "xml", limits);

        // through the SDKs too
        v1.setObjectTagging(b, "xml", tags(10));
        assertTags(b, "xml", tags(10));
        ObjectMetadata m = new ObjectMetadata();
        m.setObjectTagging(tags(10));
        v4.putObject(new PutObjectRequest(b, "j1", in(bytes("j")), m));
        assertTags(b, "j1", tags(10));
    }

    @Test
    void anEqualsSignIsAValueCharacterOnlyWhenEncodedInTheHeader() {
        String b = newBucket();
        OssHttp.Resp put = http.req("PUT", b, "eq").header("x-oss-tagging", "aa=bb%3Dcc").body("e").send();
        assertThat(put.status()).as(put.toString()).isEqualTo(200);
        assertTags(b, "eq", Map.of("aa", "bb=cc"));
        OssHttp.Resp tag = http.req("PUT", b, "eq").query("tagging").body(xml(Map.of("aa", "bb=cc", "x=y", "=="))).send();
        assertThat(tag.status()).as(tag.toString()).isEqualTo(200);
        assertTags(b, "eq", Map.of("aa", "bb=cc", "x=y", "=="));
    }

    @Test
    void lengthsCountCharactersEvenOutsideTheBasicPlane() {
        String b = newBucket();
        String letter = "\uD840\uDC00"; // U+20000, a CJK letter: one character, two UTF-16 units, four UTF-8 bytes
        assertThat(Character.isLetter(letter.codePointAt(0))).isTrue();
        Map<String, String> limits = new LinkedHashMap<>();
        limits.put(letter.repeat(128), letter.repeat(256));
        OssHttp.Resp put = http.req("PUT", b, "wide").header("x-oss-tagging", header(limits)).body("w").send();
        assertThat(put.status()).as(put.toString()).isEqualTo(200);
        assertTags(b, "wide", limits);
        OssHttp.Resp xmlPut = http.req("PUT", b, "wide").query("tagging").body(xml(Map.of(letter.repeat(64), letter.repeat(200)))).send();
        assertThat(xmlPut.status()).as(xmlPut.toString()).isEqualTo(200);
        assertTags(b, "wide", Map.of(letter.repeat(64), letter.repeat(200)));

        assertError(http.req("PUT", b, "wide").query("tagging").body(xml(Map.of(letter.repeat(129), "v"))).send(), 400, "InvalidTag");
        assertError(http.req("PUT", b, "wide").query("tagging").body(xml(Map.of("k", letter.repeat(257)))).send(), 400, "InvalidTag");
        assertTags(b, "wide", Map.of(letter.repeat(64), letter.repeat(200)));
    }

    @Test
    void spacesAreKeptExactlyInBothForms() {
        String b = newBucket();
        Map<String, String> spaced = new LinkedHashMap<>();
        spaced.put(" lead", "trail ");
        spaced.put("in  side", "  ");
        spaced.put("single", " ");
        OssHttp.Resp put = http.req("PUT", b, "s").header("x-oss-tagging", header(spaced)).body("s").send();
        assertThat(put.status()).as(put.toString()).isEqualTo(200);
        assertTags(b, "s", spaced);
        v1.deleteObjectTagging(b, "s");
        v1.setObjectTagging(b, "s", spaced); // J1 writes the XML by plain concatenation
        assertTags(b, "s", spaced);
        OssHttp.Resp x = http.req("PUT", b, "s").query("tagging").body(xml(Map.of(" ", "x"))).send();
        assertThat(x.status()).as(x.toString()).isEqualTo(200);
        assertTags(b, "s", Map.of(" ", "x"));
    }

    @Test
    void aLiteralPlusInTheHeaderIsAPlusNotASpace() {
        String b = newBucket();
        OssHttp.Resp put = http.req("PUT", b, "p").header("x-oss-tagging", "k+1=v+1&%E4%B8%AD=%e6%96%87").body("p").send();
        assertThat(put.status()).as(put.toString()).isEqualTo(200);
        assertTags(b, "p", Map.of("k+1", "v+1", "中", "文"));
    }

    // ---- header form: refused, nothing stored or changed ------------------------------------

    @Test
    void invalidHeaderTaggingRefusesPutObjectAndStoresNothing() {
        String b = newBucket();
        http.req("PUT", b, "existing").header("x-oss-tagging", "keep=me").body("old bytes").send();
        for (Map.Entry<String, String> c : invalidHeaders().entrySet()) {
            OssHttp.Resp fresh = http.req("PUT", b, "fresh").header("x-oss-tagging", c.getValue()).body("new").send();
            assertThat(fresh.status()).as("%s: %s", c.getKey(), fresh).isEqualTo(400);
            assertThat(fresh.code()).as(c.getKey()).isEqualTo("InvalidTag");
            assertThat(headStatus(b, "fresh")).as("%s: a refused PutObject stores nothing", c.getKey()).isEqualTo(404);

            OssHttp.Resp over = http.req("PUT", b, "existing").header("x-oss-tagging", c.getValue()).body("new bytes").send();
            assertThat(over.status()).as("%s: %s", c.getKey(), over).isEqualTo(400);
            assertThat(over.code()).as(c.getKey()).isEqualTo("InvalidTag");
            assertThat(rawBytes(b, "existing")).as(c.getKey()).isEqualTo(bytes("old bytes"));
            assertThat(rawTags(b, "existing")).as(c.getKey()).isEqualTo(Map.of("keep", "me"));
        }
    }

    @Test
    void invalidHeaderTaggingRefusesEveryOtherWriteToo() {
        String b = newBucket();
        http.req("PUT", b, "src").header("x-oss-tagging", "src=1").body("source").send();
        http.req("PUT", b, "dst").header("x-oss-tagging", "dst=1").body("destination").send();
        http.req("PUT", b, "link").query("symlink").header("x-oss-symlink-target", "src").header("x-oss-tagging", "link=1").send();
        for (Map.Entry<String, String> c : invalidHeaders().entrySet()) {
            String bad = c.getValue();
            String what = c.getKey();
            // PutSymlink: new and over an existing link
            assertThat(http.req("PUT", b, "newlink").query("symlink").header("x-oss-symlink-target", "src")
                    .header("x-oss-tagging", bad).send().status()).as(what).isEqualTo(400);
            assertThat(headStatus(b, "newlink")).as(what).isEqualTo(404);
            assertThat(http.req("PUT", b, "link").query("symlink").header("x-oss-symlink-target", "dst")
                    .header("x-oss-tagging", bad).send().status()).as(what).isEqualTo(400);
            assertThat(rawBytes(b, "link")).as(what).isEqualTo(bytes("source"));
            assertThat(rawTags(b, "link")).as(what).isEqualTo(Map.of("link", "1"));

            // CopyObject with REPLACE, onto a new key and onto an existing one
            assertThat(http.req("PUT", b, "copy").header("x-oss-copy-source", "/" + b + "/src")
                    .header("x-oss-tagging-directive", "REPLACE").header("x-oss-tagging", bad).send().status()).as(what).isEqualTo(400);
            assertThat(headStatus(b, "copy")).as(what).isEqualTo(404);
            assertThat(http.req("PUT", b, "dst").header("x-oss-copy-source", "/" + b + "/src")
                    .header("x-oss-tagging-directive", "REPLACE").header("x-oss-tagging", bad).send().status()).as(what).isEqualTo(400);
            assertThat(rawBytes(b, "dst")).as(what).isEqualTo(bytes("destination"));
            assertThat(rawTags(b, "dst")).as(what).isEqualTo(Map.of("dst", "1"));

            // InitiateMultipartUpload: no upload is created
            assertThat(http.req("POST", b, "mp").query("uploads").header("x-oss-tagging", bad).send().status()).as(what).isEqualTo(400);

            // the creating AppendObject
            assertThat(http.req("POST", b, "app").query("append").query("position", "0")
                    .header("x-oss-tagging", bad).body("a").send().status()).as(what).isEqualTo(400);
            assertThat(headStatus(b, "app")).as(what).isEqualTo(404);
        }
        assertThat(v1.listMultipartUploads(new ListMultipartUploadsRequest(b)).getMultipartUploads()).isEmpty();
        assertTags(b, "src", Map.of("src", "1"));
    }

    @Test
    void invalidTagsThroughTheSdksAreRefusedOnTheServer() {
        String b = newBucket();
        ObjectMetadata eleven = new ObjectMetadata();
        eleven.setObjectTagging(tags(11));
        ossError("InvalidTag", () -> v1.putObject(new PutObjectRequest(b, "j1", in(bytes("x")), eleven)));
        assertThat(headStatus(b, "j1")).isEqualTo(404);
        ossError("InvalidTag", () -> v4.initiateMultipartUpload(new InitiateMultipartUploadRequest(b, "j1mp", eleven)));
        AppendObjectRequest a = new AppendObjectRequest(b, "j1app", in(bytes("x")), eleven);
        a.setPosition(0L);
        ossError("InvalidTag", () -> v1.appendObject(a));
        assertThat(headStatus(b, "j1app")).isEqualTo(404);

        v2Error(400, "InvalidTag", () -> v2.putObject(com.aliyun.sdk.service.oss2.models.PutObjectRequest.newBuilder()
                .bucket(b).key("v2").tagging("a=me%40example.com").body(BinaryData.fromString("x")).build()));
        assertThat(headStatus(b, "v2")).isEqualTo(404);
        v2Error(400, "InvalidTag", () -> v2.putObject(com.aliyun.sdk.service.oss2.models.PutObjectRequest.newBuilder()
                .bucket(b).key("v2").tagging("aa=bb=cc").body(BinaryData.fromString("x")).build()));
        assertThat(headStatus(b, "v2")).isEqualTo(404);

        v1.putObject(b, "tagged", in(bytes("t")));
        v1.setObjectTagging(b, "tagged", Map.of("keep", "me"));
        ossError("InvalidTag", () -> v1.setObjectTagging(b, "tagged", tags(11)));
        ossError("InvalidTag", () -> v4.setObjectTagging(b, "tagged", Map.of(repeat("k", 129), "v")));
        ossError("InvalidTag", () -> v1.setObjectTagging(b, "tagged", Map.of("k", repeat("v", 257))));
        ossError("InvalidTag", () -> v4.setObjectTagging(b, "tagged", Map.of("", "v")));
        v2Error(400, "InvalidTag", () -> v2.putObjectTagging(PutObjectTaggingRequest.newBuilder().bucket(b).key("tagged")
                .tagging(Tagging.newBuilder().tagSet(com.aliyun.sdk.service.oss2.models.TagSet.newBuilder().tags(List.of(
                        Tag.newBuilder().key("a@b").value("v").build())).build()).build()).build()));
        v2Error(400, "InvalidTag", () -> v2.putObjectTagging(PutObjectTaggingRequest.newBuilder().bucket(b).key("tagged")
                .tagging(Tagging.newBuilder().tagSet(com.aliyun.sdk.service.oss2.models.TagSet.newBuilder().tags(List.of(
                        Tag.newBuilder().key("dup").value("1").build(), Tag.newBuilder().key("dup").value("2").build())).build())
                        .build()).build()));
        assertTags(b, "tagged", Map.of("keep", "me"));
    }

    // ---- XML form ---------------------------------------------------------------------------

    @Test
    void invalidDocumentsAreRefusedAndLeaveTheTags() {
        String b = newBucket();
        http.req("PUT", b, "o").header("x-oss-tagging", "keep=me&and=this").body("bytes").send();
        Stamp before = stamp(b, "o");
        for (Map.Entry<String, String> c : invalidDocuments().entrySet()) {
            OssHttp.Resp r = http.req("PUT", b, "o").query("tagging").body(c.getValue()).md5().send();
            assertThat(r.status()).as("%s: %s", c.getKey(), r).isEqualTo(400);
            assertThat(r.code()).as(c.getKey()).isEqualTo("InvalidTag");
            assertThat(rawTags(b, "o")).as(c.getKey()).isEqualTo(Map.of("keep", "me", "and", "this"));
        }
        assertThat(stamp(b, "o")).isEqualTo(before);
        assertThat(rawBytes(b, "o")).isEqualTo(bytes("bytes"));
    }

    @Test
    void malformedXmlIsMalformedXml() {
        String b = newBucket();
        http.req("PUT", b, "o").header("x-oss-tagging", "keep=me").body("bytes").send();
        List<String> malformed = List.of(
                "<Tagging><TagSet><Tag><Key>a</Key><Value>b</Value></Tag>",
                "this is not xml",
                "<Tagging><TagSet><Tag><Key>a</Value></Tag></TagSet></Tagging>",
                "<Tagging><TagSet><Tag><Key>a&b</Key><Value>v</Value></Tag></TagSet></Tagging>");
        for (String doc : malformed) {
            assertError(http.req("PUT", b, "o").query("tagging").body(doc).send(), 400, "MalformedXML");
            assertThat(rawTags(b, "o")).as(doc).isEqualTo(Map.of("keep", "me"));
        }
        assertThat(rawBytes(b, "o")).isEqualTo(bytes("bytes"));
    }
}
