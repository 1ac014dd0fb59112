package dev.pail.it.tagging;

import dev.pail.it.OssHttp;
import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.OSS;
import com.aliyun.oss.model.CannedAccessControlList;
import com.aliyun.oss.model.CreateSymlinkRequest;
import com.aliyun.oss.model.ObjectMetadata;
import com.aliyun.oss.model.ObjectPermission;
import com.aliyun.oss.model.OSSSymlink;
import com.aliyun.oss.model.PutObjectRequest;
import com.aliyun.oss.model.StorageClass;
import com.aliyun.sdk.service.oss2.models.GetSymlinkRequest;
import com.aliyun.sdk.service.oss2.models.GetSymlinkResult;
import com.aliyun.sdk.service.oss2.models.HeadObjectRequest;
import com.aliyun.sdk.service.oss2.models.HeadObjectResult;
import com.aliyun.sdk.service.oss2.models.PutSymlinkRequest;
import dev.pail.route.Addressing;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * PutSymlink and GetSymlink (features.md §6): the link's own metadata, ACL, storage class, tags
 * and Content-Type; forbid-overwrite; targets that need encoding (J1 encodes, V2 sends the header
 * as given); the GetSymlink headers and errors; a PutObject over a link and a DeleteObject of it.
 */
class SymlinkCreateTest extends TagBase {
    private static final String TARGET = "dir/target.txt";
    private static final byte[] TARGET_BYTES = bytes("target bytes");

