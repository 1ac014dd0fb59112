package dev.pail.it.versioning;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.HttpMethod;
import com.aliyun.oss.OSS;
import com.aliyun.oss.model.AppendObjectRequest;
import com.aliyun.oss.model.AppendObjectResult;
import com.aliyun.oss.model.CannedAccessControlList;
import com.aliyun.oss.model.CompleteMultipartUploadRequest;
import com.aliyun.oss.model.CompleteMultipartUploadResult;
import com.aliyun.oss.model.CopyObjectRequest;
import com.aliyun.oss.model.CopyObjectResult;
import com.aliyun.oss.model.CreateSymlinkRequest;
import com.aliyun.oss.model.GenericRequest;
import com.aliyun.oss.model.GeneratePresignedUrlRequest;
import com.aliyun.oss.model.GetObjectRequest;
import com.aliyun.oss.model.HeadObjectRequest;
import com.aliyun.oss.model.InitiateMultipartUploadRequest;
import com.aliyun.oss.model.OSSObject;
import com.aliyun.oss.model.ObjectAcl;
import com.aliyun.oss.model.ObjectMetadata;
import com.aliyun.oss.model.ObjectPermission;
import com.aliyun.oss.model.PartETag;
import com.aliyun.oss.model.SetObjectAclRequest;
import com.aliyun.oss.model.SetObjectTaggingRequest;
import com.aliyun.oss.model.SimplifiedObjectMeta;
import com.aliyun.oss.model.UploadPartCopyRequest;
import com.aliyun.oss.model.UploadPartCopyResult;
import com.aliyun.oss.model.UploadPartRequest;
import com.aliyun.oss.model.VoidResult;
import dev.pail.it.OssHttp;
import dev.pail.it.TestData;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Writes in a bucket with versioning Enabled (PutObject, CopyObject, AppendObject, multipart,
 * PutSymlink) and reads of a chosen version (GET, HEAD, GetObjectMeta, tagging, ACL, GetSymlink,
 * copy sources), through J1 with raw HTTP for the exact headers and error statuses.
 */
class VersionedWritesJ1Test extends VersioningBase {

    private static final int KB = 1024;

    // ---- PutObject -------------------------------------------------------------------------

    @Test
    void overwriteKeepsThePreviousVersionWithItsOwnBytesMetadataAndTags() throws Exception {
        String b = versionedBucket();
        byte[] d1 = random(3 * KB + 5, 11);
        byte[] d2 = random(5 * KB, 12);
        ObjectMetadata m1 = meta("text/plain", Map.of("colour", "red"));
        m1.setObjectTagging(Map.of("gen", "one"));
        m1.setCacheControl("no-cache");
        ObjectMetadata m2 = meta("application/json", Map.of("shape", "round"));
        m2.setObjectTagging(Map.of("gen", "two", "extra", "x"));
        String v1 = put(b, "k", d1, m1);
        String v2 = put(b, "k", d2, m2);
        assertVersionId(v1);
        assertVersionId(v2);
        assertThat(v2).isNotEqualTo(v1);

        // the current version
        try (OSSObject cur = oss.getObject(b, "k")) {
            assertThat(cur.getObjectContent().readAllBytes()).isEqualTo(d2);
            assertThat(cur.getObjectMetadata().getVersionId()).isEqualTo(v2);
            assertThat(cur.getObjectMetadata().getContentType()).isEqualTo("application/json");
        }
        // the previous version, by id, through every read
        try (OSSObject old = oss.getObject(new GetObjectRequest(b, "k", v1))) {
            assertThat(old.getObjectContent().readAllBytes()).isEqualTo(d1);
            ObjectMetadata m = old.getObjectMetadata();
            assertThat(m.getVersionId()).isEqualTo(v1);
            assertThat(m.getContentType()).isEqualTo("text/plain");
            assertThat(m.getUserMetadata()).isEqualTo(Map.of("colour", "red"));
            assertThat(m.getCacheControl()).isEqualTo("no-cache");
            assertThat(m.getETag()).isEqualTo(TestData.md5Hex(d1));
        }
        ObjectMetadata h1 = oss.headObject(new HeadObjectRequest(b, "k", v1));
        assertThat(h1.getContentLength()).isEqualTo(d1.length);
        assertThat(h1.getVersionId()).isEqualTo(v1);
        assertThat(h1.getUserMetadata()).isEqualTo(Map.of("colour", "red"));
        ObjectMetadata g1 = oss.getObjectMetadata(new GenericRequest(b, "k", v1));
        assertThat(g1.getContentLength()).isEqualTo(d1.length);
        assertThat(g1.getContentType()).isEqualTo("text/plain");
        assertThat(g1.getVersionId()).isEqualTo(v1);
        SimplifiedObjectMeta s1 = oss.getSimplifiedObjectMeta(new GenericRequest(b, "k", v1));
        assertThat(s1.getSize()).isEqualTo(d1.length);
        assertThat(s1.getETag()).isEqualTo(TestData.md5Hex(d1));
        assertThat(s1.getVersionId()).isEqualTo(v1);
        SimplifiedObjectMeta s2 = oss.getSimplifiedObjectMeta(new GenericRequest(b, "k"));
        assertThat(s2.getSize()).isEqualTo(d2.length);
        assertThat(s2.getVersionId()).isEqualTo(v2);

        assertThat(oss.getObjectTagging(new GenericRequest(b, "k", v1)).getAllTags()).isEqualTo(Map.of("gen", "one"));
        assertThat(oss.getObjectTagging(new GenericRequest(b, "k", v2)).getAllTags()).isEqualTo(Map.of("gen", "two", "extra", "x"));
        assertThat(oss.getObjectTagging(b, "k").getAllTags()).isEqualTo(Map.of("gen", "two", "extra", "x"));

        // raw: every read of a versioned bucket names the version it answers with
        OssHttp.Resp get1 = assertStatus(rawGet(b, "k", v1), 200);
        assertThat(get1.body()).isEqualTo(d1);
        assertThat(get1.header("x-oss-version-id")).isEqualTo(v1);
        assertThat(get1.header("x-oss-tagging-count")).isEqualTo("1");
        assertThat(get1.header("x-oss-hash-crc64ecma")).isEqualTo(TestData.crcString(d1));
        OssHttp.Resp head2 = assertStatus(rawHead(b, "k", null), 200);
        assertThat(head2.header("x-oss-version-id")).isEqualTo(v2);
        assertThat(head2.header("content-length")).isEqualTo(Integer.toString(d2.length));
        OssHttp.Resp head1 = assertStatus(rawHead(b, "k", v1), 200);
        assertThat(head1.header("x-oss-version-id")).isEqualTo(v1);
        assertThat(head1.header("x-oss-meta-colour")).isEqualTo("red");
        assertThat(head1.has("x-oss-meta-shape")).isFalse();
        OssHttp.Resp meta1 = assertStatus(req("HEAD", b, "k", v1).query("objectMeta").send(), 200);
        assertThat(meta1.header("x-oss-version-id")).isEqualTo(v1);
        assertThat(meta1.header("content-length")).isEqualTo(Integer.toString(d1.length));
        assertThat(meta1.header("etag")).isEqualTo("\"" + TestData.md5Hex(d1) + "\"");
    }

