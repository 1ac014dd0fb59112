package dev.pail.it.bucket;

import dev.pail.it.TestServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Hand-made V1-signed requests (core.md §3.2) for what the SDKs refuse to send, e.g. invalid bucket
 * names that both Java SDKs reject client-side. Independent of the server's own signer.
 */
final class RawOss {
    private static final DateTimeFormatter RFC1123 =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final TestServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    RawOss(TestServer server) { this.server = server; }

    /**
     * Sends {@code method} to the path-style {@code rawPath} (already percent-encoded, e.g.
     * {@code /AB/}); {@code resource} is the V1 canonicalized resource (decoded, e.g. {@code /AB/}).
     */
    HttpResponse<String> send(String method, String rawPath, String resource, Map<String, String> ossHeaders, byte[] body)
            throws IOException, InterruptedException {
        TreeMap<String, String> oss = new TreeMap<>();
        ossHeaders.forEach((k, v) -> oss.put(k.toLowerCase(Locale.ROOT), v.trim()));
        oss.put("x-oss-date", RFC1123.format(ZonedDateTime.now(ZoneOffset.UTC)));
        StringBuilder sts = new StringBuilder(method).append('\n').append('\n').append('\n')
                .append(oss.get("x-oss-date")).append('\n');
        oss.forEach((k, v) -> sts.append(k).append(':').append(v).append('\n'));
        sts.append(resource);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.endpoint() + rawPath))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Authorization", "OSS " + TestServer.AK + ":" + sign(sts.toString()));
        oss.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static String sign(String stringToSign) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(TestServer.SK.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Text of the first {@code <name>} element of an XML body, or null. */
    static String element(String xml, String name) {
        int s = xml.indexOf("<" + name + ">");
        if (s < 0) return null;
        int e = xml.indexOf("</" + name + ">", s);
        return e < 0 ? null : xml.substring(s + name.length() + 2, e);
    }
}
