package dev.pail.it.tagging;

import dev.pail.it.OssHttp;
import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.OSS;
import com.aliyun.oss.model.AppendObjectRequest;
import com.aliyun.oss.model.CannedAccessControlList;
import com.aliyun.oss.model.CompleteMultipartUploadRequest;
import com.aliyun.oss.model.CreateSymlinkRequest;
import com.aliyun.oss.model.GetObjectRequest;
import com.aliyun.oss.model.InitiateMultipartUploadRequest;
import com.aliyun.oss.model.OSSObject;
import com.aliyun.oss.model.ObjectMetadata;
import com.aliyun.oss.model.PartETag;
import com.aliyun.oss.model.PutObjectRequest;
import com.aliyun.oss.model.StorageClass;
import com.aliyun.oss.model.UploadPartRequest;
import com.aliyun.sdk.service.oss2.models.GetObjectResult;
import com.aliyun.sdk.service.oss2.models.HeadObjectRequest;
import com.aliyun.sdk.service.oss2.models.HeadObjectResult;
import dev.pail.checksum.Crc64;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * GET and HEAD on a symlink follow it one level (features.md §6): the target's bytes, length,
 * ETag, Content-MD5 and CRC with the link's type, Content-Type, metadata and storage class;
 * ranges and conditions apply to the target's content; a missing target is 404
 * SymlinkTargetNotExist and a link to a link 400 InvalidTargetType. Tagging calls act on the link
 * itself, and an anonymous read needs both the link and its target to be readable.
 */
class SymlinkFollowTest extends TagBase {
    private static final String TARGET = "data/target.bin";
    private static final byte[] DATA = random(5000, 42);

    private String bucketWithLink() {
        String b = newBucket();
        ObjectMetadata tm = new ObjectMetadata();
        tm.setContentType("application/x-target");
        tm.addUserMetadata("who", "target");
        tm.setObjectTagging(Map.of("t", "1"));
        v1.putObject(new PutObjectRequest(b, TARGET, in(DATA), tm));
        CreateSymlinkRequest link = new CreateSymlinkRequest(b, "link", TARGET);
        ObjectMetadata lm = new ObjectMetadata();
        lm.setContentType("text/x-link");
        lm.addUserMetadata("who", "link");
        lm.setHeader("x-oss-storage-class", StorageClass.IA.toString());
        link.setMetadata(lm);
        v1.createSymlink(link);
        return b;
    }

    private static String md5B64(byte[] b) { return dev.pail.it.RawHttp.md5Base64(b); }

