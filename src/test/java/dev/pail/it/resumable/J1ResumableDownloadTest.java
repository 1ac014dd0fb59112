package dev.pail.it.resumable;

import dev.pail.it.WireProxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.aliyun.oss.ClientException;
import com.aliyun.oss.OSSException;
import com.aliyun.oss.event.ProgressEventType;
import com.aliyun.oss.model.DownloadFileRequest;
import com.aliyun.oss.model.DownloadFileResult;
import com.aliyun.oss.model.GetObjectRequest;
import com.aliyun.oss.model.OSSObject;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * J1 {@code downloadFile(DownloadFileRequest)} with a checkpoint (features.md §4.7): ranged GETs,
 * cut on the wire after some parts, resumed from the {@code .dcp} file. The downloader sends
 * {@code If-Match} with the ETag exactly as the caller gives it; here it is unquoted, the form
 * oss2's resumable_download sends (§4.2), so the server must match unquoted entity tags.
 */
class J1ResumableDownloadTest extends ResumableFixture {

    private static List<String> expectedRanges(long size, long part) {
        List<String> out = new ArrayList<>();
        for (long s = 0; s < size; s += part) out.add("bytes=" + s + "-" + (Math.min(s + part, size) - 1));
        return out;
    }

    private String putObject(String bucket, String key, byte[] data) {
        direct.putObject(bucket, key, new ByteArrayInputStream(data));
        return direct.getObjectMetadata(bucket, key).getETag(); // J1 strips the quotes
    }

    private DownloadFileRequest request(String bucket, String key, Path file, Path cp, int tasks, String etag) {
        DownloadFileRequest r = new DownloadFileRequest(bucket, key, file.toString(), PART, tasks, true, cp.toString());
        if (etag != null) r.setMatchingETagConstraints(List.of(etag));
        return r;
    }

    @Test
    void downloadFileCutAfterThreeRangesResumesWithTheRest() throws Throwable {
        String bucket = newBucket();
        byte[] data = random(9 * (int) PART + 777, 21); // 10 ranges
        String etag = putObject(bucket, "dl/big.bin", data);
        assertThat(etag).doesNotContain("\"");
        Path file = tmp.resolve("big.bin");
        Path cp = tmp.resolve("big.bin.dcp");
        List<String> all = expectedRanges(data.length, PART);

        proxy.killAfter(WireProxy.Request::isRangedGet, 3);
        Throwable failure = catchThrowable(() -> wire.downloadFile(request(bucket, "dl/big.bin", file, cp, 1, etag)));
        assertThat(failure).as("first run fails mid-way").isInstanceOf(ClientException.class);
        List<String> first = proxy.requests(r -> r.isRangedGet() && r.forwarded()).stream().map(r -> r.header("range")).toList();
        assertThat(first).containsExactlyElementsOf(all.subList(0, 3));
        assertThat(cp).exists();
        assertThat(file).doesNotExist();

        proxy.heal();
        proxy.clear();
        Events events = new Events();
        DownloadFileRequest again = request(bucket, "dl/big.bin", file, cp, 1, etag);
        again.setProgressListener(events);
        DownloadFileResult result = wire.downloadFile(again);

        List<WireProxy.Request> gets = proxy.requests(WireProxy.Request::isGet);
        assertThat(gets).extracting(r -> r.header("range")).as("only the missing ranges")
                .containsExactlyElementsOf(all.subList(3, all.size()));
        assertThat(gets).allSatisfy(r -> assertThat(r.header("if-match")).isEqualTo(etag));
        assertThat(Files.readAllBytes(file)).isEqualTo(data);
        assertThat(cp).doesNotExist();
        assertThat(Path.of(file + ".tmp")).doesNotExist();
        assertThat(result.getObjectMetadata().getServerCRC()).isEqualTo(crc(data));
        // progress of the resumed run (3.18.5): total = the whole object, first the checkpointed
        // bytes as one transfer event, then one event per range fetched; it reaches 100 %
        assertThat(events.sum(ProgressEventType.RESPONSE_CONTENT_LENGTH_EVENT)).isEqualTo(data.length);
        assertThat(events.all.stream().filter(e -> e.getEventType() == ProgressEventType.RESPONSE_BYTE_TRANSFER_EVENT)
                .findFirst().orElseThrow().getBytes()).isEqualTo(3 * PART);
        assertThat(events.sum(ProgressEventType.RESPONSE_BYTE_TRANSFER_EVENT)).isEqualTo(data.length);
        assertThat(events.types()).contains(ProgressEventType.TRANSFER_COMPLETED_EVENT)
                .doesNotContain(ProgressEventType.TRANSFER_FAILED_EVENT, ProgressEventType.TRANSFER_PART_FAILED_EVENT);
    }

