package dev.pail.it.tagging;

import dev.pail.it.OssHttp;
import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.OSS;
import com.aliyun.oss.model.AppendObjectRequest;
import com.aliyun.oss.model.CompleteMultipartUploadRequest;
import com.aliyun.oss.model.CopyObjectRequest;
import com.aliyun.oss.model.CreateSymlinkRequest;
import com.aliyun.oss.model.InitiateMultipartUploadRequest;
import com.aliyun.oss.model.ObjectMetadata;
import com.aliyun.oss.model.PartETag;
import com.aliyun.oss.model.PutObjectRequest;
import com.aliyun.oss.model.SetObjectTaggingRequest;
import com.aliyun.oss.model.TagSet;
import com.aliyun.oss.model.UploadFileRequest;
import com.aliyun.oss.model.UploadPartCopyRequest;
import com.aliyun.oss.model.UploadPartRequest;
import com.aliyun.sdk.service.oss2.models.AppendObjectRequest.Builder;
import com.aliyun.sdk.service.oss2.models.CompleteMultipartUpload;
import com.aliyun.sdk.service.oss2.models.Part;
import com.aliyun.sdk.service.oss2.models.PutObjectTaggingRequest;
import com.aliyun.sdk.service.oss2.models.PutSymlinkRequest;
import com.aliyun.sdk.service.oss2.models.Tag;
import com.aliyun.sdk.service.oss2.models.Tagging;
import com.aliyun.sdk.service.oss2.transport.BinaryData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every non-versioning example of seed 002 ("Set object tags", oss2) mirrored with the Java SDKs:
 * the seed's {@code k1=v1&k2=v2&k3=v3&k4+-==+-=._:/} tag set on simple, multipart, append and
 * resumable uploads, on an existing object, on copies (COPY and REPLACE), on a multipart copy and
 * on a symlink. Tags are always read back exactly, through J1, V2 and the raw XML.
 */
class Seed002TaggingExamplesTest extends TagBase {
    private static final int KB = 1024;

    private static ObjectMetadata tagged(Map<String, String> tags) {
        ObjectMetadata m = new ObjectMetadata();
        m.setObjectTagging(tags);
        return m;
    }

    // ---- Add tags during a simple upload -----------------------------------------------------

    @ParameterizedTest
    @EnumSource(Sig.class)
    void simpleUploadJ1(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = newBucket();
        String key = "exampledir/exampleobject.txt";
        oss.putObject(new PutObjectRequest(b, key, in(bytes("content")), tagged(SEED_TAGS)));
        assertTags(b, key, SEED_TAGS);
        assertThat(read(oss.getObject(b, key))).isEqualTo(bytes("content"));

        oss.putObject(new PutObjectRequest(b, "rich", in(bytes("r")), tagged(richTags())));
        assertTags(b, "rich", richTags());
    }

    @Test
    void simpleUploadWithTheOss2HeaderStringRawAndV2() {
        String b = newBucket();
        // exactly the header oss2 sends in the seed
        OssHttp.Resp r = http.req("PUT", b, "exampledir/raw.txt").header("x-oss-tagging", SEED_HEADER_OSS2).body("content").send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertTags(b, "exampledir/raw.txt", SEED_TAGS);

        // V2 passes the tagging string through untouched: the caller encodes like oss2 does
        v2.putObject(com.aliyun.sdk.service.oss2.models.PutObjectRequest.newBuilder().bucket(b).key("exampledir/v2.txt")
                .tagging(SEED_HEADER_OSS2).body(BinaryData.fromString("content")).build());
        assertTags(b, "exampledir/v2.txt", SEED_TAGS);
        v2.putObject(com.aliyun.sdk.service.oss2.models.PutObjectRequest.newBuilder().bucket(b).key("exampledir/v2-rich.txt")
                .tagging(header(richTags())).body(BinaryData.fromString("content")).build());
        assertTags(b, "exampledir/v2-rich.txt", richTags());
    }

    // ---- Add tags during a multipart upload --------------------------------------------------