    @Test
    void getAndHeadServeTheTargetsContentWithTheLinksAttributes() {
        String b = bucketWithLink();
        OssHttp.Resp target = http.req("HEAD", b, TARGET).send();
        for (String method : List.of("GET", "HEAD")) {
            OssHttp.Resp r = http.req(method, b, "link").send();
            assertThat(r.status()).as(method + " " + r).isEqualTo(200);
            if (method.equals("GET")) assertThat(r.body()).isEqualTo(DATA);
            assertThat(r.header("Content-Length")).as(method).isEqualTo(Integer.toString(DATA.length));
            assertThat(r.header("ETag")).as(method).isEqualTo(target.header("ETag"));
            assertThat(r.header("x-oss-hash-crc64ecma")).as(method).isEqualTo(Long.toUnsignedString(Crc64.of(DATA)));
            assertThat(r.header("Content-MD5")).as(method).isEqualTo(md5B64(DATA));
            assertThat(r.header("Content-Type")).as(method).isEqualTo("text/x-link");
            assertThat(r.header("x-oss-meta-who")).as(method).isEqualTo("link");
            assertThat(r.header("x-oss-storage-class")).as(method).isEqualTo("IA");
            assertThat(r.header("x-oss-object-type")).as(method).isEqualTo("Symlink");
        }
        // GetObjectMeta follows too
        OssHttp.Resp meta = http.req("HEAD", b, "link").query("objectMeta").send();
        assertThat(meta.status()).isEqualTo(200);
        assertThat(meta.header("ETag")).isEqualTo(target.header("ETag"));
        assertThat(meta.header("Content-Length")).isEqualTo(Integer.toString(DATA.length));
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void sdkDownloadsThroughALinkPassTheirCrcChecks(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = bucketWithLink();
        OSSObject o = oss.getObject(b, "link");
        ObjectMetadata m = o.getObjectMetadata();
        assertThat(read(o)).isEqualTo(DATA); // J1 compares the CRC of a full download
        assertThat(m.getObjectType()).isEqualTo("Symlink");
        assertThat(m.getContentType()).isEqualTo("text/x-link");
        assertThat(m.getUserMetadata()).containsExactly(Map.entry("who", "link"));
        assertThat(m.getServerCRC()).isEqualTo(Crc64.of(DATA));

        try (GetObjectResult r = v2.getObject(com.aliyun.sdk.service.oss2.models.GetObjectRequest.newBuilder().bucket(b).key("link").build())) {
            assertThat(r.body().readAllBytes()).isEqualTo(DATA);
            assertThat(r.objectType()).isEqualTo("Symlink");
            assertThat(r.contentLength()).isEqualTo((long) DATA.length);
            assertThat(r.hashCrc64ecma()).isEqualTo(Long.toUnsignedString(Crc64.of(DATA)));
        }
        HeadObjectResult h = v2.headObject(HeadObjectRequest.newBuilder().bucket(b).key("link").build());
        assertThat(h.contentLength()).isEqualTo((long) DATA.length);
        assertThat(h.metadata()).containsEntry("who", "link");
        assertThat(h.storageClass()).isEqualTo("IA");
    }

    @Test
    void multipartAndAppendableTargets() throws Exception {
        String b = newBucket();
        byte[] p1 = random(100 * 1024, 1);
        byte[] p2 = random(333, 2);
        String id = v1.initiateMultipartUpload(new InitiateMultipartUploadRequest(b, "mp")).getUploadId();
        List<PartETag> parts = new ArrayList<>();
        parts.add(v1.uploadPart(new UploadPartRequest(b, "mp", id, 1, in(p1), p1.length)).getPartETag());
        parts.add(v1.uploadPart(new UploadPartRequest(b, "mp", id, 2, in(p2), p2.length)).getPartETag());
        v1.completeMultipartUpload(new CompleteMultipartUploadRequest(b, "mp", id, parts));
        AppendObjectRequest a = new AppendObjectRequest(b, "app", in(bytes("appended")));
        a.setPosition(0L);
        v1.appendObject(a);
        v1.createSymlink(b, "to-mp", "mp");
        v1.createSymlink(b, "to-app", "app");

        byte[] all = new byte[p1.length + p2.length];
        System.arraycopy(p1, 0, all, 0, p1.length);
        System.arraycopy(p2, 0, all, p1.length, p2.length);
        assertThat(read(v4.getObject(b, "to-mp"))).isEqualTo(all);
        assertThat(http.req("HEAD", b, "to-mp").send().header("ETag")).isEqualTo(http.req("HEAD", b, "mp").send().header("ETag"))
                .endsWith("-2\"");
        assertThat(read(v4.getObject(b, "to-app"))).isEqualTo(bytes("appended"));
        OssHttp.Resp app = http.req("HEAD", b, "to-app").send();
        assertThat(app.header("x-oss-object-type")).isEqualTo("Symlink");

        // the link follows the target's current version
        AppendObjectRequest more = new AppendObjectRequest(b, "app", in(bytes("+more")));
        more.setPosition(8L);
        v1.appendObject(more);
        assertThat(read(v1.getObject(b, "to-app"))).isEqualTo(bytes("appended+more"));
    }

    // ---- ranges and conditions --------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Sig.class)
    void rangesApplyToTheTargetsContent(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = bucketWithLink();
        GetObjectRequest g = new GetObjectRequest(b, "link");
        g.setRange(100, 199);
        OSSObject o = oss.getObject(g);
        assertThat(read(o)).isEqualTo(Arrays.copyOfRange(DATA, 100, 200));

        OssHttp.Resp r = http.req("GET", b, "link").header("Range", "bytes=10-19").send();
        assertThat(r.status()).isEqualTo(206);
        assertThat(r.header("Content-Range")).isEqualTo("bytes 10-19/" + DATA.length);
        assertThat(r.body()).isEqualTo(Arrays.copyOfRange(DATA, 10, 20));
        OssHttp.Resp tail = http.req("GET", b, "link").header("Range", "bytes=-5").send();
        assertThat(tail.status()).isEqualTo(206);
        assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(DATA, DATA.length - 5, DATA.length));

        try (GetObjectResult v = v2.getObject(com.aliyun.sdk.service.oss2.models.GetObjectRequest.newBuilder().bucket(b).key("link")
                .range("bytes=4990-").build())) {
            assertThat(v.body().readAllBytes()).isEqualTo(Arrays.copyOfRange(DATA, 4990, 5000));
            assertThat(v.contentRange()).isEqualTo("bytes 4990-4999/" + DATA.length);
        }
    }

