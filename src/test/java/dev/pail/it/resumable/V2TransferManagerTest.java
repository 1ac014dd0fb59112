package dev.pail.it.resumable;

import dev.pail.it.WireProxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.aliyun.sdk.service.oss2.models.GetObjectRequest;
import com.aliyun.sdk.service.oss2.models.HeadObjectRequest;
import com.aliyun.sdk.service.oss2.models.HeadObjectResult;
import com.aliyun.sdk.service.oss2.models.PutObjectRequest;
import com.aliyun.sdk.service.oss2.progress.ProgressListener;
import com.aliyun.sdk.service.oss2.transfermanager.DownloadError;
import com.aliyun.sdk.service.oss2.transfermanager.DownloadResult;
import com.aliyun.sdk.service.oss2.transfermanager.Downloader;
import com.aliyun.sdk.service.oss2.transfermanager.DownloaderOptions;
import com.aliyun.sdk.service.oss2.transfermanager.UploadError;
import com.aliyun.sdk.service.oss2.transfermanager.UploadResult;
import com.aliyun.sdk.service.oss2.transfermanager.Uploader;
import com.aliyun.sdk.service.oss2.transfermanager.UploaderOptions;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * alibabacloud-oss-v2 0.4.0 transfer managers (features.md §4.3/§4.4 describe the Python
 * equivalents; the Java 0.4.0 code behaves the same way): {@code Uploader} resumes from a
 * {@code .ucp} checkpoint by listing the parts of the saved upload id, {@code Downloader} resumes
 * from a {@code .dcp} checkpoint at the saved offset.
 */
class V2TransferManagerTest extends ResumableFixture {

    /** Records V2 progress callbacks. */
    static final class V2Progress implements ProgressListener {
        final List<long[]> calls = Collections.synchronizedList(new ArrayList<>());
        final AtomicBoolean finished = new AtomicBoolean();

        @Override
        public void onProgress(long increment, long transferred, long total) { calls.add(new long[] {increment, transferred, total}); }

        @Override
        public void onFinish() { finished.set(true); }

        long lastTransferred() { return calls.stream().mapToLong(c -> c[1]).max().orElse(-1); }

        long increments() { return calls.stream().mapToLong(c -> c[0]).sum(); }
    }

