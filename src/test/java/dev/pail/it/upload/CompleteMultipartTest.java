package dev.pail.it.upload;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.OSS;
import com.aliyun.oss.model.AbortMultipartUploadRequest;
import com.aliyun.oss.model.CannedAccessControlList;
import com.aliyun.oss.model.CompleteMultipartUploadRequest;
import com.aliyun.oss.model.CompleteMultipartUploadResult;
import com.aliyun.oss.model.GetObjectRequest;
import com.aliyun.oss.model.InitiateMultipartUploadRequest;
import com.aliyun.oss.model.ListPartsRequest;
import com.aliyun.oss.model.ObjectMetadata;
import com.aliyun.oss.model.ObjectPermission;
import com.aliyun.oss.model.PartETag;
import com.aliyun.oss.model.UploadFileRequest;
import com.aliyun.oss.model.UploadFileResult;
import dev.pail.it.RawHttp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** CompleteMultipartUpload and AbortMultipartUpload (features.md §3.4, §3.5) and reads of the result. */
class CompleteMultipartTest extends UploadBase {
    static final int MIN = 100 * KB;

    private RawHttp.Resp rawComplete(String b, String k, String id, String xml) {
        return raw("POST", b, k, "uploadId=" + id).body(xml).send();
    }

    private RawHttp.Resp rawPart(String b, String k, String id, int n, byte[] data) {
        RawHttp.Resp r = raw("PUT", b, k, "partNumber=" + n + "&uploadId=" + id).body(data).send();
        assertThat(r.status()).isEqualTo(200);
        return r;
    }

