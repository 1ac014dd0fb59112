package dev.pail.it.seeds;

import com.aliyun.oss.ClientBuilderConfiguration;
import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import com.aliyun.oss.model.OSSObject;
import com.aliyun.sdk.service.oss2.OSSClient;
import com.aliyun.sdk.service.oss2.credentials.StaticCredentialsProvider;
import com.aliyun.sdk.service.oss2.exceptions.ServiceException;
import com.sun.net.httpserver.HttpServer;
import dev.pail.it.Clients;
import dev.pail.it.TestData;
import dev.pail.it.TestServer;
import dev.pail.it.V1Signature;
import dev.pail.it.WireProxy;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fixture of the seed-example tests: a server, a {@link WireProxy} in front of it (to see how an
 * SDK framed a request), J1 and V2 clients that go through the proxy, and a small local HTTP
 * server standing in for the "network stream" sources the examples fetch from the Internet.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SeedFixture {
    private static final AtomicInteger BUCKETS = new AtomicInteger();

    TestServer server;
    WireProxy proxy;
    /** J1 (aliyun-sdk-oss 3.18.5), V1 signatures, through the proxy. */
    OSS j1;
    /** alibabacloud-oss-v2 0.4.0, V4 signatures, through the proxy. */
    OSSClient v2;
    /** J1 straight to the server, for verification. */
    OSS check;
    HttpServer web;
    final Map<String, byte[]> webContent = new ConcurrentHashMap<>();

    @TempDir
    Path tmp;

    @BeforeAll
    void start() throws IOException {
        server = new TestServer();
        proxy = new WireProxy(server.port());
        j1 = new OSSClientBuilder().build(proxy.endpoint(), TestServer.AK, TestServer.SK, new ClientBuilderConfiguration());
        v2 = OSSClient.newBuilder().endpoint(proxy.endpoint()).region("cn-hangzhou")
                .credentialsProvider(new StaticCredentialsProvider(TestServer.AK, TestServer.SK)).build();
        check = Clients.v1(server);
        web = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        web.createContext("/", exchange -> {
            byte[] body = webContent.get(exchange.getRequestURI().getPath());
            try (exchange; OutputStream out = exchange.getResponseBody()) {
                if (body == null) {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
                exchange.sendResponseHeaders(200, 0); // chunked: the length is not known up front
                for (int i = 0; i < body.length; i += 8191) out.write(body, i, Math.min(8191, body.length - i));
            }
        });
        web.start();
    }

    @AfterAll
    void stop() throws Exception {
        if (web != null) web.stop(0);
        if (j1 != null) j1.shutdown();
        if (check != null) check.shutdown();
        if (v2 != null) v2.close();
        if (proxy != null) proxy.close();
        if (server != null) server.close();
    }

    @BeforeEach
    void resetProxy() { proxy.clear(); }

    String newBucket() {
        String name = "examplebucket-" + getClass().getSimpleName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "").substring(0, 7)
                + "-" + BUCKETS.incrementAndGet() + "-" + (System.nanoTime() % 100000);
        check.createBucket(name);
        return name;
    }

    /** Publishes {@code body} on the local web server and returns its URL. */
    String publish(String path, byte[] body) {
        webContent.put(path, body);
        return "http://127.0.0.1:" + web.getAddress().getPort() + path;
    }

    static byte[] random(int n, long seed) { return TestData.random(n, seed); }

    static byte[] utf8(String s) { return s.getBytes(java.nio.charset.StandardCharsets.UTF_8); }

    static long crc(byte[] b) { return TestData.crc64(b); }

    static byte[] md5(byte[] b) { return TestData.md5(b); }

    static String md5Hex(byte[] b) { return TestData.md5Hex(b); }

    static String md5B64(byte[] b) { return TestData.md5B64(b); }

    Path writeFile(String name, byte[] data) throws IOException {
        Path p = tmp.resolve(name);
        Files.createDirectories(p.getParent());
        Files.write(p, data);
        return p;
    }

    byte[] stored(String bucket, String key) throws IOException {
        try (OSSObject o = check.getObject(bucket, key); InputStream in = o.getObjectContent()) {
            return in.readAllBytes();
        }
    }

    /**
     * A PutObject the SDKs would refuse to send, V1-signed here (core.md §3.2; the date travels in
     * {@code x-oss-date} since the JDK client does not let callers set {@code Date}).
     */
    HttpResponse<String> rawPut(String bucket, String key, byte[] body) throws Exception {
        String date = V1Signature.now();
        String auth = V1Signature.authorization(TestServer.AK, TestServer.SK, "PUT", Map.of("x-oss-date", date), date,
                "/" + bucket + "/" + key);
        String path = "/" + bucket + "/" + URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20").replace("%2F", "/");
        HttpRequest req = HttpRequest.newBuilder(URI.create(server.endpoint().replaceAll("/+$", "") + path))
                .header("x-oss-date", date)
                .header("Authorization", auth)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            return http.send(req, HttpResponse.BodyHandlers.ofString());
        }
    }

    /** The V2 ServiceException in a cause chain, or null. */
    static ServiceException service(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ServiceException s) return s;
        }
        return null;
    }

    static String header(Map<String, String> headers, String name) {
        return headers.entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }
}