    @ParameterizedTest
    @EnumSource(Sig.class)
    void multipartUploadJ1(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = newBucket();
        String key = "exampledir/multipart.bin";
        byte[] data = random(250 * KB + 17, 2);
        String id = oss.initiateMultipartUpload(new InitiateMultipartUploadRequest(b, key, tagged(SEED_TAGS))).getUploadId();
        List<PartETag> parts = new ArrayList<>();
        int partSize = 100 * KB;
        for (int off = 0, n = 1; off < data.length; off += partSize, n++) {
            int len = Math.min(partSize, data.length - off);
            UploadPartRequest up = new UploadPartRequest(b, key, id, n, in(java.util.Arrays.copyOfRange(data, off, off + len)), len);
            parts.add(oss.uploadPart(up).getPartETag());
        }
        assertThat(headStatus(b, key)).as("nothing visible before Complete").isEqualTo(404);
        oss.completeMultipartUpload(new CompleteMultipartUploadRequest(b, key, id, parts));
        assertTags(b, key, SEED_TAGS);
        assertThat(read(oss.getObject(b, key))).isEqualTo(data);
    }

    @Test
    void multipartUploadV2TagsReplaceThoseOfTheObjectItOverwritesOnlyAtComplete() throws Exception {
        String b = newBucket();
        String key = "exampledir/v2-multipart.bin";
        v1.putObject(new PutObjectRequest(b, key, in(bytes("old")), tagged(Map.of("old", "tag"))));
        byte[] p1 = random(100 * KB, 3);
        byte[] p2 = random(999, 4);
        String id = v2.initiateMultipartUpload(com.aliyun.sdk.service.oss2.models.InitiateMultipartUploadRequest.newBuilder()
                .bucket(b).key(key).tagging(SEED_HEADER_OSS2).build()).initiateMultipartUpload().uploadId();
        List<Part> parts = new ArrayList<>();
        long n = 1;
        for (byte[] p : List.of(p1, p2)) {
            var r = v2.uploadPart(com.aliyun.sdk.service.oss2.models.UploadPartRequest.newBuilder().bucket(b).key(key).uploadId(id)
                    .partNumber(n).body(BinaryData.fromBytes(p)).build());
            parts.add(Part.newBuilder().partNumber(n++).eTag(r.eTag()).build());
        }
        assertTags(b, key, Map.of("old", "tag")); // the upload's tags wait for Complete
        v2.completeMultipartUpload(com.aliyun.sdk.service.oss2.models.CompleteMultipartUploadRequest.newBuilder().bucket(b).key(key)
                .uploadId(id).completeMultipartUpload(CompleteMultipartUpload.newBuilder().parts(parts).build()).build());
        assertTags(b, key, SEED_TAGS);
        byte[] all = new byte[p1.length + p2.length];
        System.arraycopy(p1, 0, all, 0, p1.length);
        System.arraycopy(p2, 0, all, p1.length, p2.length);
        assertThat(rawBytes(b, key)).isEqualTo(all);
    }

    // ---- Add tags during an append upload ----------------------------------------------------

    @ParameterizedTest
    @EnumSource(Sig.class)
    void appendUploadOnlyTheFirstAppendsTagsCount(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = newBucket();
        String key = "exampledir/append.txt";
        AppendObjectRequest first = new AppendObjectRequest(b, key, in(bytes("<yourContent>")), tagged(SEED_TAGS));
        first.setPosition(0L);
        long next = oss.appendObject(first).getNextPosition();
        assertTags(b, key, SEED_TAGS);

        AppendObjectRequest second = new AppendObjectRequest(b, key, in(bytes("+more")), tagged(Map.of("ignored", "tag")));
        second.setPosition(next);
        oss.appendObject(second);
        assertTags(b, key, SEED_TAGS);
        assertThat(read(oss.getObject(b, key))).isEqualTo(bytes("<yourContent>+more"));
    }

