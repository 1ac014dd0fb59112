package dev.pail.it.j1;

import dev.pail.it.OssHttp;
import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.OSS;
import com.aliyun.oss.model.CannedAccessControlList;
import com.aliyun.oss.model.ObjectAcl;
import com.aliyun.oss.model.ObjectMetadata;
import com.aliyun.oss.model.ObjectPermission;
import com.aliyun.oss.model.SimplifiedObjectMeta;
import com.aliyun.oss.model.StorageClass;
import java.util.Date;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** HeadObject, GetObjectMeta, doesObjectExist and object ACLs (core.md §7.11, §7.12, §7.16). */
class HeadAclTest extends J1Base {

    @ParameterizedTest
    @EnumSource(Sig.class)
    void headObjectReturnsAllObjectHeaders(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = newBucket(sig);
        byte[] data = random(2048, 5);
        long before = System.currentTimeMillis() / 1000 * 1000;
        ObjectMetadata put = new ObjectMetadata();
        put.setContentType("image/png");
        put.addUserMetadata("k", "v");
        oss.putObject(b, "h/x.png", in(data), put);
        long after = System.currentTimeMillis();

        ObjectMetadata m = oss.getObjectMetadata(b, "h/x.png");
        assertThat(m.getContentLength()).isEqualTo(2048);
        assertThat(m.getContentType()).isEqualTo("image/png");
        assertThat(m.getETag()).isEqualTo(md5Hex(data));
        assertThat(m.getContentMD5()).isEqualTo(md5B64(data));
        assertThat(m.getServerCRC()).isEqualTo(crc(data));
        assertThat(m.getObjectType()).isEqualTo("Normal");
        assertThat(m.getObjectStorageClass()).isEqualTo(StorageClass.Standard);
        assertThat(m.getLastModified().getTime()).isBetween(before, after);
        assertThat(m.getUserMetadata()).containsEntry("k", "v");
        assertThat(m.getRawMetadata().get("Accept-Ranges")).isEqualTo("bytes");
        assertThat(m.getRequestId()).matches(REQUEST_ID);

        // headObject is the same request with a different result shape
        assertThat(oss.headObject(b, "h/x.png").getETag()).isEqualTo(md5Hex(data));

        OssHttp.Resp r = raw.req("HEAD", b, "h/x.png").send();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEmpty();
        assertThat(r.header("Content-Length")).isEqualTo("2048");
        assertThat(r.header("ETag")).isEqualTo("\"" + md5Hex(data) + "\"");
        assertThat(r.header("Last-Modified")).matches("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT");
        assertThat(r.header("x-oss-hash-crc64ecma")).isEqualTo(Long.toUnsignedString(crc(data)));
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void headOfMissingKeyOrBucket(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = newBucket(sig);
        ossError("NoSuchKey", () -> oss.getObjectMetadata(b, "absent"));
        ossError("NoSuchKey", () -> oss.headObject(b, "absent"));

        // HEAD errors carry no body: the error document travels base64-encoded in x-oss-err
        OssHttp.Resp r = raw.req("HEAD", b, "absent").send();
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.body()).isEmpty();
        assertThat(r.header("x-oss-err")).isNotNull();
        assertThat(r.code()).isEqualTo("NoSuchKey");
        assertThat(r.errorField("RequestId")).isEqualTo(r.header("x-oss-request-id"));
        assertThat(r.header("x-oss-ec")).isEqualTo(r.errorField("EC"));

        OssHttp.Resp nb = raw.req("HEAD", "no-such-bucket-head", "absent").send();
        assertThat(nb.status()).isEqualTo(404);
        assertThat(nb.code()).isEqualTo("NoSuchBucket");
        // J1 decodes x-oss-err before its own "404 means NoSuchKey" fallback handler runs
        ossError("NoSuchBucket", () -> oss.getObjectMetadata("no-such-bucket-head", "absent"));
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void simplifiedObjectMetaAndDoesObjectExist(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = newBucket(sig);
        byte[] data = random(777, 6);
        oss.putObject(b, "meta/obj", in(data));
        Date lastModified = oss.getObjectMetadata(b, "meta/obj").getLastModified();

        SimplifiedObjectMeta s = oss.getSimplifiedObjectMeta(b, "meta/obj");
        assertThat(s.getSize()).isEqualTo(777);
        assertThat(s.getETag()).isEqualTo(md5Hex(data));
        assertThat(s.getLastModified()).isEqualTo(lastModified);
        assertThat(s.getRequestId()).matches(REQUEST_ID);

        OssHttp.Resp r = raw.req("HEAD", b, "meta/obj").query("objectMeta", "").send();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEmpty();
        assertThat(r.header("Content-Length")).isEqualTo("777");
        assertThat(r.header("ETag")).isEqualTo("\"" + md5Hex(data) + "\"");
        assertThat(r.header("x-oss-hash-crc64ecma")).isEqualTo(Long.toUnsignedString(crc(data)));
        assertThat(r.header("Last-Modified")).isNotNull();

        assertThat(oss.doesObjectExist(b, "meta/obj")).isTrue();
        assertThat(oss.doesObjectExist(b, "meta/other")).isFalse();
        assertThat(oss.doesObjectExist(b, "meta")).isFalse();
        assertThat(oss.doesObjectExist("no-such-bucket-exists", "meta/obj")).isFalse();

        ossError("NoSuchKey", () -> oss.getSimplifiedObjectMeta(b, "meta/other"));
        OssHttp.Resp missing = raw.req("HEAD", b, "meta/other").query("objectMeta", "").send();
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.code()).isEqualTo("NoSuchKey");
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void objectAclRoundTrip(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = newBucket(sig);
        oss.putObject(b, "acl.txt", in(bytes("acl")));
        ObjectAcl initial = oss.getObjectAcl(b, "acl.txt");
        assertThat(initial.getPermission()).isEqualTo(ObjectPermission.Default);
        assertThat(initial.getOwner()).isNotNull();
        assertThat(initial.getOwner().getId()).isNotEmpty();
        assertThat(initial.getRequestId()).matches(REQUEST_ID);

        CannedAccessControlList[] acls = {CannedAccessControlList.Private, CannedAccessControlList.PublicRead,
            CannedAccessControlList.PublicReadWrite, CannedAccessControlList.Default};
        ObjectPermission[] expected = {ObjectPermission.Private, ObjectPermission.PublicRead,
            ObjectPermission.PublicReadWrite, ObjectPermission.Default};
        for (int i = 0; i < acls.length; i++) {
            oss.setObjectAcl(b, "acl.txt", acls[i]);
            assertThat(oss.getObjectAcl(b, "acl.txt").getPermission()).isEqualTo(expected[i]);
        }
        // changing the ACL leaves content and metadata alone
        assertThat(read(oss.getObject(b, "acl.txt"))).isEqualTo(bytes("acl"));

        OssHttp.Resp xml = raw.req("GET", b, "acl.txt").query("acl", "").send();
        assertThat(xml.status()).isEqualTo(200);
        assertThat(xml.text()).contains("<AccessControlPolicy>").contains("<Grant>default</Grant>");

        ossError("NoSuchKey", () -> oss.setObjectAcl(b, "absent", CannedAccessControlList.Private));
        ossError("NoSuchKey", () -> oss.getObjectAcl(b, "absent"));
        ossError("NoSuchBucket", () -> oss.getObjectAcl("no-such-bucket-acl", "absent"));

        OssHttp.Resp bad = raw.req("PUT", b, "acl.txt").query("acl", "").header("x-oss-object-acl", "world-writable").send();
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.code()).isEqualTo("InvalidArgument");
        OssHttp.Resp none = raw.req("PUT", b, "acl.txt").query("acl", "").send();
        assertThat(none.status()).isEqualTo(400);
        assertThat(oss.getObjectAcl(b, "acl.txt").getPermission()).isEqualTo(ObjectPermission.Default);
        OssHttp.Resp missing = raw.req("GET", b, "absent").query("acl", "").send();
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.code()).isEqualTo("NoSuchKey");
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void objectAclGovernsAnonymousAccess(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = newBucket(sig); // private bucket
        oss.putObject(b, "o", in(bytes("body")));
        assertThat(raw.req("GET", b, "o").anonymous().send().status()).isEqualTo(403);

        oss.setObjectAcl(b, "o", CannedAccessControlList.PublicRead);
        OssHttp.Resp get = raw.req("GET", b, "o").anonymous().send();
        assertThat(get.status()).isEqualTo(200);
        assertThat(get.text()).isEqualTo("body");
        OssHttp.Resp head = raw.req("HEAD", b, "o").anonymous().send();
        assertThat(head.status()).isEqualTo(200);
        // public-read does not allow anonymous writes
        OssHttp.Resp put = raw.req("PUT", b, "o").anonymous().body(bytes("overwritten")).send();
        assertThat(put.status()).isEqualTo(403);
        assertThat(put.code()).isEqualTo("AccessDenied");

        oss.setObjectAcl(b, "o", CannedAccessControlList.PublicReadWrite);
        OssHttp.Resp write = raw.req("PUT", b, "o").anonymous().body(bytes("anon")).send();
        assertThat(write.status()).isEqualTo(200);
        assertThat(read(oss.getObject(b, "o"))).isEqualTo(bytes("anon"));

        // an object's own private ACL wins over a public-read bucket
        oss.setBucketAcl(b, CannedAccessControlList.PublicRead);
        oss.putObject(b, "p", in(bytes("p")));
        assertThat(raw.req("GET", b, "p").anonymous().send().status()).isEqualTo(200);
        oss.setObjectAcl(b, "p", CannedAccessControlList.Private);
        OssHttp.Resp denied = raw.req("GET", b, "p").anonymous().send();
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.code()).isEqualTo("AccessDenied");
    }
}