    @Test
    void conditionsApplyToTheTarget() {
        String b = bucketWithLink();
        String targetEtag = http.req("HEAD", b, TARGET).send().header("ETag");
        String linkEtag = http.req("GET", b, "link").query("symlink").send().header("ETag");
        assertThat(linkEtag).isNotEqualTo(targetEtag);

        assertThat(http.req("GET", b, "link").header("If-Match", targetEtag).send().status()).isEqualTo(200);
        assertError(http.req("GET", b, "link").header("If-Match", linkEtag).send(), 412, "PreconditionFailed");
        assertThat(http.req("GET", b, "link").header("If-None-Match", targetEtag).send().status()).isEqualTo(304);
        assertThat(http.req("GET", b, "link").header("If-None-Match", linkEtag).send().status()).isEqualTo(200);
        assertThat(http.req("HEAD", b, "link").header("If-None-Match", targetEtag).send().status()).isEqualTo(304);

        String lastModified = http.req("HEAD", b, "link").send().header("Last-Modified");
        assertThat(http.req("GET", b, "link").header("If-Modified-Since", lastModified).send().status()).isEqualTo(304);
        String earlier = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                ZonedDateTime.parse(lastModified, DateTimeFormatter.RFC_1123_DATE_TIME).minusHours(1));
        assertThat(http.req("GET", b, "link").header("If-Modified-Since", earlier).send().status()).isEqualTo(200);
        assertError(http.req("GET", b, "link").header("If-Unmodified-Since", earlier).send(), 412, "PreconditionFailed");