    @Test
    void appendUploadV2() throws Exception {
        String b = newBucket();
        String key = "exampledir/v2-append.txt";
        Builder first = com.aliyun.sdk.service.oss2.models.AppendObjectRequest.newBuilder().bucket(b).key(key).position(0L)
                .tagging(SEED_HEADER_OSS2).body(BinaryData.fromString("abc"));
        long next = v2.appendObject(first.build()).nextAppendPosition();
        v2.appendObject(com.aliyun.sdk.service.oss2.models.AppendObjectRequest.newBuilder().bucket(b).key(key).position(next)
                .tagging("other=tags").body(BinaryData.fromString("def")).build());
        assertTags(b, key, SEED_TAGS);
        assertThat(rawBytes(b, key)).isEqualTo(bytes("abcdef"));
    }

    // ---- Add tags during a resumable upload --------------------------------------------------

    @ParameterizedTest
    @EnumSource(Sig.class)
    void resumableUploadFile(Sig sig) throws Throwable {
        OSS oss = oss(sig);
        String b = newBucket();
        String key = "exampledir/resumable.bin";
        byte[] data = random(350 * KB + 3, 5);
        Path dir = Files.createTempDirectory("pail-tag-resumable");
        try {
            Path file = dir.resolve("examplefile.txt");
            Files.write(file, data);
            UploadFileRequest r = new UploadFileRequest(b, key);
            r.setUploadFile(file.toString());
            r.setPartSize(100 * KB);
            r.setTaskNum(3);
            r.setEnableCheckpoint(true);
            r.setCheckpointFile(dir.resolve("examplefile.ucp").toString());
            r.setObjectMetadata(tagged(richTags()));
            oss.uploadFile(r);
            assertTags(b, key, richTags());
            assertThat(read(oss.getObject(b, key))).isEqualTo(data);
            assertThat(oss.getObjectMetadata(b, key).getObjectType()).isEqualTo("Multipart");
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    // ---- Add or change tags for an existing object -------------------------------------------

    @ParameterizedTest
    @EnumSource(Sig.class)
    void addOrChangeTagsOfAnExistingObject(Sig sig) {
        OSS oss = oss(sig);
        String b = newBucket();
        String key = "exampledir/existing.txt";
        oss.putObject(b, key, in(bytes("content")));
        assertTags(b, key, Map.of());

        TagSet rule = new TagSet();
        rule.setTag("key1", "value1");
        rule.setTag("key2", "value2");
        oss.setObjectTagging(new SetObjectTaggingRequest(b, key, rule));
        assertTags(b, key, Map.of("key1", "value1", "key2", "value2"));

        // changing replaces the whole set
        oss.setObjectTagging(new SetObjectTaggingRequest(b, key, SEED_TAGS));
        assertTags(b, key, SEED_TAGS);

        List<Tag> tags = new ArrayList<>();
        richTags().forEach((k, v) -> tags.add(Tag.newBuilder().key(k).value(v).build()));
        v2.putObjectTagging(PutObjectTaggingRequest.newBuilder().bucket(b).key(key)
                .tagging(Tagging.newBuilder().tagSet(com.aliyun.sdk.service.oss2.models.TagSet.newBuilder().tags(tags).build()).build())
                .build());
        assertTags(b, key, richTags());
        assertThat(rawBytes(b, key)).isEqualTo(bytes("content"));
    }

    // ---- Set object tags when you copy an object ---------------------------------------------

    @ParameterizedTest
    @EnumSource(Sig.class)
    void simpleCopyWithCopyAndReplaceDirectives(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = newBucket();
        String src = "srcexampledir/exampleobject.txt";
        oss.putObject(new PutObjectRequest(b, src, in(bytes("source")), tagged(Map.of("src", "tag", "k4+-=", "+-=._:/"))));
        Map<String, String> srcTags = Map.of("src", "tag", "k4+-=", "+-=._:/");

        // headers[OSS_OBJECT_TAGGING_COPY_DIRECTIVE] = 'COPY'
        CopyObjectRequest copy = new CopyObjectRequest(b, src, b, "destexampledir1/exampleobject.txt");
        copy.addHeader("x-oss-tagging-directive", "COPY");
        oss.copyObject(copy);
        assertTags(b, "destexampledir1/exampleobject.txt", srcTags);

        // no directive at all is COPY too
        oss.copyObject(b, src, b, "destexampledir0/exampleobject.txt");
        assertTags(b, "destexampledir0/exampleobject.txt", srcTags);

        // REPLACE with the seed's tagging string (J1 sets the REPLACE directive itself when new metadata has tags)
        CopyObjectRequest replace = new CopyObjectRequest(b, src, b, "destexampledir2/exampleobject.txt");
        replace.setNewObjectMetadata(tagged(SEED_TAGS));
        oss.copyObject(replace);
        assertTags(b, "destexampledir2/exampleobject.txt", SEED_TAGS);
        assertTags(b, src, srcTags);

        // new metadata without tags: the metadata is replaced, the tags are still copied
        CopyObjectRequest metaOnly = new CopyObjectRequest(b, src, b, "destexampledir3/exampleobject.txt");
        ObjectMetadata m = new ObjectMetadata();
        m.addUserMetadata("only", "meta");
        metaOnly.setNewObjectMetadata(m);
        oss.copyObject(metaOnly);
        assertTags(b, "destexampledir3/exampleobject.txt", srcTags);
        assertThat(oss.getObjectMetadata(b, "destexampledir3/exampleobject.txt").getUserMetadata()).containsEntry("only", "meta");
        assertThat(read(oss.getObject(b, "destexampledir3/exampleobject.txt"))).isEqualTo(bytes("source"));
    }

    @Test
    void copyDirectiveSpellingsV2AndRaw() {
        String b = newBucket();
        String src = "src.txt";
        http.req("PUT", b, src).header("x-oss-tagging", "a=1&b=2").body("source").send();
        Map<String, String> srcTags = Map.of("a", "1", "b", "2");

        v2.copyObject(com.aliyun.sdk.service.oss2.models.CopyObjectRequest.newBuilder().bucket(b).key("v2-copy")
                .sourceBucket(b).sourceKey(src).taggingDirective("Copy").tagging("ignored=yes").build());
        assertTags(b, "v2-copy", srcTags);
        v2.copyObject(com.aliyun.sdk.service.oss2.models.CopyObjectRequest.newBuilder().bucket(b).key("v2-replace")
                .sourceBucket(b).sourceKey(src).taggingDirective("Replace").tagging(SEED_HEADER_OSS2).build());
        assertTags(b, "v2-replace", SEED_TAGS);

        for (String directive : List.of("COPY", "Copy", "copy", "cOpY")) {
            OssHttp.Resp r = http.req("PUT", b, "raw-" + directive).header("x-oss-copy-source", "/" + b + "/" + src)
                    .header("x-oss-tagging-directive", directive).header("x-oss-tagging", "x=y").send();
            assertThat(r.status()).as(directive + " " + r).isEqualTo(200);
            assertTags(b, "raw-" + directive, srcTags);
        }
        for (String directive : List.of("REPLACE", "Replace", "replace", "rEpLaCe")) {
            OssHttp.Resp r = http.req("PUT", b, "raw-" + directive).header("x-oss-copy-source", "/" + b + "/" + src)
                    .header("x-oss-tagging-directive", directive).header("x-oss-tagging", SEED_HEADER_OSS2).send();
            assertThat(r.status()).as(directive + " " + r).isEqualTo(200);
            assertTags(b, "raw-" + directive, SEED_TAGS);
        }
        // REPLACE without x-oss-tagging: the copy has no tags
        OssHttp.Resp none = http.req("PUT", b, "raw-replace-none").header("x-oss-copy-source", "/" + b + "/" + src)
                .header("x-oss-tagging-directive", "Replace").send();
        assertThat(none.status()).as(none.toString()).isEqualTo(200);
        assertTags(b, "raw-replace-none", Map.of());
        assertThat(rawBytes(b, "raw-replace-none")).isEqualTo(bytes("source"));

        // an unknown directive is refused and stores nothing
        OssHttp.Resp bad = http.req("PUT", b, "raw-bad").header("x-oss-copy-source", "/" + b + "/" + src)
                .header("x-oss-tagging-directive", "Keep").send();
        assertThat(bad.status()).as(bad.toString()).isEqualTo(400);
        assertThat(headStatus(b, "raw-bad")).isEqualTo(404);

        // copying onto itself with REPLACE changes only the tags
        Stamp before = stamp(b, src);
        OssHttp.Resp self = http.req("PUT", b, src).header("x-oss-copy-source", "/" + b + "/" + src)
                .header("x-oss-tagging-directive", "REPLACE").header("x-oss-tagging", "self=copy").send();
        assertThat(self.status()).as(self.toString()).isEqualTo(200);
        assertTags(b, src, Map.of("self", "copy"));
        assertThat(stamp(b, src).etag()).isEqualTo(before.etag());
        assertThat(rawBytes(b, src)).isEqualTo(bytes("source"));
    }

    // ---- Set tags during a multipart copy ----------------------------------------------------

    @ParameterizedTest
    @EnumSource(Sig.class)
    void multipartCopyTakesTheTagsGivenAtInitiate(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = newBucket();
        String src = "srcexampledir/exampleobject.txt";
        String dest = "destexampledir/exampleobject.txt";
        byte[] data = random(260 * KB + 5, 6);
        oss.putObject(new PutObjectRequest(b, src, in(data), tagged(Map.of("source", "only"))));

        long total = oss.getObjectMetadata(b, src).getContentLength();
        String id = oss.initiateMultipartUpload(new InitiateMultipartUploadRequest(b, dest, tagged(SEED_TAGS))).getUploadId();
        List<PartETag> parts = new ArrayList<>();
        long partSize = 100 * KB;
        int n = 1;
        for (long offset = 0; offset < total; offset += partSize, n++) {
            long len = Math.min(partSize, total - offset);
            UploadPartCopyRequest pc = new UploadPartCopyRequest(b, src, b, dest, id, n, offset, len);
            parts.add(oss.uploadPartCopy(pc).getPartETag());
        }
        oss.completeMultipartUpload(new CompleteMultipartUploadRequest(b, dest, id, parts));
        assertThat(oss.getObjectMetadata(b, dest).getContentLength()).isEqualTo(total);
        assertTags(b, src, Map.of("source", "only"));
        assertTags(b, dest, SEED_TAGS);
        assertThat(read(oss.getObject(b, dest))).isEqualTo(data);
    }

    @Test
    void multipartCopyV2() {
        String b = newBucket();
        byte[] data = random(150 * KB, 7);
        http.req("PUT", b, "src").header("x-oss-tagging", "s=1").body(data).send();
        String id = v2.initiateMultipartUpload(com.aliyun.sdk.service.oss2.models.InitiateMultipartUploadRequest.newBuilder()
                .bucket(b).key("dst").tagging(header(richTags())).build()).initiateMultipartUpload().uploadId();
        List<Part> parts = new ArrayList<>();
        String[] ranges = {"bytes=0-102399", "bytes=102400-" + (data.length - 1)};
        for (int i = 0; i < ranges.length; i++) {
            var r = v2.uploadPartCopy(com.aliyun.sdk.service.oss2.models.UploadPartCopyRequest.newBuilder().bucket(b).key("dst")
                    .sourceBucket(b).sourceKey("src").uploadId(id).partNumber((long) i + 1).copySourceRange(ranges[i]).build());
            parts.add(Part.newBuilder().partNumber((long) i + 1).eTag(r.copyPartResult().eTag()).build());
        }
        v2.completeMultipartUpload(com.aliyun.sdk.service.oss2.models.CompleteMultipartUploadRequest.newBuilder().bucket(b).key("dst")
                .uploadId(id).completeMultipartUpload(CompleteMultipartUpload.newBuilder().parts(parts).build()).build());
        assertTags(b, "dst", richTags());
        assertTags(b, "src", Map.of("s", "1"));
        assertThat(rawBytes(b, "dst")).isEqualTo(data);
    }

    // ---- Set tags for a symbolic link --------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Sig.class)
    void symlinkWithTags(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = newBucket();
        String object = "exampledir/exampleobject.txt";
        String link = "shortcut/myobject.txt";
        oss.putObject(new PutObjectRequest(b, object, in(bytes("target")), tagged(Map.of("on", "target"))));
        CreateSymlinkRequest req = new CreateSymlinkRequest(b, link, object);
        req.setMetadata(tagged(SEED_TAGS));
        oss.createSymlink(req);
        assertTags(b, link, SEED_TAGS);
        assertTags(b, object, Map.of("on", "target"));
        assertThat(read(oss.getObject(b, link))).isEqualTo(bytes("target"));
    }

    @Test
    void symlinkWithTagsRawAndV2() {
        String b = newBucket();
        http.req("PUT", b, "exampledir/exampleobject.txt").body("target").send();
        OssHttp.Resp r = http.req("PUT", b, "shortcut/raw.txt").query("symlink")
                .header("x-oss-symlink-target", "exampledir/exampleobject.txt").header("x-oss-tagging", SEED_HEADER_OSS2).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertTags(b, "shortcut/raw.txt", SEED_TAGS);

        v2.putSymlink(PutSymlinkRequest.newBuilder().bucket(b).key("shortcut/v2.txt").symlinkTarget("exampledir/exampleobject.txt")
                .header("x-oss-tagging", header(richTags())).build());
        assertTags(b, "shortcut/v2.txt", richTags());
        assertTags(b, "exampledir/exampleobject.txt", Map.of());
    }

    // ---- tags never change ETag or Last-Modified ---------------------------------------------

    @Test
    void taggingChangesNeitherEtagNorLastModifiedOfAnyObjectType() throws Exception {
        String b = newBucket();
        v1.putObject(b, "normal", in(bytes("normal")));
        String id = v1.initiateMultipartUpload(new InitiateMultipartUploadRequest(b, "multipart")).getUploadId();
        PartETag p = v1.uploadPart(new UploadPartRequest(b, "multipart", id, 1, in(bytes("mp")), 2)).getPartETag();
        v1.completeMultipartUpload(new CompleteMultipartUploadRequest(b, "multipart", id, new ArrayList<>(List.of(p))));
        AppendObjectRequest a = new AppendObjectRequest(b, "appendable", in(bytes("app")));
        a.setPosition(0L);
        v1.appendObject(a);
        v1.createSymlink(new CreateSymlinkRequest(b, "symlink", "normal"));
        v1.copyObject(b, "normal", b, "copy");
        List<String> keys = List.of("normal", "multipart", "appendable", "symlink", "copy");
        Map<String, Stamp> before = new LinkedHashMap<>();
        Map<String, String> linkEtag = new LinkedHashMap<>();
        for (String k : keys) before.put(k, stamp(b, k));
        linkEtag.put("symlink", http.req("GET", b, "symlink").query("symlink").send().header("ETag"));
        sleepPastSecond();

        for (String k : keys) {
            v1.setObjectTagging(new SetObjectTaggingRequest(b, k, SEED_TAGS));
            assertThat(stamp(b, k)).as("after PutObjectTagging of %s", k).isEqualTo(before.get(k));
            v2.putObjectTagging(PutObjectTaggingRequest.newBuilder().bucket(b).key(k).tagging(Tagging.newBuilder()
                    .tagSet(com.aliyun.sdk.service.oss2.models.TagSet.newBuilder()
                            .tags(List.of(Tag.newBuilder().key("v2").value("x").build())).build()).build()).build());
            assertThat(stamp(b, k)).as("after V2 PutObjectTagging of %s", k).isEqualTo(before.get(k));
            assertTags(b, k, Map.of("v2", "x"));
            v4.deleteObjectTagging(b, k);
            assertThat(stamp(b, k)).as("after DeleteObjectTagging of %s", k).isEqualTo(before.get(k));
            assertTags(b, k, Map.of());
        }
        OssHttp.Resp gs = http.req("GET", b, "symlink").query("symlink").send();
        assertThat(gs.header("ETag")).isEqualTo(linkEtag.get("symlink"));
        assertThat(rawBytes(b, "appendable")).isEqualTo(bytes("app"));
        assertThat(rawBytes(b, "symlink")).isEqualTo(bytes("normal"));
        // an appendable object stays appendable at the same position after tagging
        AppendObjectRequest more = new AppendObjectRequest(b, "appendable", in(bytes("end")));
        more.setPosition(3L);
        v1.appendObject(more);
        assertThat(rawBytes(b, "appendable")).isEqualTo(bytes("append"));
    }
}
