package dev.pail.it.upload;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSException;
import com.aliyun.oss.model.AppendObjectRequest;
import com.aliyun.oss.model.AppendObjectResult;
import com.aliyun.oss.model.CannedAccessControlList;
import com.aliyun.oss.model.CompleteMultipartUploadRequest;
import com.aliyun.oss.model.CopyObjectResult;
import com.aliyun.oss.model.InitiateMultipartUploadRequest;
import com.aliyun.oss.model.ObjectMetadata;
import com.aliyun.oss.model.ObjectPermission;
import com.aliyun.oss.model.PartETag;
import com.aliyun.oss.model.UploadPartRequest;
import com.aliyun.sdk.service.oss2.exceptions.ServiceException;
import com.aliyun.sdk.service.oss2.models.HeadObjectRequest;
import com.aliyun.sdk.service.oss2.models.HeadObjectResult;
import com.aliyun.sdk.service.oss2.transport.BinaryData;
import dev.pail.it.RawHttp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** AppendObject (features.md §2) through J1 (V1 and V4 signatures), the V2 SDK and raw HTTP. */
class AppendObjectTest extends UploadBase {

    private static AppendObjectRequest append(String b, String k, long position, byte[] data) {
        AppendObjectRequest r = new AppendObjectRequest(b, k, in(data));
        r.setPosition(position);
        return r;
    }

    private static AppendObjectRequest append(String b, String k, long position, byte[] data, ObjectMetadata m) {
        AppendObjectRequest r = new AppendObjectRequest(b, k, in(data), m);
        r.setPosition(position);
        return r;
    }

    private RawHttp.Resp head(String b, String k) { return raw("HEAD", b, k, "").send(); }

    private RawHttp.Resp rawAppend(String b, String k, long position, byte[] data) {
        return raw("POST", b, k, "append&position=" + position).body(data).send();
    }

    /** Asserts what HEAD and GET show for an appendable object holding exactly {@code data}. */
    private void assertAppendable(OSS oss, String b, String k, byte[] data) throws Exception {
        RawHttp.Resp h = head(b, k);
        assertThat(h.status()).isEqualTo(200);
        assertThat(h.header("x-oss-object-type")).isEqualTo("Appendable");
        assertThat(h.header("x-oss-next-append-position")).isEqualTo(Long.toString(data.length));
        assertThat(h.header("content-length")).isEqualTo(Long.toString(data.length));
        assertThat(h.header("x-oss-hash-crc64ecma")).isEqualTo(crcString(data));
        RawHttp.Resp g = raw("GET", b, k, "").send();
        assertThat(g.status()).isEqualTo(200);
        assertThat(g.body()).isEqualTo(data);
        assertThat(g.header("x-oss-next-append-position")).isEqualTo(Long.toString(data.length));
        assertThat(g.header("x-oss-object-type")).isEqualTo("Appendable");
        assertThat(oss.getObjectMetadata(b, k).getObjectType()).isEqualTo("Appendable");
        assertThat(read(oss.getObject(b, k))).isEqualTo(data);
    }

