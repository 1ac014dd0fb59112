package dev.pail.it.seeds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.aliyun.oss.OSSException;
import com.aliyun.oss.event.ProgressEvent;
import com.aliyun.oss.event.ProgressEventType;
import com.aliyun.oss.model.AppendObjectRequest;
import com.aliyun.oss.model.AppendObjectResult;
import com.aliyun.oss.model.CompleteMultipartUploadRequest;
import com.aliyun.oss.model.InitiateMultipartUploadRequest;
import com.aliyun.oss.model.ObjectMetadata;
import com.aliyun.oss.model.PartETag;
import com.aliyun.oss.model.PutObjectRequest;
import com.aliyun.oss.model.PutObjectResult;
import com.aliyun.oss.model.UploadFileRequest;
import com.aliyun.oss.model.UploadPartRequest;
import com.aliyun.sdk.service.oss2.exceptions.ServiceException;
import com.aliyun.sdk.service.oss2.transport.BinaryData;
import dev.pail.it.WireProxy;
import java.io.ByteArrayInputStream;
import java.io.FileInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Seed 004, "Upload objects" (oss2 upload modes): simple upload from every kind of source,
 * resumable upload, manual multipart, append (and its two errors), HTTP and custom-metadata
 * headers, and the progress bar, rewritten with J1 (aliyun-sdk-oss 3.18.5). Method names follow the
 * seed's sections. The "Upload callback" example is covered by the callback tests.
 */
class Seed004UploadModesOss2Test extends SeedFixture {
    private static final long KB = 1024;

    // ---- Simple upload ------------------------------------------------------------------------

    @Test
    void simpleUpload_stringUpload() throws Exception {
        String bucket = newBucket();
        for (byte[] data : List.of(utf8("content of object"), "content of object".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                utf8("content of object — unicode ✓"))) { // str, bytes, unicode
            PutObjectResult r = j1.putObject(bucket, "remote.txt", new ByteArrayInputStream(data));
            assertThat(r.getETag()).isEqualTo(md5Hex(data));
            assertThat(stored(bucket, "remote.txt")).isEqualTo(data);
        }
    }

    @Test
    void simpleUpload_uploadALocalFile() throws Exception {
        String bucket = newBucket();
        byte[] data = random(123_457, 401);
        Path local = writeFile("local.txt", data);
        // with open('local.txt', 'rb') as fileobj: bucket.put_object('remote.txt', fileobj)
        try (InputStream fileobj = new FileInputStream(local.toFile())) {
            ObjectMetadata md = new ObjectMetadata();
            md.setContentLength(Files.size(local)); // "the number of bytes in the file must be available before upload"
            j1.putObject(bucket, "remote.txt", fileobj, md);
        }
        assertThat(stored(bucket, "remote.txt")).isEqualTo(data);
        assertThat(proxy.requests(q -> q.method().equals("PUT")).getLast().header("content-length")).isEqualTo("123457");
        // bucket.put_object_from_file('remote.txt', 'local.txt')
        byte[] other = random(4321, 402);
        Files.write(local, other);
        j1.putObject(new PutObjectRequest(bucket, "remote.txt", local.toFile()));
        assertThat(stored(bucket, "remote.txt")).isEqualTo(other);
        assertThat(check.getObjectMetadata(bucket, "remote.txt").getContentType()).isEqualTo("text/plain");
    }