    @Test
    void rangeReadOfAPreviousVersion() throws Exception {
        String b = versionedBucket();
        byte[] d1 = random(64 * KB, 21);
        String v1 = put(b, "k", d1);
        put(b, "k", random(64 * KB, 22));
        GetObjectRequest r = new GetObjectRequest(b, "k", v1);
        r.setRange(1000, 9999);
        assertThat(read(oss.getObject(r))).isEqualTo(Arrays.copyOfRange(d1, 1000, 10000));
        OssHttp.Resp raw = req("GET", b, "k", v1).header("Range", "bytes=-10").send();
        assertStatus(raw, 206);
        assertThat(raw.body()).isEqualTo(Arrays.copyOfRange(d1, d1.length - 10, d1.length));
        assertThat(raw.header("x-oss-version-id")).isEqualTo(v1);
    }

    @Test
    void forbidOverwriteIsIgnoredWithVersioning() {
        // control: without versioning the header refuses the overwrite
        String plain = newBucket();
        put(plain, "k", bytes("one"));
        ossError("FileAlreadyExists", () -> put(plain, "k", bytes("two"), forbid()));

        for (String status : List.of("Enabled", "Suspended")) {
            String b = newBucket();
            setVersioning(b, status);
            put(b, "k", bytes("one"));
            String v2 = put(b, "k", bytes("two"), forbid());
            assertThat(get(b, "k", null)).as(status).isEqualTo(bytes("two"));
            if (status.equals("Enabled")) assertVersionId(v2);
            else assertThat(v2).isEqualTo("null");
            // copy and multipart too
            CopyObjectRequest c = new CopyObjectRequest(b, "k", b, "other");
            put(b, "other", bytes("other"));
            ObjectMetadata fm = forbid();
            c.setNewObjectMetadata(fm);
            oss.copyObject(c);
            assertThat(get(b, "other", null)).as(status).isEqualTo(bytes("two"));
            InitiateMultipartUploadRequest init = new InitiateMultipartUploadRequest(b, "k", forbid());
            String id = oss.initiateMultipartUpload(init).getUploadId();
            PartETag p = oss.uploadPart(new UploadPartRequest(b, "k", id, 1, in(bytes("three")), 5)).getPartETag();
            oss.completeMultipartUpload(new CompleteMultipartUploadRequest(b, "k", id, new ArrayList<>(List.of(p))));
            assertThat(get(b, "k", null)).as(status).isEqualTo(bytes("three"));
            // symlink
            oss.createSymlink(symlink(b, "other", "k", forbid()));
            assertThat(get(b, "other", null)).as(status).isEqualTo(bytes("three"));
        }
    }

    private static ObjectMetadata forbid() {
        ObjectMetadata m = new ObjectMetadata();
        m.setHeader("x-oss-forbid-overwrite", "true");
        return m;
    }

    private static CreateSymlinkRequest symlink(String b, String link, String target, ObjectMetadata m) {
        CreateSymlinkRequest r = new CreateSymlinkRequest(b, link, target);
        if (m != null) r.setMetadata(m);
        return r;
    }

    // ---- CopyObject ------------------------------------------------------------------------

