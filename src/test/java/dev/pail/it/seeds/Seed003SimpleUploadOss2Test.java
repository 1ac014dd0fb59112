package dev.pail.it.seeds;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.model.CannedAccessControlList;
import com.aliyun.oss.model.ObjectMetadata;
import com.aliyun.oss.model.PutObjectRequest;
import com.aliyun.oss.model.PutObjectResult;
import com.aliyun.oss.model.StorageClass;
import dev.pail.it.WireProxy;
import java.io.ByteArrayInputStream;
import java.io.FileInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Seed 003, "Simple upload" with oss2 (Python SDK 1.x): every example rewritten with J1
 * (aliyun-sdk-oss 3.18.5), oss2's Java counterpart. Method names follow the seed's sections.
 */
class Seed003SimpleUploadOss2Test extends SeedFixture {
    private static final String OBJECT = "example/folder/abc.jpg";

    /**
     * What the example prints that J1 exposes: request id and ETag (plus the CRC J1 checked). J1's
     * PutObjectResult keeps neither the status nor the headers (getResponse() is null without a
     * callback); Seed004UploadModesOss2Test#simpleUpload_returnedValue checks status and Date via V2.
     */
    private WireProxy.Request assertPrinted(PutObjectResult r, byte[] data) {
        assertThat(r.getRequestId()).matches("[0-9A-F]{24}");
        assertThat(r.getETag()).isEqualTo(md5Hex(data));
        assertThat(r.getServerCRC()).isEqualTo(crc(data));
        return proxy.requests(q -> q.method().equals("PUT")).getLast();
    }

    @Test
    void uploadStrings() throws Exception {
        String bucket = newBucket();
        byte[] data = utf8("content of object");
        PutObjectResult r = j1.putObject(bucket, OBJECT, new ByteArrayInputStream(data));
        assertPrinted(r, data);
        assertThat(stored(bucket, OBJECT)).isEqualTo(data);
        assertThat(check.getObjectMetadata(bucket, OBJECT).getContentType()).as("from the .jpg name").isEqualTo("image/jpeg");
    }

    @Test
    void uploadStrings_withStorageClassAndAclHeaders() throws Exception {
        // the commented-out variant: headers["x-oss-storage-class"] = "Standard", ["x-oss-object-acl"] = private
        String bucket = newBucket();
        byte[] data = utf8("content of object");
        ObjectMetadata md = new ObjectMetadata();
        md.setHeader("x-oss-storage-class", StorageClass.Standard.toString());
        md.setObjectAcl(CannedAccessControlList.Private);
        PutObjectResult r = j1.putObject(bucket, OBJECT, new ByteArrayInputStream(data), md);
        WireProxy.Request sent = assertPrinted(r, data);
        assertThat(sent.header("x-oss-storage-class")).isEqualTo("Standard");
        assertThat(sent.header("x-oss-object-acl")).isEqualTo("private");
        assertThat(stored(bucket, OBJECT)).isEqualTo(data);
        assertThat(check.getObjectMetadata(bucket, OBJECT).getObjectStorageClass()).isEqualTo(StorageClass.Standard);
        assertThat(check.getObjectAcl(bucket, OBJECT).getPermission().toString()).isEqualTo("private");
    }

    @Test
    void uploadBytes() throws Exception {
        String bucket = newBucket();
        byte[] data = utf8("content of object");
        PutObjectResult r = j1.putObject(bucket, OBJECT, new ByteArrayInputStream(data));
        assertPrinted(r, data);
        assertThat(stored(bucket, OBJECT)).isEqualTo(data);
    }

    @Test
    void uploadUnicodeCharacters() throws Exception {
        // u'content of object' is stored as its UTF-8 bytes; a non-ASCII text shows the encoding
        String bucket = newBucket();
        for (String text : new String[] {"content of object", "content of object — 内容 ✓ ü"}) {
            byte[] data = utf8(text);
            PutObjectResult r = j1.putObject(bucket, OBJECT, new ByteArrayInputStream(data));
            assertPrinted(r, data);
            assertThat(stored(bucket, OBJECT)).isEqualTo(data);
            assertThat(check.getObjectMetadata(bucket, OBJECT).getContentLength()).isEqualTo(data.length);
        }
    }

    @Test
    void uploadNetworkStreams() throws Exception {
        // "OSS uploads network streams as iterable objects by using chunked encoding"
        String bucket = newBucket();
        byte[] page = random(256 * 1024 + 99, 301);
        String url = publish("/www.aliyun.com/index.html", page);
        HttpResponse<InputStream> input = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofInputStream());
        PutObjectResult r;
        try (InputStream body = input.body()) {
            r = j1.putObject(bucket, OBJECT, body); // no length given
        }
        WireProxy.Request sent = assertPrinted(r, page);
        assertThat(sent.chunked()).as("sent with Transfer-Encoding: chunked").isTrue();
        assertThat(sent.header("content-length")).isNull();
        assertThat(stored(bucket, OBJECT)).isEqualTo(page);
    }

    @Test
    void uploadLocalFiles_fileObjectFromTheThousandthByte() throws Exception {
        String bucket = newBucket();
        byte[] data = random(150_000, 302);
        Path local = writeFile("yourLocalFile", data);
        PutObjectResult r;
        try (FileInputStream fileobj = new FileInputStream(local.toFile())) {
            fileobj.getChannel().position(1000); // fileobj.seek(1000, os.SEEK_SET)
            long current = fileobj.getChannel().position(); // fileobj.tell()
            assertThat(current).isEqualTo(1000);
            ObjectMetadata md = new ObjectMetadata();
            md.setContentLength(data.length - current); // oss2 sends the rest of a seekable file with its length
            r = j1.putObject(bucket, OBJECT, fileobj, md);
        }
        byte[] rest = Arrays.copyOfRange(data, 1000, data.length);
        WireProxy.Request sent = assertPrinted(r, rest);
        assertThat(sent.header("content-length")).isEqualTo(Integer.toString(rest.length));
        assertThat(stored(bucket, OBJECT)).isEqualTo(rest);
    }

    @Test
    void uploadLocalFiles_putObjectFromFile() throws Exception {
        String bucket = newBucket();
        byte[] data = random(333_333, 303);
        Path local = writeFile("users/local/abc.jpg", data);
        PutObjectResult r = j1.putObject(new PutObjectRequest(bucket, OBJECT, local.toFile()));
        WireProxy.Request sent = assertPrinted(r, data);
        assertThat(sent.header("content-length")).isEqualTo(Integer.toString(data.length));
        assertThat(stored(bucket, OBJECT)).isEqualTo(data);
        assertThat(check.getObjectMetadata(bucket, OBJECT).getContentType()).isEqualTo("image/jpeg");
    }
}