    // ---- create and chain -------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Sig.class)
    void createAtZeroThenChainedAppendsWithCrcChecks(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = newBucket();
        byte[] one = bytes("hello");
        byte[] two = bytes(" world");
        byte[] three = random(300 * KB + 7, 3);

        AppendObjectResult r1 = oss.appendObject(append(b, "log", 0, one));
        assertThat(r1.getNextPosition()).isEqualTo(5L);
        assertThat(r1.getServerCRC()).isEqualTo(Long.parseUnsignedLong("11177612005948864433"));
        assertAppendable(oss, b, "log", one);

        // with initCRC the SDK combines it with the body's CRC and compares with the server's header
        AppendObjectRequest a2 = append(b, "log", 5, two);
        a2.setInitCRC(r1.getClientCRC());
        AppendObjectResult r2 = oss.appendObject(a2);
        assertThat(r2.getNextPosition()).isEqualTo(11L);
        assertThat(r2.getServerCRC()).isEqualTo(5981764153023615706L);
        assertThat(r2.getClientCRC()).isEqualTo(r2.getServerCRC());

        AppendObjectRequest a3 = append(b, "log", 11, three);
        a3.setInitCRC(r2.getClientCRC());
        AppendObjectResult r3 = oss.appendObject(a3);
        byte[] all = concat(one, two, three);
        assertThat(r3.getNextPosition()).isEqualTo((long) all.length);
        assertThat(r3.getServerCRC()).isEqualTo(crc64(all));
        assertThat(r3.getObjectCRC()).isEqualTo(Long.toUnsignedString(crc64(all)));
        assertAppendable(oss, b, "log", all);

        // every append changes the ETag, which is not the content MD5
        RawHttp.Resp h = head(b, "log");
        assertThat(h.header("etag")).matches("\"[0-9A-F]{32}\"").isNotEqualTo(quoted(md5Hex(all)));
        RawHttp.Resp more = rawAppend(b, "log", all.length, bytes("!"));
        assertThat(more.status()).isEqualTo(200);
        assertThat(more.header("etag")).isNotEqualTo(h.header("etag"));
        assertThat(more.header("x-oss-next-append-position")).isEqualTo(Long.toString(all.length + 1));
        assertThat(more.header("x-oss-hash-crc64ecma")).isEqualTo(crcString(concat(all, bytes("!"))));
    }

