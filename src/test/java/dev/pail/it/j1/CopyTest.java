package dev.pail.it.j1;

import dev.pail.it.OssHttp;
import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.OSS;
import com.aliyun.oss.model.CannedAccessControlList;
import com.aliyun.oss.model.CopyObjectRequest;
import com.aliyun.oss.model.CopyObjectResult;
import com.aliyun.oss.model.ObjectMetadata;
import com.aliyun.oss.model.ObjectPermission;
import com.aliyun.oss.model.StorageClass;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** CopyObject (core.md §7.15). */
class CopyTest extends J1Base {
    private static final byte[] DATA = random(3333, 33);

    private String bucketWithSource(Sig sig, String key) {
        String b = newBucket(sig);
        ObjectMetadata m = new ObjectMetadata();
        m.setContentType("text/x-source");
        m.setCacheControl("max-age=10");
        m.setContentDisposition("inline");
        m.addUserMetadata("Origin", "source");
        oss(sig).putObject(b, key, in(DATA), m);
        return b;
    }

    private static void assertSourceMetadata(ObjectMetadata h) {
        assertThat(h.getContentType()).isEqualTo("text/x-source");
        assertThat(h.getCacheControl()).isEqualTo("max-age=10");
        assertThat(h.getContentDisposition()).isEqualTo("inline");
        assertThat(h.getUserMetadata()).isEqualTo(Map.of("origin", "source"));
        assertThat(h.getContentLength()).isEqualTo(DATA.length);
        assertThat(h.getETag()).isEqualTo(md5Hex(DATA));
        assertThat(h.getServerCRC()).isEqualTo(crc(DATA));
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void copyWithDefaultDirectiveCopiesMetadata(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = bucketWithSource(sig, "src.txt");
        long before = System.currentTimeMillis() / 1000 * 1000;
        CopyObjectResult r = oss.copyObject(b, "src.txt", b, "dst.txt");
        assertThat(r.getETag()).isEqualTo(md5Hex(DATA));
        assertThat(r.getLastModified().getTime()).isGreaterThanOrEqualTo(before);
        assertThat(r.getRequestId()).matches(REQUEST_ID);
        assertThat(r.getResponse().getHeaders().get("x-oss-hash-crc64ecma")).isEqualTo(Long.toUnsignedString(crc(DATA)));
        assertThat(read(oss.getObject(b, "dst.txt"))).isEqualTo(DATA);
        assertSourceMetadata(oss.getObjectMetadata(b, "dst.txt"));

        // the copy is independent of its source
        oss.deleteObject(b, "src.txt");
        assertThat(read(oss.getObject(b, "dst.txt"))).isEqualTo(DATA);
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void explicitCopyDirectiveIgnoresRequestMetadata(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = bucketWithSource(sig, "src");
        CopyObjectRequest req = new CopyObjectRequest(b, "src", b, "dst");
        req.addHeader("x-oss-metadata-directive", "COPY");
        req.addHeader("x-oss-meta-ignored", "yes");
        req.addHeader("Cache-Control", "no-store");
        oss.copyObject(req);
        assertSourceMetadata(oss.getObjectMetadata(b, "dst"));

        CopyObjectRequest bad = new CopyObjectRequest(b, "src", b, "dst2");
        bad.addHeader("x-oss-metadata-directive", "MERGE");
        ossError("InvalidArgument", () -> oss.copyObject(bad));
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void replaceDirectiveUsesRequestMetadata(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = bucketWithSource(sig, "src");
        ObjectMetadata m = new ObjectMetadata();
        m.setContentType("application/x-new");
        m.addUserMetadata("Fresh", "1");
        m.setHeader("x-oss-storage-class", StorageClass.IA.toString());
        CopyObjectRequest req = new CopyObjectRequest(b, "src", b, "dst");
        req.setNewObjectMetadata(m); // J1 sends x-oss-metadata-directive: REPLACE
        CopyObjectResult r = oss.copyObject(req);
        assertThat(r.getETag()).isEqualTo(md5Hex(DATA));

        ObjectMetadata h = oss.getObjectMetadata(b, "dst");
        assertThat(h.getContentType()).isEqualTo("application/x-new");
        assertThat(h.getUserMetadata()).isEqualTo(Map.of("fresh", "1"));
        assertThat(h.getCacheControl()).isNull();
        assertThat(h.getContentDisposition()).isNull();
        assertThat(h.getObjectStorageClass()).isEqualTo(StorageClass.IA);
        assertThat(h.getETag()).isEqualTo(md5Hex(DATA));
        assertThat(read(oss.getObject(b, "dst"))).isEqualTo(DATA);
        // the source is untouched
        assertSourceMetadata(oss.getObjectMetadata(b, "src"));
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void inPlaceMetadataReplace(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = bucketWithSource(sig, "self");
        ObjectMetadata m = new ObjectMetadata();
        m.setContentType("text/plain");
        m.addUserMetadata("Gen", "2");
        m.setObjectAcl(CannedAccessControlList.PublicRead);
        CopyObjectRequest req = new CopyObjectRequest(b, "self", b, "self");
        req.setNewObjectMetadata(m);
        assertThat(oss.copyObject(req).getETag()).isEqualTo(md5Hex(DATA));
        ObjectMetadata h = oss.getObjectMetadata(b, "self");
        assertThat(h.getContentType()).isEqualTo("text/plain");
        assertThat(h.getUserMetadata()).isEqualTo(Map.of("gen", "2"));
        assertThat(h.getCacheControl()).isNull();
        assertThat(oss.getObjectAcl(b, "self").getPermission()).isEqualTo(ObjectPermission.PublicRead);
        assertThat(read(oss.getObject(b, "self"))).isEqualTo(DATA);
        assertThat(oss.listObjects(b).getObjectSummaries()).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void crossBucketCopy(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String src = bucketWithSource(sig, "dir/a b+c~!*.txt");
        String dst = newBucket(sig);
        CopyObjectResult r = oss.copyObject(src, "dir/a b+c~!*.txt", dst, "copied/ü%20&<x>.txt");
        assertThat(r.getETag()).isEqualTo(md5Hex(DATA));
        assertThat(read(oss.getObject(dst, "copied/ü%20&<x>.txt"))).isEqualTo(DATA);
        assertSourceMetadata(oss.getObjectMetadata(dst, "copied/ü%20&<x>.txt"));
        // and back again, with the odd key as source
        oss.copyObject(dst, "copied/ü%20&<x>.txt", src, "back");
        assertThat(read(oss.getObject(src, "back"))).isEqualTo(DATA);

        // '?', '=' and '%' in the source key stay part of the key (J1 percent-encodes them in x-oss-copy-source)
        oss.putObject(src, "q?versionId=1%2F", in(bytes("question")));
        oss.copyObject(src, "q?versionId=1%2F", dst, "q-copy");
        assertThat(read(oss.getObject(dst, "q-copy"))).isEqualTo(bytes("question"));
        ossError("NoSuchBucket", () -> oss.copyObject(src, "back", "no-such-bucket-copy", "x"));
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void copySourceConditions(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = bucketWithSource(sig, "src");
        String etag = md5Hex(DATA);
        Date modified = oss.getObjectMetadata(b, "src").getLastModified();
        Date before = new Date(modified.getTime() - 3_600_000);
        Date after = new Date(modified.getTime() + 3_600_000);

        CopyObjectRequest match = new CopyObjectRequest(b, "src", b, "c1");
        match.setMatchingETagConstraints(List.of(etag));
        oss.copyObject(match);
        assertThat(oss.doesObjectExist(b, "c1")).isTrue();

        CopyObjectRequest matchFails = new CopyObjectRequest(b, "src", b, "c2");
        matchFails.setMatchingETagConstraints(List.of("0123456789ABCDEF0123456789ABCDEF"));
        ossError("PreconditionFailed", () -> oss.copyObject(matchFails));

        CopyObjectRequest noneMatch = new CopyObjectRequest(b, "src", b, "c3");
        noneMatch.setNonmatchingETagConstraints(List.of("0123456789ABCDEF0123456789ABCDEF"));
        oss.copyObject(noneMatch);
        assertThat(oss.doesObjectExist(b, "c3")).isTrue();

        CopyObjectRequest noneMatchFails = new CopyObjectRequest(b, "src", b, "c4");
        noneMatchFails.setNonmatchingETagConstraints(List.of(etag));
        ossError("NotModified", () -> oss.copyObject(noneMatchFails));

        CopyObjectRequest unmodified = new CopyObjectRequest(b, "src", b, "c5");
        unmodified.setUnmodifiedSinceConstraint(after);
        oss.copyObject(unmodified);
        assertThat(oss.doesObjectExist(b, "c5")).isTrue();

        CopyObjectRequest unmodifiedFails = new CopyObjectRequest(b, "src", b, "c6");
        unmodifiedFails.setUnmodifiedSinceConstraint(before);
        ossError("PreconditionFailed", () -> oss.copyObject(unmodifiedFails));

        CopyObjectRequest modifiedSince = new CopyObjectRequest(b, "src", b, "c7");
        modifiedSince.setModifiedSinceConstraint(before);
        oss.copyObject(modifiedSince);
        assertThat(oss.doesObjectExist(b, "c7")).isTrue();

        CopyObjectRequest modifiedSinceFails = new CopyObjectRequest(b, "src", b, "c8");
        modifiedSinceFails.setModifiedSinceConstraint(after);
        ossError("NotModified", () -> oss.copyObject(modifiedSinceFails));

        for (String k : List.of("c2", "c4", "c6", "c8")) assertThat(oss.doesObjectExist(b, k)).as(k).isFalse();

        OssHttp.Resp pf = raw.req("PUT", b, "c9").header("x-oss-copy-source", "/" + b + "/src")
                .header("x-oss-copy-source-if-match", "\"nope\"").send();
        assertThat(pf.status()).isEqualTo(412);
        assertThat(pf.code()).isEqualTo("PreconditionFailed");
        OssHttp.Resp nm = raw.req("PUT", b, "c9").header("x-oss-copy-source", "/" + b + "/src")
                .header("x-oss-copy-source-if-none-match", "\"" + etag + "\"").send();
        assertThat(nm.status()).isEqualTo(304);
        assertThat(nm.body()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void forbidOverwrite(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = bucketWithSource(sig, "src");
        oss.putObject(b, "existing", in(bytes("keep me")));

        CopyObjectRequest onto = new CopyObjectRequest(b, "src", b, "existing");
        onto.addHeader("x-oss-forbid-overwrite", "true");
        ossError("FileAlreadyExists", () -> oss.copyObject(onto));
        assertThat(read(oss.getObject(b, "existing"))).isEqualTo(bytes("keep me"));

        CopyObjectRequest fresh = new CopyObjectRequest(b, "src", b, "fresh");
        fresh.addHeader("x-oss-forbid-overwrite", "true");
        oss.copyObject(fresh);
        assertThat(read(oss.getObject(b, "fresh"))).isEqualTo(DATA);

        CopyObjectRequest allowed = new CopyObjectRequest(b, "src", b, "existing");
        allowed.addHeader("x-oss-forbid-overwrite", "false");
        oss.copyObject(allowed);
        assertThat(read(oss.getObject(b, "existing"))).isEqualTo(DATA);

        OssHttp.Resp conflict = raw.req("PUT", b, "fresh").header("x-oss-copy-source", "/" + b + "/src")
                .header("x-oss-forbid-overwrite", "true").send();
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.code()).isEqualTo("FileAlreadyExists");
        OssHttp.Resp bad = raw.req("PUT", b, "fresh").header("x-oss-copy-source", "/" + b + "/src")
                .header("x-oss-forbid-overwrite", "maybe").send();
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.code()).isEqualTo("InvalidArgument");
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void missingSource(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = newBucket(sig);
        ossError("NoSuchKey", () -> oss.copyObject(b, "absent", b, "dst"));
        assertThat(oss.doesObjectExist(b, "dst")).isFalse();
        OssHttp.Resp r = raw.req("PUT", b, "dst").header("x-oss-copy-source", "/" + b + "/absent").send();
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.code()).isEqualTo("NoSuchKey");
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void encryptionAndAclOnCopy(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = bucketWithSource(sig, "src");
        CopyObjectRequest req = new CopyObjectRequest(b, "src", b, "enc");
        req.setServerSideEncryption("AES256");
        CopyObjectResult r = oss.copyObject(req);
        assertThat(r.getResponse().getHeaders().get("x-oss-server-side-encryption")).isEqualTo("AES256");
        ObjectMetadata h = oss.getObjectMetadata(b, "enc");
        assertThat(h.getServerSideEncryption()).isEqualTo("AES256");
        assertSourceMetadata(h);

        CopyObjectRequest acl = new CopyObjectRequest(b, "src", b, "acl");
        acl.addHeader("x-oss-object-acl", "public-read");
        oss.copyObject(acl);
        assertThat(oss.getObjectAcl(b, "acl").getPermission()).isEqualTo(ObjectPermission.PublicRead);
        // a plain copy does not inherit the source's ACL
        oss.setObjectAcl(b, "src", CannedAccessControlList.PublicReadWrite);
        oss.copyObject(b, "src", b, "plain");
        assertThat(oss.getObjectAcl(b, "plain").getPermission()).isEqualTo(ObjectPermission.Default);
    }
}