    @Test
    void copyCreatesAVersionAndNamesTheSourceVersion() throws Exception {
        String b = versionedBucket();
        byte[] d1 = random(10 * KB, 31);
        byte[] d2 = random(12 * KB, 32);
        ObjectMetadata m1 = meta("text/csv", Map.of("gen", "1"));
        m1.setObjectTagging(Map.of("t", "1"));
        String v1 = put(b, "src", d1, m1);
        String v2 = put(b, "src", d2, meta("image/png", Map.of("gen", "2")));

        // current source
        CopyObjectResult c = oss.copyObject(b, "src", b, "dst");
        assertVersionId(c.getVersionId());
        assertThat(header(c, "x-oss-copy-source-version-id")).isEqualTo(v2);
        assertThat(header(c, "x-oss-version-id")).isEqualTo(c.getVersionId());
        assertThat(get(b, "dst", null)).isEqualTo(d2);

        // a chosen source version: its bytes, content type, metadata and tags
        CopyObjectRequest r = new CopyObjectRequest(b, "src", b, "dst");
        r.setSourceVersionId(v1);
        CopyObjectResult c1 = oss.copyObject(r);
        assertVersionId(c1.getVersionId());
        assertThat(c1.getVersionId()).isNotEqualTo(c.getVersionId());
        assertThat(header(c1, "x-oss-copy-source-version-id")).isEqualTo(v1);
        assertThat(c1.getETag()).isEqualTo(TestData.md5Hex(d1));
        assertThat(get(b, "dst", null)).isEqualTo(d1);
        ObjectMetadata dm = oss.getObjectMetadata(b, "dst");
        assertThat(dm.getContentType()).isEqualTo("text/csv");
        assertThat(dm.getUserMetadata()).isEqualTo(Map.of("gen", "1"));
        assertThat(oss.getObjectTagging(b, "dst").getAllTags()).isEqualTo(Map.of("t", "1"));
        // the destination's previous version is kept
        assertThat(get(b, "dst", c.getVersionId())).isEqualTo(d2);
        assertThat(versionIds(b, "dst")).containsExactly(c1.getVersionId(), c.getVersionId());
        // the source is unchanged
        assertThat(versionIds(b, "src")).containsExactly(v2, v1);
    }

    @Test
    void restoringAPreviousVersionByCopyingItOverItself() {
        String b = versionedBucket();
        String v1 = put(b, "k", bytes("first"));
        String v2 = put(b, "k", bytes("second"));
        CopyObjectRequest r = new CopyObjectRequest(b, "k", b, "k");
        r.setSourceVersionId(v1);
        String v3 = oss.copyObject(r).getVersionId();
        assertVersionId(v3);
        assertThat(get(b, "k", null)).isEqualTo(bytes("first"));
        assertThat(versionIds(b, "k")).containsExactly(v3, v2, v1);
        assertThat(get(b, "k", v1)).isEqualTo(bytes("first"));
        assertThat(get(b, "k", v2)).isEqualTo(bytes("second"));
        // every version stays independent of the others: deleting v1 leaves v3's bytes
        oss.deleteVersion(b, "k", v1);
        assertThat(get(b, "k", v3)).isEqualTo(bytes("first"));
    }

    @Test
    void copyBetweenVersionedAndUnversionedBuckets() {
        String vb = versionedBucket();
        String pb = newBucket();
        String v1 = put(vb, "k", bytes("versioned-1"));
        put(vb, "k", bytes("versioned-2"));
        // into a bucket that never had versioning: no version id, but the source version is named
        CopyObjectRequest r = new CopyObjectRequest(vb, "k", pb, "k");
        r.setSourceVersionId(v1);
        CopyObjectResult c = oss.copyObject(r);
        assertThat(c.getVersionId()).isNull();
        assertThat(header(c, "x-oss-version-id")).isNull();
        assertThat(header(c, "x-oss-copy-source-version-id")).isEqualTo(v1);
        assertThat(get(pb, "k", null)).isEqualTo(bytes("versioned-1"));
        // from a bucket that never had versioning: no source version id
        put(pb, "p", bytes("plain"));
        CopyObjectResult c2 = oss.copyObject(pb, "p", vb, "p");
        assertVersionId(c2.getVersionId());
        assertThat(header(c2, "x-oss-copy-source-version-id")).isNull();
        assertThat(get(vb, "p", null)).isEqualTo(bytes("plain"));
    }

    @Test
    void copySourceErrors() {
        String b = versionedBucket();
        String v1 = put(b, "k", bytes("v1"));
        oss.deleteObject(b, "k");
        String marker = versionIds(b, "k").getFirst();
        assertThat(marker).isNotEqualTo(v1);
        // the current version is a delete marker
        ossError("NoSuchKey", () -> oss.copyObject(b, "k", b, "dst"));
        // the source version is a delete marker
        CopyObjectRequest r = new CopyObjectRequest(b, "k", b, "dst");
        r.setSourceVersionId(marker);
        ossError("InvalidArgument", () -> oss.copyObject(r));
        OssHttp.Resp raw = http.req("PUT", b, "dst").header("x-oss-copy-source", "/" + b + "/k?versionId=" + marker).send();
        assertError(raw, 400, "InvalidArgument");
        // an unknown source version
        CopyObjectRequest u = new CopyObjectRequest(b, "k", b, "dst");
        u.setSourceVersionId(UNKNOWN_ID);
        ossError("NoSuchVersion", () -> oss.copyObject(u));
        // a previous version behind the marker still copies
        CopyObjectRequest ok = new CopyObjectRequest(b, "k", b, "dst");
        ok.setSourceVersionId(v1);
        oss.copyObject(ok);
        assertThat(get(b, "dst", null)).isEqualTo(bytes("v1"));
        assertThat(versionIds(b, "dst")).hasSize(1);
    }

