package dev.pail.it.resumable;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.event.ProgressEventType;
import com.aliyun.oss.model.GetObjectRequest;
import com.aliyun.oss.model.InitiateMultipartUploadRequest;
import com.aliyun.oss.model.ObjectMetadata;
import com.aliyun.oss.model.OSSObject;
import com.aliyun.oss.model.PutObjectRequest;
import com.aliyun.oss.model.UploadPartRequest;
import com.aliyun.oss.model.UploadPartResult;
import com.aliyun.sdk.service.oss2.transfermanager.Downloader;
import com.aliyun.sdk.service.oss2.transfermanager.DownloaderOptions;
import com.aliyun.sdk.service.oss2.transfermanager.Uploader;
import com.aliyun.sdk.service.oss2.transfermanager.UploaderOptions;
import com.aliyun.sdk.service.oss2.transport.BinaryData;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Progress listeners (features.md §11) reach 100 % of the byte count: upload progress is
 * client-side, download progress depends on the server's Content-Length being exact.
 */
class ProgressTest extends ResumableFixture {

    private static void assertUploadComplete(Events e, long size) {
        assertUploadComplete(e, size, ProgressEventType.TRANSFER_STARTED_EVENT, ProgressEventType.TRANSFER_COMPLETED_EVENT);
    }

    private static void assertUploadComplete(Events e, long size, ProgressEventType started, ProgressEventType completed) {
        List<ProgressEventType> types = e.types();
        assertThat(types.getFirst()).isEqualTo(started);
        assertThat(types.getLast()).isEqualTo(completed);
        assertThat(types).doesNotContain(ProgressEventType.TRANSFER_FAILED_EVENT, ProgressEventType.TRANSFER_PART_FAILED_EVENT);
        assertThat(e.sum(ProgressEventType.REQUEST_CONTENT_LENGTH_EVENT)).isEqualTo(size);
        assertThat(e.sum(ProgressEventType.REQUEST_BYTE_TRANSFER_EVENT)).isEqualTo(size);
    }

    private static void assertDownloadComplete(Events e, long size) {
        List<ProgressEventType> types = e.types();
        assertThat(types).contains(ProgressEventType.TRANSFER_STARTED_EVENT, ProgressEventType.TRANSFER_COMPLETED_EVENT)
                .doesNotContain(ProgressEventType.TRANSFER_FAILED_EVENT);
        assertThat(e.sum(ProgressEventType.RESPONSE_CONTENT_LENGTH_EVENT)).as("total from Content-Length").isEqualTo(size);
        assertThat(e.sum(ProgressEventType.RESPONSE_BYTE_TRANSFER_EVENT)).isEqualTo(size);
        assertThat(types.indexOf(ProgressEventType.TRANSFER_COMPLETED_EVENT))
                .isGreaterThan(types.lastIndexOf(ProgressEventType.RESPONSE_BYTE_TRANSFER_EVENT));
    }

    @Test
    void j1PutObjectFromStreamAndFileReachesTheFullSize() throws Exception {
        String bucket = newBucket();
        byte[] data = random(1024 * 1024 + 3, 51);
        Events e = new Events();
        ObjectMetadata md = new ObjectMetadata();
        md.setContentLength(data.length);
        PutObjectRequest put = new PutObjectRequest(bucket, "p/stream.bin", new ByteArrayInputStream(data), md);
        put.setProgressListener(e);
        direct.putObject(put);
        assertUploadComplete(e, data.length);
        assertThat(read(direct.getObject(bucket, "p/stream.bin"))).isEqualTo(data);

        Path file = writeFile("progress-file.bin", data);
        Events f = new Events();
        PutObjectRequest fromFile = new PutObjectRequest(bucket, "p/file.bin", file.toFile());
        fromFile.setProgressListener(f);
        direct.putObject(fromFile);
        assertUploadComplete(f, data.length);
        assertThat(read(direct.getObject(bucket, "p/file.bin"))).isEqualTo(data);
    }

