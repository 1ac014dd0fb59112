package dev.pail.it.resumable;

import dev.pail.it.WireProxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.aliyun.oss.ClientException;
import com.aliyun.oss.event.ProgressEventType;
import com.aliyun.oss.model.ListPartsRequest;
import com.aliyun.oss.model.ObjectMetadata;
import com.aliyun.oss.model.PartListing;
import com.aliyun.oss.model.PartSummary;
import com.aliyun.oss.model.UploadFileRequest;
import com.aliyun.oss.model.UploadFileResult;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * J1 {@code uploadFile(UploadFileRequest)} with a checkpoint file (features.md §4.6): an upload is
 * cut on the wire after some UploadPart requests, then run again with the same checkpoint. The
 * second run must neither initiate a new upload nor re-send a part the server already has.
 */
class J1ResumableUploadTest extends ResumableFixture {

    private UploadFileRequest request(String bucket, String key, Path file, Path checkpoint, int tasks) {
        UploadFileRequest r = new UploadFileRequest(bucket, key);
        r.setUploadFile(file.toString());
        r.setPartSize(PART);
        r.setTaskNum(tasks);
        r.setEnableCheckpoint(true);
        r.setCheckpointFile(checkpoint.toString());
        ObjectMetadata md = new ObjectMetadata();
        md.setContentType("application/x-resumable-test");
        md.addUserMetadata("origin", "resumable");
        md.setObjectTagging(Map.of("stage", "resumed", "run", "2"));
        r.setObjectMetadata(md);
        return r;
    }

    @Test
    void uploadFileCutAfterThreePartsResumesWithoutResendingThem() throws Throwable {
        String bucket = newBucket();
        byte[] data = random(10 * (int) PART - 4321, 11); // 10 parts, the last one short
        Path file = writeFile("one-task.bin", data);
        Path cp = tmp.resolve("one-task.ucp");

        proxy.killAfter(WireProxy.Request::isUploadPart, 3);
        Throwable failure = catchThrowable(() -> wire.uploadFile(request(bucket, "big/one-task.bin", file, cp, 1)));
        assertThat(failure).as("the first run must fail mid-way").isInstanceOf(ClientException.class);
        List<WireProxy.Request> first = proxy.requests();
        assertThat(forwardedParts(first)).containsExactly(1, 2, 3);
        assertThat(first.stream().filter(WireProxy.Request::isInitiate)).hasSize(1);
        assertThat(first.stream().filter(WireProxy.Request::isComplete)).isEmpty();
        assertThat(cp).exists();
        String uploadId = first.stream().filter(WireProxy.Request::isUploadPart).findFirst().orElseThrow().query().get("uploadId");

        // the server kept the three parts of the interrupted upload
        PartListing listing = direct.listParts(new ListPartsRequest(bucket, "big/one-task.bin", uploadId));
        assertThat(listing.getParts()).extracting(PartSummary::getPartNumber).containsExactly(1, 2, 3);
        assertThat(listing.getParts()).allSatisfy(p -> assertThat(p.getSize()).isEqualTo(PART));

        proxy.heal();
        proxy.clear();
        Events events = new Events();
        UploadFileRequest again = request(bucket, "big/one-task.bin", file, cp, 1);
        again.setProgressListener(events);
        UploadFileResult result = wire.uploadFile(again);

        List<WireProxy.Request> second = proxy.requests();
        assertThat(second).allMatch(WireProxy.Request::forwarded);
        assertThat(second.stream().filter(WireProxy.Request::isInitiate)).as("no new upload").isEmpty();
        assertThat(forwardedParts(second)).as("only the missing parts are sent").containsExactlyElementsOf(range(4, 10));
        assertThat(second.stream().filter(WireProxy.Request::isUploadPart))
                .allMatch(r -> r.query().get("uploadId").equals(uploadId));
        assertThat(second.stream().filter(WireProxy.Request::isComplete)).hasSize(1)
                .allMatch(r -> r.query().get("uploadId").equals(uploadId));
        assertThat(cp).doesNotExist();

        // CRC: the SDK combined the checkpointed part CRCs with the new ones and compared with Complete's
        assertThat(result.getMultipartUploadResult().getServerCRC()).isEqualTo(crc(data));
        assertThat(result.getMultipartUploadResult().getClientCRC()).isEqualTo(crc(data));
        // progress of the resumed run (3.18.5): total = the whole file, first the checkpointed
        // bytes as one transfer event, then one event per part sent; it reaches 100 %
        assertThat(events.sum(ProgressEventType.REQUEST_CONTENT_LENGTH_EVENT)).isEqualTo(data.length);
        assertThat(events.all.stream().filter(e -> e.getEventType() == ProgressEventType.REQUEST_BYTE_TRANSFER_EVENT)
                .findFirst().orElseThrow().getBytes()).isEqualTo(3 * PART);
        assertThat(events.sum(ProgressEventType.REQUEST_BYTE_TRANSFER_EVENT)).isEqualTo(data.length);
        assertThat(events.types()).contains(ProgressEventType.TRANSFER_COMPLETED_EVENT)
                .doesNotContain(ProgressEventType.TRANSFER_FAILED_EVENT, ProgressEventType.TRANSFER_PART_FAILED_EVENT);

        assertStored(bucket, "big/one-task.bin", data);
    }