    // ---- AppendObject ----------------------------------------------------------------------

    private AppendObjectResult append(String b, String k, long position, byte[] data) {
        AppendObjectRequest r = new AppendObjectRequest(b, k, in(data));
        r.setPosition(position);
        return oss.appendObject(r);
    }

    @Test
    void appendKeepsOneVersionAcrossAppends() {
        String b = versionedBucket();
        byte[] one = random(5 * KB, 41);
        byte[] two = random(7 * KB, 42);
        AppendObjectResult r1 = append(b, "log", 0, one);
        String a = header(r1, "x-oss-version-id");
        assertVersionId(a);
        AppendObjectResult r2 = append(b, "log", one.length, two);
        assertThat(header(r2, "x-oss-version-id")).as("a later append keeps the version").isEqualTo(a);
        assertThat(versionIds(b, "log")).containsExactly(a);
        assertThat(get(b, "log", a)).isEqualTo(TestData.concat(one, two));
        assertThat(rawHead(b, "log", null).header("x-oss-version-id")).isEqualTo(a);

        // overwritten by PutObject: the appendable version stays, readable with its bytes and type
        String v = put(b, "log", bytes("normal"));
        assertThat(versionIds(b, "log")).containsExactly(v, a);
        OssHttp.Resp old = assertStatus(rawGet(b, "log", a), 200);
        assertThat(old.body()).isEqualTo(TestData.concat(one, two));
        assertThat(old.header("x-oss-object-type")).isEqualTo("Appendable");
        // the current version is Normal: not appendable
        ossError("ObjectNotAppendable", () -> append(b, "log", 6, bytes("x")));
        assertThat(versionIds(b, "log")).containsExactly(v, a);
    }

    @Test
    void appendAfterADeleteMarkerStartsANewVersion() {
        String b = versionedBucket();
        String a1 = header(append(b, "log", 0, bytes("first")), "x-oss-version-id");
        oss.deleteObject(b, "log");
        String marker = versionIds(b, "log").getFirst();
        String a2 = header(append(b, "log", 0, bytes("second")), "x-oss-version-id");
        assertVersionId(a2);
        assertThat(a2).isNotIn(a1, marker);
        assertThat(versionIds(b, "log")).containsExactly(a2, marker, a1);
        assertThat(get(b, "log", null)).isEqualTo(bytes("second"));
        assertThat(get(b, "log", a1)).isEqualTo(bytes("first"));
    }

    @Test
    void appendWithVersionIdIsRefused() {
        String b = versionedBucket();
        String a = header(append(b, "log", 0, bytes("abc")), "x-oss-version-id");
        OssHttp.Resp r = http.req("POST", b, "log").query("append").query("position", "3").query("versionId", a)
                .body(bytes("def")).send();
        assertError(r, 400, "InvalidArgument");
        assertThat(get(b, "log", null)).as("unchanged").isEqualTo(bytes("abc"));
    }

    /**
     * An in-place copy of an appendable object stays appendable and shares its bytes with the
     * source version; appending to it must never change what another version reads, even when
     * that other version is longer (a restored older version).
     */
    @Test
    void appendingToARestoredAppendableVersionLeavesOtherVersionsIntact() {
        String b = versionedBucket();
        String a1 = header(append(b, "log", 0, bytes("AAAAA")), "x-oss-version-id");
        String v2 = oss.copyObject(b, "log", b, "log").getVersionId();
        assertVersionId(v2);
        assertThat(rawHead(b, "log", null).header("x-oss-object-type")).isEqualTo("Appendable");
        append(b, "log", 5, bytes("BBBBB"));
        assertThat(get(b, "log", v2)).isEqualTo(bytes("AAAAABBBBB"));
        // restore a1 (5 bytes) over the key, then append different bytes to it
        CopyObjectRequest restore = new CopyObjectRequest(b, "log", b, "log");
        restore.setSourceVersionId(a1);
        String v3 = oss.copyObject(restore).getVersionId();
        assertThat(get(b, "log", null)).isEqualTo(bytes("AAAAA"));
        append(b, "log", 5, bytes("CCCCC"));
        assertThat(versionIds(b, "log")).containsExactly(v3, v2, a1);
        assertThat(get(b, "log", v3)).isEqualTo(bytes("AAAAACCCCC"));
        assertThat(get(b, "log", a1)).isEqualTo(bytes("AAAAA"));
        assertThat(get(b, "log", v2)).as("the previous version's own bytes").isEqualTo(bytes("AAAAABBBBB"));
        OssHttp.Resp h2 = rawHead(b, "log", v2);
        assertThat(h2.header("x-oss-hash-crc64ecma")).isEqualTo(TestData.crcString(bytes("AAAAABBBBB")));
    }

    @Test
    void suspendedAppendWritesTheNullVersion() {
        String b = versionedBucket();
        String v1 = put(b, "log", bytes("normal"));
        setVersioning(b, "Suspended");
        oss.deleteObject(b, "log"); // a null marker over v1
        AppendObjectResult r = append(b, "log", 0, bytes("abc"));
        assertThat(header(r, "x-oss-version-id")).isEqualTo("null");
        assertThat(header(append(b, "log", 3, bytes("def")), "x-oss-version-id")).isEqualTo("null");
        assertThat(entries(b, "")).containsExactly(Entry.version("log", "null", true), Entry.version("log", v1, false));
        assertThat(get(b, "log", "null")).isEqualTo(bytes("abcdef"));
        assertThat(get(b, "log", v1)).isEqualTo(bytes("normal"));
    }

