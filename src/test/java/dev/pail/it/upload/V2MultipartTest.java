package dev.pail.it.upload;

import dev.pail.it.WireProxy;
import dev.pail.xml.UrlEncoding;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.sdk.service.oss2.OSSClient;
import com.aliyun.sdk.service.oss2.credentials.StaticCredentialsProvider;
import com.aliyun.sdk.service.oss2.models.AbortMultipartUploadRequest;
import com.aliyun.sdk.service.oss2.models.AbortMultipartUploadResult;
import com.aliyun.sdk.service.oss2.models.CompleteMultipartUpload;
import com.aliyun.sdk.service.oss2.models.CompleteMultipartUploadRequest;
import com.aliyun.sdk.service.oss2.models.CompleteMultipartUploadResult;
import com.aliyun.sdk.service.oss2.models.HeadObjectRequest;
import com.aliyun.sdk.service.oss2.models.HeadObjectResult;
import com.aliyun.sdk.service.oss2.models.InitiateMultipartUploadRequest;
import com.aliyun.sdk.service.oss2.models.InitiateMultipartUploadResult;
import com.aliyun.sdk.service.oss2.models.Part;
import com.aliyun.sdk.service.oss2.models.UploadPartRequest;
import com.aliyun.sdk.service.oss2.models.UploadPartResult;
import com.aliyun.sdk.service.oss2.transport.BinaryData;
import dev.pail.it.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The multipart flow driven by the V2 SDK (alibabacloud-oss-v2), which echoes quoted ETags and asks for url encoding. */
class V2MultipartTest extends UploadBase {

    private String initiateV2(String b, String key) {
        return v2.initiateMultipartUpload(InitiateMultipartUploadRequest.newBuilder().bucket(b).key(key).encodingType("url").build())
                .initiateMultipartUpload().uploadId();
    }

    private UploadPartResult partV2(OSSClient c, String b, String key, String id, long n, byte[] data) {
        return c.uploadPart(UploadPartRequest.newBuilder().bucket(b).key(key).uploadId(id).partNumber(n)
                .body(BinaryData.fromBytes(data)).build());
    }

    private static CompleteMultipartUploadRequest.Builder completeReq(String b, String key, String id, List<Part> parts) {
        return CompleteMultipartUploadRequest.newBuilder().bucket(b).key(key).uploadId(id).encodingType("url")
                .completeMultipartUpload(CompleteMultipartUpload.newBuilder().parts(parts).build());
    }

    @Test
    void uploadAndCompleteWithQuotedEtagsAndUrlEncoding() throws Exception {
        String b = newBucket();
        String key = "v2/dir with space/ü+plus&amp.bin";
        byte[] p1 = random(150 * KB, 1);
        byte[] p2 = random(100 * KB, 2);
        byte[] p3 = random(999, 3);
        try (WireProxy proxy = new WireProxy(server.port());
                OSSClient c = OSSClient.newBuilder().endpoint(proxy.endpoint()).region("cn-hangzhou")
                        .credentialsProvider(new StaticCredentialsProvider(TestServer.AK, TestServer.SK)).build()) {
            InitiateMultipartUploadResult init = c.initiateMultipartUpload(InitiateMultipartUploadRequest.newBuilder().bucket(b).key(key)
                    .encodingType("url").contentType("application/octet-stream").metadata(Map.of("via", "v2")).build());
            assertThat(init.initiateMultipartUpload().key()).isEqualTo(key);
            String id = init.initiateMultipartUpload().uploadId();

            List<Part> parts = new ArrayList<>();
            long n = 1;
            for (byte[] d : List.of(p1, p2, p3)) {
                UploadPartResult r = partV2(c, b, key, id, n, d);
                assertThat(r.eTag()).isEqualTo(quoted(md5Hex(d)));
                assertThat(r.contentMD5()).isEqualTo(md5B64(d));
                assertThat(r.hashCRC64()).isEqualTo(crcString(d));
                parts.add(Part.newBuilder().partNumber(n++).eTag(r.eTag()).build()); // the raw header value, quotes and all
            }
            CompleteMultipartUploadResult done = c.completeMultipartUpload(completeReq(b, key, id, parts).build());
            byte[] all = concat(p1, p2, p3);
            assertThat(done.statusCode()).isEqualTo(200);
            assertThat(done.completeMultipartUpload().key()).isEqualTo(key);
            assertThat(done.completeMultipartUpload().bucket()).isEqualTo(b);
            assertThat(done.completeMultipartUpload().eTag()).isEqualTo(quoted(multipartEtag(p1, p2, p3)));
            assertThat(done.hashCRC64()).isEqualTo(crcString(all));

            // what went over the wire: encoding-type=url on Complete, quoted ETags in its body
            String wire = proxy.rawRequests();
            int at = wire.indexOf("POST /" + b + "/");
            while (at >= 0 && !wire.substring(at, wire.indexOf('\n', at)).contains("uploadId=")) at = wire.indexOf("POST /" + b + "/", at + 1);
            assertThat(at).as("the Complete request was seen").isNotNegative();
            String complete = wire.substring(at);
            assertThat(complete.substring(0, complete.indexOf('\n'))).contains("encoding-type=url");
            assertThat(complete).containsAnyOf("<ETag>\"" + md5Hex(p1) + "\"</ETag>", "<ETag>&quot;" + md5Hex(p1) + "&quot;</ETag>");

            HeadObjectResult h = c.headObject(HeadObjectRequest.newBuilder().bucket(b).key(key).build());
            assertThat(h.objectType()).isEqualTo("Multipart");
            assertThat(h.contentLength()).isEqualTo((long) all.length);
            assertThat(h.eTag()).isEqualTo(quoted(multipartEtag(p1, p2, p3)));
            assertThat(h.hashCrc64ecma()).isEqualTo(crcString(all));
            assertThat(h.metadata()).containsEntry("via", "v2");
            assertThat(read(v1.getObject(b, key))).isEqualTo(all);
        }
    }

