package dev.pail.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.OSS;
import com.aliyun.oss.model.OSSObject;
import com.aliyun.oss.model.ObjectListing;
import com.aliyun.sdk.service.oss2.OSSClient;
import com.aliyun.sdk.service.oss2.models.GetObjectRequest;
import com.aliyun.sdk.service.oss2.models.PutBucketRequest;
import com.aliyun.sdk.service.oss2.models.PutObjectRequest;
import com.aliyun.sdk.service.oss2.transport.BinaryData;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SmokeTest {
    static TestServer server;

    @BeforeAll
    static void start() { server = new TestServer(); }

    @AfterAll
    static void stop() { server.close(); }

    @Test
    void v1RoundTrip() throws Exception {
        for (OSS oss : new OSS[] {Clients.v1(server), Clients.v4(server)}) {
            String b = "smoke-" + System.nanoTime();
            oss.createBucket(b);
            oss.putObject(b, "dir/a b+c~!*.txt", new ByteArrayInputStream("hello".getBytes()));
            OSSObject o = oss.getObject(b, "dir/a b+c~!*.txt");
            assertThat(new String(o.getObjectContent().readAllBytes())).isEqualTo("hello");
            o.close();
            ObjectListing l = oss.listObjects(b);
            assertThat(l.getObjectSummaries()).extracting(s -> s.getKey()).containsExactly("dir/a b+c~!*.txt");
            oss.deleteObject(b, "dir/a b+c~!*.txt");
            oss.deleteBucket(b);
            oss.shutdown();
        }
    }

    @Test
    void v2RoundTrip() throws Exception {
        try (OSSClient c = Clients.v2(server)) {
            String b = "smoke2-" + System.nanoTime();
            c.putBucket(PutBucketRequest.newBuilder().bucket(b).build());
            c.putObject(PutObjectRequest.newBuilder().bucket(b).key("k/x.txt")
                    .body(BinaryData.fromBytes("hi there".getBytes(StandardCharsets.UTF_8))).build());
            var r = c.getObject(GetObjectRequest.newBuilder().bucket(b).key("k/x.txt").build());
            assertThat(new String(r.body().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hi there");
        }
    }
}
