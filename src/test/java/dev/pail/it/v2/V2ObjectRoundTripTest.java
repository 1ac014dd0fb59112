package dev.pail.it.v2;

import dev.pail.it.TestData;
import dev.pail.it.V2Errors;
import dev.pail.it.WireProxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.sdk.service.oss2.OSSClient;
import com.aliyun.sdk.service.oss2.credentials.StaticCredentialsProvider;
import com.aliyun.sdk.service.oss2.hash.CRC64;
import com.aliyun.sdk.service.oss2.models.GetObjectMetaRequest;
import com.aliyun.sdk.service.oss2.models.GetObjectMetaResult;
import com.aliyun.sdk.service.oss2.models.GetObjectRequest;
import com.aliyun.sdk.service.oss2.models.GetObjectResult;
import com.aliyun.sdk.service.oss2.models.HeadObjectRequest;
import com.aliyun.sdk.service.oss2.models.HeadObjectResult;
import com.aliyun.sdk.service.oss2.models.PutBucketRequest;
import com.aliyun.sdk.service.oss2.models.PutObjectRequest;
import com.aliyun.sdk.service.oss2.models.PutObjectResult;
import com.aliyun.sdk.service.oss2.transport.BinaryData;
import dev.pail.it.Clients;
import dev.pail.it.TestServer;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Byte-exact PutObject/GetObject/HeadObject/GetObjectMeta round trips through the V2 SDK. */
class V2ObjectRoundTripTest {
    static TestServer server;
    static OSSClient c;
    static final String B = "v2-roundtrip";

    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() {
        server = new TestServer();
        c = Clients.v2(server);
        c.putBucket(PutBucketRequest.newBuilder().bucket(B).build());
    }

    @AfterAll
    static void stop() throws Exception {
        c.close();
        server.close();
    }

    static byte[] random(int n, long seed) { return TestData.random(n, seed); }

    static String crc(byte[] data) { return TestData.crcString(data); }

    static byte[] md5(byte[] data) throws Exception { return TestData.md5(data); }

    static String etag(byte[] data) throws Exception {
        return "\"" + HexFormat.of().withUpperCase().formatHex(md5(data)) + "\"";
    }

    private static byte[] get(String key) throws Exception {
        try (GetObjectResult r = c.getObject(GetObjectRequest.newBuilder().bucket(B).key(key).build())) {
            return r.body().readAllBytes();
        }
    }

