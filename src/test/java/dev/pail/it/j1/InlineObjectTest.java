package dev.pail.it.j1;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.model.BucketVersioningConfiguration;
import com.aliyun.oss.model.CompleteMultipartUploadRequest;
import com.aliyun.oss.model.GenericResult;
import com.aliyun.oss.model.GetObjectRequest;
import com.aliyun.oss.model.InitiateMultipartUploadRequest;
import com.aliyun.oss.model.OSSObject;
import com.aliyun.oss.model.ObjectMetadata;
import com.aliyun.oss.model.PartETag;
import com.aliyun.oss.model.ProcessObjectRequest;
import com.aliyun.oss.model.PutObjectResult;
import com.aliyun.oss.model.SetBucketVersioningRequest;
import com.aliyun.oss.model.UploadPartCopyRequest;
import dev.pail.it.StoredBlobs;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * Objects of at most 64 KiB written by PutObject (and by ProcessObject's saveas) live inside the
 * metadata database, written in the commit that makes them visible: no file appears under
 * {@code blobs/}. Every way of reading them must return their bytes, every way of replacing or
 * removing them must drop them from the database, and a refused write must leave nothing behind.
 */
class InlineObjectTest extends J1Base {
    private static final int LIMIT = 64 * 1024;

    private long blobFiles() {
        return StoredBlobs.files(server);
    }

    private long inlineRows() {
        return StoredBlobs.inline(server);
    }

    /** Inline blob count once blobs freed by earlier requests are dropped. */
    private void assertInlineRows(long expected) {
        StoredBlobs.flush(v1);
        assertThat(inlineRows()).isEqualTo(expected);
    }

    private byte[] get(String b, String k) throws Exception {
        try (OSSObject o = v1.getObject(b, k)) {
            byte[] body = read(o);
            assertThat(o.getServerCRC()).isEqualTo(crc(body));
            return body;
        }
    }

    @Test
    void smallObjectsLiveInTheDatabaseAndLargerOnesInFiles() throws Exception {
        String b = newBucket(Sig.V1);
        long files = blobFiles();
        long rows = inlineRows();
        byte[] atLimit = random(LIMIT, 1);
        PutObjectResult put = v1.putObject(b, "at-limit", in(atLimit));
        assertThat(put.getETag()).isEqualTo(md5Hex(atLimit));
        assertThat(put.getServerCRC()).isEqualTo(crc(atLimit));
        v1.putObject(b, "tiny", in(bytes("x")));
        v1.putObject(b, "empty", in(new byte[0]));
        assertThat(blobFiles()).isEqualTo(files);
        assertThat(inlineRows()).isEqualTo(rows + 2); // an empty object has no blob at all

        byte[] over = random(LIMIT + 1, 2);
        v1.putObject(b, "over-limit", in(over));
        assertThat(blobFiles()).isEqualTo(files + 1);
        assertThat(inlineRows()).isEqualTo(rows + 2);

        assertThat(get(b, "at-limit")).isEqualTo(atLimit);
        assertThat(get(b, "tiny")).isEqualTo(bytes("x"));
        assertThat(get(b, "empty")).isEmpty();
        assertThat(get(b, "over-limit")).isEqualTo(over);
        GetObjectRequest range = new GetObjectRequest(b, "at-limit");
        range.setRange(LIMIT - 100, LIMIT - 1);
        try (OSSObject o = v1.getObject(range)) {
            assertThat(read(o)).isEqualTo(Arrays.copyOfRange(atLimit, LIMIT - 100, LIMIT));
        }
        ObjectMetadata head = v1.getObjectMetadata(b, "at-limit");
        assertThat(head.getContentLength()).isEqualTo(LIMIT);
        assertThat(head.getETag()).isEqualTo(md5Hex(atLimit));
    }

    @Test
    void overwritesAndDeletesDropTheOldBytes() throws Exception {
        String b = newBucket(Sig.V1);
        long rows = inlineRows();
        for (int i = 0; i < 5; i++) {
            byte[] data = random(1000 + i, 10 + i);
            v1.putObject(b, "k", in(data));
            assertThat(get(b, "k")).isEqualTo(data);
        }
        assertInlineRows(rows + 1);
        v1.putObject(b, "k", in(random(LIMIT + 10, 3))); // a small object replaced by a file
        assertInlineRows(rows);
        v1.putObject(b, "k", in(bytes("small again")));
        assertInlineRows(rows + 1);
        v1.deleteObject(b, "k");
        assertInlineRows(rows);
        assertThat(v1.doesObjectExist(b, "k")).isFalse();
    }

    @Test
    void refusedWritesLeaveNothingBehind() throws Exception {
        String b = newBucket(Sig.V1);
        v1.putObject(b, "kept", in(bytes("first")));
        long rows = inlineRows();
        ObjectMetadata forbid = new ObjectMetadata();
        forbid.setHeader("x-oss-forbid-overwrite", "true");
        ossError("FileAlreadyExists", () -> v1.putObject(b, "kept", in(bytes("second")), forbid));
        ObjectMetadata wrongMd5 = new ObjectMetadata();
        wrongMd5.setContentMD5(md5B64(bytes("something else")));
        ossError("InvalidDigest", () -> v1.putObject(b, "bad", in(bytes("payload")), wrongMd5));
        assertThat(inlineRows()).isEqualTo(rows);
        assertThat(get(b, "kept")).isEqualTo(bytes("first"));
        assertThat(v1.doesObjectExist(b, "bad")).isFalse();
    }

    @Test
    void copiesOwnTheirBytes() throws Exception {
        String b = newBucket(Sig.V1);
        byte[] data = random(20_000, 5);
        v1.putObject(b, "src", in(data));
        long files = blobFiles();
        v1.copyObject(b, "src", b, "copy");
        v1.copyObject(b, "src", b, "src"); // in place (a metadata change)
        assertThat(blobFiles()).isEqualTo(files);
        v1.deleteObject(b, "src");
        assertThat(get(b, "copy")).isEqualTo(data);

        // UploadPartCopy from an inline source becomes a part (a file), whole or ranged
        assertThat(copiedPart(b, "copy", null, null)).isEqualTo(data);
        assertThat(copiedPart(b, "copy", 100L, 1000L)).isEqualTo(Arrays.copyOfRange(data, 100, 1100));
    }

    /** A one-part upload whose part is copied from {@code source}; returns the completed object's bytes. */
    private byte[] copiedPart(String b, String source, Long begin, Long size) throws Exception {
        String id = v1.initiateMultipartUpload(new InitiateMultipartUploadRequest(b, "mp")).getUploadId();
        UploadPartCopyRequest copy = new UploadPartCopyRequest(b, source, b, "mp", id);
        copy.setPartNumber(1);
        if (begin != null) {
            copy.setBeginIndex(begin);
            copy.setPartSize(size);
        }
        PartETag part = v1.uploadPartCopy(copy).getPartETag();
        v1.completeMultipartUpload(new CompleteMultipartUploadRequest(b, "mp", id, new java.util.ArrayList<>(List.of(part))));
        return get(b, "mp");
    }

    @Test
    void versionsKeepTheirBytesUntilTheyAreDeleted() throws Exception {
        String b = newBucket(Sig.V1);
        v1.setBucketVersioning(new SetBucketVersioningRequest(b, new BucketVersioningConfiguration(BucketVersioningConfiguration.ENABLED)));
        long rows = inlineRows();
        String first = v1.putObject(b, "v", in(bytes("one"))).getVersionId();
        String second = v1.putObject(b, "v", in(bytes("two"))).getVersionId();
        v1.deleteObject(b, "v"); // a delete marker: both versions keep their bytes
        assertThat(inlineRows()).isEqualTo(rows + 2);
        try (OSSObject o = v1.getObject(new GetObjectRequest(b, "v", first))) {
            assertThat(read(o)).isEqualTo(bytes("one"));
        }
        v1.deleteVersion(b, "v", second);
        assertInlineRows(rows + 1);
        try (OSSObject o = v1.getObject(new GetObjectRequest(b, "v", first))) {
            assertThat(read(o)).isEqualTo(bytes("one"));
        }
    }

    @Test
    void imagesAreProcessedFromAndSavedToTheDatabase() throws Exception {
        String b = newBucket(Sig.V1);
        BufferedImage img = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.ORANGE);
        g.fillRect(0, 0, 64, 48);
        g.dispose();
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(img, "png", png);
        v1.putObject(b, "pic.png", in(png.toByteArray()));
        long files = blobFiles();

        GetObjectRequest resize = new GetObjectRequest(b, "pic.png");
        resize.setProcess("image/resize,w_32");
        try (OSSObject o = v1.getObject(resize)) {
            BufferedImage out = ImageIO.read(new ByteArrayInputStream(read(o)));
            assertThat(out.getWidth()).isEqualTo(32);
            assertThat(out.getHeight()).isEqualTo(24);
        }
        String target = Base64.getUrlEncoder().withoutPadding().encodeToString("small.png".getBytes(StandardCharsets.UTF_8));
        GenericResult saved = v1.processObject(new ProcessObjectRequest(b, "pic.png", "image/resize,w_16|sys/saveas,o_" + target));
        saved.getResponse().getContent().close();
        assertThat(ImageIO.read(new ByteArrayInputStream(get(b, "small.png"))).getWidth()).isEqualTo(16);
        assertThat(blobFiles()).isEqualTo(files);
    }
}