    @Test
    void appendResponseHeadersOnTheWire() {
        String b = newBucket();
        RawHttp.Resp r = rawAppend(b, "w", 0, bytes("hello"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("x-oss-next-append-position")).isEqualTo("5");
        assertThat(r.header("x-oss-hash-crc64ecma")).isEqualTo("11177612005948864433");
        assertThat(r.header("etag")).matches("\"[0-9A-F]{32}\"");
        assertThat(r.header("x-oss-request-id")).matches(REQUEST_ID);
        assertThat(r.header("x-oss-server-side-encryption")).isNull();
        // oss2 style empty-valued sub-resources
        RawHttp.Resp r2 = raw("POST", b, "w", "append=&position=5").body(bytes(" world")).send();
        assertThat(r2.status()).isEqualTo(200);
        assertThat(r2.header("x-oss-hash-crc64ecma")).isEqualTo("5981764153023615706");
    }

    @Test
    void missingOrInvalidPositionIsRefused() {
        String b = newBucket();
        raw("POST", b, "p", "append").body(bytes("x")).send().assertError(400, "InvalidArgument");
        raw("POST", b, "p", "append&position=abc").body(bytes("x")).send().assertError(400, "InvalidArgument");
        raw("POST", b, "p", "append&position=-1").body(bytes("x")).send().assertError(400, "InvalidArgument");
        assertThat(head(b, "p").status()).isEqualTo(404);
    }

    // ---- PositionNotEqualToLength -----------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Sig.class)
    void wrongPositionIs409WithTheCurrentLength(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = newBucket();
        // absent object, position > 0
        ossError("PositionNotEqualToLength", () -> oss.appendObject(append(b, "x", 3, bytes("abc"))));
        RawHttp.Resp absent = rawAppend(b, "x", 3, bytes("abc")).assertError(409, "PositionNotEqualToLength");
        assertThat(absent.header("x-oss-next-append-position")).isEqualTo("0");
        assertThat(head(b, "x").status()).isEqualTo(404);

        oss.appendObject(append(b, "x", 0, bytes("0123456789")));
        for (long wrong : new long[] {0, 5, 9, 11, 1000}) {
            OSSException e = ossError("PositionNotEqualToLength", () -> oss.appendObject(append(b, "x", wrong, bytes("zz"))));
            assertThat(e.getErrorMessage()).isNotBlank();
            RawHttp.Resp r = rawAppend(b, "x", wrong, bytes("zz")).assertError(409, "PositionNotEqualToLength");
            assertThat(r.header("x-oss-next-append-position")).as("position %d", wrong).isEqualTo("10");
        }
        assertAppendable(oss, b, "x", bytes("0123456789"));

        // the V2 SDK exposes the header on its exception
        ServiceException e = v2Error(409, "PositionNotEqualToLength", () -> v2.appendObject(
                com.aliyun.sdk.service.oss2.models.AppendObjectRequest.newBuilder().bucket(b).key("x").position(4L)
                        .body(BinaryData.fromBytes(bytes("q"))).build()));
        assertThat(v2Header(e, "x-oss-next-append-position")).isEqualTo("10");
    }

    // ---- ObjectNotAppendable ----------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Sig.class)
    void normalAndMultipartObjectsAreNotAppendable(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = newBucket();
        byte[] normal = bytes("normal object");
        oss.putObject(b, "n", in(normal));
        ossError("ObjectNotAppendable", () -> oss.appendObject(append(b, "n", 0, bytes("x"))));
        ossError("ObjectNotAppendable", () -> oss.appendObject(append(b, "n", normal.length, bytes("x"))));
        rawAppend(b, "n", normal.length, bytes("x")).assertError(409, "ObjectNotAppendable");
        assertThat(read(oss.getObject(b, "n"))).isEqualTo(normal);
        assertThat(oss.getObjectMetadata(b, "n").getObjectType()).isEqualTo("Normal");
        assertThat(head(b, "n").header("x-oss-next-append-position")).isNull();

        byte[] part = random(1000, 1);
        String id = oss.initiateMultipartUpload(new InitiateMultipartUploadRequest(b, "m")).getUploadId();
        PartETag e1 = oss.uploadPart(new UploadPartRequest(b, "m", id, 1, in(part), part.length)).getPartETag();
        oss.completeMultipartUpload(new CompleteMultipartUploadRequest(b, "m", id, new ArrayList<>(List.of(e1))));
        ossError("ObjectNotAppendable", () -> oss.appendObject(append(b, "m", part.length, bytes("x"))));
        rawAppend(b, "m", 0, bytes("x")).assertError(409, "ObjectNotAppendable");
        assertThat(read(oss.getObject(b, "m"))).isEqualTo(part);
        assertThat(oss.getObjectMetadata(b, "m").getObjectType()).isEqualTo("Multipart");
    }

    // ---- attributes only from the first append ------------------------------------------------

    @ParameterizedTest
    @EnumSource(Sig.class)
    void headersMetaAndAclComeFromTheFirstAppendOnly(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = newBucket();
        ObjectMetadata first = new ObjectMetadata();
        first.setContentType("text/plain");
        first.setCacheControl("no-cache");
        first.setContentDisposition("attachment; filename=\"log.txt\"");
        first.addUserMetadata("origin", "first");
        first.setObjectAcl(CannedAccessControlList.PublicRead);
        oss.appendObject(append(b, "attrs", 0, bytes("one"), first));

        ObjectMetadata later = new ObjectMetadata();
        later.setContentType("application/json");
        later.setCacheControl("max-age=60");
        later.addUserMetadata("origin", "later");
        later.addUserMetadata("extra", "x");
        later.setObjectAcl(CannedAccessControlList.Private);
        later.setHeader("x-oss-storage-class", "IA");
        oss.appendObject(append(b, "attrs", 3, bytes("two"), later));

        ObjectMetadata m = oss.getObjectMetadata(b, "attrs");
        assertThat(m.getContentType()).isEqualTo("text/plain");
        assertThat(m.getCacheControl()).isEqualTo("no-cache");
        assertThat(m.getContentDisposition()).isEqualTo("attachment; filename=\"log.txt\"");
        assertThat(m.getUserMetadata()).containsExactlyEntriesOf(Map.of("origin", "first"));
        assertThat(m.getObjectStorageClass().toString()).isEqualTo("Standard");
        assertThat(m.getContentLength()).isEqualTo(6);
        assertThat(oss.getObjectAcl(b, "attrs").getPermission()).isEqualTo(ObjectPermission.PublicRead);
        // the public-read ACL is effective: an anonymous GET works
        RawHttp.Resp anon = RawHttp.req("GET", "/" + b + "/attrs").send(server.port());
        assertThat(anon.status()).isEqualTo(200);
        assertThat(anon.text()).isEqualTo("onetwo");

        // storage class from the first append
        ObjectMetadata ia = new ObjectMetadata();
        ia.setHeader("x-oss-storage-class", "IA");
        oss.appendObject(append(b, "ia", 0, bytes("a"), ia));
        oss.appendObject(append(b, "ia", 1, bytes("b")));
        assertThat(oss.getObjectMetadata(b, "ia").getObjectStorageClass().toString()).isEqualTo("IA");
    }

    @Test
    void encryptionIsChosenByTheFirstAppendAndEchoedByLaterOnes() throws Exception {
        String b = newBucket();
        RawHttp.Resp first = raw("POST", b, "kms", "append&position=0").header("x-oss-server-side-encryption", "KMS")
                .body(bytes("secret")).send();
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.header("x-oss-server-side-encryption")).isEqualTo("KMS");
        String keyId = first.header("x-oss-server-side-encryption-key-id");
        assertThat(keyId).as("generated KMS key id").isNotBlank();

        // a later append with a different algorithm: ignored, the original is echoed
        RawHttp.Resp aes = raw("POST", b, "kms", "append&position=6").header("x-oss-server-side-encryption", "AES256")
                .body(bytes("-more")).send();
        assertThat(aes.status()).isEqualTo(200);
        assertThat(aes.header("x-oss-server-side-encryption")).isEqualTo("KMS");
        assertThat(aes.header("x-oss-server-side-encryption-key-id")).isEqualTo(keyId);
        // a later append with none: still echoed
        RawHttp.Resp none = rawAppend(b, "kms", 11, bytes("!"));
        assertThat(none.header("x-oss-server-side-encryption")).isEqualTo("KMS");
        assertThat(none.header("x-oss-server-side-encryption-key-id")).isEqualTo(keyId);
        // J1 sees the same
        ObjectMetadata sse = new ObjectMetadata();
        sse.setServerSideEncryption("AES256");
        AppendObjectResult j1 = v1.appendObject(append(b, "kms", 12, bytes("?"), sse));
        assertThat(j1.getResponse().getHeaders().get("x-oss-server-side-encryption")).isEqualTo("KMS");
        RawHttp.Resp h = head(b, "kms");
        assertThat(h.header("x-oss-server-side-encryption")).isEqualTo("KMS");
        assertThat(h.header("x-oss-server-side-encryption-key-id")).isEqualTo(keyId);
        assertThat(read(v1.getObject(b, "kms"))).isEqualTo(bytes("secret-more!?"));

        // an unencrypted appendable object stays unencrypted when a later append asks for SSE
        rawAppend(b, "plain", 0, bytes("p"));
        RawHttp.Resp later = raw("POST", b, "plain", "append&position=1").header("x-oss-server-side-encryption", "AES256")
                .body(bytes("q")).send();
        assertThat(later.status()).isEqualTo(200);
        assertThat(later.header("x-oss-server-side-encryption")).isNull();
        assertThat(head(b, "plain").header("x-oss-server-side-encryption")).isNull();

        // AES256 at creation: echoed without a key id
        RawHttp.Resp a = raw("POST", b, "aes", "append&position=0").header("x-oss-server-side-encryption", "AES256")
                .body(bytes("a")).send();
        assertThat(a.header("x-oss-server-side-encryption")).isEqualTo("AES256");
        assertThat(a.header("x-oss-server-side-encryption-key-id")).isNull();
        // V2 reports the creation-time algorithm on a later append
        var v2r = v2.appendObject(com.aliyun.sdk.service.oss2.models.AppendObjectRequest.newBuilder().bucket(b).key("aes")
                .position(1L).serverSideEncryption("KMS").body(BinaryData.fromBytes(bytes("b"))).build());
        assertThat(v2r.serverSideEncryption()).isEqualTo("AES256");
        assertThat(v2r.serverSideEncryptionKeyId()).isNull();
    }