    @Test
    void downloadFileWithThreeTasksCutMidWayResumesWithTheComplement() throws Throwable {
        String bucket = newBucket();
        byte[] data = random(11 * (int) PART + 5, 22); // 12 ranges
        String etag = putObject(bucket, "dl3.bin", data);
        Path file = tmp.resolve("dl3.bin");
        Path cp = tmp.resolve("dl3.bin.dcp");
        List<String> all = expectedRanges(data.length, PART);

        proxy.killAfter(WireProxy.Request::isRangedGet, 5);
        Throwable failure = catchThrowable(() -> wire.downloadFile(request(bucket, "dl3.bin", file, cp, 3, etag)));
        assertThat(failure).isInstanceOf(ClientException.class);
        List<String> first = proxy.requests(r -> r.isRangedGet() && r.forwarded()).stream().map(r -> r.header("range")).toList();
        assertThat(first).hasSize(5);

        proxy.heal();
        proxy.clear();
        wire.downloadFile(request(bucket, "dl3.bin", file, cp, 3, etag));
        List<String> second = proxy.requests(WireProxy.Request::isGet).stream().map(r -> r.header("range")).toList();
        assertThat(second).doesNotContainAnyElementsOf(first).doesNotHaveDuplicates();
        Set<String> union = new HashSet<>(first);
        union.addAll(second);
        assertThat(union).containsExactlyInAnyOrderElementsOf(all);
        assertThat(Files.readAllBytes(file)).isEqualTo(data);
    }

    @Test
    void resumeAfterTheObjectChangedDownloadsEverythingAgain() throws Throwable {
        String bucket = newBucket();
        byte[] v1 = random(4 * (int) PART, 25);
        putObject(bucket, "changing.bin", v1);
        Path file = tmp.resolve("changing.bin");
        Path cp = tmp.resolve("changing.bin.dcp");
        proxy.killAfter(WireProxy.Request::isRangedGet, 2);
        assertThat(catchThrowable(() -> wire.downloadFile(request(bucket, "changing.bin", file, cp, 1, null))))
                .isInstanceOf(ClientException.class);
        assertThat(cp).exists();

        byte[] v2 = random(4 * (int) PART + 1, 26);
        putObject(bucket, "changing.bin", v2); // the checkpoint's ETag/size no longer match GetObjectMeta
        proxy.heal();
        proxy.clear();
        wire.downloadFile(request(bucket, "changing.bin", file, cp, 1, null));
        assertThat(proxy.requests(q -> q.method().equals("HEAD"))).anyMatch(q -> q.query().containsKey("objectMeta"));
        assertThat(proxy.requests(WireProxy.Request::isGet)).extracting(r -> r.header("range"))
                .containsExactlyElementsOf(expectedRanges(v2.length, PART));
        assertThat(Files.readAllBytes(file)).isEqualTo(v2);
    }

    @Test
    void downloadFileWithIfMatchAndIfUnmodifiedSinceAsOss2SendsThem() throws Throwable {
        String bucket = newBucket();
        byte[] data = random(3 * (int) PART + 50, 27);
        String etag = putObject(bucket, "cond.bin", data);
        java.util.Date lastModified = direct.getObjectMetadata(bucket, "cond.bin").getLastModified();
        Path file = tmp.resolve("cond.bin");
        DownloadFileRequest r = request(bucket, "cond.bin", file, tmp.resolve("cond.dcp"), 2, etag);
        r.setUnmodifiedSinceConstraint(lastModified);
        wire.downloadFile(r);
        assertThat(Files.readAllBytes(file)).isEqualTo(data);
        assertThat(proxy.requests(WireProxy.Request::isGet)).hasSize(4).allSatisfy(q -> {
            assertThat(q.header("if-match")).isEqualTo(etag);
            assertThat(q.header("if-unmodified-since")).endsWith("GMT");
        });

        // an If-Unmodified-Since before the last modification fails the download
        DownloadFileRequest old = request(bucket, "cond.bin", tmp.resolve("cond-old.bin"), tmp.resolve("cond-old.dcp"), 1, null);
        old.setUnmodifiedSinceConstraint(new java.util.Date(lastModified.getTime() - 3_600_000));
        Throwable failure = catchThrowable(() -> wire.downloadFile(old));
        assertThat(failure).isInstanceOf(OSSException.class);
        assertThat(((OSSException) failure).getErrorCode()).isEqualTo("PreconditionFailed");
    }

