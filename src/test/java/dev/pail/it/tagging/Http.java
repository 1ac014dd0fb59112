package dev.pail.it.tagging;

import dev.pail.it.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
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
 * A minimal hand-signed OSS client (V1 signature, core.md §3.2) on {@link HttpClient}, written
 * independently of the server's signer, for what the SDKs refuse client-side (empty tag keys or
 * values in the header form, malformed XML, wrong Content-MD5, odd directive spellings) and for
 * exact wire checks (status codes, raw XML, header presence). The date goes in {@code x-oss-date}
 * because the JDK client does not let callers set {@code Date}.
 */
final class Http {
    private static final DateTimeFormatter RFC1123 =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ROOT).withZone(ZoneOffset.UTC);
    /** The sub-resources these tests send that take part in the V1 canonical resource. */
    private static final Set<String> SUB_RESOURCES = Set.of("acl", "tagging", "symlink", "append", "position",
            "uploads", "uploadId", "partNumber", "objectMeta");

    private final String endpoint;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    Http(TestServer server) {
        this.endpoint = server.endpoint().replaceAll("/+$", "");
    }

    Req req(String method, String bucket, String key) { return new Req(method, bucket, key); }

    /** A response: status, headers (lower-case names) and body. */
    record Resp(int status, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null || v.isEmpty() ? null : v.getFirst();
        }

        boolean has(String name) { return headers.containsKey(name.toLowerCase(Locale.ROOT)); }

        String text() { return new String(body, StandardCharsets.UTF_8); }

        /** The error XML: the body, or the base64 {@code x-oss-err} header of a body-less (HEAD) response. */
        String errorXml() {
            if (body.length > 0) return text();
            String err = header("x-oss-err");
            return err == null ? "" : new String(Base64.getDecoder().decode(err), StandardCharsets.UTF_8);
        }

        String code() {
            Matcher m = Pattern.compile("<Code>([^<]*)</Code>").matcher(errorXml());
            return m.find() ? m.group(1) : null;
        }

        @Override
        public String toString() { return status + " " + errorXml(); }
    }

    final class Req {
        private final String method;
        private final String bucket;
        private final String key;
        private final Map<String, String> query = new LinkedHashMap<>();
        private final Map<String, String> headers = new LinkedHashMap<>();
        private byte[] body;
        private boolean sign = true;

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

        Req query(String name) { return query(name, ""); }

        Req header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        Req body(byte[] b) {
            body = b;
            return this;
        }

        Req body(String s) { return body(s.getBytes(StandardCharsets.UTF_8)); }

        /** Adds the correct Content-MD5 of the body. */
        Req md5() { return header("Content-MD5", md5Base64(body == null ? new byte[0] : body)); }

        Req anonymous() {
            sign = false;
            return this;
        }

        Resp send() {
            StringBuilder url = new StringBuilder(endpoint).append(path());
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
            boolean withBody = body != null || method.equals("PUT") || method.equals("POST");
            b.method(method, withBody ? HttpRequest.BodyPublishers.ofByteArray(body == null ? new byte[0] : body)
                    : HttpRequest.BodyPublishers.noBody());
            try {
                HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
                Map<String, List<String>> rh = new TreeMap<>();
                r.headers().map().forEach((k, v) -> rh.put(k.toLowerCase(Locale.ROOT), v));
                return new Resp(r.statusCode(), rh, r.body());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        private String path() {
            if (bucket == null) return "/";
            if (key == null) return "/" + bucket + "/";
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

    static String md5Base64(byte[] b) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
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