    // ---- Content-MD5 --------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Sig.class)
    void contentMd5IsCheckedOnEveryAppend(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = newBucket();
        byte[] one = random(2000, 11);
        byte[] two = random(3000, 12);
        // wrong digest on the first append: nothing is created
        ObjectMetadata bad = new ObjectMetadata();
        bad.setContentMD5(md5B64(two));
        ossError("InvalidDigest", () -> oss.appendObject(append(b, "md5", 0, one, bad)));
        assertThat(head(b, "md5").status()).isEqualTo(404);

        ObjectMetadata good = new ObjectMetadata();
        good.setContentMD5(md5B64(one));
        oss.appendObject(append(b, "md5", 0, one, good));

        // wrong digest on a later append: InvalidDigest, object unchanged
        ObjectMetadata bad2 = new ObjectMetadata();
        bad2.setContentMD5(md5B64(one));
        ossError("InvalidDigest", () -> oss.appendObject(append(b, "md5", one.length, two, bad2)));
        raw("POST", b, "md5", "append&position=" + one.length).header("Content-MD5", md5B64(one)).body(two).send()
                .assertError(400, "InvalidDigest");
        assertAppendable(oss, b, "md5", one);

        // the right digest at the same position works, and nothing of the refused bodies remains
        byte[] three = random(100, 13);
        ObjectMetadata good3 = new ObjectMetadata();
        good3.setContentMD5(md5B64(three));
        AppendObjectRequest a = append(b, "md5", one.length, three, good3);
        a.setInitCRC(crc64(one));
        oss.appendObject(a);
        assertAppendable(oss, b, "md5", concat(one, three));
    }

