package dev.pail.it.upload;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.OSS;
import com.aliyun.oss.model.CannedAccessControlList;
import com.aliyun.oss.model.CompleteMultipartUploadResult;
import com.aliyun.oss.model.InitiateMultipartUploadRequest;
import com.aliyun.oss.model.InitiateMultipartUploadResult;
import com.aliyun.oss.model.ListPartsRequest;
import com.aliyun.oss.model.ObjectMetadata;
import com.aliyun.oss.model.ObjectPermission;
import com.aliyun.oss.model.PartETag;
import com.aliyun.oss.model.PartSummary;
import com.aliyun.oss.model.UploadPartRequest;
import com.aliyun.oss.model.UploadPartResult;
import com.aliyun.sdk.service.oss2.models.InitiateMultipartUploadRequest.Builder;
import dev.pail.it.RawHttp;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** InitiateMultipartUpload and UploadPart (features.md §3.1, §3.2, §10) through J1, V2 and raw HTTP. */
class InitiateAndUploadPartTest extends UploadBase {

    private static final String SSE = "x-oss-server-side-encryption";
    private static final String SSE_DATA = "x-oss-server-side-data-encryption";
    private static final String SSE_KEY = "x-oss-server-side-encryption-key-id";

    private RawHttp.Resp rawPart(String b, String k, String id, Object n, byte[] data) {
        return raw("PUT", b, k, "partNumber=" + n + "&uploadId=" + id).body(data).send();
    }

    private List<PartSummary> parts(String b, String k, String id) {
        return v1.listParts(new ListPartsRequest(b, k, id)).getParts();
    }

    // ---- Initiate ---------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Sig.class)
    void initiateHeadersBecomeTheObjectsAttributes(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = newBucket();
        byte[] old = bytes("previous version");
        oss.putObject(b, "doc", in(old));

        ObjectMetadata m = new ObjectMetadata();
        m.setContentType("application/x-custom");
        m.setCacheControl("no-store");
        m.setContentDisposition("inline; filename=\"doc.bin\"");
        m.setHeader("Expires", "Wed, 21 Oct 2037 07:28:00 GMT");
        m.addUserMetadata("project", "pail");
        m.addUserMetadata("step", "initiate");
        m.setObjectAcl(CannedAccessControlList.PublicRead);
        m.setHeader("x-oss-storage-class", "IA");
        m.setServerSideEncryption("KMS");
        InitiateMultipartUploadResult init = oss.initiateMultipartUpload(new InitiateMultipartUploadRequest(b, "doc", m));
        String id = init.getUploadId();
        assertThat(id).matches("[0-9A-F]{32}");
        assertThat(init.getBucketName()).isEqualTo(b);
        assertThat(init.getKey()).isEqualTo("doc");
        Map<String, String> ih = init.getResponse().getHeaders();
        assertThat(ih.get(SSE)).isEqualTo("KMS");
        String keyId = ih.get(SSE_KEY);
        assertThat(keyId).as("generated KMS key id").isNotBlank();
        assertThat(ih.get(SSE_DATA)).isNull();

        // the existing object is unaffected while the upload runs
        assertThat(read(oss.getObject(b, "doc"))).isEqualTo(old);

        byte[] p1 = random(120 * KB, 1);
        byte[] p2 = random(10 * KB, 2);
        UploadPartResult r1 = oss.uploadPart(new UploadPartRequest(b, "doc", id, 1, in(p1), p1.length));
        UploadPartResult r2 = oss.uploadPart(new UploadPartRequest(b, "doc", id, 2, in(p2), p2.length));
        for (UploadPartResult r : List.of(r1, r2)) {
            assertThat(r.getResponse().getHeaders().get(SSE)).isEqualTo("KMS");
            assertThat(r.getResponse().getHeaders().get(SSE_KEY)).isEqualTo(keyId);
        }
        assertThat(oss.listParts(new ListPartsRequest(b, "doc", id)).getStorageClass()).isEqualTo("IA");
        CompleteMultipartUploadResult done = complete(oss, b, "doc", id, r1.getPartETag(), r2.getPartETag());
        // (J1 keeps no response headers of Complete; the raw SSE test checks Complete's echo)
        assertThat(done.getServerCRC()).isEqualTo(crc64(concat(p1, p2)));

        ObjectMetadata h = oss.getObjectMetadata(b, "doc");
        assertThat(h.getObjectType()).isEqualTo("Multipart");
        assertThat(h.getContentType()).isEqualTo("application/x-custom");
        assertThat(h.getCacheControl()).isEqualTo("no-store");
        assertThat(h.getContentDisposition()).isEqualTo("inline; filename=\"doc.bin\"");
        assertThat(h.getRawExpiresValue()).isEqualTo("Wed, 21 Oct 2037 07:28:00 GMT");
        assertThat(h.getUserMetadata()).containsExactlyInAnyOrderEntriesOf(Map.of("project", "pail", "step", "initiate"));
        assertThat(h.getObjectStorageClass().toString()).isEqualTo("IA");
        assertThat(h.getServerSideEncryption()).isEqualTo("KMS");
        assertThat(h.getServerSideEncryptionKeyId()).isEqualTo(keyId);
        assertThat(h.getContentLength()).isEqualTo(p1.length + p2.length);
        assertThat(oss.getObjectAcl(b, "doc").getPermission()).isEqualTo(ObjectPermission.PublicRead);
        assertThat(read(oss.getObject(b, "doc"))).isEqualTo(concat(p1, p2));
    }