    @Test
    void suspendedCopyMultipartAndSymlinkWriteTheNullVersion() {
        String b = versionedBucket();
        String v1 = put(b, "k", bytes("v1"));
        put(b, "src", bytes("source"));
        setVersioning(b, "Suspended");
        long files = storedBlobs();
        // in-place copy of the current (id) version: a new null version
        ObjectMetadata m = meta("text/plain", Map.of("x", "1"));
        CopyObjectRequest c = new CopyObjectRequest(b, "k", b, "k");
        c.setNewObjectMetadata(m);
        assertThat(oss.copyObject(c).getVersionId()).isEqualTo("null");
        assertThat(storedBlobs()).isEqualTo(files + 1);
        // in-place copy of the null version itself: it replaces itself and stays readable
        CopyObjectRequest c2 = new CopyObjectRequest(b, "k", b, "k");
        c2.setNewObjectMetadata(meta("text/html", Map.of("x", "2")));
        assertThat(oss.copyObject(c2).getVersionId()).isEqualTo("null");
        assertThat(storedBlobs()).isEqualTo(files + 1);
        assertThat(get(b, "k", "null")).isEqualTo(bytes("v1"));
        assertThat(oss.getObjectMetadata(b, "k").getUserMetadata()).isEqualTo(Map.of("x", "2"));
        // copy from another key
        assertThat(oss.copyObject(b, "src", b, "k").getVersionId()).isEqualTo("null");
        assertThat(get(b, "k", null)).isEqualTo(bytes("source"));
        // multipart
        String id = oss.initiateMultipartUpload(new InitiateMultipartUploadRequest(b, "k")).getUploadId();
        PartETag p = oss.uploadPart(new UploadPartRequest(b, "k", id, 1, in(bytes("mp")), 2)).getPartETag();
        CompleteMultipartUploadResult done = oss.completeMultipartUpload(new CompleteMultipartUploadRequest(b, "k", id, new ArrayList<>(List.of(p))));
        assertThat(done.getVersionId()).isEqualTo("null");
        assertThat(get(b, "k", "null")).isEqualTo(bytes("mp"));
        // symlink
        assertThat(header(oss.createSymlink(symlink(b, "k", "src", null)), "x-oss-version-id")).isEqualTo("null");
        assertThat(get(b, "k", null)).isEqualTo(bytes("source"));
        assertThat(entries(b, "k")).containsExactly(Entry.version("k", "null", true), Entry.version("k", v1, false));
        assertThat(storedBlobs()).as("every replaced null version's file is gone").isEqualTo(files);
    }

    // ---- presigned URLs ----------------------------------------------------------------------