    private String bucketWithTarget() {
        String b = newBucket();
        ObjectMetadata m = new ObjectMetadata();
        m.setContentType("text/x-target");
        m.addUserMetadata("target-meta", "t");
        m.setObjectTagging(Map.of("on", "target"));
        v1.putObject(new PutObjectRequest(b, TARGET, in(TARGET_BYTES), m));
        return b;
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void putSymlinkStoresTheLinksOwnAttributes(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = bucketWithTarget();
        CreateSymlinkRequest req = new CreateSymlinkRequest(b, "link", TARGET);
        ObjectMetadata m = new ObjectMetadata();
        m.addUserMetadata("own", "meta");
        m.setContentType("application/x-link");
        m.setObjectAcl(CannedAccessControlList.PublicRead);
        m.setHeader("x-oss-storage-class", StorageClass.IA.toString());
        m.setObjectTagging(SEED_TAGS);
        req.setMetadata(m);
        oss.createSymlink(req);

        ObjectMetadata head = oss.getObjectMetadata(b, "link");
        assertThat(head.getObjectType()).isEqualTo("Symlink");
        assertThat(head.getUserMetadata()).containsExactly(Map.entry("own", "meta"));
        assertThat(head.getContentType()).isEqualTo("application/x-link");
        assertThat(head.getObjectStorageClass()).isEqualTo(StorageClass.IA);
        assertThat(head.getContentLength()).isEqualTo(TARGET_BYTES.length);
        assertThat(oss.getObjectAcl(b, "link").getPermission()).isEqualTo(ObjectPermission.PublicRead);
        assertThat(oss.getObjectAcl(b, TARGET).getPermission()).isEqualTo(ObjectPermission.Default);
        assertTags(b, "link", SEED_TAGS);
        assertTags(b, TARGET, Map.of("on", "target"));

        OSSSymlink s = oss.getSymlink(b, "link");
        assertThat(s.getTarget()).isEqualTo(TARGET);
        assertThat(s.getSymlink()).isEqualTo("link");

        // the target keeps its own attributes
        ObjectMetadata t = oss.getObjectMetadata(b, TARGET);
        assertThat(t.getObjectType()).isEqualTo("Normal");
        assertThat(t.getContentType()).isEqualTo("text/x-target");
        assertThat(t.getUserMetadata()).containsExactly(Map.entry("target-meta", "t"));
    }

    @Test
    void putSymlinkAttributesThroughV2AndDefaults() {
        String b = bucketWithTarget();
        v2.putSymlink(PutSymlinkRequest.newBuilder().bucket(b).key("v2link").symlinkTarget(TARGET).objectAcl("private")
                .storageClass("Archive").header("x-oss-meta-from", "v2").header("x-oss-tagging", "a=1&b=")
                .header("Content-Type", "image/x-v2").build());
        HeadObjectResult h = v2.headObject(HeadObjectRequest.newBuilder().bucket(b).key("v2link").build());
        assertThat(h.objectType()).isEqualTo("Symlink");
        assertThat(h.storageClass()).isEqualTo("Archive");
        assertThat(h.metadata()).containsEntry("from", "v2").doesNotContainKey("target-meta");
        assertThat(h.contentType()).isEqualTo("image/x-v2");
        assertThat(v1.getObjectAcl(b, "v2link").getPermission()).isEqualTo(ObjectPermission.Private);
        assertTags(b, "v2link", Map.of("a", "1", "b", ""));

        // without attributes: no meta, no tags, default ACL, the bucket's storage class
        OssHttp.Resp r = http.req("PUT", b, "plain").query("symlink").header("x-oss-symlink-target", TARGET).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        OssHttp.Resp head = http.req("HEAD", b, "plain").send();
        assertThat(head.header("x-oss-object-type")).isEqualTo("Symlink");
        assertThat(head.header("x-oss-storage-class")).isEqualTo("Standard");
        assertThat(head.headers().keySet()).noneMatch(k -> k.startsWith("x-oss-meta-"));
        assertThat(head.has("x-oss-tagging-count")).isFalse();
        assertThat(v1.getObjectAcl(b, "plain").getPermission()).isEqualTo(ObjectPermission.Default);
        assertTags(b, "plain", Map.of());
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void forbidOverwrite(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = bucketWithTarget();
        oss.putObject(b, "other", in(bytes("other")));
        oss.createSymlink(new CreateSymlinkRequest(b, "link", TARGET));

        for (String existing : List.of("link", "other", TARGET)) {
            CreateSymlinkRequest req = new CreateSymlinkRequest(b, existing, "other");
            ObjectMetadata m = new ObjectMetadata();
            m.setHeader("x-oss-forbid-overwrite", "true");
            m.setObjectTagging(Map.of("not", "stored"));
            req.setMetadata(m);
            ossError("FileAlreadyExists", () -> oss.createSymlink(req));
        }
        assertThat(oss.getSymlink(b, "link").getTarget()).isEqualTo(TARGET);
        assertThat(read(oss.getObject(b, "other"))).isEqualTo(bytes("other"));
        assertThat(read(oss.getObject(b, TARGET))).isEqualTo(TARGET_BYTES);
        assertTags(b, "link", Map.of());

        OssHttp.Resp raw = http.req("PUT", b, "link").query("symlink").header("x-oss-symlink-target", "other")
                .header("x-oss-forbid-overwrite", "true").send();
        assertError(raw, 409, "FileAlreadyExists");
        v2Error(409, "FileAlreadyExists", () -> v2.putSymlink(PutSymlinkRequest.newBuilder().bucket(b).key("other")
                .symlinkTarget(TARGET).forbidOverwrite("true").build()));
        assertThat(read(oss.getObject(b, "other"))).isEqualTo(bytes("other"));

        // forbid-overwrite on a new key, and false on an existing one, both succeed
        CreateSymlinkRequest fresh = new CreateSymlinkRequest(b, "fresh", TARGET);
        ObjectMetadata fm = new ObjectMetadata();
        fm.setHeader("x-oss-forbid-overwrite", "true");
        fresh.setMetadata(fm);
        oss.createSymlink(fresh);
        assertThat(oss.getSymlink(b, "fresh").getTarget()).isEqualTo(TARGET);
        CreateSymlinkRequest over = new CreateSymlinkRequest(b, "link", "other");
        ObjectMetadata om = new ObjectMetadata();
        om.setHeader("x-oss-forbid-overwrite", "false");
        over.setMetadata(om);
        oss.createSymlink(over);
        assertThat(oss.getSymlink(b, "link").getTarget()).isEqualTo("other");
        assertThat(read(oss.getObject(b, "link"))).isEqualTo(bytes("other"));
    }

    // ---- targets that need encoding ---------------------------------------------------------

    static final List<String> ODD_TARGETS = List.of(
            "dir/with space/file name.txt",
            "unicode/文件/ünï.txt",
            "plus/a+b+c",
            "percent/100% done %41",
            "mixed/ a+b %2B 中 ~!*'()&=?#.bin");

    @ParameterizedTest
    @EnumSource(Sig.class)
    void oddTargetsRoundTripThroughJ1(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = newBucket();
        int i = 0;
        for (String target : ODD_TARGETS) {
            byte[] content = bytes("content of " + target);
            oss.putObject(b, target, in(content));
            String link = "links/" + (i++);
            oss.createSymlink(b, link, target);
            assertThat(oss.getSymlink(b, link).getTarget()).as(target).isEqualTo(target);
            assertThat(read(oss.getObject(b, link))).as(target).isEqualTo(content);

            // on the wire: percent-encoded (never a raw '+', which J1's URLDecoder would turn into a space)
            OssHttp.Resp g = http.req("GET", b, link).query("symlink").send();
            String wire = g.header("x-oss-symlink-target");
            assertThat(wire).as(target).doesNotContain("+", " ").matches("[\\x21-\\x7e]+");
            assertThat(Addressing.decodePath(wire)).as(target).isEqualTo(target);
        }
    }

    @Test
    void oddTargetsThroughV2WhichSendsTheHeaderAsGiven() throws Exception {
        String b = newBucket();
        int i = 0;
        for (String target : ODD_TARGETS) {
            byte[] content = bytes("v2 content of " + target);
            http.req("PUT", b, target).body(content).send();
            String link = "v2links/" + (i++);
            // V2 callers pass the encoded target; GetSymlink hands back the (same) encoded form
            String encoded = OssHttp.encode(target, false);
            v2.putSymlink(PutSymlinkRequest.newBuilder().bucket(b).key(link).symlinkTarget(encoded).build());
            GetSymlinkResult r = v2.getSymlink(GetSymlinkRequest.newBuilder().bucket(b).key(link).build());
            assertThat(r.symlinkTarget()).as(target).isEqualTo(encoded);
            assertThat(v1.getSymlink(b, link).getTarget()).as(target).isEqualTo(target);
            assertThat(rawBytes(b, link)).as(target).isEqualTo(content);
        }
        // an unencoded ASCII target with a space and a '+' is taken literally ('+' is not a space)
        http.req("PUT", b, "raw a+b").body("literal").send();
        v2.putSymlink(PutSymlinkRequest.newBuilder().bucket(b).key("v2raw").symlinkTarget("raw a+b").build());
        assertThat(v1.getSymlink(b, "v2raw").getTarget()).isEqualTo("raw a+b");
        assertThat(rawBytes(b, "v2raw")).isEqualTo(bytes("literal"));
    }

    // ---- GetSymlink -------------------------------------------------------------------------

    @Test
    void getSymlinkHeadersAreTheLinksOwn() throws Exception {
        String b = bucketWithTarget();
        OssHttp.Resp targetHead = http.req("HEAD", b, TARGET).send();
        sleepPastSecond();
        OssHttp.Resp put = http.req("PUT", b, "link").query("symlink").header("x-oss-symlink-target", TARGET)
                .header("x-oss-meta-own", "meta").send();
        assertThat(put.status()).as(put.toString()).isEqualTo(200);

        OssHttp.Resp g = http.req("GET", b, "link").query("symlink").send();
        assertThat(g.status()).as(g.toString()).isEqualTo(200);
        assertThat(g.header("x-oss-symlink-target")).isEqualTo(TARGET);
        assertThat(g.header("ETag")).matches("\"[0-9A-F]{32}\"").isNotEqualTo(targetHead.header("ETag"));
        assertThat(g.header("ETag")).isEqualTo(put.header("ETag"));
        assertThat(g.header("x-oss-meta-own")).isEqualTo("meta");
        assertThat(g.has("x-oss-meta-target-meta")).isFalse();
        assertThat(g.body()).isEmpty();
        ZonedDateTime linkModified = ZonedDateTime.parse(g.header("Last-Modified"), DateTimeFormatter.RFC_1123_DATE_TIME);
        ZonedDateTime targetModified = ZonedDateTime.parse(targetHead.header("Last-Modified"), DateTimeFormatter.RFC_1123_DATE_TIME);
        assertThat(linkModified).isAfter(targetModified);

        // the SDKs read the same
        OSSSymlink j1 = v4.getSymlink(b, "link");
        assertThat(j1.getTarget()).isEqualTo(TARGET);
        GetSymlinkResult r = v2.getSymlink(GetSymlinkRequest.newBuilder().bucket(b).key("link").build());
        assertThat(r.symlinkTarget()).isEqualTo(TARGET);
        assertThat(v2Header(r.headers(), "ETag")).isEqualTo(g.header("ETag"));

        // x-oss-symlink-target is there even when the target is gone (it is never checked)
        v1.deleteObject(b, TARGET);
        OssHttp.Resp dangling = http.req("GET", b, "link").query("symlink").send();
        assertThat(dangling.status()).isEqualTo(200);
        assertThat(dangling.header("x-oss-symlink-target")).isEqualTo(TARGET);
        assertThat(dangling.header("ETag")).isEqualTo(g.header("ETag"));
        assertThat(dangling.header("Last-Modified")).isEqualTo(g.header("Last-Modified"));
        assertThat(v1.getSymlink(b, "link").getTarget()).isEqualTo(TARGET);
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void getSymlinkErrors(Sig sig) {
        OSS oss = oss(sig);
        String b = bucketWithTarget();
        // a Normal object is not a symlink: 400
        OssHttp.Resp notLink = http.req("GET", b, TARGET).query("symlink").send();
        assertThat(notLink.status()).as(notLink.toString()).isEqualTo(400);
        assertThat(notLink.code()).isEqualTo("NotSymlink"); // the code ossutil documents for read-symlink
        ossError(notLink.code(), () -> oss.getSymlink(b, TARGET));
        v2Error(400, notLink.code(), () -> v2.getSymlink(GetSymlinkRequest.newBuilder().bucket(b).key(TARGET).build()));

        assertError(http.req("GET", b, "absent").query("symlink").send(), 404, "NoSuchKey");
        ossError("NoSuchKey", () -> oss.getSymlink(b, "absent"));
        v2Error(404, "NoSuchKey", () -> v2.getSymlink(GetSymlinkRequest.newBuilder().bucket(b).key("absent").build()));
        assertError(http.req("GET", "no-such-bucket-sym", "k").query("symlink").send(), 404, "NoSuchBucket");
        ossError("NoSuchBucket", () -> oss.getSymlink("no-such-bucket-sym", "k"));

        // PutSymlink without a target is refused and stores nothing
        OssHttp.Resp noTarget = http.req("PUT", b, "nolink").query("symlink").send();
        assertThat(noTarget.status()).as(noTarget.toString()).isEqualTo(400);
        assertThat(headStatus(b, "nolink")).isEqualTo(404);
        assertError(http.req("PUT", "no-such-bucket-sym", "k").query("symlink").header("x-oss-symlink-target", "t").send(),
                404, "NoSuchBucket");
    }

    // ---- replacing and deleting links -------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Sig.class)
    void putObjectOverALinkMakesANormalObject(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = bucketWithTarget();
        CreateSymlinkRequest req = new CreateSymlinkRequest(b, "link", TARGET);
        ObjectMetadata m = new ObjectMetadata();
        m.setObjectTagging(Map.of("link", "tag"));
        m.addUserMetadata("own", "meta");
        req.setMetadata(m);
        oss.createSymlink(req);

        oss.putObject(b, "link", in(bytes("now normal")));
        ObjectMetadata head = oss.getObjectMetadata(b, "link");
        assertThat(head.getObjectType()).isEqualTo("Normal");
        assertThat(head.getUserMetadata()).isEmpty();
        assertThat(read(oss.getObject(b, "link"))).isEqualTo(bytes("now normal"));
        assertTags(b, "link", Map.of());
        assertThat(http.req("GET", b, "link").query("symlink").send().status()).isEqualTo(400);
        // the former target is untouched
        assertThat(read(oss.getObject(b, TARGET))).isEqualTo(TARGET_BYTES);
        assertTags(b, TARGET, Map.of("on", "target"));

        // and the other way round: PutSymlink over a Normal object makes it a link
        oss.createSymlink(b, "link", TARGET);
        assertThat(oss.getObjectMetadata(b, "link").getObjectType()).isEqualTo("Symlink");
        assertThat(read(oss.getObject(b, "link"))).isEqualTo(TARGET_BYTES);
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void deletingTheLinkLeavesTheTarget(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = bucketWithTarget();
        oss.createSymlink(b, "link", TARGET);
        oss.deleteObject(b, "link");
        ossError("NoSuchKey", () -> oss.getObject(b, "link"));
        ossError("NoSuchKey", () -> oss.getSymlink(b, "link"));
        assertThat(read(oss.getObject(b, TARGET))).isEqualTo(TARGET_BYTES);
        assertTags(b, TARGET, Map.of("on", "target"));
        assertThat(oss.getObjectMetadata(b, TARGET).getObjectType()).isEqualTo("Normal");
    }
}