    @Test
    void initiateEchoesServerSideEncryptionByTheOssRules() {
        String b = newBucket();
        record Case(String sse, String data, String keyId, String echoSse, String echoData, boolean echoKey) {}
        List<Case> cases = List.of(
                new Case(null, null, null, null, null, false),
                new Case("KMS", null, null, "KMS", null, true),
                new Case("KMS", "SM4", null, "KMS", "SM4", true),
                new Case("AES256", null, null, "AES256", null, false),
                new Case("AES256", "SM4", null, "AES256", null, false),
                new Case("SM4", null, null, "SM4", null, false),
                new Case("SM4", "SM4", null, "SM4", null, false),
                new Case(null, "SM4", null, null, null, false),
                new Case("KMS", null, "my-cmk", "KMS", null, true));
        int i = 0;
        for (Case c : cases) {
            String key = "sse-" + i++;
            RawCall call = raw("POST", b, key, "uploads");
            if (c.sse() != null) call.header(SSE, c.sse());
            if (c.data() != null) call.header(SSE_DATA, c.data());
            if (c.keyId() != null) call.header(SSE_KEY, c.keyId());
            RawHttp.Resp init = call.send();
            assertThat(init.status()).as("%s", c).isEqualTo(200);
            assertThat(init.header(SSE)).as("%s", c).isEqualTo(c.echoSse());
            assertThat(init.header(SSE_DATA)).as("%s", c).isEqualTo(c.echoData());
            String keyId = init.header(SSE_KEY);
            if (c.echoKey()) assertThat(keyId).as("%s", c).isNotBlank();
            else assertThat(keyId).as("%s", c).isNull();
            if (c.keyId() != null) assertThat(keyId).isEqualTo(c.keyId());

            // UploadPart and Complete echo the same set; so do HEAD and GET of the object
            String id = element(init.text(), "UploadId");
            byte[] data = bytes("part of " + key);
            RawHttp.Resp part = rawPart(b, key, id, 1, data);
            assertThat(part.status()).isEqualTo(200);
            RawHttp.Resp done = raw("POST", b, key, "uploadId=" + id).body(completeXml(1, md5Hex(data))).send();
            assertThat(done.status()).as("%s %s", c, done.text()).isEqualTo(200);
            RawHttp.Resp head = raw("HEAD", b, key, "").send();
            for (RawHttp.Resp r : List.of(part, done, head)) {
                assertThat(r.header(SSE)).as("%s", c).isEqualTo(c.echoSse());
                assertThat(r.header(SSE_DATA)).as("%s", c).isEqualTo(c.echoData());
                assertThat(r.header(SSE_KEY)).as("%s", c).isEqualTo(keyId);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void forbidOverwriteIsCheckedAtInitiateAndAtComplete(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = newBucket();
        oss.putObject(b, "taken", in(bytes("original")));
        ObjectMetadata forbid = new ObjectMetadata();
        forbid.setHeader("x-oss-forbid-overwrite", "true");
        ossError("FileAlreadyExists", () -> oss.initiateMultipartUpload(new InitiateMultipartUploadRequest(b, "taken", forbid)));
        raw("POST", b, "taken", "uploads").header("x-oss-forbid-overwrite", "true").send().assertError(409, "FileAlreadyExists");
        raw("POST", b, "taken", "uploads").header("x-oss-forbid-overwrite", "maybe").send().assertError(400, "InvalidArgument");

        // initiated while the key is free; the key is taken before Complete
        String id = oss.initiateMultipartUpload(new InitiateMultipartUploadRequest(b, "free", forbid)).getUploadId();
        PartETag p = part(oss, b, "free", id, 1, bytes("multipart"));
        oss.putObject(b, "free", in(bytes("someone else")));
        ossError("FileAlreadyExists", () -> complete(oss, b, "free", id, p));
        raw("POST", b, "free", "uploadId=" + id).body(completeXml(1, p.getETag())).send().assertError(409, "FileAlreadyExists");
        assertThat(read(oss.getObject(b, "free"))).isEqualTo(bytes("someone else"));
        // the refused Complete did not end the upload
        assertThat(parts(b, "free", id)).hasSize(1);
        // x-oss-forbid-overwrite: false on Complete overrides the Initiate-time flag
        RawHttp.Resp over = raw("POST", b, "free", "uploadId=" + id).header("x-oss-forbid-overwrite", "false")
                .body(completeXml(1, p.getETag())).send();
        assertThat(over.status()).isEqualTo(200);
        assertThat(read(oss.getObject(b, "free"))).isEqualTo(bytes("multipart"));

        // forbid-overwrite given only on Complete
        String id2 = initiate(oss, b, "taken");
        PartETag p2 = part(oss, b, "taken", id2, 1, bytes("x"));
        raw("POST", b, "taken", "uploadId=" + id2).header("x-oss-forbid-overwrite", "true").body(completeXml(1, p2.getETag()))
                .send().assertError(409, "FileAlreadyExists");
        assertThat(read(oss.getObject(b, "taken"))).isEqualTo(bytes("original"));
        // without the flag the upload overwrites
        complete(oss, b, "taken", id2, p2);
        assertThat(read(oss.getObject(b, "taken"))).isEqualTo(bytes("x"));
    }

    @Test
    void encodingTypeUrlEncodesTheKey() {
        String b = newBucket();
        String key = "dir/a b+c&ü.txt";
        RawHttp.Resp enc = raw("POST", b, key, "uploads&encoding-type=url").send();
        assertThat(enc.status()).isEqualTo(200);
        assertThat(element(enc.text(), "Key")).isEqualTo("dir%2Fa%20b%2Bc%26%C3%BC.txt");
        assertThat(element(enc.text(), "EncodingType")).isEqualTo("url");
        assertThat(element(enc.text(), "Bucket")).isEqualTo(b);
        assertThat(element(enc.text(), "UploadId")).matches("[0-9A-F]{32}");

        RawHttp.Resp plain = raw("POST", b, key, "uploads").send();
        assertThat(element(plain.text(), "Key")).isEqualTo("dir/a b+c&amp;ü.txt");
        assertThat(hasElement(plain.text(), "EncodingType")).isFalse();
        // oss2 style empty value
        assertThat(raw("POST", b, key, "uploads=").send().status()).isEqualTo(200);

        // the SDKs give back the key as sent
        assertThat(v1.initiateMultipartUpload(new InitiateMultipartUploadRequest(b, key)).getKey()).isEqualTo(key);
        Builder r = com.aliyun.sdk.service.oss2.models.InitiateMultipartUploadRequest.newBuilder().bucket(b).key(key).encodingType("url");
        var v2init = v2.initiateMultipartUpload(r.build()).initiateMultipartUpload();
        assertThat(v2init.key()).isEqualTo(key);
        assertThat(v2init.uploadId()).matches("[0-9A-F]{32}");
    }

    // ---- UploadPart -------------------------------------------------------------------------

    @Test
    void partNumbersOutside1To10000AreInvalid() {
        String b = newBucket();
        String id = initiate(v1, b, "bounds");
        for (String n : List.of("0", "10001", "-1", "abc", "", "1.5", "99999999999")) {
            rawPart(b, "bounds", id, n, bytes("x")).assertError(400, "InvalidArgument");
        }
        assertThat(rawPart(b, "bounds", id, 1, bytes("first")).status()).isEqualTo(200);
        assertThat(rawPart(b, "bounds", id, 10000, bytes("last")).status()).isEqualTo(200);
        assertThat(parts(b, "bounds", id)).extracting(PartSummary::getPartNumber).containsExactly(1, 10000);
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void uploadPartReturnsEtagContentMd5AndCrc(Sig sig) {
        OSS oss = oss(sig);
        String b = newBucket();
        String id = initiate(oss, b, "h");
        byte[] data = random(150 * KB + 3, 7);
        UploadPartResult r = oss.uploadPart(new UploadPartRequest(b, "h", id, 3, in(data), data.length));
        assertThat(r.getPartNumber()).isEqualTo(3);
        assertThat(r.getETag()).isEqualTo(md5Hex(data));
        assertThat(r.getPartETag().getPartCRC()).isEqualTo(crc64(data));
        assertThat(r.getServerCRC()).isEqualTo(crc64(data));

        RawHttp.Resp raw = rawPart(b, "h", id, 4, data);
        assertThat(raw.status()).isEqualTo(200);
        assertThat(raw.header("etag")).isEqualTo(quoted(md5Hex(data)));
        assertThat(raw.header("content-md5")).isEqualTo(md5B64(data));
        assertThat(raw.header("x-oss-hash-crc64ecma")).isEqualTo(crcString(data));
        assertThat(raw.body()).isEmpty();

        RawHttp.Resp empty = rawPart(b, "h", id, 5, new byte[0]);
        assertThat(empty.status()).isEqualTo(200);
        assertThat(empty.header("etag")).isEqualTo("\"D41D8CD98F00B204E9800998ECF8427E\"");
        assertThat(empty.header("x-oss-hash-crc64ecma")).isEqualTo("0");

        // unrelated headers that ali-oss forwards are ignored
        RawHttp.Resp extra = raw("PUT", b, "h", "partNumber=6&uploadId=" + id).header("x-oss-meta-x", "y")
                .header("x-oss-object-acl", "public-read").header("x-oss-tagging", "a=b").header("Content-Type", "text/plain")
                .body(data).send();
        assertThat(extra.status()).isEqualTo(200);
        assertThat(extra.header("etag")).isEqualTo(quoted(md5Hex(data)));
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void contentMd5IsCheckedOnUploadPart(Sig sig) {
        OSS oss = oss(sig);
        String b = newBucket();
        String id = initiate(oss, b, "md5");
        byte[] a = random(5000, 1);
        byte[] c = random(6000, 2);
        UploadPartRequest good = new UploadPartRequest(b, "md5", id, 1, in(a), a.length);
        good.setMd5Digest(md5B64(a));
        assertThat(oss.uploadPart(good).getETag()).isEqualTo(md5Hex(a));

        UploadPartRequest bad = new UploadPartRequest(b, "md5", id, 1, in(c), c.length);
        bad.setMd5Digest(md5B64(a));
        ossError("InvalidDigest", () -> oss.uploadPart(bad));
        raw("PUT", b, "md5", "partNumber=1&uploadId=" + id).header("Content-MD5", md5B64(a)).body(c).send()
                .assertError(400, "InvalidDigest");
        raw("PUT", b, "md5", "partNumber=2&uploadId=" + id).header("Content-MD5", md5B64(a)).body(c).chunked().send()
                .assertError(400, "InvalidDigest");
        // the stored part 1 is still the good one, and no part 2 was stored
        List<PartSummary> ps = parts(b, "md5", id);
        assertThat(ps).extracting(PartSummary::getPartNumber).containsExactly(1);
        assertThat(ps.getFirst().getETag()).isEqualTo(md5Hex(a));
        assertThat(ps.getFirst().getSize()).isEqualTo(a.length);
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void reUploadingAPartNumberReplacesIt(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = newBucket();
        String id = initiate(oss, b, "ow");
        byte[] first = random(150 * KB, 1);
        byte[] second = random(120 * KB, 2);
        byte[] tail = random(1000, 3);
        PartETag e1 = part(oss, b, "ow", id, 1, first);
        PartETag e2 = part(oss, b, "ow", id, 1, second);
        PartETag t = part(oss, b, "ow", id, 2, tail);
        List<PartSummary> ps = parts(b, "ow", id);
        assertThat(ps).hasSize(2);
        assertThat(ps.getFirst().getETag()).isEqualTo(md5Hex(second));
        assertThat(ps.getFirst().getSize()).isEqualTo(second.length);
        // the replaced part's ETag no longer matches
        ossError("InvalidPart", () -> complete(oss, b, "ow", id, e1, t));
        CompleteMultipartUploadResult r = complete(oss, b, "ow", id, e2, t);
        assertThat(r.getETag()).isEqualTo(multipartEtag(second, tail));
        assertThat(read(oss.getObject(b, "ow"))).isEqualTo(concat(second, tail));
    }

    @Test
    void chunkedPartBodies() throws Exception {
        String b = newBucket();
        String id = initiate(v1, b, "chunked");
        byte[] p1 = random(200 * KB + 11, 1);
        byte[] p2 = random(50 * KB + 1, 2);
        UploadPartRequest r = new UploadPartRequest(b, "chunked", id, 1, in(p1), p1.length);
        r.setUseChunkEncoding(true);
        UploadPartResult res = v1.uploadPart(r);
        assertThat(res.getETag()).isEqualTo(md5Hex(p1));
        assertThat(res.getServerCRC()).isEqualTo(crc64(p1));
        RawHttp.Resp c2 = raw("PUT", b, "chunked", "partNumber=2&uploadId=" + id).header("Expect", "100-continue").body(p2).chunked().send();
        assertThat(c2.status()).isEqualTo(200);
        assertThat(c2.header("etag")).isEqualTo(quoted(md5Hex(p2)));
        assertThat(c2.header("x-oss-hash-crc64ecma")).isEqualTo(crcString(p2));
        complete(v1, b, "chunked", id, res.getPartETag(), new PartETag(2, md5Hex(p2), p2.length, crc64(p2)));
        assertThat(read(v1.getObject(b, "chunked"))).isEqualTo(concat(p1, p2));
    }

    @Test
    void encryptionHeadersOnUploadPartAndCompleteAreRefused() {
        String b = newBucket();
        String id = initiate(v1, b, "sse");
        byte[] data = bytes("data");
        for (String[] h : new String[][] {{SSE, "AES256"}, {SSE, "KMS"}, {SSE_DATA, "SM4"}, {SSE_KEY, "cmk"}}) {
            raw("PUT", b, "sse", "partNumber=1&uploadId=" + id).header(h[0], h[1]).body(data).send()
                    .assertError(400, "InvalidArgument");
        }
        assertThat(parts(b, "sse", id)).isEmpty();
        assertThat(rawPart(b, "sse", id, 1, data).status()).isEqualTo(200);
        raw("POST", b, "sse", "uploadId=" + id).header(SSE, "AES256").body(completeXml(1, md5Hex(data))).send()
                .assertError(400, "InvalidArgument");
        assertThat(raw("HEAD", b, "sse", "").send().status()).isEqualTo(404);
        assertThat(parts(b, "sse", id)).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void unknownAbortedAndCompletedUploadsAreNoSuchUpload(Sig sig) {
        OSS oss = oss(sig);
        String b = newBucket();
        byte[] data = bytes("d");
        String unknown = "0123456789ABCDEF0123456789ABCDEF";
        ossError("NoSuchUpload", () -> oss.uploadPart(new UploadPartRequest(b, "k", unknown, 1, in(data), 1)));
        rawPart(b, "k", unknown, 1, data).assertError(404, "NoSuchUpload");
        rawPart(b, "k", "", 1, data).assertError(404, "NoSuchUpload");

        String aborted = initiate(oss, b, "k");
        oss.abortMultipartUpload(new com.aliyun.oss.model.AbortMultipartUploadRequest(b, "k", aborted));
        ossError("NoSuchUpload", () -> oss.uploadPart(new UploadPartRequest(b, "k", aborted, 1, in(data), 1)));
        rawPart(b, "k", aborted, 1, data).assertError(404, "NoSuchUpload");

        String completed = initiate(oss, b, "k");
        complete(oss, b, "k", completed, part(oss, b, "k", completed, 1, data));
        ossError("NoSuchUpload", () -> oss.uploadPart(new UploadPartRequest(b, "k", completed, 2, in(data), 1)));
        rawPart(b, "k", completed, 2, data).assertError(404, "NoSuchUpload");

        // an upload id is bound to its key
        String other = initiate(oss, b, "other");
        rawPart(b, "k", other, 1, data).assertError(404, "NoSuchUpload");
        assertThat(rawPart(b, "other", other, 1, data).status()).isEqualTo(200);
        // a missing bucket is NoSuchBucket
        rawPart(b + "-missing", "k", other, 1, data).assertError(404, "NoSuchBucket");
    }
}