    // ---- empty appends ------------------------------------------------------------------------

    @Test
    void emptyAppendsChangeNothing() throws Exception {
        String b = newBucket();
        // empty first append creates an empty appendable object
        RawHttp.Resp e0 = rawAppend(b, "e", 0, new byte[0]);
        assertThat(e0.status()).isEqualTo(200);
        assertThat(e0.header("x-oss-next-append-position")).isEqualTo("0");
        assertThat(e0.header("x-oss-hash-crc64ecma")).isEqualTo("0");
        assertAppendable(v1, b, "e", new byte[0]);
        // position 0 is accepted again while the object is empty, and its headers are taken then
        RawHttp.Resp again = rawAppend(b, "e", 0, new byte[0]);
        assertThat(again.status()).isEqualTo(200);
        RawHttp.Resp data = raw("POST", b, "e", "append&position=0").header("Content-Type", "text/csv").header("x-oss-meta-k", "v")
                .body(bytes("abc")).send();
        assertThat(data.status()).isEqualTo(200);
        RawHttp.Resp before = head(b, "e");
        assertThat(before.header("content-type")).isEqualTo("text/csv");
        assertThat(before.header("x-oss-meta-k")).isEqualTo("v");

        // an empty append at the right position: success, same state
        RawHttp.Resp e3 = rawAppend(b, "e", 3, new byte[0]);
        assertThat(e3.status()).isEqualTo(200);
        assertThat(e3.header("x-oss-next-append-position")).isEqualTo("3");
        assertThat(e3.header("x-oss-hash-crc64ecma")).isEqualTo(crcString(bytes("abc")));
        RawHttp.Resp after = head(b, "e");
        assertThat(after.header("etag")).isEqualTo(before.header("etag"));
        assertThat(after.header("last-modified")).isEqualTo(before.header("last-modified"));
        assertAppendable(v1, b, "e", bytes("abc"));
        // an empty append at a wrong position is still a mismatch
        assertThat(rawAppend(b, "e", 0, new byte[0]).assertError(409, "PositionNotEqualToLength")
                .header("x-oss-next-append-position")).isEqualTo("3");
        // J1 empty append
        AppendObjectResult j = v1.appendObject(append(b, "e", 3, new byte[0]));
        assertThat(j.getNextPosition()).isEqualTo(3L);
    }

    // ---- concurrency ----------------------------------------------------------------------------

