package dev.pail.callback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pail.xml.OssError;
import dev.pail.xml.OssException;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CallbackServiceTest {
    static final String KEY_URL = "http://127.0.0.1:9000/-/callback/public-key.pem";

    @TempDir
    Path keys;

    final Receiver receiver = new Receiver();

    @AfterEach
    void stop() { receiver.close(); }

    static Map<String, String> system() {
        Map<String, String> m = new HashMap<>();
        m.put("bucket", "bkt");
        m.put("object", "dir/a b+c&d.txt");
        m.put("etag", "\"5EB63BBBE01EEED093CB22BB8F5ACDC3\"");
        m.put("size", "11");
        m.put("mimeType", "text/plain");
        m.put("imageInfo.height", "");
        m.put("imageInfo.width", "");
        m.put("imageInfo.format", "");
        m.put("crc64", "5981764153023615706");
        m.put("contentMd5", "XrY7u+Ae7tCTyyK7j1rNww==");
        m.put("vpcId", "");
        m.put("clientIp", "127.0.0.1");
        m.put("reqId", "66C5A6D1E1D3B43636E0A1B2");
        m.put("operation", "PutObject");
        m.put(CallbackService.REQUESTER, "1234567890");
        return m;
    }

    static Callback callback(String urls, String host, String body, Callback.BodyType type, Map<String, String> vars) {
        return new Callback(CallbackParser.targets(urls), host, body, type, false, vars);
    }

    static Callback form(String urls) {
        return callback(urls, null, "bucket=${bucket}&object=${object}", Callback.BodyType.FORM, Map.of());
    }

    CallbackService service() { return new CallbackService(keys, CallbackPolicy.defaults()); }

    static boolean verifies(PublicKey key, Receiver.Received r) throws Exception {
        String path = CallbackService.decodePath(r.rawPath());
        String query = r.rawQuery() == null ? "" : "?" + r.rawQuery();
        Signature s = Signature.getInstance("MD5withRSA");
        s.initVerify(key);
        s.update((path + query + "\n").getBytes(StandardCharsets.UTF_8));
        s.update(r.body());
        return s.verify(Base64.getDecoder().decode(r.header("authorization")));
    }

    @Test
    void formBodyHeadersAndSignature() throws Exception {
        CallbackService svc = service();
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("x:uid", "12345");
        vars.put("x:note", "a=b&c d");
        Callback cb = callback(receiver.url("/cb/%E4%B8%AD%20x?id=1&name=a%2Bb"), null,
                "bucket=${bucket}&object=${object}&etag=${etag}&size=${size}&mimeType=${mimeType}&height=${imageInfo.height}"
                        + "&crc64=${crc64}&md5=${contentMd5}&ip=${clientIp}&req=${reqId}&op=${operation}&uid=${x:uid}&note=${x:note}&none=${x:none}",
                Callback.BodyType.FORM, vars);

        CallbackService.Outcome out = svc.invoke(cb, system(), KEY_URL);

        assertThat(out).isInstanceOf(CallbackService.Outcome.Delivered.class);
        assertThat(new String(((CallbackService.Outcome.Delivered) out).body(), StandardCharsets.UTF_8)).isEqualTo("{\"Status\":\"OK\"}");
        Receiver.Received r = receiver.only();
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.rawPath()).isEqualTo("/cb/%E4%B8%AD%20x");
        assertThat(r.rawQuery()).isEqualTo("id=1&name=a%2Bb");
        assertThat(r.bodyText()).isEqualTo("bucket=bkt&object=dir%2Fa%20b%2Bc%26d.txt&etag=%225EB63BBBE01EEED093CB22BB8F5ACDC3%22&size=11"
                + "&mimeType=text%2Fplain&height=&crc64=5981764153023615706&md5=XrY7u%2BAe7tCTyyK7j1rNww%3D%3D&ip=127.0.0.1"
                + "&req=66C5A6D1E1D3B43636E0A1B2&op=PutObject&uid=12345&note=a%3Db%26c%20d&none=");
        assertThat(r.header("host")).isEqualTo("127.0.0.1:" + receiver.port());
        assertThat(r.header("content-type")).isEqualTo("application/x-www-form-urlencoded");
        assertThat(r.header("content-length")).isEqualTo(Integer.toString(r.body().length));
        assertThat(r.header("content-md5")).isEqualTo(Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(r.body())));
        assertThat(ZonedDateTime.parse(r.header("date"), DateTimeFormatter.RFC_1123_DATE_TIME)).isNotNull();
        assertThat(r.header("user-agent")).isEqualTo("aliyun-oss-callback");
        assertThat(new String(Base64.getDecoder().decode(r.header("x-oss-pub-key-url")), StandardCharsets.UTF_8)).isEqualTo(KEY_URL);
        assertThat(r.header("x-oss-bucket")).isEqualTo("bkt");
        assertThat(r.header("x-oss-request-id")).isEqualTo("66C5A6D1E1D3B43636E0A1B2");
        assertThat(r.header("x-oss-requester")).isEqualTo("1234567890");
        assertThat(r.header("x-oss-signature-version")).isEqualTo("1.0");
        assertThat(r.header("x-oss-tag")).isEqualTo("CALLBACK");
        // the signature verifies with the published PEM: url_decode(path) + "?" + raw query + "\n" + body
        PublicKey published = SigningKey.parsePublic(svc.publicKeyPem());
        assertThat(verifies(published, r)).isTrue();
        assertThat(svc.publicKeyPem()).startsWith("-----BEGIN PUBLIC KEY-----\n").endsWith("-----END PUBLIC KEY-----\n");
    }

    @Test
    void signatureWithoutQueryAndPlusInPath() throws Exception {
        CallbackService svc = service();
        svc.invoke(form(receiver.url("/a+b/%7Ec")), system(), KEY_URL);
        Receiver.Received r = receiver.only();
        assertThat(r.rawQuery()).isNull();
        Signature s = Signature.getInstance("MD5withRSA");
        s.initVerify(SigningKey.parsePublic(svc.publicKeyPem()));
        s.update(("/a+b/~c\n" + r.bodyText()).getBytes(StandardCharsets.UTF_8));
        assertThat(s.verify(Base64.getDecoder().decode(r.header("authorization")))).isTrue();
    }

    @Test
    void jsonBodyWithCallbackHost() throws Exception {
        Callback cb = callback(receiver.url("/json"), "callback.example.com",
                "{\"bucket\":${bucket},\"object\":${object},\"size\":${size},\"imageInfo\":{\"height\":${imageInfo.height}},"
                        + "\"crc64\":${crc64},\"path\":\"/${bucket}/${object}\",\"uid\":${x:uid},\"none\":${x:none}}",
                Callback.BodyType.JSON, Map.of("x:uid", "a\"b"));

        CallbackService.Outcome out = service().invoke(cb, system(), KEY_URL);

        assertThat(out).isInstanceOf(CallbackService.Outcome.Delivered.class);
        Receiver.Received r = receiver.only();
        assertThat(r.header("host")).isEqualTo("callback.example.com");
        assertThat(r.header("content-type")).isEqualTo("application/json");
        assertThat(r.bodyText()).isEqualTo("{\"bucket\":\"bkt\",\"object\":\"dir/a b+c&d.txt\",\"size\":11,\"imageInfo\":{\"height\":\"\"},"
                + "\"crc64\":5981764153023615706,\"path\":\"/bkt/dir/a b+c&d.txt\",\"uid\":\"a\\\"b\",\"none\":\"\"}");
    }

    @Test
    void firstUnreachableThenSecond() throws Exception {
        CallbackService.Outcome out = service().invoke(form("http://127.0.0.1:" + closedPort() + "/x;" + receiver.url("/second")), system(), KEY_URL);
        assertThat(out).isInstanceOf(CallbackService.Outcome.Delivered.class);
        assertThat(receiver.only().rawPath()).isEqualTo("/second");
    }

    @Test
    void allUnreachable() throws Exception {
        int port = closedPort();
        CallbackService.Outcome out = service().invoke(form("127.0.0.1:" + port + "/a;127.0.0.1:" + port + "/b"), system(), KEY_URL);
        String m = ((CallbackService.Outcome.Failed) out).message();
        assertThat(m).contains("http://127.0.0.1:" + port + "/a: Connection refused").contains("http://127.0.0.1:" + port + "/b: Connection refused");
    }

    @Test
    void singleUnreachable() throws Exception {
        CallbackService.Outcome out = service().invoke(form("http://127.0.0.1:" + closedPort() + "/"), system(), KEY_URL);
        assertThat(out).isEqualTo(new CallbackService.Outcome.Failed("Connection refused"));
    }

    @Test
    void non200Fails() {
        receiver.status = 502;
        assertThat(service().invoke(form(receiver.url("/")), system(), KEY_URL)).isEqualTo(new CallbackService.Outcome.Failed("Error status : 502."));
        receiver.status = 302;
        assertThat(service().invoke(form(receiver.url("/")), system(), KEY_URL)).isEqualTo(new CallbackService.Outcome.Failed("Error status : 302."));
    }

    @Test
    void nonJsonFails() {
        for (String answer : List.of("OK", "", "{\"a\":1} {\"b\":2}", "{\"a\":")) {
            receiver.answer = answer.getBytes(StandardCharsets.UTF_8);
            assertThat(service().invoke(form(receiver.url("/")), system(), KEY_URL)).as(answer)
                    .isEqualTo(new CallbackService.Outcome.Failed("Response body is not valid json format."));
        }
        receiver.answer = "[1, \"two\"]".getBytes(StandardCharsets.UTF_8);
        assertThat(service().invoke(form(receiver.url("/")), system(), KEY_URL)).isInstanceOf(CallbackService.Outcome.Delivered.class);
    }

    @Test
    void chunkedAndOversizeResponses() {
        receiver.chunked = true;
        receiver.answer = "{\"chunked\":true}".getBytes(StandardCharsets.UTF_8);
        CallbackService.Outcome out = service().invoke(form(receiver.url("/")), system(), KEY_URL);
        assertThat(new String(((CallbackService.Outcome.Delivered) out).body(), StandardCharsets.UTF_8)).isEqualTo("{\"chunked\":true}");

        byte[] big = ("\"" + "x".repeat(CallbackHttp.MAX_BODY) + "\"").getBytes(StandardCharsets.UTF_8);
        receiver.answer = big;
        assertThat(((CallbackService.Outcome.Failed) service().invoke(form(receiver.url("/")), system(), KEY_URL)).message()).contains("larger than");
        receiver.chunked = false;
        assertThat(((CallbackService.Outcome.Failed) service().invoke(form(receiver.url("/")), system(), KEY_URL)).message())
                .contains("too long content-length");
    }

    @Test
    void slowReceiverTimesOut() {
        receiver.delayMillis = 3000;
        CallbackService svc = new CallbackService(keys, CallbackPolicy.defaults(), Duration.ofMillis(400), null);
        long t0 = System.nanoTime();
        // the deadline covers every URL: the second one is never tried
        CallbackService.Outcome out = svc.invoke(form(receiver.url("/slow") + ";" + receiver.url("/never")), system(), KEY_URL);
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertThat(((CallbackService.Outcome.Failed) out).message()).contains("Cost too long time").doesNotContain("/never");
        assertThat(ms).isBetween(300L, 2000L);
        assertThat(receiver.received).hasSize(1);
    }

    @Test
    void metadataAddressRefusedByDefault() {
        long t0 = System.nanoTime();
        CallbackService.Outcome out = service().invoke(form("http://169.254.169.254/latest/meta-data/"), system(), KEY_URL);
        assertThat(((CallbackService.Outcome.Failed) out).message()).contains("169.254.169.254").contains("not allowed");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(1000);
        assertThat(service().invoke(form("100.100.100.200/latest/meta-data"), system(), KEY_URL))
                .isInstanceOfSatisfying(CallbackService.Outcome.Failed.class, f -> assertThat(f.message()).contains("not allowed"));
    }

    @Test
    void refusedTargetStillLetsLaterUrlsRun() {
        CallbackService.Outcome out = service().invoke(form("http://169.254.169.254/;" + receiver.url("/ok")), system(), KEY_URL);
        assertThat(out).isInstanceOf(CallbackService.Outcome.Delivered.class);
    }

    @Test
    void cidrAllowList() {
        CallbackService admits = new CallbackService(keys, new CallbackPolicy(List.of("127.0.0.0/8")));
        assertThat(admits.invoke(form(receiver.url("/in")), system(), KEY_URL)).isInstanceOf(CallbackService.Outcome.Delivered.class);

        CallbackService refuses = new CallbackService(keys, new CallbackPolicy(List.of("10.0.0.0/8", "hooks.example.com")));
        CallbackService.Outcome out = refuses.invoke(form(receiver.url("/out")), system(), KEY_URL);
        assertThat(((CallbackService.Outcome.Failed) out).message()).contains("not allowed");
        // checked on the resolved address: "localhost" is refused as well
        out = refuses.invoke(form("http://localhost:" + receiver.port() + "/out"), system(), KEY_URL);
        assertThat(((CallbackService.Outcome.Failed) out).message()).contains("not allowed");
        assertThat(receiver.received).hasSize(1);
    }

    @Test
    void hostNameAllowList() {
        CallbackService svc = new CallbackService(keys, new CallbackPolicy(List.of("localhost")));
        assertThat(svc.invoke(form("http://localhost:" + receiver.port() + "/named"), system(), KEY_URL)).isInstanceOf(CallbackService.Outcome.Delivered.class);
        assertThat(((CallbackService.Outcome.Failed) svc.invoke(form(receiver.url("/ip")), system(), KEY_URL)).message()).contains("not allowed");
    }

    @Test
    void unknownHost() {
        CallbackService.Outcome out = service().invoke(form("http://no-such-host.invalid/"), system(), KEY_URL);
        assertThat(((CallbackService.Outcome.Failed) out).message()).contains("no-such-host.invalid");
    }

    @Test
    void headerValuesCannotInjectHeaders() {
        Map<String, String> sys = system();
        sys.put("reqId", "abc\r\nX-Injected: 1");
        service().invoke(form(receiver.url("/")), sys, KEY_URL);
        Receiver.Received r = receiver.only();
        assertThat(r.headers()).doesNotContainKey("x-injected");
        assertThat(r.header("x-oss-request-id")).isEqualTo("abc??X-Injected: 1");
    }

    @Test
    void failedBecomes203CallbackFailed() {
        OssException e = new CallbackService.Outcome.Failed("Error status : 502.").toException();
        assertThat(e.error()).isEqualTo(OssError.CALLBACK_FAILED);
        assertThat(e.error().status()).isEqualTo(203);
        assertThat(e.error().code()).isEqualTo("CallbackFailed");
        assertThat(e.getMessage()).isEqualTo("Error status : 502.");
    }

    @Test
    void keyPairPersistedAndReloaded(@TempDir Path other) throws Exception {
        Path dir = keys.resolve("nested/keys");
        CallbackService first = new CallbackService(dir, CallbackPolicy.defaults());
        String publicPem = first.publicKeyPem(); // a new pair is made on first use
        Path priv = dir.resolve(SigningKey.PRIVATE_FILE);
        Path pub = dir.resolve(SigningKey.PUBLIC_FILE);
        assertThat(Files.readString(priv)).startsWith("-----BEGIN PRIVATE KEY-----\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(priv))).isEqualTo("rw-------");
        assertThat(Files.readString(pub)).isEqualTo(publicPem);
        assertThat(SigningKey.parsePublic(first.publicKeyPem()))
                .isInstanceOfSatisfying(java.security.interfaces.RSAPublicKey.class, k -> assertThat(k.getModulus().bitLength()).isEqualTo(2048));

        Files.delete(pub); // the private key is the source of truth: the public file comes back
        CallbackService second = new CallbackService(dir, CallbackPolicy.defaults());
        assertThat(second.publicKeyPem()).isEqualTo(first.publicKeyPem());
        assertThat(Files.readString(pub)).isEqualTo(first.publicKeyPem());
        second.invoke(form(receiver.url("/k")), system(), KEY_URL);
        assertThat(verifies(SigningKey.parsePublic(first.publicKeyPem()), receiver.only())).isTrue();

        assertThat(new CallbackService(other, CallbackPolicy.defaults()).publicKeyPem()).isNotEqualTo(first.publicKeyPem());
    }

    @Test
    void httpsWithVerifiedCertificateAndSni(@TempDir Path tmp) throws Exception {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Assumptions.assumeTrue(Files.isExecutable(keytool), "keytool not available");
        Path ks = tmp.resolve("server.p12");
        Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "cb", "-keyalg", "RSA", "-keysize", "2048",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost", "-validity", "2", "-keystore", ks.toString(),
                "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(log).isZero();
        char[] pw = "changeit".toCharArray();
        KeyStore serverKeys = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(ks)) {
            serverKeys.load(in, pw);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(serverKeys, pw);
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(kmf.getKeyManagers(), null, null);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("cb", serverKeys.getCertificate("cb"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        // a fresh client context (own TLS session cache) per case, so no case resumes another's session
        java.util.function.Supplier<CallbackService> fresh = () -> {
            try {
                SSLContext clientTls = SSLContext.getInstance("TLS");
                clientTls.init(null, tmf.getTrustManagers(), null);
                return new CallbackService(keys, CallbackPolicy.defaults(), Duration.ofSeconds(5), clientTls);
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        };

        try (Receiver https = new Receiver(serverTls)) {
            String ipUrl = "https://127.0.0.1:" + https.port() + "/tls?a=1";

            // connect to the IP, verify the certificate against callbackHost, send it as SNI
            Callback withSni = new Callback(CallbackParser.targets(ipUrl), "localhost:" + https.port(), "b=${bucket}", Callback.BodyType.FORM, true, Map.of());
            assertThat(fresh.get().invoke(withSni, system(), KEY_URL)).isInstanceOf(CallbackService.Outcome.Delivered.class);
            assertThat(https.sniSeen).containsExactly("localhost");
            assertThat(https.only().header("host")).isEqualTo("localhost:" + https.port());
            assertThat(https.only().bodyText()).isEqualTo("b=bkt");

            // callbackSNI false: still verified, no server name sent
            Callback noSni = new Callback(CallbackParser.targets("https://localhost:" + https.port() + "/tls"), null, "b=${bucket}", Callback.BodyType.FORM, false, Map.of());
            assertThat(fresh.get().invoke(noSni, system(), KEY_URL)).isInstanceOf(CallbackService.Outcome.Delivered.class);
            assertThat(https.sniSeen).containsExactly("localhost");

            // the certificate does not name 127.0.0.1: refused
            Callback byIp = new Callback(CallbackParser.targets(ipUrl), null, "b=${bucket}", Callback.BodyType.FORM, true, Map.of());
            CallbackService.Outcome out = fresh.get().invoke(byIp, system(), KEY_URL);
            assertThat(((CallbackService.Outcome.Failed) out).message()).contains("TLS");
            assertThat(https.received).hasSize(2);
        }
    }

    static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