    /** Puts {@code data}, checks the PutObject response headers, reads it back byte for byte. */
    private static void roundTrip(String key, byte[] data) throws Exception {
        PutObjectResult put = c.putObject(PutObjectRequest.newBuilder().bucket(B).key(key).body(BinaryData.fromBytes(data)).build());
        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(put.eTag()).isEqualTo(etag(data));
        assertThat(put.hashCrc64ecma()).isEqualTo(crc(data));
        assertThat(put.contentMd5()).isEqualTo(Base64.getEncoder().encodeToString(md5(data)));
        assertThat(put.requestId()).matches("[0-9A-F]{24}");

        try (GetObjectResult r = c.getObject(GetObjectRequest.newBuilder().bucket(B).key(key).build())) {
            byte[] back = r.body().readAllBytes();
            assertThat(back).hasSize(data.length);
            assertThat(back).isEqualTo(data);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.contentLength()).isEqualTo(data.length);
            assertThat(r.eTag()).isEqualTo(etag(data));
            assertThat(r.hashCrc64ecma()).isEqualTo(crc(data));
            assertThat(r.contentMd5()).isEqualTo(put.contentMd5());
            assertThat(r.objectType()).isEqualTo("Normal");
            assertThat(r.storageClass()).isEqualTo("Standard");
        }
    }

    @Test
    void oneByte() throws Exception {
        roundTrip("one-byte", new byte[] {(byte) 0xA5});
    }

    @Test
    void emptyObject() throws Exception {
        roundTrip("empty", new byte[0]);
        assertThat(crc(new byte[0])).isEqualTo("0");
    }

    @Test
    void oneMiB() throws Exception {
        roundTrip("dir/one mib+.bin", random(1 << 20, 1));
    }

    @Test
    void sixtyFourMiBFromFileToFile() throws Exception {
        Path src = tmp.resolve("64mib.bin");
        Random rnd = new Random(64);
        byte[] chunk = new byte[1 << 20];
        CRC64 crc = new CRC64();
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        try (OutputStream out = Files.newOutputStream(src)) {
            for (int i = 0; i < 64; i++) {
                rnd.nextBytes(chunk);
                crc.update(chunk, chunk.length);
                md5.update(chunk);
                out.write(chunk);
            }
        }
        String expectedCrc = Long.toUnsignedString(crc.getValue());
        String expectedEtag = "\"" + HexFormat.of().withUpperCase().formatHex(md5.digest()) + "\"";

        PutObjectResult put = c.putObjectFromFile(PutObjectRequest.newBuilder().bucket(B).key("big/64mib.bin").build(), src);
        assertThat(put.hashCrc64ecma()).isEqualTo(expectedCrc);
        assertThat(put.eTag()).isEqualTo(expectedEtag);

        HeadObjectResult head = c.headObject(HeadObjectRequest.newBuilder().bucket(B).key("big/64mib.bin").build());
        assertThat(head.contentLength()).isEqualTo(64L << 20);
        assertThat(head.hashCrc64ecma()).isEqualTo(expectedCrc);

        // getObjectToFile verifies the CRC-64 of the whole download against x-oss-hash-crc64ecma
        Path dst = tmp.resolve("64mib.back");
        GetObjectResult got = c.getObjectToFile(GetObjectRequest.newBuilder().bucket(B).key("big/64mib.bin").build(), dst);
        assertThat(got.hashCrc64ecma()).isEqualTo(expectedCrc);
        assertThat(Files.size(dst)).isEqualTo(64L << 20);
        assertThat(Files.mismatch(src, dst)).isEqualTo(-1L);

        // and a streamed read of a 1 MiB window in the middle
        try (GetObjectResult r = c.getObject(GetObjectRequest.newBuilder().bucket(B).key("big/64mib.bin")
                .range("bytes=33554432-34603007").rangeBehavior("standard").build())) {
            byte[] part = r.body().readAllBytes();
            assertThat(r.statusCode()).isEqualTo(206);
            assertThat(r.contentRange()).isEqualTo("bytes 33554432-34603007/67108864");
            byte[] expected = new byte[1 << 20];
            try (var f = java.nio.channels.FileChannel.open(src)) {
                f.read(java.nio.ByteBuffer.wrap(expected), 32L << 20);
            }
            assertThat(part).isEqualTo(expected);
        }
    }

    /** BinaryData.fromStream without a length: the SDK sends the body chunked (core.md §1). */
    @Test
    void streamOfUnknownLengthIsSentChunked() throws Exception {
        byte[] data = random(3 * 1024 * 1024 + 17, 3);
        BinaryData body = BinaryData.fromStream(new ByteArrayInputStream(data));
        assertThat(body.getLength()).isNull();
        try (WireProxy proxy = new WireProxy(server.port());
                OSSClient viaProxy = OSSClient.newBuilder().endpoint(proxy.endpoint()).region("cn-hangzhou")
                        .credentialsProvider(new StaticCredentialsProvider(TestServer.AK, TestServer.SK)).build()) {
            PutObjectResult put = viaProxy.putObject(PutObjectRequest.newBuilder().bucket(B).key("stream/unknown.bin").body(body).build());
            assertThat(put.hashCrc64ecma()).isEqualTo(crc(data));
            assertThat(put.eTag()).isEqualTo(etag(data));
            String wire = proxy.rawRequests().toLowerCase(Locale.ROOT);
            int at = wire.indexOf("put /" + B + "/stream/unknown.bin http/1.1");
            assertThat(at).as(wire.substring(0, Math.min(wire.length(), 1500))).isGreaterThanOrEqualTo(0);
            String head = wire.substring(at, wire.indexOf("\r\n\r\n", at));
            assertThat(head).contains("transfer-encoding: chunked").doesNotContain("content-length:");
        }
        assertThat(get("stream/unknown.bin")).isEqualTo(data);
    }

    @Test
    void streamsWithAndWithoutLength() throws Exception {
        byte[] small = random(10, 4);
        c.putObject(PutObjectRequest.newBuilder().bucket(B).key("stream/small").body(BinaryData.fromStream(new ByteArrayInputStream(small))).build());
        assertThat(get("stream/small")).isEqualTo(small);
        byte[] known = random(200_000, 5);
        c.putObject(PutObjectRequest.newBuilder().bucket(B).key("stream/known")
                .body(BinaryData.fromStream(new ByteArrayInputStream(known), (long) known.length)).build());
        assertThat(get("stream/known")).isEqualTo(known);
        c.putObject(PutObjectRequest.newBuilder().bucket(B).key("stream/empty").body(BinaryData.fromStream(InputStream.nullInputStream())).build());
        assertThat(get("stream/empty")).isEmpty();
    }

    @Test
    void overwriteReplacesContent() throws Exception {
        roundTrip("over", random(1000, 6));
        byte[] second = random(10, 7);
        roundTrip("over", second);
        assertThat(get("over")).isEqualTo(second);
    }

    @Test
    void metadataAndStandardHeadersRoundTrip() throws Exception {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("Author", "alice");
        meta.put("trace-id", "a b  c");
        byte[] data = "hello metadata".getBytes();
        String expires = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.parse("2030-01-02T03:04:05Z"));
        c.putObject(PutObjectRequest.newBuilder().bucket(B).key("meta/doc.txt")
                .contentType("text/plain; charset=utf-8")
                .cacheControl("no-cache")
                .contentDisposition("attachment; filename=\"doc.txt\"")
                .contentEncoding("identity")
                .expires(expires)
                .storageClass("IA")
                .objectAcl("public-read")
                .metadata(meta)
                .body(BinaryData.fromBytes(data)).build());

        HeadObjectResult h = c.headObject(HeadObjectRequest.newBuilder().bucket(B).key("meta/doc.txt").build());
        assertThat(h.statusCode()).isEqualTo(200);
        assertThat(h.contentType()).isEqualTo("text/plain; charset=utf-8");
        assertThat(h.cacheControl()).isEqualTo("no-cache");
        assertThat(h.contentDisposition()).isEqualTo("attachment; filename=\"doc.txt\"");
        assertThat(h.contentEncoding()).isEqualTo("identity");
        assertThat(h.expires()).isEqualTo(expires);
        assertThat(h.storageClass()).isEqualTo("IA");
        assertThat(h.objectType()).isEqualTo("Normal");
        assertThat(h.contentLength()).isEqualTo(data.length);
        assertThat(h.eTag()).isEqualTo(etag(data));
        assertThat(h.hashCrc64ecma()).isEqualTo(crc(data));
        assertThat(h.contentMd5()).isEqualTo(Base64.getEncoder().encodeToString(md5(data)));
        assertThat(lower(h.metadata())).containsEntry("author", "alice").containsEntry("trace-id", "a b  c").hasSize(2);
        Instant lastModified = ZonedDateTime.parse(h.lastModified(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        assertThat(lastModified).isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(2));
        assertThat(h.lastModified()).matches("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT");

        try (GetObjectResult g = c.getObject(GetObjectRequest.newBuilder().bucket(B).key("meta/doc.txt").build())) {
            assertThat(g.body().readAllBytes()).isEqualTo(data);
            assertThat(g.contentType()).isEqualTo("text/plain; charset=utf-8");
            assertThat(g.contentDisposition()).isEqualTo("attachment; filename=\"doc.txt\"");
            assertThat(g.expires()).isEqualTo(expires);
            assertThat(lower(g.metadata())).containsEntry("author", "alice").containsEntry("trace-id", "a b  c");
            assertThat(g.storageClass()).isEqualTo("IA");
            assertThat(g.lastModified()).isEqualTo(h.lastModified());
        }

        // response-* overrides replace the stored headers on GET
        try (GetObjectResult g = c.getObject(GetObjectRequest.newBuilder().bucket(B).key("meta/doc.txt")
                .responseContentType("application/json").responseContentDisposition("inline").responseCacheControl("max-age=5")
                .build())) {
            g.body().readAllBytes();
            assertThat(g.contentType()).isEqualTo("application/json");
            assertThat(g.contentDisposition()).isEqualTo("inline");
            assertThat(header(g.headers(), "Cache-Control")).isEqualTo("max-age=5");
        }
    }

    @Test
    void defaultContentTypeComesFromTheKey() throws Exception {
        c.putObject(PutObjectRequest.newBuilder().bucket(B).key("types/page.html").body(BinaryData.fromString("<p>")).build());
        c.putObject(PutObjectRequest.newBuilder().bucket(B).key("types/noext").body(BinaryData.fromString("x")).build());
        assertThat(c.headObject(HeadObjectRequest.newBuilder().bucket(B).key("types/page.html").build()).contentType()).isEqualTo("text/html");
        assertThat(c.headObject(HeadObjectRequest.newBuilder().bucket(B).key("types/noext").build()).contentType())
                .isEqualTo("application/octet-stream");
    }

    @Test
    void getObjectMetaReportsTheBasics() throws Exception {
        byte[] data = random(4321, 8);
        roundTrip("meta/simple", data);
        GetObjectMetaResult m = c.getObjectMeta(GetObjectMetaRequest.newBuilder().bucket(B).key("meta/simple").build());
        assertThat(m.statusCode()).isEqualTo(200);
        assertThat(m.contentLength()).isEqualTo(4321);
        assertThat(m.eTag()).isEqualTo(etag(data));
        assertThat(m.lastModified()).isNotBlank();
        assertThat(m.lastAccessTime()).isNotBlank();
        assertThat(header(m.headers(), "x-oss-hash-crc64ecma")).isEqualTo(crc(data));
        assertThat(header(m.headers(), "Content-Type")).isNull();
    }

    @Test
    void unicodeAndReservedKeysRoundTrip() throws Exception {
        for (String key : new String[] {"dir/a b+c~!*.txt", "dir/ü%20&<x>.txt", "日本語/ファイル.dat", "trailing/", "a//double", "q?x=1&y=#frag"}) {
            byte[] data = key.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            roundTrip(key, data);
        }
    }

    /** The server never compresses: Accept-Encoding gzip still gets the stored bytes (core.md §7.10). */
    @Test
    void acceptEncodingGzipIsNotHonoured() throws Exception {
        byte[] data = "compressible ".repeat(1000).getBytes();
        roundTrip("gz/text.txt", data);
        try (GetObjectResult r = c.getObject(GetObjectRequest.newBuilder().bucket(B).key("gz/text.txt").acceptEncoding("gzip").build())) {
            assertThat(r.body().readAllBytes()).isEqualTo(data);
            assertThat(r.contentEncoding()).isNull();
            assertThat(r.contentLength()).isEqualTo(data.length);
        }
    }

    /**
     * Keys are limited to 1023 bytes of UTF-8. The V2 SDK refuses longer keys client-side when it
     * counts them in characters; 1024 bytes in fewer characters reach the server.
     */
    @Test
    void keyLengthLimit() throws Exception {
        String longest = "k/" + "x".repeat(1021);
        roundTrip(longest, new byte[] {1, 2, 3});
        String tooLong = "k/" + "x".repeat(1022);
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(
                () -> c.putObject(PutObjectRequest.newBuilder().bucket(B).key(tooLong).body(BinaryData.fromString("x")).build()));
        assertThat(V2Errors.service(t)).isNull();
        assertThat(V2Errors.messages(t)).contains("key is invalid");
        String wide = "ü".repeat(512); // 512 characters, 1024 bytes
        V2Errors.expect(400, "InvalidObjectName",
                () -> c.putObject(PutObjectRequest.newBuilder().bucket(B).key(wide).body(BinaryData.fromString("x")).build()));
        roundTrip("ü".repeat(511) + "x", new byte[] {4}); // 1023 bytes
    }

    static Map<String, String> lower(Map<String, String> m) {
        Map<String, String> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k.toLowerCase(Locale.ROOT), v));
        return out;
    }

    static String header(Map<String, String> headers, String name) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).findFirst().orElse(null);
    }
}