    @Test
    void concurrentAppendsAtTheSamePositionHaveExactlyOneWinner() throws Exception {
        String b = newBucket();
        int threads = 8;
        for (long base : new long[] {0, 4096}) {
            String key = "race-" + base;
            byte[] prefix = random((int) base, 99);
            if (base > 0) v1.appendObject(append(b, key, 0, prefix));
            byte[][] bodies = new byte[threads][];
            for (int i = 0; i < threads; i++) bodies[i] = random(64 * KB + i, 100 + i);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<RawHttp.Resp>> results = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
                for (int i = 0; i < threads; i++) {
                    byte[] body = bodies[i];
                    results.add(pool.submit(() -> {
                        go.await();
                        return rawAppend(b, key, base, body);
                    }));
                }
                go.countDown();
                int winner = -1;
                for (int i = 0; i < threads; i++) {
                    RawHttp.Resp r = results.get(i).get();
                    if (r.status() == 200) {
                        assertThat(winner).as("a second winner: %d", i).isEqualTo(-1);
                        winner = i;
                    } else {
                        r.assertError(409, "PositionNotEqualToLength");
                        assertThat(Long.parseLong(r.header("x-oss-next-append-position"))).isGreaterThan(base);
                    }
                }
                assertThat(winner).as("one append wins").isNotEqualTo(-1);
                assertAppendable(v1, b, key, concat(prefix, bodies[winner]));
            }
        }
    }

    // ---- PUT and Copy over appendable objects ---------------------------------------------------

    @ParameterizedTest
    @EnumSource(Sig.class)
    void putOverAnAppendableObjectMakesItNormal(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = newBucket();
        oss.appendObject(append(b, "k", 0, bytes("appended")));
        oss.putObject(b, "k", in(bytes("replaced")));
        assertThat(oss.getObjectMetadata(b, "k").getObjectType()).isEqualTo("Normal");
        RawHttp.Resp h = head(b, "k");
        assertThat(h.header("x-oss-next-append-position")).isNull();
        assertThat(h.header("etag")).isEqualTo(quoted(md5Hex(bytes("replaced"))));
        ossError("ObjectNotAppendable", () -> oss.appendObject(append(b, "k", 8, bytes("x"))));
        assertThat(read(oss.getObject(b, "k"))).isEqualTo(bytes("replaced"));
        // after a DELETE the key can be appended again from 0
        oss.deleteObject(b, "k");
        oss.appendObject(append(b, "k", 0, bytes("fresh")));
        assertAppendable(oss, b, "k", bytes("fresh"));
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void copyOfAnAppendableObjectIsNormalAndIndependent(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = newBucket();
        byte[] one = random(150 * KB, 21);
        AppendObjectResult r = oss.appendObject(append(b, "src", 0, one));
        CopyObjectResult c = oss.copyObject(b, "src", b, "dst");
        assertThat(c.getETag()).isNotBlank();
        ObjectMetadata m = oss.getObjectMetadata(b, "dst");
        assertThat(m.getObjectType()).isEqualTo("Normal");
        assertThat(m.getContentLength()).isEqualTo(one.length);
        RawHttp.Resp h = head(b, "dst");
        assertThat(h.header("x-oss-next-append-position")).isNull();
        assertThat(h.header("x-oss-hash-crc64ecma")).isEqualTo(crcString(one));
        assertThat(read(oss.getObject(b, "dst"))).isEqualTo(one);

        // appending to the source afterwards does not change the copy
        byte[] two = random(70 * KB, 22);
        AppendObjectRequest a = append(b, "src", one.length, two);
        a.setInitCRC(r.getClientCRC());
        oss.appendObject(a);
        assertAppendable(oss, b, "src", concat(one, two));
        assertThat(read(oss.getObject(b, "dst"))).isEqualTo(one);
        assertThat(head(b, "dst").header("content-length")).isEqualTo(Long.toString(one.length));
        assertThat(head(b, "dst").header("x-oss-hash-crc64ecma")).isEqualTo(crcString(one));
        // and the copy cannot be appended to
        ossError("ObjectNotAppendable", () -> oss.appendObject(append(b, "dst", one.length, bytes("x"))));
        // a failed append to the source (bytes written past the end, then refused) leaves the copy alone too
        raw("POST", b, "src", "append&position=" + (one.length + two.length)).header("Content-MD5", md5B64(one)).body(two).send()
                .assertError(400, "InvalidDigest");
        assertThat(read(oss.getObject(b, "dst"))).isEqualTo(one);
        assertAppendable(oss, b, "src", concat(one, two));
        // nor does deleting the source
        oss.deleteObject(b, "src");
        assertThat(read(oss.getObject(b, "dst"))).isEqualTo(one);
    }

    // ---- chunked bodies -------------------------------------------------------------------------

    @Test
    void chunkedAppendBodies() throws Exception {
        String b = newBucket();
        byte[] one = random(40 * KB + 3, 31);
        byte[] two = random(90 * KB + 1, 32);
        RawHttp.Resp r1 = raw("POST", b, "chunked", "append&position=0").body(one).chunked().send();
        assertThat(r1.status()).isEqualTo(200);
        assertThat(r1.header("x-oss-next-append-position")).isEqualTo(Long.toString(one.length));
        assertThat(r1.header("x-oss-hash-crc64ecma")).isEqualTo(crcString(one));
        RawHttp.Resp r2 = raw("POST", b, "chunked", "append&position=" + one.length).header("Content-MD5", md5B64(two))
                .header("Expect", "100-continue").body(two).chunked().send();
        assertThat(r2.status()).isEqualTo(200);
        assertThat(r2.header("x-oss-hash-crc64ecma")).isEqualTo(crcString(concat(one, two)));
        assertAppendable(v1, b, "chunked", concat(one, two));
        // a chunked body with a wrong digest is refused like any other
        raw("POST", b, "chunked", "append&position=" + (one.length + two.length)).header("Content-MD5", md5B64(one)).body(two)
                .chunked().send().assertError(400, "InvalidDigest");
        assertAppendable(v1, b, "chunked", concat(one, two));
    }

    // ---- the V2 SDK -----------------------------------------------------------------------------

    @Test
    void v2AppendChainWithCrcAndHead() throws Exception {
        String b = newBucket();
        byte[] one = random(10 * KB, 41);
        byte[] two = random(20 * KB, 42);
        var r1 = v2.appendObject(com.aliyun.sdk.service.oss2.models.AppendObjectRequest.newBuilder().bucket(b).key("v2log")
                .position(0L).contentType("text/plain").metadata(Map.of("who", "v2")).body(BinaryData.fromBytes(one)).build());
        assertThat(r1.nextAppendPosition()).isEqualTo((long) one.length);
        assertThat(r1.hashCrc64ecma()).isEqualTo(crcString(one));
        var r2 = v2.appendObject(com.aliyun.sdk.service.oss2.models.AppendObjectRequest.newBuilder().bucket(b).key("v2log")
                .position(r1.nextAppendPosition()).initHashCRC64(crc64(one)).body(BinaryData.fromBytes(two)).build());
        assertThat(r2.nextAppendPosition()).isEqualTo((long) one.length + two.length);
        assertThat(r2.hashCrc64ecma()).isEqualTo(crcString(concat(one, two)));
        HeadObjectResult h = v2.headObject(HeadObjectRequest.newBuilder().bucket(b).key("v2log").build());
        assertThat(h.objectType()).isEqualToIgnoringCase("appendable");
        assertThat(h.nextAppendPosition()).isEqualTo((long) one.length + two.length);
        assertThat(h.contentLength()).isEqualTo((long) one.length + two.length);
        assertThat(h.hashCrc64ecma()).isEqualTo(crcString(concat(one, two)));
        assertThat(h.contentType()).isEqualTo("text/plain");
        assertThat(h.metadata()).containsEntry("who", "v2");
        assertAppendable(v1, b, "v2log", concat(one, two));
    }
}
