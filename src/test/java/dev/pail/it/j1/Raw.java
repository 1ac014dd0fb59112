package dev.pail.it.j1;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A minimal OSS client on {@link java.net.http.HttpClient} with its own V1 signature (core.md §3.2),
 * written independently of the server's signer. Used where the SDK refuses a request client-side
 * or does not expose what a test must check (the HTTP status of an error, exact response headers).
 * The date is sent as {@code x-oss-date} because the JDK client does not let callers set {@code Date}.
 */
final class Raw {
    private static final DateTimeFormatter RFC1123 =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ROOT).withZone(ZoneOffset.UTC);
    /** The sub-resources these tests send (a subset of the §3.2 list). */
    private static final Set<String> SUB_RESOURCES = Set.of("acl", "objectMeta", "delete", "versionId",
            "response-content-type", "response-content-language", "response-expires", "response-cache-control",
            "response-content-disposition", "response-content-encoding", "continuation-token");

    private final String endpoint;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    Raw(TestServer server) {
        this.endpoint = server.endpoint().replaceAll("/+$", "");
    }

    Req req(String method, String bucket, String key) { return new Req(method, bucket, key); }

    /** A response: status, headers (case-insensitive names) and body. */
    record Resp(int status, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null || v.isEmpty() ? null : v.getFirst();
        }

        String text() { return new String(body, StandardCharsets.UTF_8); }

        /** The error XML: the body, or the base64 {@code x-oss-err} header of a body-less (HEAD) response. */
        String errorXml() {
            if (body.length > 0) return text();
            String err = header("x-oss-err");
            return err == null ? "" : new String(Base64.getDecoder().decode(err), StandardCharsets.UTF_8);
        }

        /** The text of the first {@code <name>} element of the error XML, or null. */
        String errorField(String name) {
            Matcher m = Pattern.compile("<" + name + ">([^<]*)</" + name + ">").matcher(errorXml());
            return m.find() ? m.group(1) : null;
        }

        String code() { return errorField("Code"); }
    }

    final class Req {
        private final String method;
        private final String bucket;
        private final String key;
        private final Map<String, String> query = new LinkedHashMap<>();
        private final Map<String, String> headers = new LinkedHashMap<>();
        private byte[] body;
        private boolean sign = true;
        private String rawPath;

        private Req(String method, String bucket, String key) {
            this.method = method;
            this.bucket = bucket;
            this.key = key;
        }

        /** A query parameter, given decoded; an empty value is sent as a bare name. */
        Req query(String name, String value) {
            query.put(name, value);
            return this;
        }

        Req header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        Req body(byte[] b) {
            body = b;
            return this;
        }

        Req anonymous() {
            sign = false;
            return this;
        }

        /** Sends this exact path instead of one built from bucket and key (the signature still uses bucket/key). */
        Req rawPath(String path) {
            rawPath = path;
            return this;
        }

        Resp send() throws IOException, InterruptedException {
            StringBuilder url = new StringBuilder(endpoint).append(rawPath != null ? rawPath : path());
            char sep = '?';
            for (Map.Entry<String, String> q : query.entrySet()) {
                url.append(sep).append(encode(q.getKey(), true));
                if (!q.getValue().isEmpty()) url.append('=').append(encode(q.getValue(), true));
                sep = '&';
            }
            Map<String, String> h = new LinkedHashMap<>(headers);
            if (sign) {
                String date = RFC1123.format(ZonedDateTime.now(ZoneOffset.UTC));
                h.put("x-oss-date", date);
                h.put("Authorization", "OSS " + TestServer.AK + ":" + signature(h, date));
            }
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url.toString()));
            h.forEach(b::header);
            b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            Map<String, List<String>> rh = new TreeMap<>();
            r.headers().map().forEach((k, v) -> rh.put(k.toLowerCase(Locale.ROOT), v));
            return new Resp(r.statusCode(), rh, r.body());
        }

        private String path() {
            if (bucket == null) return "/";
            if (key == null) return "/" + bucket + "/";
            if (key.startsWith("/")) return "/" + bucket + "/" + encode(key, true); // as J1 does
            return "/" + bucket + "/" + encode(key, false);
        }

        private String signature(Map<String, String> h, String date) {
            Map<String, String> lower = new TreeMap<>();
            h.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
            StringBuilder s = new StringBuilder();
            s.append(method).append('\n')
                    .append(lower.getOrDefault("content-md5", "")).append('\n')
                    .append(lower.getOrDefault("content-type", "")).append('\n')
                    .append(date).append('\n');
            lower.forEach((k, v) -> {
                if (k.startsWith("x-oss-")) s.append(k).append(':').append(v.trim()).append('\n');
            });
            s.append('/');
            if (bucket != null) s.append(bucket).append('/');
            if (bucket != null && key != null) s.append(key);
            char sep = '?';
            for (Map.Entry<String, String> q : new TreeMap<>(query).entrySet()) {
                if (!SUB_RESOURCES.contains(q.getKey())) continue;
                s.append(sep).append(q.getKey());
                if (!q.getValue().isEmpty()) s.append('=').append(q.getValue());
                sep = '&';
            }
            try {
                Mac mac = Mac.getInstance("HmacSHA1");
                mac.init(new SecretKeySpec(TestServer.SK.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
                return Base64.getEncoder().encodeToString(mac.doFinal(s.toString().getBytes(StandardCharsets.UTF_8)));
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** RFC 3986 percent-encoding of UTF-8; {@code /} kept unless {@code slash} is true. */
    static String encode(String s, boolean slash) {
        StringBuilder b = new StringBuilder();
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xFF;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~' || (c == '/' && !slash)) {
                b.append((char) c);
            } else {
                b.append('%').append(String.format("%02X", c));
            }
        }
        return b.toString();
    }
}