    private static List<Path> files(Path dir, String suffix) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)).toList();
        }
    }

    @Test
    void uploaderWithCheckpointCutAfterThreePartsResumesViaListParts() throws Exception {
        String bucket = newBucket();
        byte[] data = random(10 * (int) PART - 100, 31); // 10 parts
        Path file = writeFile("v2-up.bin", data);
        Path cpDir = Files.createDirectories(tmp.resolve("v2-ucp"));
        UploaderOptions opts = UploaderOptions.newBuilder().partSize(PART).parallelNum(1)
                .enableCheckpoint(true).checkpointDir(cpDir.toString()).build();
        Uploader uploader = new Uploader(v2Wire, opts);
        PutObjectRequest req = PutObjectRequest.newBuilder().bucket(bucket).key("v2/up.bin")
                .contentType("application/x-v2-resumable").metadata(Map.of("origin", "v2-uploader")).tagging("via=uploader").build();

        proxy.killAfter(WireProxy.Request::isUploadPart, 3);
        Throwable failure = catchThrowable(() -> uploader.uploadFile(req, file.toString()));
        assertThat(failure).isInstanceOf(UploadError.class);
        String uploadId = ((UploadError) failure).uploadId();
        assertThat(uploadId).isNotEmpty();
        assertThat(forwardedParts(proxy.requests())).containsExactly(1, 2, 3);
        assertThat(files(cpDir, ".ucp")).hasSize(1);

        proxy.heal();
        proxy.clear();
        V2Progress progress = new V2Progress();
        UploadResult result = uploader.uploadFile(req.toBuilder().progressListener(progress).build(), file.toString());

        List<WireProxy.Request> second = proxy.requests();
        assertThat(second.stream().filter(WireProxy.Request::isListParts)).as("resume lists the saved upload").isNotEmpty()
                .allMatch(r -> r.query().get("uploadId").equals(uploadId));
        assertThat(second.stream().filter(WireProxy.Request::isInitiate)).isEmpty();
        assertThat(forwardedParts(second)).containsExactlyElementsOf(range(4, 10));
        assertThat(second.stream().filter(WireProxy.Request::isComplete)).hasSize(1);
        assertThat(result.uploadId()).isEqualTo(uploadId);
        // the uploader's CRC check combined the listed parts' HashCrc64ecma with the new ones
        assertThat(result.hashCrc64ecma()).isEqualTo(crcDecimal(data));
        assertThat(files(cpDir, ".ucp")).isEmpty();
        assertThat(progress.lastTransferred()).isEqualTo(data.length);
        assertThat(progress.finished).isTrue();

        assertThat(read(direct.getObject(bucket, "v2/up.bin"))).isEqualTo(data);
        HeadObjectResult head = v2Direct.headObject(HeadObjectRequest.newBuilder().bucket(bucket).key("v2/up.bin").build());
        assertThat(head.contentType()).isEqualTo("application/x-v2-resumable");
        assertThat(head.metadata()).containsEntry("origin", "v2-uploader");
        assertThat(head.objectType()).isEqualTo("Multipart");
        assertThat(head.contentLength()).isEqualTo(data.length);
        assertThat(direct.getObjectTagging(bucket, "v2/up.bin").getAllTags()).isEqualTo(Map.of("via", "uploader"));
    }

    @Test
    void uploaderStartsOverWhenTheCheckpointedUploadIsGone() throws Exception {
        String bucket = newBucket();
        byte[] data = random(4 * (int) PART + 10, 35); // 5 parts
        Path file = writeFile("v2-gone.bin", data);
        Path cpDir = Files.createDirectories(tmp.resolve("v2-gone"));
        Uploader uploader = new Uploader(v2Wire, UploaderOptions.newBuilder().partSize(PART).parallelNum(1)
                .enableCheckpoint(true).checkpointDir(cpDir.toString()).build());
        PutObjectRequest req = PutObjectRequest.newBuilder().bucket(bucket).key("gone.bin").build();
        proxy.killAfter(WireProxy.Request::isUploadPart, 2);
        Throwable failure = catchThrowable(() -> uploader.uploadFile(req, file.toString()));
        assertThat(failure).isInstanceOf(UploadError.class);
        String oldId = ((UploadError) failure).uploadId();
        direct.abortMultipartUpload(new com.aliyun.oss.model.AbortMultipartUploadRequest(bucket, "gone.bin", oldId));

        proxy.heal();
        proxy.clear();
        UploadResult r = uploader.uploadFile(req, file.toString());
        List<WireProxy.Request> wire = proxy.requests();
        // ListParts of the aborted upload fails (NoSuchUpload), so the uploader initiates a new one
        assertThat(wire.stream().filter(WireProxy.Request::isListParts)).isNotEmpty();
        assertThat(wire.stream().filter(WireProxy.Request::isInitiate)).hasSize(1);
        assertThat(forwardedParts(wire)).containsExactlyElementsOf(range(1, 5));
        assertThat(r.uploadId()).isNotEqualTo(oldId);
        assertThat(r.hashCrc64ecma()).isEqualTo(crcDecimal(data));
        assertThat(read(direct.getObject(bucket, "gone.bin"))).isEqualTo(data);
    }

    @Test
    void uploaderInParallelWithoutCheckpointAndSmallFileSinglePut() throws Exception {
        String bucket = newBucket();
        byte[] data = random(7 * (int) PART + 1, 32);
        Path file = writeFile("v2-par.json", data);
        Uploader uploader = new Uploader(v2Wire, UploaderOptions.newBuilder().partSize(PART).parallelNum(3).build());
        UploadResult r = uploader.uploadFile(PutObjectRequest.newBuilder().bucket(bucket).key("par.json").build(), file.toString());
        assertThat(forwardedParts(proxy.requests())).containsExactlyElementsOf(range(1, 8));
        assertThat(r.hashCrc64ecma()).isEqualTo(crcDecimal(data));
        assertThat(read(direct.getObject(bucket, "par.json"))).isEqualTo(data);
        assertThat(direct.getObjectMetadata(bucket, "par.json").getContentType()).isEqualTo("application/json");

        // below one part: a single PutObject
        proxy.clear();
        byte[] small = random(1000, 33);
        UploadResult s = uploader.uploadFrom(PutObjectRequest.newBuilder().bucket(bucket).key("small.bin").build(),
                com.aliyun.sdk.service.oss2.transport.BinaryData.fromBytes(small));
        assertThat(proxy.requests()).hasSize(1).allMatch(q -> q.method().equals("PUT") && q.query().isEmpty());
        assertThat(s.hashCrc64ecma()).isEqualTo(crcDecimal(small));
        assertThat(read(direct.getObject(bucket, "small.bin"))).isEqualTo(small);
    }

    @Test
    void downloaderWithCheckpointCutAfterTwoRangesResumesAtTheSavedOffset() throws Exception {
        String bucket = newBucket();
        byte[] data = random(8 * (int) PART + 12345, 34); // 9 ranges
        direct.putObject(bucket, "v2/dl.bin", new ByteArrayInputStream(data));
        Path file = tmp.resolve("v2-dl.bin");
        Path cpDir = Files.createDirectories(tmp.resolve("v2-dcp"));
        DownloaderOptions opts = DownloaderOptions.newBuilder().partSize(PART).parallelNum(2)
                .enableCheckpoint(true).checkpointDir(cpDir.toString()).build();
        Downloader downloader = new Downloader(v2Wire, opts);
        GetObjectRequest req = GetObjectRequest.newBuilder().bucket(bucket).key("v2/dl.bin").build();

        proxy.killAfter(WireProxy.Request::isRangedGet, 2);
        Throwable failure = catchThrowable(() -> downloader.downloadFile(req, file.toString()));
        assertThat(failure).isInstanceOf(DownloadError.class);
        // two parallel workers: which two ranges got through depends on arrival order at the proxy
        List<String> through = proxy.requests(r -> r.isRangedGet() && r.forwarded()).stream().map(r -> r.header("range")).toList();
        assertThat(through).hasSize(2);
        long saved = 0; // the checkpoint keeps the contiguous prefix that was written
        while (through.contains("bytes=" + saved + "-" + (Math.min(saved + PART, data.length) - 1))) saved += PART;
        assertThat(files(cpDir, ".dcp")).hasSize(1);
        assertThat(file).doesNotExist();

        proxy.heal();
        proxy.clear();
        DownloadResult result = downloader.downloadFile(req, file.toString());
        List<WireProxy.Request> gets = proxy.requests(WireProxy.Request::isGet);
        List<String> expected = new ArrayList<>();
        for (long s = saved; s < data.length; s += PART) expected.add("bytes=" + s + "-" + (Math.min(s + PART, data.length) - 1));
        assertThat(gets).extracting(r -> r.header("range")).as("only from the saved offset on").containsExactlyInAnyOrderElementsOf(expected);
        assertThat(gets).allSatisfy(r -> assertThat(r.header("x-oss-range-behavior")).isEqualTo("standard"));
        assertThat(result.written()).isEqualTo(data.length);
        assertThat(Files.readAllBytes(file)).isEqualTo(data);
        assertThat(files(cpDir, ".dcp")).isEmpty();
    }

    @Test
    void downloaderOfZeroByteObjectSendsNoGet() throws Exception {
        String bucket = newBucket();
        direct.putObject(bucket, "empty", new ByteArrayInputStream(new byte[0]));
        Path file = tmp.resolve("v2-empty.bin");
        DownloadResult r = new Downloader(v2Wire).downloadFile(GetObjectRequest.newBuilder().bucket(bucket).key("empty").build(),
                file.toString());
        assertThat(r.written()).isZero();
        assertThat(file).exists();
        assertThat(Files.size(file)).isZero();
        assertThat(proxy.requests(WireProxy.Request::isGet)).isEmpty();
        assertThat(proxy.requests(q -> q.method().equals("HEAD"))).hasSize(1);
    }
}
