package dev.pail.it.j1;

import dev.pail.it.OssHttp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aliyun.oss.OSS;
import com.aliyun.oss.model.CannedAccessControlList;
import com.aliyun.oss.model.OSSObject;
import com.aliyun.oss.model.ObjectMetadata;
import com.aliyun.oss.model.ObjectPermission;
import com.aliyun.oss.model.PutObjectResult;
import com.aliyun.oss.model.StorageClass;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** PutObject (core.md §7.9): every request header, response headers, integrity checks. */
class PutObjectTest extends J1Base {

    @ParameterizedTest
    @EnumSource(Sig.class)
    void responseCarriesUpperCaseMd5EtagCrcAndRequestId(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = newBucket(sig);
        byte[] data = random(4321, 1);
        PutObjectResult r = oss.putObject(b, "etag.bin", in(data));
        assertThat(r.getETag()).isEqualTo(md5Hex(data)).matches(UPPER_MD5);
        assertThat(r.getRequestId()).matches(REQUEST_ID);
        // the SDK verified the CRC itself (InconsistentException otherwise); check it against ours too
        assertThat(r.getServerCRC()).isEqualTo(crc(data));
        assertThat(r.getClientCRC()).isEqualTo(crc(data));

        // the exact wire form
        OssHttp.Resp w = raw.req("PUT", b, "etag-raw.bin").body(data).send();
        assertThat(w.status()).isEqualTo(200);
        assertThat(w.header("ETag")).isEqualTo("\"" + md5Hex(data) + "\"");
        assertThat(w.header("x-oss-hash-crc64ecma")).isEqualTo(Long.toUnsignedString(crc(data)));
        assertThat(w.header("Content-MD5")).isEqualTo(md5B64(data));
        assertThat(w.header("x-oss-request-id")).matches(REQUEST_ID);
        assertThat(w.header("Server")).isEqualTo("AliyunOSS");
        assertThat(w.body()).isEmpty();

        // the same values come back on HEAD
        ObjectMetadata m = oss.getObjectMetadata(b, "etag.bin");
        assertThat(m.getETag()).isEqualTo(md5Hex(data));
        assertThat(m.getServerCRC()).isEqualTo(crc(data));
        assertThat(m.getContentMD5()).isEqualTo(md5B64(data));
        assertThat(m.getContentLength()).isEqualTo(data.length);
        assertThat(m.getObjectType()).isEqualTo("Normal");
        assertThat(m.getRequestId()).matches(REQUEST_ID);
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void contentTypeGivenOrGuessedFromExtension(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = newBucket(sig);
        ObjectMetadata given = new ObjectMetadata();
        given.setContentType("application/x-pail-test; charset=utf-8");
        oss.putObject(b, "given.txt", in(bytes("x")), given);
        assertThat(oss.getObjectMetadata(b, "given.txt").getContentType()).isEqualTo("application/x-pail-test; charset=utf-8");

        // J1 guesses from the extension itself (its oss.mime.types) and sends the result
        Map<String, String> expected = Map.of(
                "doc.txt", "text/plain", "data.json", "application/json", "img.jpg", "image/jpeg",
                "dir.v2/noext", "application/octet-stream");
        for (Map.Entry<String, String> e : expected.entrySet()) {
            oss.putObject(b, e.getKey(), in(bytes("x")));
            assertThat(oss.getObjectMetadata(b, e.getKey()).getContentType()).as(e.getKey()).isEqualTo(e.getValue());
            try (OSSObject o = oss.getObject(b, e.getKey())) {
                assertThat(o.getObjectMetadata().getContentType()).as(e.getKey()).isEqualTo(e.getValue());
            }
        }

        // a request without Content-Type: the server guesses (default application/octet-stream)
        for (Map.Entry<String, String> e : expected.entrySet()) {
            String key = "raw-" + e.getKey().replace("/", "-");
            OssHttp.Resp put = raw.req("PUT", b, key).body(bytes("y")).send();
            assertThat(put.status()).isEqualTo(200);
            assertThat(oss.getObjectMetadata(b, key).getContentType()).as(key).isEqualTo(e.getValue());
        }
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void contentMd5IsVerified(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = newBucket(sig);
        byte[] data = random(1000, 2);
        ObjectMetadata ok = new ObjectMetadata();
        ok.setContentMD5(md5B64(data));
        ok.setContentLength(data.length);
        assertThat(oss.putObject(b, "md5-ok", in(data), ok).getETag()).isEqualTo(md5Hex(data));
        assertThat(read(oss.getObject(b, "md5-ok"))).isEqualTo(data);

        // correct digest on a chunked upload (no length known)
        ObjectMetadata okChunked = new ObjectMetadata();
        okChunked.setContentMD5(md5B64(data));
        oss.putObject(b, "md5-ok-chunked", in(data), okChunked);
        assertThat(read(oss.getObject(b, "md5-ok-chunked"))).isEqualTo(data);

        ObjectMetadata wrong = new ObjectMetadata();
        wrong.setContentMD5(md5B64(bytes("something else")));
        wrong.setContentLength(data.length);
        ossError("InvalidDigest", () -> oss.putObject(b, "md5-wrong", in(data), wrong));
        assertThat(oss.doesObjectExist(b, "md5-wrong")).isFalse();

        // the same with an unknown length (chunked)
        ObjectMetadata wrongChunked = new ObjectMetadata();
        wrongChunked.setContentMD5(md5B64(bytes("something else")));
        ossError("InvalidDigest", () -> oss.putObject(b, "md5-wrong", in(data), wrongChunked));
        assertThat(oss.doesObjectExist(b, "md5-wrong")).isFalse();

        // a wrong digest must not replace an existing object
        ObjectMetadata wrongOverwrite = new ObjectMetadata();
        wrongOverwrite.setContentMD5(md5B64(data));
        ossError("InvalidDigest", () -> oss.putObject(b, "md5-ok", in(bytes("other")), wrongOverwrite));
        assertThat(read(oss.getObject(b, "md5-ok"))).isEqualTo(data);

        ObjectMetadata malformed = new ObjectMetadata();
        malformed.setContentMD5("not-base64!");
        ossError("InvalidDigest", () -> oss.putObject(b, "md5-bad", in(data), malformed));

        OssHttp.Resp w = raw.req("PUT", b, "md5-raw").header("Content-MD5", md5B64(bytes("zz"))).body(data).send();
        assertThat(w.status()).isEqualTo(400);
        assertThat(w.code()).isEqualTo("InvalidDigest");
        assertThat(w.header("Content-Type")).startsWith("application/xml");
        assertThat(w.errorField("RequestId")).isEqualTo(w.header("x-oss-request-id"));
        assertThat(w.header("x-oss-ec")).matches("\\d{4}-\\d{8}");
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void userMetadataNamesAreStoredLowerCase(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = newBucket(sig);
        ObjectMetadata m = new ObjectMetadata();
        m.addUserMetadata("Author", "Alice Smith");
        m.addUserMetadata("MixedCase-Name", "Value With Spaces");
        m.addUserMetadata("lower", "x=1;y=2");
        oss.putObject(b, "meta.txt", in(bytes("meta")), m);

        Map<String, String> expected = Map.of("author", "Alice Smith", "mixedcase-name", "Value With Spaces", "lower", "x=1;y=2");
        assertThat(oss.getObjectMetadata(b, "meta.txt").getUserMetadata()).isEqualTo(expected);
        try (OSSObject o = oss.getObject(b, "meta.txt")) {
            assertThat(o.getObjectMetadata().getUserMetadata()).isEqualTo(expected);
        }
        // J1 sends non-ASCII values as raw UTF-8 bytes (core.md §3.2; some code points do not survive Apache
        // HttpClient, these do) and decodes them back the same way
        ObjectMetadata utf8 = new ObjectMetadata();
        utf8.addUserMetadata("Greeting", "héllo 中");
        oss.putObject(b, "meta-utf8.txt", in(bytes("m")), utf8);
        assertThat(oss.getObjectMetadata(b, "meta-utf8.txt").getUserMetadata()).containsExactly(Map.entry("greeting", "héllo 中"));
        OssHttp.Resp g = raw.req("GET", b, "meta.txt").send();
        assertThat(g.header("x-oss-meta-author")).isEqualTo("Alice Smith");
        assertThat(g.header("x-oss-meta-mixedcase-name")).isEqualTo("Value With Spaces");
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void standardHeadersAreStoredAndReturned(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = newBucket(sig);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(gz)) {
            z.write(bytes("compressed text ".repeat(100)));
        }
        byte[] data = gz.toByteArray();
        Date expires = Date.from(Instant.now().plus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS));
        ObjectMetadata m = new ObjectMetadata();
        m.setContentType("text/plain");
        m.setCacheControl("no-cache, max-age=0");
        m.setContentDisposition("attachment; filename=\"report.txt\"");
        m.setContentEncoding("gzip");
        m.setExpirationTime(expires);
        m.setHeader("Content-Language", "de-CH");
        oss.putObject(b, "headers.txt", in(data), m);

        ObjectMetadata h = oss.getObjectMetadata(b, "headers.txt");
        assertThat(h.getCacheControl()).isEqualTo("no-cache, max-age=0");
        assertThat(h.getContentDisposition()).isEqualTo("attachment; filename=\"report.txt\"");
        assertThat(h.getContentEncoding()).isEqualTo("gzip");
        assertThat(h.getExpirationTime()).isEqualTo(expires);
        assertThat(h.getRawMetadata().get("Content-Language")).isEqualTo("de-CH");
        assertThat(h.getContentType()).isEqualTo("text/plain");
        assertThat(h.getContentLength()).isEqualTo(data.length);

        try (OSSObject o = oss.getObject(b, "headers.txt")) {
            ObjectMetadata g = o.getObjectMetadata();
            assertThat(g.getCacheControl()).isEqualTo("no-cache, max-age=0");
            assertThat(g.getContentDisposition()).isEqualTo("attachment; filename=\"report.txt\"");
            assertThat(g.getContentEncoding()).isEqualTo("gzip");
            assertThat(g.getExpirationTime()).isEqualTo(expires);
            // the stored bytes come back as stored: the server does not decode or re-encode
            assertThat(o.getObjectContent().readAllBytes()).isEqualTo(data);
        }
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void objectAclHeader(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = newBucket(sig);
        ObjectMetadata m = new ObjectMetadata();
        m.setObjectAcl(CannedAccessControlList.PublicRead);
        oss.putObject(b, "public.txt", in(bytes("open")), m);
        oss.putObject(b, "private.txt", in(bytes("closed")));
        assertThat(oss.getObjectAcl(b, "public.txt").getPermission()).isEqualTo(ObjectPermission.PublicRead);
        assertThat(oss.getObjectAcl(b, "private.txt").getPermission()).isEqualTo(ObjectPermission.Default);

        OssHttp.Resp anon = raw.req("GET", b, "public.txt").anonymous().send();
        assertThat(anon.status()).isEqualTo(200);
        assertThat(anon.text()).isEqualTo("open");
        OssHttp.Resp denied = raw.req("GET", b, "private.txt").anonymous().send();
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.code()).isEqualTo("AccessDenied");

        OssHttp.Resp bad = raw.req("PUT", b, "bad-acl.txt").header("x-oss-object-acl", "everyone").body(bytes("x")).send();
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.code()).isEqualTo("InvalidArgument");
        assertThat(oss.doesObjectExist(b, "bad-acl.txt")).isFalse();
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void storageClassHeader(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = newBucket(sig);
        for (StorageClass c : new StorageClass[] {StorageClass.IA, StorageClass.Archive, StorageClass.Standard}) {
            ObjectMetadata m = new ObjectMetadata();
            m.setHeader("x-oss-storage-class", c.toString());
            oss.putObject(b, "sc-" + c, in(bytes("x")), m);
            assertThat(oss.getObjectMetadata(b, "sc-" + c).getObjectStorageClass()).isEqualTo(c);
        }
        oss.putObject(b, "sc-default", in(bytes("x")));
        assertThat(oss.getObjectMetadata(b, "sc-default").getObjectStorageClass()).isEqualTo(StorageClass.Standard);

        OssHttp.Resp bad = raw.req("PUT", b, "sc-bad").header("x-oss-storage-class", "Glacier").body(bytes("x")).send();
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.code()).isEqualTo("InvalidArgument");
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void forbidOverwrite(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = newBucket(sig);
        ObjectMetadata forbid = new ObjectMetadata();
        forbid.setHeader("x-oss-forbid-overwrite", "true");
        // a new key may be written with the header
        oss.putObject(b, "fo.txt", in(bytes("first")), forbid);

        ObjectMetadata forbidAgain = new ObjectMetadata();
        forbidAgain.setHeader("x-oss-forbid-overwrite", "true");
        ossError("FileAlreadyExists", () -> oss.putObject(b, "fo.txt", in(bytes("second")), forbidAgain));
        assertThat(read(oss.getObject(b, "fo.txt"))).isEqualTo(bytes("first"));

        ObjectMetadata allow = new ObjectMetadata();
        allow.setHeader("x-oss-forbid-overwrite", "false");
        oss.putObject(b, "fo.txt", in(bytes("third")), allow);
        assertThat(read(oss.getObject(b, "fo.txt"))).isEqualTo(bytes("third"));

        ObjectMetadata bad = new ObjectMetadata();
        bad.setHeader("x-oss-forbid-overwrite", "yes");
        ossError("InvalidArgument", () -> oss.putObject(b, "fo-new.txt", in(bytes("x")), bad));
        assertThat(oss.doesObjectExist(b, "fo-new.txt")).isFalse();

        OssHttp.Resp conflict = raw.req("PUT", b, "fo.txt").header("x-oss-forbid-overwrite", "true").body(bytes("4")).send();
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.code()).isEqualTo("FileAlreadyExists");
        OssHttp.Resp invalid = raw.req("PUT", b, "fo.txt").header("x-oss-forbid-overwrite", "1").body(bytes("4")).send();
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.code()).isEqualTo("InvalidArgument");
        assertThat(read(oss.getObject(b, "fo.txt"))).isEqualTo(bytes("third"));
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void serverSideEncryptionIsStoredAndEchoed(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = newBucket(sig);
        ObjectMetadata aes = new ObjectMetadata();
        aes.setServerSideEncryption("AES256");
        oss.putObject(b, "aes", in(bytes("a")), aes);
        assertThat(oss.getObjectMetadata(b, "aes").getServerSideEncryption()).isEqualTo("AES256");
        try (OSSObject o = oss.getObject(b, "aes")) {
            assertThat(o.getObjectMetadata().getServerSideEncryption()).isEqualTo("AES256");
            assertThat(o.getObjectContent().readAllBytes()).isEqualTo(bytes("a"));
        }

        ObjectMetadata kms = new ObjectMetadata();
        kms.setServerSideEncryption("KMS");
        kms.setServerSideEncryptionKeyId("my-cmk-id");
        oss.putObject(b, "kms", in(bytes("k")), kms);
        ObjectMetadata kmsHead = oss.getObjectMetadata(b, "kms");
        assertThat(kmsHead.getServerSideEncryption()).isEqualTo("KMS");
        assertThat(kmsHead.getServerSideEncryptionKeyId()).isEqualTo("my-cmk-id");
        try (OSSObject o = oss.getObject(b, "kms")) {
            assertThat(o.getObjectMetadata().getServerSideEncryption()).isEqualTo("KMS");
            assertThat(o.getObjectMetadata().getServerSideEncryptionKeyId()).isEqualTo("my-cmk-id");
        }

        ObjectMetadata kmsSm4 = new ObjectMetadata();
        kmsSm4.setServerSideEncryption("KMS");
        kmsSm4.setServerSideDataEncryption("SM4");
        oss.putObject(b, "kms-sm4", in(bytes("k")), kmsSm4);
        ObjectMetadata kmsSm4Head = oss.getObjectMetadata(b, "kms-sm4");
        assertThat(kmsSm4Head.getServerSideEncryption()).isEqualTo("KMS");
        assertThat(kmsSm4Head.getServerSideDataEncryption()).isEqualTo("SM4");
        assertThat(kmsSm4Head.getServerSideEncryptionKeyId()).isNotEmpty();

        ObjectMetadata sm4 = new ObjectMetadata();
        sm4.setServerSideEncryption("SM4");
        oss.putObject(b, "sm4", in(bytes("s")), sm4);
        assertThat(oss.getObjectMetadata(b, "sm4").getServerSideEncryption()).isEqualTo("SM4");

        oss.putObject(b, "plain", in(bytes("p")));
        assertThat(oss.getObjectMetadata(b, "plain").getServerSideEncryption()).isNull();

        // the PutObject response echoes it as well
        OssHttp.Resp put = raw.req("PUT", b, "aes-raw").header("x-oss-server-side-encryption", "AES256").body(bytes("r")).send();
        assertThat(put.status()).isEqualTo(200);
        assertThat(put.header("x-oss-server-side-encryption")).isEqualTo("AES256");
        OssHttp.Resp putKms = raw.req("PUT", b, "kms-raw").header("x-oss-server-side-encryption", "KMS")
                .header("x-oss-server-side-encryption-key-id", "cmk-2").body(bytes("r")).send();
        assertThat(putKms.header("x-oss-server-side-encryption")).isEqualTo("KMS");
        assertThat(putKms.header("x-oss-server-side-encryption-key-id")).isEqualTo("cmk-2");

        OssHttp.Resp bad = raw.req("PUT", b, "sse-bad").header("x-oss-server-side-encryption", "ROT13").body(bytes("r")).send();
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.code()).isEqualTo("InvalidArgument");
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void putIntoMissingBucket(Sig sig) throws Exception {
        ossError("NoSuchBucket", () -> oss(sig).putObject("no-such-bucket-" + sig.name().toLowerCase(), "k", in(bytes("x"))));
        OssHttp.Resp r = raw.req("PUT", "no-such-bucket-raw", "k").body(bytes("x")).send();
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.code()).isEqualTo("NoSuchBucket");
        assertThat(r.errorField("BucketName")).isEqualTo("no-such-bucket-raw");
    }

