package dev.pail.it.upload;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.OSS;
import com.aliyun.oss.model.*;
import dev.pail.it.Clients;
import dev.pail.it.TestServer;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MultipartSmokeTest {
    static TestServer server;

    @BeforeAll
    static void start() { server = new TestServer(); }

    @AfterAll
    static void stop() { server.close(); }

    @Test
    void multipartAndAppend() throws Exception {
        OSS oss = Clients.v1(server);
        String b = "mp-" + System.nanoTime();
        oss.createBucket(b);
        byte[] data = new byte[300 * 1024 + 17];
        new Random(1).nextBytes(data);
        String id = oss.initiateMultipartUpload(new InitiateMultipartUploadRequest(b, "big")).getUploadId();
        List<PartETag> etags = new ArrayList<>();
        int partSize = 100 * 1024;
        for (int i = 0, n = 1; i < data.length; i += partSize, n++) {
            int len = Math.min(partSize, data.length - i);
            UploadPartRequest r = new UploadPartRequest(b, "big", id, n, new ByteArrayInputStream(data, i, len), len);
            etags.add(oss.uploadPart(r).getPartETag());
        }
        assertThat(oss.listParts(new ListPartsRequest(b, "big", id)).getParts()).hasSize(4);
        oss.completeMultipartUpload(new CompleteMultipartUploadRequest(b, "big", id, etags));
        assertThat(oss.getObject(b, "big").getObjectContent().readAllBytes()).isEqualTo(data);
        GetObjectRequest g = new GetObjectRequest(b, "big");
        g.setRange(100 * 1024 - 5, 200 * 1024 + 5);
        byte[] part = oss.getObject(g).getObjectContent().readAllBytes();
        assertThat(part).isEqualTo(java.util.Arrays.copyOfRange(data, 100 * 1024 - 5, 200 * 1024 + 6));

        AppendObjectRequest a = new AppendObjectRequest(b, "log", new ByteArrayInputStream("hello".getBytes()));
        a.setPosition(0L);
        AppendObjectResult ar = oss.appendObject(a);
        assertThat(ar.getNextPosition()).isEqualTo(5);
        a = new AppendObjectRequest(b, "log", new ByteArrayInputStream(" world".getBytes()));
        a.setPosition(5L);
        a.setInitCRC(ar.getClientCRC());
        ar = oss.appendObject(a);
        assertThat(new String(oss.getObject(b, "log").getObjectContent().readAllBytes())).isEqualTo("hello world");
        assertThat(ar.getServerCRC()).isEqualTo(5981764153023615706L);
    }
}