    @Test
    void completeAllAndEncryptionEcho() throws Exception {
        String b = newBucket();
        InitiateMultipartUploadResult init = v2.initiateMultipartUpload(InitiateMultipartUploadRequest.newBuilder().bucket(b).key("all")
                .serverSideEncryption("KMS").serverSideDataEncryption("SM4").build());
        assertThat(init.headers()).containsEntry("x-oss-server-side-encryption", "KMS")
                .containsEntry("x-oss-server-side-data-encryption", "SM4");
        String keyId = init.headers().get("x-oss-server-side-encryption-key-id");
        assertThat(keyId).isNotBlank();
        String id = init.initiateMultipartUpload().uploadId();
        byte[] p1 = random(110 * KB, 1);
        byte[] p2 = random(10, 2);
        UploadPartResult r2 = partV2(v2, b, "all", id, 2, p2);
        UploadPartResult r1 = partV2(v2, b, "all", id, 1, p1);
        for (UploadPartResult r : List.of(r1, r2)) {
            assertThat(r.headers()).containsEntry("x-oss-server-side-encryption", "KMS")
                    .containsEntry("x-oss-server-side-encryption-key-id", keyId);
        }
        CompleteMultipartUploadResult done = v2.completeMultipartUpload(CompleteMultipartUploadRequest.newBuilder().bucket(b).key("all")
                .uploadId(id).completeAll("yes").build());
        assertThat(done.hashCRC64()).isEqualTo(crcString(concat(p1, p2)));
        assertThat(done.headers()).containsEntry("x-oss-server-side-encryption", "KMS")
                .containsEntry("x-oss-server-side-data-encryption", "SM4")
                .containsEntry("x-oss-server-side-encryption-key-id", keyId);
        assertThat(read(v1.getObject(b, "all"))).isEqualTo(concat(p1, p2));
        HeadObjectResult h = v2.headObject(HeadObjectRequest.newBuilder().bucket(b).key("all").build());
        assertThat(h.serverSideEncryption()).isEqualTo("KMS");
        assertThat(h.serverSideDataEncryption()).isEqualTo("SM4");
        assertThat(h.serverSideEncryptionKeyId()).isEqualTo(keyId);
    }

    @Test
    void errorsThroughTheV2Sdk() {
        String b = newBucket();
        String unknown = "0123456789ABCDEF0123456789ABCDEF";
        v2Error(404, "NoSuchUpload", () -> partV2(v2, b, "e", unknown, 1, bytes("x")));
        String id = initiateV2(b, "e");
        byte[] p = random(2000, 1);
        UploadPartResult r = partV2(v2, b, "e", id, 1, p);
        v2Error(400, "InvalidPart", () -> v2.completeMultipartUpload(completeReq(b, "e", id,
                List.of(Part.newBuilder().partNumber(1L).eTag(quoted(md5Hex(bytes("other")))).build())).build()));
        v2Error(400, "InvalidPartOrder", () -> v2.completeMultipartUpload(completeReq(b, "e", id,
                List.of(Part.newBuilder().partNumber(2L).eTag(r.eTag()).build(), Part.newBuilder().partNumber(1L).eTag(r.eTag()).build()))
                .build()));
        // forbid-overwrite on Complete
        v1.putObject(b, "e", in(bytes("exists")));
        v2Error(409, "FileAlreadyExists", () -> v2.completeMultipartUpload(completeReq(b, "e", id,
                List.of(Part.newBuilder().partNumber(1L).eTag(r.eTag()).build())).forbidOverwrite(true).build()));
        AbortMultipartUploadResult abort = v2.abortMultipartUpload(AbortMultipartUploadRequest.newBuilder().bucket(b).key("e")
                .uploadId(id).build());
        assertThat(abort.statusCode()).isEqualTo(204);
        v2Error(404, "NoSuchUpload", () -> v2.abortMultipartUpload(AbortMultipartUploadRequest.newBuilder().bucket(b).key("e")
                .uploadId(id).build()));
    }
}