    @Test
    void simpleUpload_uploadANetworkStream() throws Exception {
        String bucket = newBucket();
        byte[] page = random(180 * 1024 + 1, 403);
        String url = publish("/aliyun", page);
        HttpResponse<InputStream> input = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = input.body()) {
            j1.putObject(bucket, "aliyun.txt", body);
        }
        assertThat(proxy.requests(q -> q.method().equals("PUT")).getLast().chunked()).as("Chunked Encoding").isTrue();
        assertThat(stored(bucket, "aliyun.txt")).isEqualTo(page);
        assertThat(check.getObjectMetadata(bucket, "aliyun.txt").getServerCRC()).isEqualTo(crc(page));
    }

    @Test
    void simpleUpload_returnedValue() throws Exception {
        String bucket = newBucket();
        byte[] data = utf8("content of object");
        PutObjectResult r = j1.putObject(bucket, "remote.txt", new ByteArrayInputStream(data));
        assertThat(r.getRequestId()).matches("[0-9A-F]{24}");
        assertThat(r.getETag()).isEqualTo(md5Hex(data));
        // status and headers (Date) as the V2 SDK exposes them for the same call
        var v = v2.putObject(com.aliyun.sdk.service.oss2.models.PutObjectRequest.newBuilder().bucket(bucket).key("remote.txt")
                .body(BinaryData.fromBytes(data)).build());
        assertThat(v.statusCode()).isEqualTo(200);
        assertThat(v.requestId()).matches("[0-9A-F]{24}");
        assertThat(header(v.headers(), "Date")).matches("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT");
        assertThat(v.eTag()).isEqualTo("\"" + md5Hex(data) + "\"");
    }

    // ---- Resumable upload ---------------------------------------------------------------------

    /**
     * oss2.resumable_upload as J1 expresses it: below {@code multipartThreshold} one PutObject,
     * otherwise J1's uploadFile with oss2's part size rule, thread count and a checkpoint under
     * {@code store}. (J1's uploadFile itself has no threshold: it always uses multipart.)
     */
    private void resumableUpload(String bucket, String key, Path file, Path store, long threshold, long partSize, int threads)
            throws Throwable {
        long size = Files.size(file);
        if (size < threshold) {
            j1.putObject(new PutObjectRequest(bucket, key, file.toFile()));
            return;
        }
        Path dir = Files.createDirectories(store.resolve(".py-oss-upload"));
        UploadFileRequest r = new UploadFileRequest(bucket, key);
        r.setUploadFile(file.toString());
        r.setPartSize(determinePartSize(size, partSize));
        r.setTaskNum(threads);
        r.setEnableCheckpoint(true);
        r.setCheckpointFile(dir.resolve(key.replace('/', '_') + ".ucp").toString());
        j1.uploadFile(r);
    }

    /** oss2.determine_part_size: the preferred size, doubled until at most 10,000 parts of at least 100 KB. */
    static long determinePartSize(long total, long preferred) {
        if (total < preferred) return total;
        while (preferred * 10_000 < total || preferred < 100 * KB) preferred *= 2;
        return preferred;
    }

    private static List<Path> files(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    @Test
    void resumableUpload_defaults() throws Throwable {
        // oss2.resumable_upload(bucket, 'remote.txt', 'local.txt'): threshold and part size 10 MiB, 1 thread
        String bucket = newBucket();
        Path store = Files.createDirectories(tmp.resolve("home"));
        byte[] small = random(300 * 1024, 404);
        resumableUpload(bucket, "remote.txt", writeFile("local.txt", small), store, 10 * KB * KB, 10 * KB * KB, 1);
        assertThat(proxy.requests(WireProxy.Request::isInitiate)).as("below the threshold: one PutObject").isEmpty();
        assertThat(stored(bucket, "remote.txt")).isEqualTo(small);
        assertThat(check.getObjectMetadata(bucket, "remote.txt").getObjectType()).isEqualTo("Normal");

        proxy.clear();
        byte[] big = random(10 * 1024 * 1024 + 5, 405);
        resumableUpload(bucket, "remote.txt", writeFile("local.txt", big), store, 10 * KB * KB, 10 * KB * KB, 1);
        assertThat(proxy.requests(WireProxy.Request::isUploadPart)).extracting(q -> q.header("content-length"))
                .containsExactly(Long.toString(10 * KB * KB), "5");
        assertThat(stored(bucket, "remote.txt")).isEqualTo(big);
        assertThat(check.getObjectMetadata(bucket, "remote.txt").getObjectType()).isEqualTo("Multipart");
        assertThat(check.getObjectMetadata(bucket, "remote.txt").getServerCRC()).isEqualTo(crc(big));
        assertThat(files(store.resolve(".py-oss-upload"))).as("progress record removed after success").isEmpty();
    }

    @Test
    void resumableUpload_fullyCustom() throws Throwable {
        // store=ResumableStore(root='/tmp'), multipart_threshold=100*1024, part_size=100*1024, num_threads=4
        String bucket = newBucket();
        Path store = Files.createDirectories(tmp.resolve("tmp-root"));
        byte[] data = random(1024 * 1024 + 7, 406); // 11 parts of 100 KB (the last 24,583 bytes)
        resumableUpload(bucket, "remote.txt", writeFile("local.txt", data), store, 100 * KB, 100 * KB, 4);
        List<WireProxy.Request> parts = proxy.requests(WireProxy.Request::isUploadPart);
        assertThat(parts).extracting(WireProxy.Request::partNumber).containsExactlyInAnyOrderElementsOf(
                java.util.stream.IntStream.rangeClosed(1, 11).boxed().toList());
        assertThat(parts).allSatisfy(p -> assertThat(Long.parseLong(p.header("content-length"))).isLessThanOrEqualTo(100 * KB));
        assertThat(stored(bucket, "remote.txt")).isEqualTo(data);
        assertThat(check.getObjectMetadata(bucket, "remote.txt").getObjectType()).isEqualTo("Multipart");
        assertThat(check.getObjectMetadata(bucket, "remote.txt").getContentType()).isEqualTo("text/plain");
        assertThat(files(store.resolve(".py-oss-upload"))).isEmpty();

        // a file below the 100 KB threshold is one PutObject
        proxy.clear();
        byte[] small = random(100 * 1024 - 1, 407);
        resumableUpload(bucket, "small.txt", writeFile("small.txt", small), store, 100 * KB, 100 * KB, 4);
        assertThat(proxy.requests()).extracting(WireProxy.Request::method).containsExactly("PUT");
        assertThat(check.getObjectMetadata(bucket, "small.txt").getObjectType()).isEqualTo("Normal");
        assertThat(stored(bucket, "small.txt")).isEqualTo(small);
    }

    // ---- Multipart upload ---------------------------------------------------------------------

    @Test
    void multipartUpload() throws Exception {
        String bucket = newBucket();
        String key = "remote.txt";
        byte[] data = random(350 * 1024 + 3, 408);
        Path filename = writeFile("local.txt", data);
        long totalSize = Files.size(filename);
        long partSize = determinePartSize(totalSize, 100 * KB);
        assertThat(partSize).isEqualTo(100 * KB);

        String uploadId = j1.initiateMultipartUpload(new InitiateMultipartUploadRequest(bucket, key)).getUploadId();
        List<PartETag> parts = new ArrayList<>();
        int partNumber = 1;
        long offset = 0;
        while (offset < totalSize) {
            long numToUpload = Math.min(partSize, totalSize - offset);
            // SizedFileAdapter(fileobj, num_to_upload): the next num_to_upload bytes of the file. J1 closes
            // a part's stream after sending it, so each part opens the file at its offset.
            FileInputStream fileobj = new FileInputStream(filename.toFile());
            fileobj.getChannel().position(offset);
            UploadPartRequest up = new UploadPartRequest(bucket, key, uploadId, partNumber, fileobj, numToUpload);
            parts.add(j1.uploadPart(up).getPartETag());
            offset += numToUpload;
            partNumber++;
        }
        assertThat(parts).hasSize(4);
        j1.completeMultipartUpload(new CompleteMultipartUploadRequest(bucket, key, uploadId, parts));
        // assert bucket.get_object(key).read() == fileobj.read()
        assertThat(stored(bucket, key)).isEqualTo(Files.readAllBytes(filename));
        ObjectMetadata md = check.getObjectMetadata(bucket, key);
        assertThat(md.getObjectType()).isEqualTo("Multipart");
        assertThat(md.getServerCRC()).isEqualTo(crc(data));
        assertThat(proxy.requests(WireProxy.Request::isUploadPart)).extracting(q -> q.header("content-length"))
                .containsExactly("102400", "102400", "102400", Long.toString(totalSize - 3 * 102400));
    }

    // ---- Append upload ------------------------------------------------------------------------

    private AppendObjectResult append(String bucket, String key, long position, String text) {
        AppendObjectRequest a = new AppendObjectRequest(bucket, key, new ByteArrayInputStream(utf8(text)));
        a.setPosition(position);
        return j1.appendObject(a);
    }

    @Test
    void appendUpload() throws Exception {
        String bucket = newBucket();
        AppendObjectResult result = append(bucket, "append.txt", 0, "content of first append");
        assertThat(result.getNextPosition()).isEqualTo(23);
        AppendObjectResult second = append(bucket, "append.txt", result.getNextPosition(), "content of second append");
        assertThat(second.getNextPosition()).isEqualTo(47);
        byte[] expected = utf8("content of first appendcontent of second append");
        assertThat(second.getServerCRC()).isEqualTo(crc(expected));
        assertThat(stored(bucket, "append.txt")).isEqualTo(expected);

        // "use the Bucket.head_object method ... to get the position parameter"
        ObjectMetadata head = check.getObjectMetadata(bucket, "append.txt");
        assertThat(head.getObjectType()).isEqualTo("Appendable");
        assertThat(head.getRawMetadata().get("x-oss-next-append-position")).isEqualTo("47");
        append(bucket, "append.txt", Long.parseLong((String) head.getRawMetadata().get("x-oss-next-append-position")), "!");
        assertThat(stored(bucket, "append.txt")).isEqualTo(utf8("content of first appendcontent of second append!"));
    }

    @Test
    void appendUpload_objectNotAppendable() throws Exception {
        String bucket = newBucket();
        j1.putObject(bucket, "append.txt", new ByteArrayInputStream(utf8("a normal object")));
        OSSException e = catchThrowableOfType(OSSException.class, () -> append(bucket, "append.txt", 0, "content of first append"));
        assertThat(e).isNotNull();
        assertThat(e.getErrorCode()).isEqualTo("ObjectNotAppendable");
        assertThat(stored(bucket, "append.txt")).isEqualTo(utf8("a normal object"));
        assertThat(check.getObjectMetadata(bucket, "append.txt").getObjectType()).isEqualTo("Normal");
    }

    @Test
    void appendUpload_positionNotEqualToLength() throws Exception {
        String bucket = newBucket();
        append(bucket, "append.txt", 0, "content of first append");
        for (long wrong : new long[] {0, 22, 24, 1000}) {
            OSSException e = catchThrowableOfType(OSSException.class, () -> append(bucket, "append.txt", wrong, "content of second append"));
            assertThat(e).as("position %d", wrong).isNotNull();
            assertThat(e.getErrorCode()).isEqualTo("PositionNotEqualToLength");
        }
        assertThat(stored(bucket, "append.txt")).isEqualTo(utf8("content of first append"));
        // oss2's PositionNotEqualToLength reads the current length from this header of the 409 response
        ServiceException v = service(org.assertj.core.api.Assertions.catchThrowable(() -> v2.appendObject(
                com.aliyun.sdk.service.oss2.models.AppendObjectRequest.newBuilder().bucket(bucket).key("append.txt").position(5L)
                        .body(BinaryData.fromString("x")).build())));
        assertThat(v).isNotNull();
        assertThat(v.statusCode()).isEqualTo(409);
        assertThat(v.errorCode()).isEqualTo("PositionNotEqualToLength");
        assertThat(header(v.headers(), "x-oss-next-append-position")).isEqualTo("23");
    }

    // ---- Headers --------------------------------------------------------------------------------

    @Test
    void setTheHttpHeader_contentType() throws Exception {
        String bucket = newBucket();
        ObjectMetadata md = new ObjectMetadata();
        md.setContentType("application/json; charset=utf-8");
        j1.putObject(bucket, "a.json", new ByteArrayInputStream(utf8("{\"age\": 1}")), md);
        assertThat(proxy.requests(q -> q.method().equals("PUT")).getLast().header("content-type")).isEqualTo("application/json; charset=utf-8");
        assertThat(check.getObjectMetadata(bucket, "a.json").getContentType()).isEqualTo("application/json; charset=utf-8");
        assertThat(stored(bucket, "a.json")).isEqualTo(utf8("{\"age\": 1}"));
    }

    @Test
    void setCustomObjectMetadata() throws Exception {
        String bucket = newBucket();
        ObjectMetadata md = new ObjectMetadata();
        md.addUserMetadata("author", "O. Henry");
        j1.putObject(bucket, "story.txt", new ByteArrayInputStream(utf8("a novel")), md);
        assertThat(proxy.requests(q -> q.method().equals("PUT")).getLast().header("x-oss-meta-author")).isEqualTo("O. Henry");
        ObjectMetadata head = check.getObjectMetadata(bucket, "story.txt");
        assertThat(head.getUserMetadata()).containsEntry("author", "O. Henry");
        assertThat(stored(bucket, "story.txt")).isEqualTo(utf8("a novel"));
    }

    // ---- Progress bar ---------------------------------------------------------------------------

    private static final class Percentage implements com.aliyun.oss.event.ProgressListener {
        final List<ProgressEvent> events = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void progressChanged(ProgressEvent e) { events.add(e); }

        long sum(ProgressEventType t) {
            synchronized (events) {
                return events.stream().filter(e -> e.getEventType() == t).mapToLong(ProgressEvent::getBytes).sum();
            }
        }

        boolean has(ProgressEventType t) {
            synchronized (events) {
                return events.stream().anyMatch(e -> e.getEventType() == t);
            }
        }
    }

    @Test
    void progressBar() throws Exception {
        // bucket.put_object('story.txt', 'a'*1024*1024, progress_callback=percentage)
        String bucket = newBucket();
        byte[] data = new byte[1024 * 1024];
        java.util.Arrays.fill(data, (byte) 'a');
        Percentage percentage = new Percentage();
        ObjectMetadata md = new ObjectMetadata();
        md.setContentLength(data.length);
        PutObjectRequest put = new PutObjectRequest(bucket, "story.txt", new ByteArrayInputStream(data), md);
        put.setProgressListener(percentage);
        j1.putObject(put);
        assertThat(percentage.sum(ProgressEventType.REQUEST_CONTENT_LENGTH_EVENT)).as("total_bytes").isEqualTo(data.length);
        assertThat(percentage.sum(ProgressEventType.REQUEST_BYTE_TRANSFER_EVENT)).as("consumed_bytes at the end: 100 %").isEqualTo(data.length);
        assertThat(percentage.has(ProgressEventType.TRANSFER_COMPLETED_EVENT)).isTrue();
        assertThat(stored(bucket, "story.txt")).isEqualTo(data);
    }

    @Test
    void progressBar_lengthUnknown() throws Exception {
        // "When the length of the data to be uploaded cannot be determined, total_bytes is None"
        String bucket = newBucket();
        byte[] data = random(700 * 1024 + 3, 409);
        String url = publish("/story", data);
        HttpResponse<InputStream> input = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofInputStream());
        Percentage percentage = new Percentage();
        try (InputStream body = input.body()) {
            PutObjectRequest put = new PutObjectRequest(bucket, "story.txt", body);
            put.setProgressListener(percentage);
            j1.putObject(put);
        }
        assertThat(percentage.sum(ProgressEventType.REQUEST_CONTENT_LENGTH_EVENT)).as("no total").isLessThanOrEqualTo(0);
        assertThat(percentage.sum(ProgressEventType.REQUEST_BYTE_TRANSFER_EVENT)).isEqualTo(data.length);
        assertThat(percentage.has(ProgressEventType.TRANSFER_COMPLETED_EVENT)).isTrue();
        assertThat(stored(bucket, "story.txt")).isEqualTo(data);
    }
}