    @Test
    void downloadFileWithStaleIfMatchFailsWithPreconditionFailed() {
        String bucket = newBucket();
        byte[] data = random(2 * (int) PART, 23);
        String etag = putObject(bucket, "stale.bin", data);
        String other = etag.substring(0, etag.length() - 1) + (etag.endsWith("0") ? "1" : "0");
        Path file = tmp.resolve("stale.bin");
        Throwable failure = catchThrowable(() -> wire.downloadFile(request(bucket, "stale.bin", file, tmp.resolve("stale.dcp"), 1, other)));
        assertThat(failure).isInstanceOf(OSSException.class);
        assertThat(((OSSException) failure).getErrorCode()).isEqualTo("PreconditionFailed");
        assertThat(file).doesNotExist();
    }

    @Test
    void downloadFileOfZeroByteObject() throws Throwable {
        String bucket = newBucket();
        putObject(bucket, "empty.bin", new byte[0]);
        Path file = tmp.resolve("empty.bin");
        Files.write(file, "old content".getBytes()); // replaced by the download
        Path cp = tmp.resolve("empty.bin.dcp");
        DownloadFileResult result = wire.downloadFile(request(bucket, "empty.bin", file, cp, 2, null));
        assertThat(file).exists();
        assertThat(Files.size(file)).isZero();
        assertThat(cp).doesNotExist();
        List<WireProxy.Request> gets = proxy.requests(WireProxy.Request::isGet);
        assertThat(gets).hasSize(1);
        assertThat(gets.getFirst().header("range")).isEqualTo("bytes=0-");
        assertThat(result.getObjectMetadata().getContentLength()).isZero();
        assertThat(result.getObjectMetadata().getServerCRC()).isZero();
    }

    @Test
    void rangedGetWithUnquotedIfMatchAsTheDownloadersSendIt() throws Exception {
        String bucket = newBucket();
        byte[] data = random(3 * (int) PART + 3, 24);
        String etag = putObject(bucket, "ranged.bin", data);
        GetObjectRequest g = new GetObjectRequest(bucket, "ranged.bin");
        g.setRange(PART, 2 * PART - 1);
        g.setMatchingETagConstraints(List.of(etag));
        try (OSSObject o = wire.getObject(g)) {
            assertThat(o.getObjectContent().readAllBytes()).isEqualTo(Arrays.copyOfRange(data, (int) PART, 2 * (int) PART));
            assertThat(o.getObjectMetadata().getContentLength()).isEqualTo(PART);
            assertThat(o.getObjectMetadata().getRawMetadata().get("Content-Range"))
                    .isEqualTo("bytes " + PART + "-" + (2 * PART - 1) + "/" + data.length);
            // a ranged GET carries the whole object's CRC (J1 downloadFile compares against it)
            assertThat(o.getObjectMetadata().getServerCRC()).isEqualTo(crc(data));
        }
        WireProxy.Request sent = proxy.requests(WireProxy.Request::isGet).getLast();
        assertThat(sent.header("if-match")).isEqualTo(etag);
        assertThat(sent.header("range")).isEqualTo("bytes=" + PART + "-" + (2 * PART - 1));

        // quoted form too
        GetObjectRequest q = new GetObjectRequest(bucket, "ranged.bin");
        q.setRange(0, 9);
        q.setMatchingETagConstraints(List.of("\"" + etag + "\""));
        try (OSSObject o = wire.getObject(q)) {
            assertThat(o.getObjectContent().readAllBytes()).isEqualTo(Arrays.copyOf(data, 10));
        }
    }
}