    private byte[] rangeGet(OSS oss, String b, String k, long first, long last) throws Exception {
        GetObjectRequest g = new GetObjectRequest(b, k);
        g.setRange(first, last);
        return read(oss.getObject(g));
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void completedObjectHasTheComputedEtagCrcAndBytes(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = newBucket();
        byte[] p1 = random(150 * KB + 1, 1);
        byte[] p2 = random(MIN, 2); // exactly the minimum
        byte[] p3 = random(5000, 3);
        String id = initiate(oss, b, "obj");
        CompleteMultipartUploadResult r = complete(oss, b, "obj", id, part(oss, b, "obj", id, 1, p1),
                part(oss, b, "obj", id, 2, p2), part(oss, b, "obj", id, 3, p3));
        byte[] all = concat(p1, p2, p3);
        String etag = multipartEtag(p1, p2, p3);
        assertThat(r.getETag()).isEqualTo(etag);
        assertThat(r.getServerCRC()).isEqualTo(crc64(all)); // J1 also compared it with its own combination
        assertThat(r.getBucketName()).isEqualTo(b);
        assertThat(r.getKey()).isEqualTo("obj");

        RawHttp.Resp h = raw("HEAD", b, "obj", "").send();
        assertThat(h.header("x-oss-object-type")).isEqualTo("Multipart");
        assertThat(h.header("etag")).isEqualTo(quoted(etag));
        assertThat(h.header("content-length")).isEqualTo(Integer.toString(all.length));
        assertThat(h.header("x-oss-hash-crc64ecma")).isEqualTo(crcString(all));
        assertThat(h.header("content-md5")).isNull();
        assertThat(h.header("x-oss-next-append-position")).isNull();
        assertThat(oss.getObjectMetadata(b, "obj").getObjectType()).isEqualTo("Multipart");

        assertThat(read(oss.getObject(b, "obj"))).isEqualTo(all);
        long e1 = p1.length;
        long e2 = p1.length + p2.length;
        assertThat(rangeGet(oss, b, "obj", 0, 0)).isEqualTo(slice(all, 0, 0));
        assertThat(rangeGet(oss, b, "obj", e1 - 1, e1)).isEqualTo(slice(all, e1 - 1, e1));
        assertThat(rangeGet(oss, b, "obj", e1, e2 - 1)).isEqualTo(p2);
        assertThat(rangeGet(oss, b, "obj", e1 - 10, e2 + 10)).isEqualTo(slice(all, e1 - 10, e2 + 10));
        assertThat(rangeGet(oss, b, "obj", 5, all.length - 1)).isEqualTo(slice(all, 5, all.length - 1));
        RawHttp.Resp suffix = raw("GET", b, "obj", "").header("Range", "bytes=-6000").send();
        assertThat(suffix.status()).isEqualTo(206);
        assertThat(suffix.header("content-range")).isEqualTo("bytes " + (all.length - 6000) + "-" + (all.length - 1) + "/" + all.length);
        assertThat(suffix.body()).isEqualTo(slice(all, all.length - 6000, all.length - 1));
        RawHttp.Resp span = raw("GET", b, "obj", "").header("Range", "bytes=" + (e1 - 3) + "-" + (e2 + 2)).send();
        assertThat(span.status()).isEqualTo(206);
        assertThat(span.header("content-length")).isEqualTo(Long.toString(e2 + 2 - (e1 - 3) + 1));
        assertThat(span.body()).isEqualTo(slice(all, e1 - 3, e2 + 2));
    }

    /** {@code ?sequential} at Initiate: the completed object also carries the whole-object Content-MD5 (features.md §3.1). */
    @ParameterizedTest
    @EnumSource(Sig.class)
    void sequentialUploadsGetAWholeObjectContentMd5(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = newBucket();
        byte[] p1 = random(MIN + 3, 1);
        byte[] p2 = random(500, 2);
        byte[] all = concat(p1, p2);
        InitiateMultipartUploadRequest init = new InitiateMultipartUploadRequest(b, "seq");
        init.setSequentialMode(true);
        String id = oss.initiateMultipartUpload(init).getUploadId();
        CompleteMultipartUploadResult r = complete(oss, b, "seq", id, part(oss, b, "seq", id, 1, p1), part(oss, b, "seq", id, 2, p2));
        assertThat(r.getETag()).isEqualTo(multipartEtag(p1, p2));
        RawHttp.Resp h = raw("HEAD", b, "seq", "").send();
        assertThat(h.header("content-md5")).isEqualTo(md5B64(all));
        assertThat(h.header("x-oss-object-type")).isEqualTo("Multipart");
        assertThat(h.header("x-oss-sequential")).isNull();
        assertThat(oss.getObjectMetadata(b, "seq").getContentMD5()).isEqualTo(md5B64(all));
        assertThat(read(oss.getObject(b, "seq"))).isEqualTo(all);

        // oss2 style (sequential=), with only some of the uploaded parts listed
        String id2 = element(raw("POST", b, "seq2", "uploads&sequential=").send().text(), "UploadId");
        rawPart(b, "seq2", id2, 1, p1);
        rawPart(b, "seq2", id2, 2, p1);
        rawPart(b, "seq2", id2, 3, p2);
        assertThat(rawComplete(b, "seq2", id2, completeXml(1, md5Hex(p1), 3, md5Hex(p2))).status()).isEqualTo(200);
        assertThat(raw("HEAD", b, "seq2", "").send().header("content-md5")).isEqualTo(md5B64(all));
    }

    @Test
    void etagMatchesTheKnownVectorAndTheResponseShape() {
        String b = newBucket();
        String key = "dir/näme with+&.bin";
        String id = element(raw("POST", b, key, "uploads").send().text(), "UploadId");
        rawPart(b, key, id, 1, filled(102400, 'a'));
        rawPart(b, key, id, 2, filled(1000, 'b'));
        RawHttp.Resp r = raw("POST", b, key, "uploadId=" + id + "&encoding-type=url")
                .body(completeXml(1, md5Hex(filled(102400, 'a')), 2, md5Hex(filled(1000, 'b')))).send();
        assertThat(r.status()).isEqualTo(200);
        String etag = "\"BC40D692BB9CE44E6AFDBAF57501DB0B-2\"";
        assertThat(r.header("etag")).isEqualTo(etag);
        assertThat(r.header("x-oss-hash-crc64ecma")).isEqualTo(crcString(concat(filled(102400, 'a'), filled(1000, 'b'))));
        String xml = r.text();
        assertThat(xml).contains("<CompleteMultipartUploadResult>");
        assertThat(element(xml, "ETag")).isIn(etag, etag.replace("\"", "&quot;"));
        assertThat(element(xml, "Bucket")).isEqualTo(b);
        assertThat(element(xml, "EncodingType")).isEqualTo("url");
        assertThat(element(xml, "Key")).isEqualTo("dir%2Fn%C3%A4me%20with%2B%26.bin");
        assertThat(element(xml, "Location")).startsWith("http").contains(b);
        assertThat(raw("HEAD", b, key, "").send().header("etag")).isEqualTo(etag);
    }

    // ---- validation -------------------------------------------------------------------------

    @Test
    void partsMustBeAscending() {
        String b = newBucket();
        String id = initiate(v1, b, "o");
        byte[] p1 = random(MIN, 1);
        byte[] p2 = random(10, 2);
        rawPart(b, "o", id, 1, p1);
        rawPart(b, "o", id, 2, p2);
        rawComplete(b, "o", id, completeXml(2, md5Hex(p2), 1, md5Hex(p1))).assertError(400, "InvalidPartOrder");
        rawComplete(b, "o", id, completeXml(1, md5Hex(p1), 1, md5Hex(p1))).assertError(400, "InvalidPartOrder");
        assertThat(raw("HEAD", b, "o", "").send().status()).isEqualTo(404);
        // the upload survives a refused Complete
        assertThat(rawComplete(b, "o", id, completeXml(1, md5Hex(p1), 2, md5Hex(p2))).status()).isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void unknownPartsOrWrongEtagsAreInvalidPart(Sig sig) {
        OSS oss = oss(sig);
        String b = newBucket();
        String id = initiate(oss, b, "o");
        byte[] p1 = random(MIN, 1);
        PartETag e1 = part(oss, b, "o", id, 1, p1);
        ossError("InvalidPart", () -> complete(oss, b, "o", id, new PartETag(1, md5Hex(bytes("other")))));
        ossError("InvalidPart", () -> complete(oss, b, "o", id, e1, new PartETag(2, md5Hex(p1))));
        rawComplete(b, "o", id, completeXml(1, "00000000000000000000000000000000")).assertError(400, "InvalidPart");
        rawComplete(b, "o", id, completeXml(1, md5Hex(p1), 3, md5Hex(p1))).assertError(400, "InvalidPart");
        assertThat(raw("HEAD", b, "o", "").send().status()).isEqualTo(404);
        complete(oss, b, "o", id, e1);
        assertThat(raw("GET", b, "o", "").send().body()).isEqualTo(p1);
    }

    @Test
    void etagFormsFromEverySdkAreAccepted() {
        String b = newBucket();
        byte[] p = random(1000, 5);
        String hex = md5Hex(p);
        List<String> bodies = List.of(
                "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>\"" + hex + "\"</ETag></Part></CompleteMultipartUpload>",
                "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>&quot;" + hex + "&quot;</ETag></Part></CompleteMultipartUpload>",
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CompleteMultipartUpload>\n  <Part>\n    <PartNumber>1</PartNumber>\n"
                        + "    <ETag>" + hex + "</ETag>\n  </Part>\n</CompleteMultipartUpload>\n",
                "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>\"" + hex.toLowerCase() + "\"</ETag></Part></CompleteMultipartUpload>");
        int i = 0;
        for (String body : bodies) {
            String key = "form-" + i++;
            String id = initiate(v1, b, key);
            rawPart(b, key, id, 1, p);
            RawHttp.Resp r = rawComplete(b, key, id, body);
            assertThat(r.status()).as(body + "\n" + r.text()).isEqualTo(200);
            assertThat(r.header("etag")).isEqualTo(quoted(multipartEtag(p)));
        }
    }

    @Test
    void partsUnderTheMinimumExceptTheLastAreEntityTooSmall() {
        String b = newBucket();
        byte[] small = random(MIN - 1, 1);
        byte[] min = random(MIN, 2);
        byte[] tail = random(10, 3);
        String id = initiate(v1, b, "o");
        rawPart(b, "o", id, 1, small);
        rawPart(b, "o", id, 2, min);
        rawPart(b, "o", id, 3, tail);
        rawComplete(b, "o", id, completeXml(1, md5Hex(small), 2, md5Hex(min))).assertError(400, "EntityTooSmall");
        rawComplete(b, "o", id, completeXml(2, md5Hex(min), 3, md5Hex(tail), 4, md5Hex(tail))).assertError(400, "InvalidPart");
        ossError("EntityTooSmall", () -> complete(v1, b, "o", id, new PartETag(1, md5Hex(small)), new PartETag(3, md5Hex(tail))));
        // a middle part too small
        String id2 = initiate(v1, b, "o2");
        rawPart(b, "o2", id2, 1, min);
        rawPart(b, "o2", id2, 2, tail);
        rawPart(b, "o2", id2, 3, min);
        rawComplete(b, "o2", id2, completeXml(1, md5Hex(min), 2, md5Hex(tail), 3, md5Hex(min))).assertError(400, "EntityTooSmall");
        // a small part is fine as the last one (and a single small part too)
        assertThat(rawComplete(b, "o", id, completeXml(2, md5Hex(min), 3, md5Hex(tail))).status()).isEqualTo(200);
        assertThat(raw("GET", b, "o", "").send().body()).isEqualTo(concat(min, tail));
        assertThat(rawComplete(b, "o2", id2, completeXml(2, md5Hex(tail))).status()).isEqualTo(200);
        assertThat(raw("GET", b, "o2", "").send().body()).isEqualTo(tail);
    }

    @Test
    void completeAllUsesEveryUploadedPartInOrder() {
        String b = newBucket();
        byte[] p1 = random(MIN + 5, 1);
        byte[] p2 = random(MIN + 6, 2);
        byte[] p3 = random(77, 3);
        String id = initiate(v1, b, "all");
        rawPart(b, "all", id, 3, p3);
        rawPart(b, "all", id, 1, p1);
        rawPart(b, "all", id, 2, p2);
        // with a body it is refused
        raw("POST", b, "all", "uploadId=" + id).header("x-oss-complete-all", "yes").body(completeXml(1, md5Hex(p1))).send()
                .assertError(400, "InvalidArgument");
        RawHttp.Resp r = raw("POST", b, "all", "uploadId=" + id).header("x-oss-complete-all", "yes").send();
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        byte[] all = concat(p1, p2, p3);
        assertThat(r.header("etag")).isEqualTo(quoted(multipartEtag(p1, p2, p3)));
        assertThat(r.header("x-oss-hash-crc64ecma")).isEqualTo(crcString(all));
        assertThat(element(r.text(), "Key")).isEqualTo("all");
        assertThat(raw("GET", b, "all", "").send().body()).isEqualTo(all);
        // the too-small rule applies as well
        String id2 = initiate(v1, b, "all2");
        rawPart(b, "all2", id2, 1, p3);
        rawPart(b, "all2", id2, 2, p3);
        raw("POST", b, "all2", "uploadId=" + id2).header("x-oss-complete-all", "yes").send().assertError(400, "EntityTooSmall");
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void nonConsecutivePartNumbersAndUnlistedPartsAreDiscarded(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = newBucket();
        byte[] p1 = random(MIN, 1);
        byte[] p2 = random(MIN, 2);
        byte[] p5 = random(MIN + 1, 5);
        byte[] p8 = random(33, 8);
        String id = initiate(oss, b, "gaps");
        PartETag e1 = part(oss, b, "gaps", id, 1, p1);
        part(oss, b, "gaps", id, 2, p2);
        PartETag e5 = part(oss, b, "gaps", id, 5, p5);
        PartETag e8 = part(oss, b, "gaps", id, 8, p8);
        part(oss, b, "gaps", id, 9, p8);
        CompleteMultipartUploadResult r = complete(oss, b, "gaps", id, e1, e5, e8);
        byte[] all = concat(p1, p5, p8);
        assertThat(r.getETag()).isEqualTo(multipartEtag(p1, p5, p8));
        assertThat(r.getServerCRC()).isEqualTo(crc64(all));
        assertThat(read(oss.getObject(b, "gaps"))).isEqualTo(all);
        assertThat(oss.getObjectMetadata(b, "gaps").getContentLength()).isEqualTo(all.length);
        // the upload (with its unlisted parts 2 and 9) is gone
        ossError("NoSuchUpload", () -> oss.listParts(new ListPartsRequest(b, "gaps", id)));
        assertThat(oss.getBucketStat(b).getMultipartUploadCount()).isZero();
        assertThat(oss.getBucketStat(b).getStorageSize()).isEqualTo(all.length);
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void aclComesFromCompleteOrElseFromInitiate(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = newBucket();
        byte[] p = bytes("acl body");
        String id = initiate(oss, b, "c");
        CompleteMultipartUploadRequest req = new CompleteMultipartUploadRequest(b, "c", id,
                new ArrayList<>(List.of(part(oss, b, "c", id, 1, p))));
        req.setObjectACL(CannedAccessControlList.PublicRead);
        oss.completeMultipartUpload(req);
        assertThat(oss.getObjectAcl(b, "c").getPermission()).isEqualTo(ObjectPermission.PublicRead);
        RawHttp.Resp anon = RawHttp.req("GET", "/" + b + "/c").send(server.port());
        assertThat(anon.status()).isEqualTo(200);
        assertThat(anon.body()).isEqualTo(p);

        ObjectMetadata m = new ObjectMetadata();
        m.setObjectAcl(CannedAccessControlList.PublicReadWrite);
        String id2 = oss.initiateMultipartUpload(new InitiateMultipartUploadRequest(b, "i", m)).getUploadId();
        complete(oss, b, "i", id2, part(oss, b, "i", id2, 1, p));
        assertThat(oss.getObjectAcl(b, "i").getPermission()).isEqualTo(ObjectPermission.PublicReadWrite);

        // Complete overrides Initiate
        String id3 = oss.initiateMultipartUpload(new InitiateMultipartUploadRequest(b, "o", m)).getUploadId();
        raw("POST", b, "o", "uploadId=" + id3).header("x-oss-object-acl", "private")
                .body(completeXml(1, part(oss, b, "o", id3, 1, p).getETag())).send().assertOk();
        assertThat(oss.getObjectAcl(b, "o").getPermission()).isEqualTo(ObjectPermission.Private);
        // an invalid ACL on Complete is refused
        String id4 = initiate(oss, b, "bad");
        raw("POST", b, "bad", "uploadId=" + id4).header("x-oss-object-acl", "everyone")
                .body(completeXml(1, part(oss, b, "bad", id4, 1, p).getETag())).send().assertError(400, "InvalidArgument");
    }

    @Test
    void malformedBodiesAndBadPartNumbers() {
        String b = newBucket();
        String id = initiate(v1, b, "m");
        byte[] p = bytes("p");
        rawPart(b, "m", id, 1, p);
        rawComplete(b, "m", id, "<CompleteMultipartUpload><Part>").assertError(400, "MalformedXML");
        rawComplete(b, "m", id, "not xml").assertError(400, "MalformedXML");
        rawComplete(b, "m", id, "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber></Part></CompleteMultipartUpload>")
                .assertError(400, "MalformedXML");
        rawComplete(b, "m", id, completeXml(0, md5Hex(p))).assertError(400, "InvalidArgument");
        rawComplete(b, "m", id, completeXml(10001, md5Hex(p))).assertError(400, "InvalidArgument");
        assertThat(rawComplete(b, "m", id, completeXml(1, md5Hex(p))).status()).isEqualTo(200);
    }

    /**
     * A Complete listing no parts (what J1 uploadFile sends for an empty file). OSS's behaviour is
     * unknown (features.md §12 q5); Pail creates an empty Multipart object with ETag
     * {@code MD5("")-0}, which is what lets J1 uploadFile of an empty file succeed.
     */
    @Test
    void completeWithZeroPartsCreatesAnEmptyObject(@TempDir Path dir) throws Throwable {
        String b = newBucket();
        String id = initiate(v1, b, "empty");
        RawHttp.Resp r = rawComplete(b, "empty", id, "<CompleteMultipartUpload></CompleteMultipartUpload>");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.header("etag")).isEqualTo("\"D41D8CD98F00B204E9800998ECF8427E-0\"");
        assertThat(r.header("x-oss-hash-crc64ecma")).isEqualTo("0");
        RawHttp.Resp h = raw("HEAD", b, "empty", "").send();
        assertThat(h.header("content-length")).isEqualTo("0");
        assertThat(h.header("x-oss-object-type")).isEqualTo("Multipart");
        RawHttp.Resp g = raw("GET", b, "empty", "").send();
        assertThat(g.status()).isEqualTo(200);
        assertThat(g.body()).isEmpty();

        // J1 uploadFile: an empty file, and a multi-part one (J1 checks the combined CRC against the header)
        Path empty = Files.write(dir.resolve("empty.bin"), new byte[0]);
        UploadFileRequest u = new UploadFileRequest(b, "uf-empty", empty.toString(), 100 * KB, 2);
        UploadFileResult ur = v1.uploadFile(u);
        assertThat(ur.getMultipartUploadResult()).isNotNull();
        assertThat(v1.getObjectMetadata(b, "uf-empty").getContentLength()).isZero();
        byte[] data = random(350 * KB + 3, 9);
        Path file = Files.write(dir.resolve("data.bin"), data);
        UploadFileRequest u2 = new UploadFileRequest(b, "uf-data", file.toString(), 100 * KB, 3);
        UploadFileResult ur2 = v1.uploadFile(u2);
        assertThat(ur2.getMultipartUploadResult().getServerCRC()).isEqualTo(crc64(data));
        assertThat(read(v1.getObject(b, "uf-data"))).isEqualTo(data);
        assertThat(v1.getObjectMetadata(b, "uf-data").getObjectType()).isEqualTo("Multipart");
    }

    @Test
    void completeReplacesAnExistingObject() throws Exception {
        String b = newBucket();
        v1.putObject(b, "x", in(bytes("normal")));
        String id = initiate(v1, b, "x");
        // the existing object is untouched until Complete
        byte[] p = random(2000, 1);
        PartETag e = part(v1, b, "x", id, 1, p);
        assertThat(read(v1.getObject(b, "x"))).isEqualTo(bytes("normal"));
        complete(v1, b, "x", id, e);
        assertThat(read(v1.getObject(b, "x"))).isEqualTo(p);
        assertThat(v1.getObjectMetadata(b, "x").getObjectType()).isEqualTo("Multipart");
    }

    // ---- completed / aborted uploads --------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Sig.class)
    void completingTwiceIsNoSuchUpload(Sig sig) {
        OSS oss = oss(sig);
        String b = newBucket();
        String id = initiate(oss, b, "twice");
        PartETag e = part(oss, b, "twice", id, 1, bytes("x"));
        complete(oss, b, "twice", id, e);
        ossError("NoSuchUpload", () -> complete(oss, b, "twice", id, e));
        rawComplete(b, "twice", id, completeXml(1, e.getETag())).assertError(404, "NoSuchUpload");
        raw("DELETE", b, "twice", "uploadId=" + id).send().assertError(404, "NoSuchUpload");
        raw("GET", b, "twice", "uploadId=" + id).send().assertError(404, "NoSuchUpload");
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void abortDiscardsTheUpload(Sig sig) {
        OSS oss = oss(sig);
        String b = newBucket();
        String id = initiate(oss, b, "ab");
        PartETag e = part(oss, b, "ab", id, 1, random(MIN, 1));
        oss.abortMultipartUpload(new AbortMultipartUploadRequest(b, "ab", id));
        ossError("NoSuchUpload", () -> oss.abortMultipartUpload(new AbortMultipartUploadRequest(b, "ab", id)));
        ossError("NoSuchUpload", () -> oss.listParts(new ListPartsRequest(b, "ab", id)));
        ossError("NoSuchUpload", () -> complete(oss, b, "ab", id, e));
        raw("PUT", b, "ab", "partNumber=2&uploadId=" + id).body(bytes("x")).send().assertError(404, "NoSuchUpload");
        assertThat(raw("HEAD", b, "ab", "").send().status()).isEqualTo(404);

        String id2 = initiate(oss, b, "ab");
        RawHttp.Resp r = raw("DELETE", b, "ab", "uploadId=" + id2).send();
        assertThat(r.status()).isEqualTo(204);
        assertThat(r.body()).isEmpty();
        raw("DELETE", b, "ab", "uploadId=" + id2).send().assertError(404, "NoSuchUpload");
        raw("DELETE", b, "ab", "uploadId=0123456789ABCDEF0123456789ABCDEF").send().assertError(404, "NoSuchUpload");
        assertThat(oss.getBucketStat(b).getMultipartUploadCount()).isZero();
    }
}