    @Test
    void j1UploadPartReachesThePartSize() throws Exception {
        String bucket = newBucket();
        byte[] part = random(300 * 1024 + 9, 52);
        String id = direct.initiateMultipartUpload(new InitiateMultipartUploadRequest(bucket, "mp.bin")).getUploadId();
        Events e = new Events();
        UploadPartRequest up = new UploadPartRequest(bucket, "mp.bin", id, 1, new ByteArrayInputStream(part), part.length);
        up.setProgressListener(e);
        UploadPartResult r = direct.uploadPart(up);
        // UploadPart publishes the part variants of started/completed around the byte events
        assertUploadComplete(e, part.length, ProgressEventType.TRANSFER_PART_STARTED_EVENT, ProgressEventType.TRANSFER_PART_COMPLETED_EVENT);
        assertThat(r.getServerCRC()).isEqualTo(crc(part));
        // the same with a chunked UploadPart body (features.md §0: the server must accept it)
        byte[] last = random(70 * 1024 + 1, 55);
        Events c = new Events();
        UploadPartRequest chunked = new UploadPartRequest(bucket, "mp.bin", id, 2, new ByteArrayInputStream(last), last.length);
        chunked.setUseChunkEncoding(true);
        chunked.setProgressListener(c);
        UploadPartResult r2 = direct.uploadPart(chunked);
        assertThat(c.sum(ProgressEventType.REQUEST_BYTE_TRANSFER_EVENT)).isEqualTo(last.length);
        assertThat(c.types()).contains(ProgressEventType.TRANSFER_PART_COMPLETED_EVENT);
        assertThat(r2.getServerCRC()).isEqualTo(crc(last));
        direct.completeMultipartUpload(new com.aliyun.oss.model.CompleteMultipartUploadRequest(bucket, "mp.bin", id,
                new java.util.ArrayList<>(List.of(r.getPartETag(), r2.getPartETag()))));
        byte[] all = new byte[part.length + last.length];
        System.arraycopy(part, 0, all, 0, part.length);
        System.arraycopy(last, 0, all, part.length, last.length);
        assertThat(read(direct.getObject(bucket, "mp.bin"))).isEqualTo(all);
    }

    @Test
    void j1GetObjectToStreamFileAndRangeReachesTheContentLength() throws Exception {
        String bucket = newBucket();
        byte[] data = random(2 * 1024 * 1024 + 11, 53);
        direct.putObject(bucket, "g.bin", new ByteArrayInputStream(data));

        Events e = new Events();
        GetObjectRequest g = new GetObjectRequest(bucket, "g.bin");
        g.setProgressListener(e);
        byte[] got;
        try (OSSObject o = direct.getObject(g); InputStream in = o.getObjectContent()) {
            got = in.readAllBytes();
        }
        assertThat(got).isEqualTo(data);
        assertDownloadComplete(e, data.length);

        Events f = new Events();
        Path file = tmp.resolve("progress-get.bin");
        GetObjectRequest toFile = new GetObjectRequest(bucket, "g.bin");
        toFile.setProgressListener(f);
        direct.getObject(toFile, file.toFile());
        assertThat(Files.readAllBytes(file)).isEqualTo(data);
        assertDownloadComplete(f, data.length);

        Events r = new Events();
        GetObjectRequest ranged = new GetObjectRequest(bucket, "g.bin");
        ranged.setRange(1000, 1000 + 65535);
        ranged.setProgressListener(r);
        try (OSSObject o = direct.getObject(ranged); InputStream in = o.getObjectContent()) {
            assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(data, 1000, 1000 + 65536));
        }
        assertDownloadComplete(r, 65536);
    }

    @Test
    void v2PutAndGetProgressReachTheFullSize() throws Exception {
        String bucket = newBucket();
        byte[] data = random(1536 * 1024 + 5, 54);
        V2TransferManagerTest.V2Progress put = new V2TransferManagerTest.V2Progress();
        v2Direct.putObject(com.aliyun.sdk.service.oss2.models.PutObjectRequest.newBuilder().bucket(bucket).key("v2p.bin")
                .body(BinaryData.fromBytes(data)).progressListener(put).build());
        assertThat(put.lastTransferred()).isEqualTo(data.length);
        assertThat(put.increments()).isEqualTo(data.length);
        assertThat(put.calls).allSatisfy(c -> assertThat(c[2]).isEqualTo(data.length));
        assertThat(put.finished).isTrue();

        // 0.4.0 honours GetObjectRequest.progressListener in the Downloader (total from HEAD Content-Length)
        V2TransferManagerTest.V2Progress get = new V2TransferManagerTest.V2Progress();
        Path file = tmp.resolve("v2-progress.bin");
        new Downloader(v2Direct, DownloaderOptions.newBuilder().partSize(PART).parallelNum(3).build()).downloadFile(
                com.aliyun.sdk.service.oss2.models.GetObjectRequest.newBuilder().bucket(bucket).key("v2p.bin").progressListener(get).build(),
                file.toString());
        assertThat(Files.readAllBytes(file)).isEqualTo(data);
        assertThat(get.lastTransferred()).isEqualTo(data.length);
        assertThat(get.increments()).isEqualTo(data.length);
        assertThat(get.calls).allSatisfy(c -> assertThat(c[2]).isEqualTo(data.length));
        assertThat(get.finished).isTrue();

        // the Uploader reports per part and finishes at the full size
        V2TransferManagerTest.V2Progress up = new V2TransferManagerTest.V2Progress();
        new Uploader(v2Direct, UploaderOptions.newBuilder().partSize(PART).parallelNum(3).build()).uploadFile(
                com.aliyun.sdk.service.oss2.models.PutObjectRequest.newBuilder().bucket(bucket).key("v2u.bin").progressListener(up).build(),
                file.toString());
        assertThat(up.lastTransferred()).isEqualTo(data.length);
        assertThat(up.increments()).isEqualTo(data.length);
        assertThat(up.finished).isTrue();
        assertThat(read(direct.getObject(bucket, "v2u.bin"))).isEqualTo(data);
    }
}
