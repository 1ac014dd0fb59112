package dev.pail.it.tagging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSException;
import com.aliyun.oss.model.CopyObjectRequest;
import com.aliyun.oss.model.CreateSymlinkRequest;
import com.aliyun.oss.model.ObjectMetadata;
import com.aliyun.oss.model.PutObjectRequest;
import com.aliyun.oss.model.SetObjectTaggingRequest;
import com.aliyun.oss.model.TagSet;
import dev.pail.it.Clients;
import dev.pail.it.TestServer;
import java.io.ByteArrayInputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TaggingSmokeTest {
    static TestServer server;

    @BeforeAll
    static void start() { server = new TestServer(); }

    @AfterAll
    static void stop() { server.close(); }

    @Test
    void tagsOnPutCopyAndTaggingCalls() throws Exception {
        OSS oss = Clients.v1(server);
        String b = "tag-" + System.nanoTime();
        oss.createBucket(b);
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("key1", "value1");
        tags.put("k4+-=", "+-=._:/");
        tags.put("中文", "值");
        ObjectMetadata m = new ObjectMetadata();
        m.setObjectTagging(tags);
        oss.putObject(new PutObjectRequest(b, "o", new ByteArrayInputStream("x".getBytes()), m));
        assertThat(oss.getObjectTagging(b, "o").getAllTags()).isEqualTo(tags);
        assertThat(oss.getObject(b, "o").getObjectMetadata().getRawMetadata().get("x-oss-tagging-count")).isEqualTo("3");

        oss.copyObject(b, "o", b, "copied");
        assertThat(oss.getObjectTagging(b, "copied").getAllTags()).isEqualTo(tags);
        CopyObjectRequest replace = new CopyObjectRequest(b, "o", b, "replaced");
        ObjectMetadata nm = new ObjectMetadata();
        nm.setObjectTagging(Map.of("only", "one"));
        replace.setNewObjectMetadata(nm);
        oss.copyObject(replace);
        assertThat(oss.getObjectTagging(b, "replaced").getAllTags()).isEqualTo(Map.of("only", "one"));

        String etag = oss.getObjectMetadata(b, "o").getETag();
        oss.setObjectTagging(new SetObjectTaggingRequest(b, "o", new TagSet(Map.of("a", ""))));
        assertThat(oss.getObjectTagging(b, "o").getAllTags()).isEqualTo(Map.of("a", ""));
        assertThat(oss.getObjectMetadata(b, "o").getETag()).isEqualTo(etag);
        oss.deleteObjectTagging(b, "o");
        assertThat(oss.getObjectTagging(b, "o").getAllTags()).isEmpty();

        Map<String, String> eleven = new LinkedHashMap<>();
        for (int i = 0; i < 11; i++) eleven.put("k" + i, "v");
        assertThatThrownBy(() -> oss.setObjectTagging(b, "o", eleven))
                .isInstanceOfSatisfying(OSSException.class, e -> assertThat(e.getErrorCode()).isEqualTo("InvalidTag"));
        oss.shutdown();
    }

    @Test
    void symlinksFollowOneLevel() throws Exception {
        OSS oss = Clients.v4(server);
        String b = "sym-" + System.nanoTime();
        oss.createBucket(b);
        oss.putObject(b, "dir/target.txt", new ByteArrayInputStream("target bytes".getBytes()));
        CreateSymlinkRequest link = new CreateSymlinkRequest(b, "link", "dir/target.txt");
        ObjectMetadata lm = new ObjectMetadata();
        lm.addUserMetadata("own", "meta");
        lm.setObjectTagging(Map.of("on", "link"));
        link.setMetadata(lm);
        oss.createSymlink(link);
        assertThat(oss.getSymlink(b, "link").getTarget()).isEqualTo("dir/target.txt");
        assertThat(oss.getObject(b, "link").getObjectContent().readAllBytes()).isEqualTo("target bytes".getBytes());
        ObjectMetadata head = oss.getObjectMetadata(b, "link");
        assertThat(head.getObjectType()).isEqualTo("Symlink");
        assertThat(head.getUserMetadata()).containsEntry("own", "meta");
        assertThat(head.getContentLength()).isEqualTo(12);
        assertThat(oss.getObjectTagging(b, "link").getAllTags()).isEqualTo(Map.of("on", "link"));
        assertThat(oss.getObjectTagging(b, "dir/target.txt").getAllTags()).isEmpty();

        oss.deleteObject(b, "dir/target.txt");
        assertThatThrownBy(() -> oss.getObject(b, "link"))
                .isInstanceOfSatisfying(OSSException.class, e -> assertThat(e.getErrorCode()).isEqualTo("SymlinkTargetNotExist"));
        assertThatThrownBy(() -> oss.getSymlink(b, "nope"))
                .isInstanceOfSatisfying(OSSException.class, e -> assertThat(e.getErrorCode()).isEqualTo("NoSuchKey"));
        oss.shutdown();
    }
}