    // ---- object names (core.md §8) ------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Sig.class)
    void keyOf1023BytesIsAcceptedAndLongerIsInvalidObjectName(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = newBucket(sig);
        String max = "€".repeat(341); // 3 bytes each: 1023 bytes
        assertThat(bytes(max)).hasSize(1023);
        oss.putObject(b, max, in(bytes("longest")));
        assertThat(read(oss.getObject(b, max))).isEqualTo(bytes("longest"));
        assertThat(oss.listObjects(b).getObjectSummaries()).extracting(s -> s.getKey()).containsExactly(max);

        // J1 refuses keys of 1024 bytes or more client-side (OSSUtils.validateObjectKey, IllegalArgumentException),
        // so the server's own check is exercised with a hand-signed request.
        String tooLong = "a".repeat(1024);
        assertThatThrownBy(() -> oss.putObject(b, tooLong, in(bytes("x")))).isInstanceOf(IllegalArgumentException.class);
        for (String k : new String[] {tooLong, "€".repeat(342), "b".repeat(2000)}) {
            OssHttp.Resp put = raw.req("PUT", b, k).body(bytes("x")).send();
            assertThat(put.status()).isEqualTo(400);
            assertThat(put.code()).isEqualTo("InvalidObjectName");
            OssHttp.Resp get = raw.req("GET", b, k).send();
            assertThat(get.status()).isEqualTo(400);
            assertThat(get.code()).isEqualTo("InvalidObjectName");
            OssHttp.Resp head = raw.req("HEAD", b, k).send();
            assertThat(head.status()).isEqualTo(400);
            assertThat(head.code()).isEqualTo("InvalidObjectName");
        }
        assertThat(oss.listObjects(b).getObjectSummaries()).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void keysStartingWithSlashOrBackslashAreInvalid(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = newBucket(sig);
        // J1 lets a leading '/' through and percent-encodes the whole key (/bucket/%2Fabc)
        ossError("InvalidObjectName", () -> oss.putObject(b, "/abc", in(bytes("x"))));
        // J1 refuses a leading '\' client-side; send it by hand
        assertThatThrownBy(() -> oss.putObject(b, "\\abc", in(bytes("x")))).isInstanceOf(IllegalArgumentException.class);
        OssHttp.Resp r = raw.req("PUT", b, "\\abc").body(bytes("x")).send();
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.code()).isEqualTo("InvalidObjectName");
        assertThat(oss.listObjects(b).getObjectSummaries()).isEmpty();
    }
}
