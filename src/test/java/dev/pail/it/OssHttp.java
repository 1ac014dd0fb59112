package dev.pail.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A minimal hand-signed OSS client on {@link HttpClient}, signing with the tests' own
 * {@link V1Signature} (core.md §3.2), for what the SDKs refuse client-side and for exact wire
 * checks (HTTP status of an error, raw XML, exact response headers). The date is sent as
 * {@code x-oss-date} because the JDK client does not let callers set {@code Date}. For requests
 * that must control every byte (Host, Date, framing) use {@link RawHttp}.
 */
public final class OssHttp {
    private final String endpoint;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    public OssHttp(TestServer server) {
        this.endpoint = server.endpoint().replaceAll("/+$", "");
    }

    /** A request to {@code /bucket/key} (either may be null). */
    public Req req(String method, String bucket, String key) { return new Req(method, bucket, key); }

    /**
     * Sends {@code method} to the path-style {@code rawPath} (already percent-encoded, query included,
     * e.g. {@code /AB/?acl}), V1-signed with the given canonicalized {@code resource} (decoded).
     */
    public Resp send(String method, String rawPath, String resource, Map<String, String> headers, byte[] body) {
        Req r = req(method, null, null).rawPath(rawPath).resource(resource);
        headers.forEach(r::header);
        if (body != null) r.body(body);
        return r.send();
    }

    /** A response: status, headers (lower-case names) and body. */
    public record Resp(int status, Map<String, List<String>> headers, byte[] body) {
        public String header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null || v.isEmpty() ? null : v.getFirst();
        }

        public boolean has(String name) { return headers.containsKey(name.toLowerCase(Locale.ROOT)); }

        public String text() { return new String(body, StandardCharsets.UTF_8); }

        /** The error XML: the body, or the base64 {@code x-oss-err} header of a body-less (HEAD) response. */
        public String errorXml() {
            if (body.length > 0) return text();
            String err = header("x-oss-err");
            return err == null ? "" : new String(Base64.getDecoder().decode(err), StandardCharsets.UTF_8);
        }

        /** The text of the first {@code <name>} element of the error XML, or null. */
        public String errorField(String name) {
            Matcher m = Pattern.compile("<" + name + ">([^<]*)</" + name + ">").matcher(errorXml());
            return m.find() ? m.group(1) : null;
        }

        public String code() { return errorField("Code"); }

        /** The first value of a response header, if any. */
        public java.util.Optional<String> firstHeader(String name) { return java.util.Optional.ofNullable(header(name)); }

        @Override
        public String toString() { return status + " " + errorXml(); }
    }

    public final class Req {
        private final String method;
        private final String bucket;
        private final String key;
        private final Map<String, String> query = new LinkedHashMap<>();
        private final Map<String, String> headers = new LinkedHashMap<>();
        private byte[] body;
        private boolean sign = true;
        private String rawPath;
        private String resource;

        private Req(String method, String bucket, String key) {
            this.method = method;
            this.bucket = bucket;
            this.key = key;
        }

        /** A query parameter, given decoded; an empty value is sent as a bare name. */
        public Req query(String name, String value) {
            query.put(name, value);
            return this;
        }

        public Req query(String name) { return query(name, ""); }

        public Req header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        public Req body(byte[] b) {
            body = b;
            return this;
        }

        public Req body(String s) { return body(s.getBytes(StandardCharsets.UTF_8)); }

        /** Adds the correct Content-MD5 of the body. */
        public Req md5() { return header("Content-MD5", RawHttp.md5Base64(body == null ? new byte[0] : body)); }

        public Req anonymous() {
            sign = false;
            return this;
        }

        /** Sends this exact path (and query) instead of one built from bucket and key (the signature still uses bucket/key). */
        public Req rawPath(String path) {
            rawPath = path;
            return this;
        }

        /** Signs this canonicalized resource instead of the one built from bucket, key and query. */
        public Req resource(String canonicalResource) {
            resource = canonicalResource;
            return this;
        }

        public Resp send() {
            StringBuilder url = new StringBuilder(endpoint).append(rawPath != null ? rawPath : path());
            char sep = '?';
            for (Map.Entry<String, String> q : query.entrySet()) {
                url.append(sep).append(encode(q.getKey(), true));
                if (!q.getValue().isEmpty()) url.append('=').append(encode(q.getValue(), true));
                sep = '&';
            }
            Map<String, String> h = new LinkedHashMap<>(headers);
            if (sign) {
                String date = V1Signature.now();
                h.put("x-oss-date", date);
                String res = resource != null ? resource : V1Signature.resource(bucket, key, query);
                h.put("Authorization", V1Signature.authorization(TestServer.AK, TestServer.SK, method, h, date, res));
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
            if (key.startsWith("/")) return "/" + bucket + "/" + encode(key, true); // as J1 does
            return "/" + bucket + "/" + encode(key, false);
        }
    }

    /** RFC 3986 percent-encoding of UTF-8; {@code /} kept unless {@code slash} is true. */
    public static String encode(String s, boolean slash) {
        return slash ? RawHttp.enc(s) : RawHttp.encPath(s);
    }

    /** Text of the first {@code <name>} element of an XML document, or null. */
    public static String element(String xml, String name) {
        int s = xml.indexOf("<" + name + ">");
        if (s < 0) return null;
        int e = xml.indexOf("</" + name + ">", s);
        return e < 0 ? null : xml.substring(s + name.length() + 2, e);
    }
}
