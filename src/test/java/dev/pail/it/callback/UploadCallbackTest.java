package dev.pail.it.callback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSException;
import com.aliyun.oss.model.Callback;
import com.aliyun.oss.model.CompleteMultipartUploadRequest;
import com.aliyun.oss.model.CompleteMultipartUploadResult;
import com.aliyun.oss.model.InitiateMultipartUploadRequest;
import com.aliyun.oss.model.PartETag;
import com.aliyun.oss.model.PutObjectRequest;
import com.aliyun.oss.model.PutObjectResult;
import com.aliyun.oss.model.UploadPartRequest;
import com.sun.net.httpserver.HttpServer;
import dev.pail.checksum.Crc64;
import dev.pail.it.Clients;
import dev.pail.it.TestServer;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Upload callbacks through the Java SDK against a real receiver on loopback: the body the receiver
 * gets, the signature it can verify with the key Pail serves, and what the client gets back.
 */
class UploadCallbackTest {
    static TestServer server;
    static HttpServer receiver;
    static final LinkedBlockingQueue<Received> received = new LinkedBlockingQueue<>();
    static final Map<String, Integer> statusByPath = new ConcurrentHashMap<>();

    record Received(String path, String query, Map<String, String> headers, byte[] body) {}

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer();
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", ex -> {
            Map<String, String> h = new ConcurrentHashMap<>();
            ex.getRequestHeaders().forEach((k, v) -> h.put(k.toLowerCase(), v.getFirst()));
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            received.add(new Received(ex.getRequestURI().getRawPath(), ex.getRequestURI().getRawQuery(), h, body));
            int status = statusByPath.getOrDefault(ex.getRequestURI().getPath(), 200);
            byte[] answer = "{\"Status\":\"OK\"}".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(status, answer.length);
            ex.getResponseBody().write(answer);
            ex.close();
        });
        receiver.start();
    }

    @AfterAll
    static void stop() {
        receiver.stop(0);
        server.close();
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
    }

    private static PublicKey servedKey() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(server.endpoint() + "/-/callback/public-key.pem")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        String b64 = r.body().replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(b64)));
    }

    private static void assertSigned(Received got) throws Exception {
        String toSign = URLDecoder.decode(got.path(), StandardCharsets.UTF_8).replace(" ", "+")
                + (got.query() == null ? "" : "?" + got.query()) + "\n" + new String(got.body(), StandardCharsets.UTF_8);
        Signature s = Signature.getInstance("MD5withRSA");
        s.initVerify(servedKey());
        s.update(toSign.getBytes(StandardCharsets.UTF_8));
        assertThat(s.verify(Base64.getDecoder().decode(got.headers().get("authorization")))).as("callback signature").isTrue();
        String keyUrl = new String(Base64.getDecoder().decode(got.headers().get("x-oss-pub-key-url")), StandardCharsets.UTF_8);
        assertThat(keyUrl).endsWith("/-/callback/public-key.pem");
    }

    @Test
    void putObjectWithFormCallbackReturnsTheReceiversBody() throws Exception {
        OSS oss = Clients.v1(server);
        String b = "cb-" + System.nanoTime();
        oss.createBucket(b);
        received.clear();
        Callback cb = new Callback();
        cb.setCallbackUrl(url("/form?id=1"));
        cb.setCallbackBody("bucket=${bucket}&object=${object}&size=${size}&etag=${etag}&crc=${crc64}&mime=${mimeType}&uid=${x:uid}");
        cb.addCallbackVar("x:uid", "12345");
        byte[] data = "callback body".getBytes(StandardCharsets.UTF_8);
        PutObjectRequest put = new PutObjectRequest(b, "dir/cb.txt", new ByteArrayInputStream(data));
        put.setCallback(cb);
        PutObjectResult result = oss.putObject(put);
        assertThat(new String(result.getResponse().getContent().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"Status\":\"OK\"}");

        Received got = received.take();
        String body = new String(got.body(), StandardCharsets.UTF_8);
        assertThat(body).isEqualTo("bucket=" + b + "&object=dir%2Fcb.txt&size=13&etag=" + result.getETag() + "&crc="
                + Crc64.toDecimal(Crc64.of(data)) + "&mime=text%2Fplain&uid=12345");
        assertThat(got.headers()).containsEntry("content-type", "application/x-www-form-urlencoded");
        assertSigned(got);
        assertThat(oss.getObject(b, "dir/cb.txt").getObjectContent().readAllBytes()).isEqualTo(data);
        oss.shutdown();
    }

    @Test
    void completeMultipartUploadWithJsonCallback() throws Exception {
        OSS oss = Clients.v4(server);
        String b = "cbm-" + System.nanoTime();
        oss.createBucket(b);
        received.clear();
        String id = oss.initiateMultipartUpload(new InitiateMultipartUploadRequest(b, "mp.bin")).getUploadId();
        byte[] part = new byte[1000];
        PartETag etag = oss.uploadPart(new UploadPartRequest(b, "mp.bin", id, 1, new ByteArrayInputStream(part), part.length)).getPartETag();
        CompleteMultipartUploadRequest complete = new CompleteMultipartUploadRequest(b, "mp.bin", id, new java.util.ArrayList<>(List.of(etag)));
        Callback cb = new Callback();
        cb.setCallbackUrl(url("/json"));
        // the Java SDK writes callbackBody into its JSON unescaped, so its documentation escapes the quotes
        cb.setCallbackBody("{\\\"bucket\\\":${bucket},\\\"object\\\":${object},\\\"size\\\":${size},\\\"op\\\":${operation}}");
        cb.setCalbackBodyType(Callback.CalbackBodyType.JSON);
        complete.setCallback(cb);
        CompleteMultipartUploadResult r = oss.completeMultipartUpload(complete);
        assertThat(new String(r.getResponse().getContent().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"Status\":\"OK\"}");
        Received got = received.take();
        assertThat(new String(got.body(), StandardCharsets.UTF_8))
                .isEqualTo("{\"bucket\":\"" + b + "\",\"object\":\"mp.bin\",\"size\":1000,\"op\":\"CompleteMultipartUpload\"}");
        assertThat(got.headers()).containsEntry("content-type", "application/json");
        assertSigned(got);
        oss.shutdown();
    }

    @Test
    void failingCallbackGives203CallbackFailedAndKeepsTheObject() throws Exception {
        OSS oss = Clients.v1(server);
        String b = "cbf-" + System.nanoTime();
        oss.createBucket(b);
        statusByPath.put("/fail", 500);
        for (String target : List.of(url("/fail"), "http://127.0.0.1:1/unreachable", "http://169.254.169.254/latest")) {
            Callback cb = new Callback();
            cb.setCallbackUrl(target);
            cb.setCallbackBody("object=${object}");
            PutObjectRequest put = new PutObjectRequest(b, "kept", new ByteArrayInputStream("still stored".getBytes()));
            put.setCallback(cb);
            assertThatThrownBy(() -> oss.putObject(put))
                    .isInstanceOfSatisfying(OSSException.class, e -> assertThat(e.getErrorCode()).isEqualTo("CallbackFailed"));
            assertThat(oss.getObject(b, "kept").getObjectContent().readAllBytes()).isEqualTo("still stored".getBytes());
            oss.deleteObject(b, "kept");
        }
        oss.shutdown();
    }

    @Test
    void presignedPutCarriesTheCallbackInItsQuery() throws Exception {
        OSS oss = Clients.v1(server);
        String b = "cbp-" + System.nanoTime();
        oss.createBucket(b);
        received.clear();
        String config = "{\"callbackUrl\":\"" + url("/presigned") + "\",\"callbackBody\":\"object=${object}&size=${size}\"}";
        com.aliyun.oss.model.GeneratePresignedUrlRequest presign =
                new com.aliyun.oss.model.GeneratePresignedUrlRequest(b, "via-url", com.aliyun.oss.HttpMethod.PUT);
        presign.setExpiration(new java.util.Date(System.currentTimeMillis() + 600_000));
        presign.addQueryParameter("callback", Base64.getEncoder().encodeToString(config.getBytes(StandardCharsets.UTF_8)));
        URI signed = oss.generatePresignedUrl(presign).toURI();
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(signed).PUT(HttpRequest.BodyPublishers.ofString("presigned body")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"Status\":\"OK\"}");
        Received got = received.take();
        assertThat(new String(got.body(), StandardCharsets.UTF_8)).isEqualTo("object=via-url&size=14");
        assertSigned(got);
        assertThat(oss.getObject(b, "via-url").getObjectContent().readAllBytes()).isEqualTo("presigned body".getBytes());
        oss.shutdown();
    }

    @Test
    void invalidCallbackIsRefusedBeforeAnythingIsStored() throws Exception {
        OSS oss = Clients.v1(server);
        String b = "cbi-" + System.nanoTime();
        oss.createBucket(b);
        Callback cb = new Callback();
        cb.setCallbackUrl(url("/x"));
        cb.setCallbackBody("");
        PutObjectRequest put = new PutObjectRequest(b, "never", new ByteArrayInputStream("x".getBytes()));
        put.setCallback(cb);
        assertThatThrownBy(() -> oss.putObject(put))
                .isInstanceOfSatisfying(OSSException.class, e -> assertThat(e.getErrorCode()).isEqualTo("InvalidArgument"));
        assertThat(oss.doesObjectExist(b, "never")).isFalse();
        oss.shutdown();
    }
}