        OssHttp.Resp both = http.req("GET", b, "link").header("If-Match", targetEtag).header("Range", "bytes=0-0").send();
        assertThat(both.status()).isEqualTo(206);
        assertThat(both.body()).isEqualTo(new byte[] {DATA[0]});
    }

    @Test
    void lastModifiedIsTheLaterOfLinkAndTarget() {
        String b = newBucket();
        http.req("PUT", b, "t").body("one").send();
        sleepPastSecond();
        http.req("PUT", b, "l").query("symlink").header("x-oss-symlink-target", "t").send();
        String linkModified = http.req("GET", b, "l").query("symlink").send().header("Last-Modified");
        assertThat(http.req("HEAD", b, "l").send().header("Last-Modified")).isEqualTo(linkModified)
                .isNotEqualTo(http.req("HEAD", b, "t").send().header("Last-Modified"));
        sleepPastSecond();
        http.req("PUT", b, "t").body("two").send();
        String targetModified = http.req("HEAD", b, "t").send().header("Last-Modified");
        assertThat(targetModified).isNotEqualTo(linkModified);
        assertThat(http.req("HEAD", b, "l").send().header("Last-Modified")).isEqualTo(targetModified);
        assertThat(http.req("GET", b, "l").query("symlink").send().header("Last-Modified")).isEqualTo(linkModified);
        assertThat(rawBytes(b, "l")).isEqualTo(bytes("two"));
    }

    // ---- broken and chained links -----------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Sig.class)
    void missingTargetAndLinkToALink(Sig sig) {
        OSS oss = oss(sig);
        String b = bucketWithLink();
        oss.createSymlink(b, "dangling", "no/such/target");
        assertError(http.req("GET", b, "dangling").send(), 404, "SymlinkTargetNotExist");
        assertError(http.req("HEAD", b, "dangling").send(), 404, "SymlinkTargetNotExist");
        ossError("SymlinkTargetNotExist", () -> oss.getObject(b, "dangling"));
        v2Error(404, "SymlinkTargetNotExist",
                () -> v2.getObject(com.aliyun.sdk.service.oss2.models.GetObjectRequest.newBuilder().bucket(b).key("dangling").build()));
        assertError(http.req("GET", b, "absent-link").send(), 404, "NoSuchKey");

        oss.createSymlink(b, "chain", "link");
        assertError(http.req("GET", b, "chain").send(), 400, "InvalidTargetType");
        assertError(http.req("HEAD", b, "chain").send(), 400, "InvalidTargetType");
        ossError("InvalidTargetType", () -> oss.getObject(b, "chain"));
        v2Error(400, "InvalidTargetType",
                () -> v2.getObject(com.aliyun.sdk.service.oss2.models.GetObjectRequest.newBuilder().bucket(b).key("chain").build()));
        oss.createSymlink(b, "self", "self");
        assertError(http.req("GET", b, "self").send(), 400, "InvalidTargetType");
        // the first link still works, and GetSymlink of the broken ones answers
        assertThat(rawBytes(b, "link")).isEqualTo(DATA);
        assertThat(oss.getSymlink(b, "chain").getTarget()).isEqualTo("link");
        assertThat(oss.getSymlink(b, "dangling").getTarget()).isEqualTo("no/such/target");

        // creating the missing target repairs the dangling link
        http.req("PUT", b, "no/such/target").body("late").send();
        assertThat(rawBytes(b, "dangling")).isEqualTo(bytes("late"));
    }

    // ---- tagging acts on the link -----------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Sig.class)
    void taggingCallsActOnTheLinkNotTheTarget(Sig sig) {
        OSS oss = oss(sig);
        String b = bucketWithLink();
        assertTags(b, "link", Map.of());
        oss.setObjectTagging(b, "link", SEED_TAGS);
        assertTags(b, "link", SEED_TAGS);
        assertTags(b, TARGET, Map.of("t", "1"));
        assertThat(http.req("HEAD", b, "link").send().header("x-oss-tagging-count")).isEqualTo("4");
        assertThat(http.req("HEAD", b, TARGET).send().header("x-oss-tagging-count")).isEqualTo("1");
        oss.setObjectTagging(b, TARGET, Map.of("t", "2"));
        assertTags(b, "link", SEED_TAGS);
        oss.deleteObjectTagging(b, "link");
        assertTags(b, "link", Map.of());
        assertTags(b, TARGET, Map.of("t", "2"));

        // a dangling link has tags of its own too
        oss.createSymlink(b, "dangling", "nowhere");
        oss.setObjectTagging(b, "dangling", Map.of("d", "1"));
        assertTags(b, "dangling", Map.of("d", "1"));
        assertThat(headStatus(b, "nowhere")).isEqualTo(404);
        oss.deleteObjectTagging(b, "dangling");
        assertTags(b, "dangling", Map.of());
    }

    // ---- anonymous reads need both link and target ------------------------------------------

    @Test
    void anonymousReadNeedsBothLinkAndTargetReadable() {
        String b = newBucket(); // private bucket
        http.req("PUT", b, "t").body("secret").send();
        http.req("PUT", b, "l").query("symlink").header("x-oss-symlink-target", "t").send();
        record Case(String link, String target, int status) {}
        List<Case> cases = List.of(
                new Case("default", "default", 403),
                new Case("public-read", "default", 403),
                new Case("default", "public-read", 403),
                new Case("public-read", "private", 403),
                new Case("private", "public-read", 403),
                new Case("public-read", "public-read", 200),
                new Case("public-read-write", "public-read", 200));
        for (Case c : cases) {
            v1.setObjectAcl(b, "l", CannedAccessControlList.parse(c.link()));
            v1.setObjectAcl(b, "t", CannedAccessControlList.parse(c.target()));
            OssHttp.Resp get = http.req("GET", b, "l").anonymous().send();
            assertThat(get.status()).as("%s: %s", c, get).isEqualTo(c.status());
            if (c.status() == 200) assertThat(get.body()).isEqualTo(bytes("secret"));
            else assertThat(get.code()).as(c.toString()).isEqualTo("AccessDenied");
            assertThat(http.req("HEAD", b, "l").anonymous().send().status()).as(c.toString()).isEqualTo(c.status());
        }
        // GetSymlink reads only the link: it needs read access to the link alone (GetSymlink API reference)
        v1.setObjectAcl(b, "t", CannedAccessControlList.Private);
        v1.setObjectAcl(b, "l", CannedAccessControlList.PublicRead);
        OssHttp.Resp gs = http.req("GET", b, "l").query("symlink").anonymous().send();
        assertThat(gs.status()).as(gs.toString()).isEqualTo(200);
        assertThat(gs.header("x-oss-symlink-target")).isEqualTo("t");
        v1.setObjectAcl(b, "l", CannedAccessControlList.Private);
        assertError(http.req("GET", b, "l").query("symlink").anonymous().send(), 403, "AccessDenied");
        v1.setObjectAcl(b, "l", CannedAccessControlList.Default);
        assertError(http.req("GET", b, "l").query("symlink").anonymous().send(), 403, "AccessDenied");

        // with a public-read bucket the object ACLs still decide: a private target refuses
        v1.setBucketAcl(b, CannedAccessControlList.PublicRead);
        v1.setObjectAcl(b, "l", CannedAccessControlList.Default);
        v1.setObjectAcl(b, "t", CannedAccessControlList.Default);
        assertThat(http.req("GET", b, "l").anonymous().send().status()).isEqualTo(200);
        v1.setObjectAcl(b, "t", CannedAccessControlList.Private);
        assertThat(http.req("GET", b, "l").anonymous().send().status()).isEqualTo(403);
        assertThat(http.req("GET", b, "t").anonymous().send().status()).isEqualTo(403);
        assertThat(http.req("GET", b, "l").query("symlink").anonymous().send().status())
                .as("GetSymlink of a readable link whose target is private").isEqualTo(200);
        v1.setObjectAcl(b, "t", CannedAccessControlList.Default);
        v1.setObjectAcl(b, "l", CannedAccessControlList.Private);
        assertThat(http.req("GET", b, "l").anonymous().send().status()).isEqualTo(403);
        assertThat(http.req("GET", b, "l").query("symlink").anonymous().send().status()).isEqualTo(403);
        assertThat(http.req("GET", b, "t").anonymous().send().status()).isEqualTo(200);
    }
}