    @Test
    void presignedUrlForAPreviousVersion() throws Exception {
        String b = versionedBucket();
        String v1 = put(b, "k", bytes("old bytes"));
        put(b, "k", bytes("new bytes"));
        for (OSS c : List.of(oss, v4)) {
            GeneratePresignedUrlRequest r = new GeneratePresignedUrlRequest(b, "k", HttpMethod.GET);
            r.setExpiration(new Date(System.currentTimeMillis() + 600_000));
            r.addQueryParameter("versionId", v1);
            URL url = c.generatePresignedUrl(r);
            HttpResponse<byte[]> resp = HttpClient.newHttpClient().send(HttpRequest.newBuilder(url.toURI()).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(resp.statusCode()).as(new String(resp.body(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(200);
            assertThat(resp.body()).isEqualTo(bytes("old bytes"));
            assertThat(resp.headers().firstValue("x-oss-version-id")).contains(v1);
        }
    }

    // ---- conditions against a chosen version --------------------------------------------

    @Test
    void conditionsApplyToTheVersionRead() {
        String b = versionedBucket();
        byte[] d1 = bytes("one");
        String v1 = put(b, "k", d1);
        put(b, "k", bytes("two"));
        String etag1 = "\"" + TestData.md5Hex(d1) + "\"";
        assertStatus(req("GET", b, "k", v1).header("If-Match", etag1).send(), 200);
        assertError(req("GET", b, "k", null).header("If-Match", etag1).send(), 412, "PreconditionFailed");
        assertStatus(req("GET", b, "k", v1).header("If-None-Match", etag1).send(), 304);
        // a copy source condition is checked against the source version
        CopyObjectRequest c = new CopyObjectRequest(b, "k", b, "dst");
        c.setSourceVersionId(v1);
        c.setMatchingETagConstraints(List.of(TestData.md5Hex(d1)));
        oss.copyObject(c);
        assertThat(get(b, "dst", null)).isEqualTo(d1);
        CopyObjectRequest bad = new CopyObjectRequest(b, "k", b, "dst2");
        bad.setMatchingETagConstraints(List.of(TestData.md5Hex(d1)));
        ossError("PreconditionFailed", () -> oss.copyObject(bad));
    }

    // ---- multipart -------------------------------------------------------------------------

    @Test
    void completeMultipartCreatesAVersionByteExact() {
        String b = versionedBucket();
        byte[] small = random(9 * KB, 51);
        String v1 = put(b, "big", small);
        byte[][] parts = {random(100 * KB, 52), random(150 * KB + 3, 53), random(100 * KB, 54), random(17, 55)};
        String id = oss.initiateMultipartUpload(new InitiateMultipartUploadRequest(b, "big")).getUploadId();
        List<PartETag> etags = new ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            etags.add(oss.uploadPart(new UploadPartRequest(b, "big", id, i + 1, in(parts[i]), parts[i].length)).getPartETag());
        }
        CompleteMultipartUploadResult c = oss.completeMultipartUpload(new CompleteMultipartUploadRequest(b, "big", id, etags));
        String v2 = c.getVersionId();
        assertVersionId(v2);
        assertThat(c.getETag()).isEqualTo(TestData.multipartEtag(parts));
        byte[] whole = TestData.concat(parts);
        assertThat(get(b, "big", null)).isEqualTo(whole);
        assertThat(get(b, "big", v2)).isEqualTo(whole);
        assertThat(get(b, "big", v1)).isEqualTo(small);
        assertThat(versionIds(b, "big")).containsExactly(v2, v1);
        OssHttp.Resp h = rawHead(b, "big", v2);
        assertThat(h.header("x-oss-object-type")).isEqualTo("Multipart");
        assertThat(h.header("x-oss-hash-crc64ecma")).isEqualTo(TestData.crcString(whole));
    }

    @Test
    void uploadPartCopyFromAChosenVersion() throws Exception {
        String b = versionedBucket();
        byte[] d1 = random(200 * KB, 61);
        byte[] d2 = random(200 * KB, 62);
        String v1 = put(b, "src", d1);
        String v2 = put(b, "src", d2);
        String id = oss.initiateMultipartUpload(new InitiateMultipartUploadRequest(b, "dst")).getUploadId();
        UploadPartCopyRequest p1 = new UploadPartCopyRequest(b, "src", b, "dst", id, 1, 0L, (long) (120 * KB));
        p1.setSourceVersionId(v1);
        UploadPartCopyResult r1 = oss.uploadPartCopy(p1);
        assertThat(header(r1, "x-oss-copy-source-version-id")).isEqualTo(v1);
        UploadPartCopyRequest p2 = new UploadPartCopyRequest(b, "src", b, "dst", id, 2, 0L, (long) (50 * KB));
        UploadPartCopyResult r2 = oss.uploadPartCopy(p2); // no version: the current one
        assertThat(header(r2, "x-oss-copy-source-version-id")).isEqualTo(v2);
        String dv = oss.completeMultipartUpload(new CompleteMultipartUploadRequest(b, "dst", id,
                new ArrayList<>(List.of(r1.getPartETag(), r2.getPartETag())))).getVersionId();
        assertVersionId(dv);
        assertThat(get(b, "dst", null)).isEqualTo(TestData.concat(Arrays.copyOfRange(d1, 0, 120 * KB), Arrays.copyOfRange(d2, 0, 50 * KB)));

        // a delete marker as the source version, and a current delete marker
        oss.deleteObject(b, "src");
        String marker = versionIds(b, "src").getFirst();
        String id2 = oss.initiateMultipartUpload(new InitiateMultipartUploadRequest(b, "dst2")).getUploadId();
        UploadPartCopyRequest pm = new UploadPartCopyRequest(b, "src", b, "dst2", id2, 1, 0L, 10L);
        pm.setSourceVersionId(marker);
        ossError("InvalidArgument", () -> oss.uploadPartCopy(pm));
        ossError("NoSuchKey", () -> oss.uploadPartCopy(new UploadPartCopyRequest(b, "src", b, "dst2", id2, 1, 0L, 10L)));
        UploadPartCopyRequest pu = new UploadPartCopyRequest(b, "src", b, "dst2", id2, 1, 0L, 10L);
        pu.setSourceVersionId(UNKNOWN_ID);
        ossError("NoSuchVersion", () -> oss.uploadPartCopy(pu));
        UploadPartCopyRequest pv = new UploadPartCopyRequest(b, "src", b, "dst2", id2, 1, 0L, 10L);
        pv.setSourceVersionId(v1);
        assertThat(oss.uploadPartCopy(pv).getETag()).isEqualTo(TestData.md5Hex(Arrays.copyOfRange(d1, 0, 10)));
    }

    // ---- symlinks --------------------------------------------------------------------------

    @Test
    void putSymlinkCreatesVersionsAndGetSymlinkReadsOne() {
        String b = versionedBucket();
        put(b, "t1", bytes("target one"));
        put(b, "t2", bytes("target two"));
        String plain = put(b, "link", bytes("a normal object first"));
        VoidResult r1 = oss.createSymlink(symlink(b, "link", "t1", null));
        String s1 = header(r1, "x-oss-version-id");
        assertVersionId(s1);
        VoidResult r2 = oss.createSymlink(symlink(b, "link", "t2", null));
        String s2 = header(r2, "x-oss-version-id");
        assertVersionId(s2);
        assertThat(versionIds(b, "link")).containsExactly(s2, s1, plain);

        assertThat(oss.getSymlink(b, "link").getTarget()).isEqualTo("t2");
        // J1 3.18.5 getSymlink(GenericRequest) drops the versionId (it sends only ?symlink): raw HTTP
        OssHttp.Resp old = assertStatus(req("GET", b, "link", s1).query("symlink").send(), 200);
        assertThat(old.header("x-oss-symlink-target")).isEqualTo("t1");
        assertThat(old.header("x-oss-version-id")).isEqualTo(s1);
        OssHttp.Resp cur = assertStatus(req("GET", b, "link", null).query("symlink").send(), 200);
        assertThat(cur.header("x-oss-symlink-target")).isEqualTo("t2");
        assertThat(cur.header("x-oss-version-id")).isEqualTo(s2);
        // reading the old link version follows it
        assertThat(get(b, "link", s1)).isEqualTo(bytes("target one"));
        assertThat(get(b, "link", null)).isEqualTo(bytes("target two"));
        assertThat(oss.getObjectMetadata(new GenericRequest(b, "link", s1)).getObjectType()).isEqualTo("Symlink");
        // the normal version under the links is no symlink
        assertError(req("GET", b, "link", plain).query("symlink").send(), 400, "NotSymlink");
        assertThat(get(b, "link", plain)).isEqualTo(bytes("a normal object first"));
        assertError(req("GET", b, "link", UNKNOWN_ID).query("symlink").send(), 404, "NoSuchVersion");
    }

    // ---- reads naming versions that do not exist -------------------------------------------

    @Test
    void unknownVersionIsNoSuchVersion() {
        String b = versionedBucket();
        String v1 = put(b, "k", bytes("k"));
        String other = put(b, "other", bytes("other"));
        for (String bad : List.of(UNKNOWN_ID, other, "null", "not-a-version-id")) {
            ossError("NoSuchVersion", () -> oss.getObject(new GetObjectRequest(b, "k", bad)));
            ossError("NoSuchVersion", () -> oss.getSimplifiedObjectMeta(new GenericRequest(b, "k", bad)));
            ossError("NoSuchVersion", () -> oss.getObjectTagging(new GenericRequest(b, "k", bad)));
            ossError("NoSuchVersion", () -> oss.getObjectAcl(new GenericRequest(b, "k", bad)));
            assertError(rawGet(b, "k", bad), 404, "NoSuchVersion");
            assertError(rawHead(b, "k", bad), 404, "NoSuchVersion");
            assertError(req("HEAD", b, "k", bad).query("objectMeta").send(), 404, "NoSuchVersion");
        }
        assertThat(get(b, "k", v1)).isEqualTo(bytes("k"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "HEAD", "DELETE"})
    void emptyVersionIdIsInvalidArgument(String method) {
        String b = versionedBucket();
        put(b, "k", bytes("k"));
        OssHttp.Resp r = rawQuery(method, b, "k", "versionId=", "/" + b + "/k?versionId");
        assertError(r, 400, "InvalidArgument");
        assertThat(versionIds(b, "k")).as("nothing deleted").hasSize(1);
        if (!method.equals("HEAD")) {
            OssHttp.Resp t = rawQuery(method, b, "k", "tagging&versionId=", "/" + b + "/k?tagging&versionId");
            assertError(t, 400, "InvalidArgument");
            OssHttp.Resp a = rawQuery("GET", b, "k", "acl&versionId=", "/" + b + "/k?acl&versionId");
            assertError(a, 400, "InvalidArgument");
        }
        assertThat(get(b, "k", null)).isEqualTo(bytes("k"));
    }

    // ---- tagging and ACL of one version -----------------------------------------------------

    @Test
    void taggingOneVersionLeavesTheOthersAlone() {
        String b = versionedBucket();
        ObjectMetadata m = new ObjectMetadata();
        m.setObjectTagging(Map.of("orig", "1"));
        String v1 = put(b, "k", bytes("one"), m);
        String v2 = put(b, "k", bytes("two"));
        SetObjectTaggingRequest set = new SetObjectTaggingRequest(b, "k", Map.of("old", "yes", "n", "2"));
        set.setVersionId(v1);
        oss.setObjectTagging(set);
        assertThat(oss.getObjectTagging(new GenericRequest(b, "k", v1)).getAllTags()).isEqualTo(Map.of("old", "yes", "n", "2"));
        assertThat(oss.getObjectTagging(b, "k").getAllTags()).isEmpty();
        assertThat(oss.getObjectTagging(new GenericRequest(b, "k", v2)).getAllTags()).isEmpty();

        oss.setObjectTagging(b, "k", Map.of("cur", "x"));
        assertThat(oss.getObjectTagging(new GenericRequest(b, "k", v2)).getAllTags()).isEqualTo(Map.of("cur", "x"));
        assertThat(oss.getObjectTagging(new GenericRequest(b, "k", v1)).getAllTags()).isEqualTo(Map.of("old", "yes", "n", "2"));

        // raw: the responses name the version
        OssHttp.Resp g = assertStatus(req("GET", b, "k", v1).query("tagging").send(), 200);
        assertThat(g.header("x-oss-version-id")).isEqualTo(v1);
        assertThat(g.text()).contains("<Key>old</Key>");
        OssHttp.Resp p = assertStatus(req("PUT", b, "k", v1).query("tagging")
                .body("<Tagging><TagSet><Tag><Key>p</Key><Value>q</Value></Tag></TagSet></Tagging>").send(), 200);
        assertThat(p.header("x-oss-version-id")).isEqualTo(v1);
        assertThat(oss.getObjectTagging(new GenericRequest(b, "k", v1)).getAllTags()).isEqualTo(Map.of("p", "q"));

        oss.deleteObjectTagging(new GenericRequest(b, "k", v1));
        assertThat(oss.getObjectTagging(new GenericRequest(b, "k", v1)).getAllTags()).isEmpty();
        assertThat(oss.getObjectTagging(b, "k").getAllTags()).isEqualTo(Map.of("cur", "x"));
        OssHttp.Resp d = assertStatus(req("DELETE", b, "k", v2).query("tagging").send(), 204);
        assertThat(d.header("x-oss-version-id")).isEqualTo(v2);
        assertThat(oss.getObjectTagging(b, "k").getAllTags()).isEmpty();
        // tag changes touch neither bytes nor the version list
        assertThat(get(b, "k", v1)).isEqualTo(bytes("one"));
        assertThat(versionIds(b, "k")).containsExactly(v2, v1);
    }

    @Test
    void aclOfOneVersion() {
        String b = versionedBucket();
        String v1 = put(b, "k", bytes("one"));
        String v2 = put(b, "k", bytes("two"));
        oss.setObjectAcl(new SetObjectAclRequest(b, "k", v1, CannedAccessControlList.PublicRead));
        ObjectAcl a1 = oss.getObjectAcl(new GenericRequest(b, "k", v1));
        assertThat(a1.getPermission()).isEqualTo(ObjectPermission.PublicRead);
        assertThat(a1.getVersionId()).isEqualTo(v1);
        ObjectAcl a2 = oss.getObjectAcl(b, "k");
        assertThat(a2.getPermission()).isEqualTo(ObjectPermission.Default);
        assertThat(a2.getVersionId()).isEqualTo(v2);
        // raw: the responses name the version
        OssHttp.Resp g = assertStatus(req("GET", b, "k", v1).query("acl").send(), 200);
        assertThat(g.header("x-oss-version-id")).isEqualTo(v1);
        assertThat(g.text()).contains("public-read");
        OssHttp.Resp p = assertStatus(req("PUT", b, "k", v2).query("acl").header("x-oss-object-acl", "private").send(), 200);
        assertThat(p.header("x-oss-version-id")).isEqualTo(v2);
        assertThat(oss.getObjectAcl(b, "k").getPermission()).isEqualTo(ObjectPermission.Private);
        assertThat(oss.getObjectAcl(new GenericRequest(b, "k", v1)).getPermission()).isEqualTo(ObjectPermission.PublicRead);
        // the version's own ACL decides what an anonymous reader may see
        OssHttp.Resp anon1 = req("GET", b, "k", v1).anonymous().send();
        assertStatus(anon1, 200);
        assertThat(anon1.body()).isEqualTo(bytes("one"));
        assertError(req("GET", b, "k", null).anonymous().send(), 403, "AccessDenied");
        assertError(req("GET", b, "k", v2).anonymous().send(), 403, "AccessDenied");
        ossError("NoSuchVersion", () -> oss.setObjectAcl(new SetObjectAclRequest(b, "k", UNKNOWN_ID, CannedAccessControlList.Private)));
    }

    // ---- byte-exact round trip ----------------------------------------------------------------

    @Test
    void everyVersionRoundTripsByteExactAfterOverwritesAndAMarker() throws Exception {
        roundTrip(oss);
    }

    @Test
    void everyVersionRoundTripsByteExactWithV4Signatures() throws Exception {
        roundTrip(v4);
    }

    private void roundTrip(OSS c) throws Exception {
        String b = versionedBucket();
        byte[] d1 = random(3 * KB + 1, 71);
        byte[] d2 = random(1024 * KB, 72);
        byte[][] parts = {random(100 * KB, 73), random(100 * KB + 999, 74), random(31 * KB, 75)};
        byte[] d3 = TestData.concat(parts);
        String v1 = c.putObject(b, "obj", in(d1)).getVersionId();
        String v2 = c.putObject(b, "obj", in(d2)).getVersionId();
        String id = c.initiateMultipartUpload(new InitiateMultipartUploadRequest(b, "obj")).getUploadId();
        List<PartETag> etags = new ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            etags.add(c.uploadPart(new UploadPartRequest(b, "obj", id, i + 1, in(parts[i]), parts[i].length)).getPartETag());
        }
        String v3 = c.completeMultipartUpload(new CompleteMultipartUploadRequest(b, "obj", id, etags)).getVersionId();
        VoidResult del = c.deleteObject(b, "obj");
        String marker = header(del, "x-oss-version-id");
        assertVersionId(marker);
        ossError("NoSuchKey", () -> c.getObject(b, "obj"));
        c.deleteVersion(b, "obj", marker);
        // the marker is gone: v3 is current again
        assertThat(read(c.getObject(b, "obj"))).isEqualTo(d3);
        for (Object[] v : new Object[][] {{v1, d1}, {v2, d2}, {v3, d3}}) {
            String vid = (String) v[0];
            byte[] data = (byte[]) v[1];
            try (OSSObject o = c.getObject(new GetObjectRequest(b, "obj", vid))) {
                assertThat(o.getObjectContent().readAllBytes()).as("J1 bytes of %s", vid).isEqualTo(data);
                assertThat(o.getObjectMetadata().getVersionId()).isEqualTo(vid);
            }
            OssHttp.Resp raw = assertStatus(rawGet(b, "obj", vid), 200);
            assertThat(raw.body()).as("raw bytes of %s", vid).isEqualTo(data);
            assertThat(raw.header("x-oss-hash-crc64ecma")).isEqualTo(TestData.crcString(data));
        }
        assertThat(versionIds(b, "obj")).containsExactly(v3, v2, v1);
    }
}
