package dev.pail.it.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSException;
import com.aliyun.oss.model.AppendObjectRequest;
import com.aliyun.oss.model.AppendObjectResult;
import com.aliyun.oss.model.ListMultipartUploadsRequest;
import com.aliyun.oss.model.MultipartUpload;
import com.aliyun.oss.model.ObjectMetadata;
import com.aliyun.oss.model.PartETag;
import com.aliyun.oss.model.UploadPartRequest;
import dev.pail.it.ServerProcess;
import dev.pail.it.V1Signature;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server as a separate process, SIGKILLed and restarted on the same data directory (one
 * scenario, so that the set needs only two JVM starts):
 * <ul>
 * <li>an append cut off while its body streams in leaves the object at exactly its last acknowledged
 *     length, bytes and CRC, and the next append at that position works (its CRC chains from the
 *     acknowledged one, so none of the lost bytes survive);</li>
 * <li>restarted with {@code --upload-expiry-hours 0}, the server aborts every multipart upload
 *     initiated before it started, with their part files, and leaves completed objects alone.</li>
 * </ul>
 */
class KillAndRestartTest {
    private static final String B = ServerProcess.BUCKET;
    private static final String JOURNAL = "journal.log";

    @Test
    @Timeout(90)
    void killNineMidAppendThenRestartWithZeroUploadExpiry(@TempDir Path data) throws Exception {
        byte[] a = UploadBase.random(700 * 1024, 1);
        byte[] b = UploadBase.random(300 * 1024 + 5, 2);
        byte[] acked = UploadBase.concat(a, b);
        byte[] kept = UploadBase.random(2000, 3);
        byte[] part = UploadBase.random(150 * 1024, 4);
        long ackedCrc;
        String pending;
        String pending2;

        // ---- first run: default expiry (7 days) ---------------------------------------------
        ServerProcess first = ServerProcess.start(data);
        try {
            OSS oss = first.client();
            try {
                ObjectMetadata m = new ObjectMetadata();
                m.setContentType("text/plain");
                m.addUserMetadata("kept", "yes");
                AppendObjectRequest r1 = new AppendObjectRequest(B, JOURNAL, UploadBase.in(a), m);
                r1.setPosition(0L);
                AppendObjectResult ar1 = oss.appendObject(r1);
                AppendObjectRequest r2 = new AppendObjectRequest(B, JOURNAL, UploadBase.in(b));
                r2.setPosition((long) a.length);
                r2.setInitCRC(ar1.getClientCRC());
                AppendObjectResult ar2 = oss.appendObject(r2);
                assertThat(ar2.getNextPosition()).isEqualTo((long) acked.length);
                ackedCrc = ar2.getServerCRC();
                assertThat(ackedCrc).isEqualTo(UploadBase.crc64(acked));

                String done = UploadBase.initiate(oss, B, "kept");
                UploadBase.complete(oss, B, "kept", done, UploadBase.part(oss, B, "kept", done, 1, kept));
                pending = UploadBase.initiate(oss, B, "abandoned");
                UploadBase.part(oss, B, "abandoned", pending, 1, part);
                UploadBase.part(oss, B, "abandoned", pending, 2, part);
                pending2 = UploadBase.initiate(oss, B, "dir/also-abandoned");
                assertThat(uploads(oss)).extracting(MultipartUpload::getUploadId).containsExactlyInAnyOrder(pending, pending2);
            } finally {
                oss.shutdown();
            }
            assertThat(blobFiles(data)).as("journal, the completed object's part, two parts in progress").isEqualTo(4);

            // a large append whose body only partly arrives before the kill
            long declared = 64L * 1024 * 1024;
            try (Socket s = new Socket("127.0.0.1", first.port())) {
                OutputStream out = s.getOutputStream();
                String query = "append&position=" + acked.length;
                String date = V1Signature.httpDate(Instant.now());
                Map<String, String> headers = new LinkedHashMap<>();
                headers.put("Date", date);
                String sig = V1Signature.sign(ServerProcess.SK, "POST", headers, date, "/" + B + "/" + JOURNAL + "?" + query);
                String head = "POST /" + B + "/" + JOURNAL + "?" + query + " HTTP/1.1\r\n"
                        + "Host: 127.0.0.1:" + first.port() + "\r\n"
                        + "Date: " + date + "\r\n"
                        + "Authorization: OSS " + ServerProcess.AK + ":" + sig + "\r\n"
                        + "Content-Length: " + declared + "\r\n\r\n";
                out.write(head.getBytes(StandardCharsets.ISO_8859_1));
                byte[] chunk = UploadBase.random(256 * 1024, 5);
                for (int i = 0; i < 32; i++) out.write(chunk); // 8 MiB of 64
                out.flush();
                // wait until in-flight bytes have reached the journal's file, then kill
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (largestBlob(data) <= acked.length && System.nanoTime() < deadline) ServerProcess.sleep(20);
                assertThat(largestBlob(data)).as("unacknowledged bytes reached the blob before the kill").isGreaterThan(acked.length);
                first.kill();
            }
        } finally {
            first.close();
        }

        // ---- second run: every upload initiated before now is abandoned ----------------------
        try (ServerProcess second = ServerProcess.start(data, "--upload-expiry-hours", "0")) {
            OSS oss = second.client();
            try {
                // the journal: exactly what was acknowledged
                ObjectMetadata m = oss.getObjectMetadata(B, JOURNAL);
                assertThat(m.getObjectType()).isEqualTo("Appendable");
                assertThat(m.getContentLength()).as(second.describe()).isEqualTo(acked.length);
                assertThat(m.getServerCRC()).isEqualTo(ackedCrc);
                assertThat(m.getRawMetadata().get("x-oss-next-append-position")).isEqualTo(Integer.toString(acked.length));
                assertThat(m.getContentType()).isEqualTo("text/plain");
                assertThat(m.getUserMetadata()).containsEntry("kept", "yes");
                assertThat(UploadBase.read(oss.getObject(B, JOURNAL))).isEqualTo(acked);

                // the position the lost append would have reached is not valid
                AppendObjectRequest wrong = new AppendObjectRequest(B, JOURNAL, UploadBase.in(new byte[] {1}));
                wrong.setPosition(acked.length + 8L * 1024 * 1024);
                OSSException e = catchThrowableOfType(OSSException.class, () -> oss.appendObject(wrong));
                assertThat(e).isNotNull();
                assertThat(e.getErrorCode()).isEqualTo("PositionNotEqualToLength");

                // appending at the acknowledged length works; the CRC chains from the acknowledged one
                byte[] c = UploadBase.random(50 * 1024, 6);
                AppendObjectRequest next = new AppendObjectRequest(B, JOURNAL, UploadBase.in(c));
                next.setPosition((long) acked.length);
                next.setInitCRC(ackedCrc);
                AppendObjectResult r = oss.appendObject(next);
                byte[] all = UploadBase.concat(acked, c);
                assertThat(r.getNextPosition()).isEqualTo((long) all.length);
                assertThat(r.getServerCRC()).isEqualTo(UploadBase.crc64(all));
                assertThat(UploadBase.read(oss.getObject(B, JOURNAL))).isEqualTo(all);
                assertThat(oss.getObjectMetadata(B, JOURNAL).getContentLength()).isEqualTo(all.length);

                // the uploads: aborted by the clean-up that runs right after start, in the background
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (!uploads(oss).isEmpty() && System.nanoTime() < deadline) ServerProcess.sleep(50);
                assertThat(uploads(oss)).as(second.describe()).isEmpty();
                assertThat(oss.getBucketStat(B).getMultipartUploadCount()).isZero();
                OSSException p = catchThrowableOfType(OSSException.class, () -> oss.uploadPart(
                        new UploadPartRequest(B, "abandoned", pending, 3, UploadBase.in(part), part.length)));
                assertThat(p).isNotNull();
                assertThat(p.getErrorCode()).isEqualTo("NoSuchUpload");
                OSSException cm = catchThrowableOfType(OSSException.class, () -> UploadBase.complete(oss, B, "abandoned", pending,
                        new PartETag(1, UploadBase.md5Hex(part))));
                assertThat(cm).isNotNull();
                assertThat(cm.getErrorCode()).isEqualTo("NoSuchUpload");
                assertThat(oss.doesObjectExist(B, "abandoned")).isFalse();
                // their part files are gone; the completed object and the journal remain
                assertThat(blobFiles(data)).isEqualTo(2);
                assertThat(UploadBase.read(oss.getObject(B, "kept"))).isEqualTo(kept);
            } finally {
                oss.shutdown();
            }
        }
    }

    private static List<MultipartUpload> uploads(OSS oss) {
        return oss.listMultipartUploads(new ListMultipartUploadsRequest(B)).getMultipartUploads();
    }

    private static long blobFiles(Path data) throws Exception {
        try (Stream<Path> files = Files.walk(data.resolve("blobs"))) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    /** Size of the largest blob file (the journal is by far the largest object). */
    private static long largestBlob(Path data) throws Exception {
        try (Stream<Path> files = Files.walk(data.resolve("blobs"))) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).max().orElse(0);
        }
    }
}