    @Test
    void uploadFileWithThreeTasksCutMidWayResumesWithTheComplement() throws Throwable {
        String bucket = newBucket();
        byte[] data = random(12 * (int) PART + 999, 12); // 13 parts
        Path file = writeFile("three-tasks.bin", data);
        Path cp = tmp.resolve("three-tasks.ucp");

        proxy.killAfter(WireProxy.Request::isUploadPart, 5);
        Throwable failure = catchThrowable(() -> wire.uploadFile(request(bucket, "three-tasks.bin", file, cp, 3)));
        assertThat(failure).isInstanceOf(ClientException.class);
        List<Integer> sentFirst = forwardedParts(proxy.requests());
        assertThat(sentFirst).hasSize(5);
        assertThat(cp).exists();

        proxy.heal();
        proxy.clear();
        wire.uploadFile(request(bucket, "three-tasks.bin", file, cp, 3));
        List<WireProxy.Request> second = proxy.requests();
        List<Integer> sentSecond = forwardedParts(second);
        assertThat(second.stream().filter(WireProxy.Request::isInitiate)).isEmpty();
        Set<Integer> all = new HashSet<>(sentFirst);
        all.addAll(sentSecond);
        assertThat(sentSecond).as("parts sent again").doesNotContainAnyElementsOf(sentFirst).doesNotHaveDuplicates();
        assertThat(all).containsExactlyInAnyOrderElementsOf(range(1, 13));
        assertStored(bucket, "three-tasks.bin", data);
    }

    @Test
    void resumeAfterTheUploadWasAbortedFailsWithNoSuchUpload() throws Throwable {
        // J1 trusts its checkpoint (no ListParts): a vanished upload surfaces as NoSuchUpload on UploadPart
        String bucket = newBucket();
        byte[] data = random(5 * (int) PART, 14);
        Path file = writeFile("aborted.bin", data);
        Path cp = tmp.resolve("aborted.ucp");
        proxy.killAfter(WireProxy.Request::isUploadPart, 2);
        assertThat(catchThrowable(() -> wire.uploadFile(request(bucket, "aborted.bin", file, cp, 1)))).isInstanceOf(ClientException.class);
        String uploadId = proxy.requests(WireProxy.Request::isUploadPart).getFirst().query().get("uploadId");
        direct.abortMultipartUpload(new com.aliyun.oss.model.AbortMultipartUploadRequest(bucket, "aborted.bin", uploadId));

        proxy.heal();
        proxy.clear();
        Throwable failure = catchThrowable(() -> wire.uploadFile(request(bucket, "aborted.bin", file, cp, 1)));
        assertThat(failure).isInstanceOf(com.aliyun.oss.OSSException.class);
        assertThat(((com.aliyun.oss.OSSException) failure).getErrorCode()).isEqualTo("NoSuchUpload");
        assertThat(forwardedParts(proxy.requests())).as("each missing part is tried and refused").containsExactly(3, 4, 5);
        assertThat(direct.doesObjectExist(bucket, "aborted.bin")).isFalse();
    }

    @Test
    void uploadFileWithoutInterruptionUsesCustomPartSizeAndTaskNum() throws Throwable {
        String bucket = newBucket();
        byte[] data = random(3 * (int) PART + 1, 13);
        Path file = writeFile("plain.txt", data);
        UploadFileRequest r = new UploadFileRequest(bucket, "plain.txt", file.toString(), 2 * PART, 2, true);
        UploadFileResult result = wire.uploadFile(r);
        assertThat(forwardedParts(proxy.requests())).containsExactly(1, 2);
        assertThat(proxy.requests(WireProxy.Request::isUploadPart))
                .extracting(q -> Long.parseLong(q.header("content-length")))
                .containsExactlyInAnyOrder(2 * PART, PART + 1);
        assertThat(result.getMultipartUploadResult().getServerCRC()).isEqualTo(crc(data));
        assertThat(Path.of(file + ".ucp")).doesNotExist();
        assertThat(read(direct.getObject(bucket, "plain.txt"))).isEqualTo(data);
        // no content type given: the SDK derives it from the file name at Initiate
        assertThat(direct.getObjectMetadata(bucket, "plain.txt").getContentType()).isEqualTo("text/plain");
    }

    @Test
    void uploadFileOfAnEmptyFileCompletesWithZeroParts() throws Throwable {
        // J1 splits a 0-byte file into no parts and completes the upload with an empty part list (features.md §4.6)
        String bucket = newBucket();
        Path file = writeFile("empty.bin", new byte[0]);
        UploadFileResult result = wire.uploadFile(new UploadFileRequest(bucket, "empty.bin", file.toString(), PART, 1, true));
        assertThat(proxy.requests(WireProxy.Request::isUploadPart)).isEmpty();
        assertThat(proxy.requests(WireProxy.Request::isComplete)).hasSize(1);
        assertThat(result.getMultipartUploadResult().getServerCRC()).isZero();
        ObjectMetadata md = direct.getObjectMetadata(bucket, "empty.bin");
        assertThat(md.getContentLength()).isZero();
        assertThat(read(direct.getObject(bucket, "empty.bin"))).isEmpty();
    }

    private void assertStored(String bucket, String key, byte[] data) throws Exception {
        assertThat(read(direct.getObject(bucket, key))).isEqualTo(data);
        ObjectMetadata md = direct.getObjectMetadata(bucket, key);
        assertThat(md.getContentLength()).isEqualTo(data.length);
        assertThat(md.getServerCRC()).isEqualTo(crc(data));
        assertThat(md.getObjectType()).isEqualTo("Multipart");
        if (key.startsWith("big/")) {
            assertThat(md.getContentType()).isEqualTo("application/x-resumable-test");
            assertThat(md.getUserMetadata()).containsEntry("origin", "resumable");
            // tags given at Initiate (first run) end up on the object completed by the second run
            assertThat(direct.getObjectTagging(bucket, key).getAllTags()).isEqualTo(Map.of("stage", "resumed", "run", "2"));
        }
    }
}
