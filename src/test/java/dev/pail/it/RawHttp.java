package dev.pail.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A deliberately dumb HTTP/1.1 client over a plain socket, signing with the tests' own
 * {@link V1Signature} (core.md §3.2/§3.3), so each test controls every byte of the request: Host, Date, the exact
 * request target (no dot-segment normalisation, no re-encoding) and the body framing.
 * Every request is sent with {@code Connection: close}; the response is read to EOF.
 */
public final class RawHttp {
    private RawHttp() {}

    private static final Pattern REQUEST_ID = Pattern.compile("[0-9A-F]{24}");

    // ---- encoding --------------------------------------------------------------------------------

    public static String md5Base64(byte[] body) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(body));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Form-style/RFC 3986 encoding of one query value (space as %20, everything but unreserved encoded). */
    public static String enc(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~') {
                sb.append((char) c);
            } else {
                sb.append('%').append(String.format("%02X", c));
            }
        }
        return sb.toString();
    }

    /** Like {@link #enc} but keeps {@code /}: for object keys in the request path. */
    public static String encPath(String s) { return enc(s).replace("%2F", "/"); }

    // ---- requests --------------------------------------------------------------------------------

    public static Req req(String method, String target) { return new Req(method, target); }

    /** One request. Headers are sent in insertion order with the exact case given. */
    public static final class Req {
        public final String method;
        public String target;
        public final Map<String, String> headers = new LinkedHashMap<>();
        public byte[] body;
        boolean chunked;

        Req(String method, String target) {
            this.method = method;
            this.target = target;
        }

        public Req header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        public Req body(byte[] b) {
            this.body = b;
            return this;
        }

        public Req body(String s) { return body(s.getBytes(StandardCharsets.UTF_8)); }

        /** Sends the body with {@code Transfer-Encoding: chunked} in a few chunks instead of a Content-Length. */
        public Req chunked() {
            this.chunked = true;
            return this;
        }

        /** Adds a Content-MD5 of the body (set the body first). */
        public Req md5() { return header("Content-MD5", md5Base64(body == null ? new byte[0] : body)); }

        /** V1 header signature at the current time. {@code resource} is the canonicalized resource. */
        public Req signV1(String ak, String sk, String resource) { return signV1(ak, sk, resource, Instant.now()); }

        public Req signV1(String ak, String sk, String resource, Instant at) {
            String date = headers.containsKey("Date") ? headers.get("Date") : V1Signature.httpDate(at);
            headers.put("Date", date);
            Map<String, String> signed = new LinkedHashMap<>(headers);
            String dateToSign = headers.getOrDefault("x-oss-date", date);
            headers.put("Authorization", V1Signature.authorization(ak, sk, method, signed, dateToSign, resource));
            return this;
        }

        /**
         * V1 presigned query (core.md §3.3) with the absolute {@code expires} (unix seconds); the
         * resource must include any signed sub-resource already in the target's query.
         */
        public Req presignV1(String ak, String sk, String resource, long expires) {
            target += (target.contains("?") ? "&" : "?") + V1Signature.presignQuery(ak, sk, method, headers, expires, resource);
            return this;
        }

        public Resp send(int port) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(15_000);
                OutputStream out = s.getOutputStream();
                StringBuilder head = new StringBuilder();
                head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
                boolean hasHost = headers.keySet().stream().anyMatch(h -> h.equalsIgnoreCase("Host"));
                if (!hasHost) head.append("Host: 127.0.0.1:").append(port).append("\r\n");
                headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
                boolean hasLength = headers.keySet().stream().anyMatch(h -> h.equalsIgnoreCase("Content-Length"));
                if (chunked) head.append("Transfer-Encoding: chunked\r\n");
                else if (body != null && !hasLength) head.append("Content-Length: ").append(body.length).append("\r\n");
                head.append("Connection: close\r\n\r\n");
                out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
                if (chunked) {
                    byte[] b = body == null ? new byte[0] : body;
                    int step = Math.max(1, b.length / 3 + 1);
                    for (int off = 0; off < b.length; off += step) {
                        int n = Math.min(step, b.length - off);
                        out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                        out.write(b, off, n);
                        out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                        out.flush();
                    }
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                } else if (body != null) {
                    out.write(body);
                }
                out.flush();
                return Resp.parse(method, s.getInputStream().readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    // ---- responses -------------------------------------------------------------------------------

    /** A response; header names lower-cased. {@code interim} lists the 1xx statuses seen before it. */
    public record Resp(int status, List<Integer> interim, Map<String, List<String>> headers, byte[] body) {

        public String header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null ? null : v.getFirst();
        }

        public String text() { return new String(body, StandardCharsets.UTF_8); }

        /** The OSS error document: the body, or the base64 {@code x-oss-err} header of a body-less response. */
        public String errorXml() {
            if (body.length > 0) return text();
            String err = header("x-oss-err");
            return err == null ? "" : new String(Base64.getDecoder().decode(err), StandardCharsets.UTF_8);
        }

        /** Text of the first element {@code name} of the error document (or of the body), or null. */
        public String field(String name) { return element(errorXml(), name); }

        public String code() { return field("Code"); }

        /**
         * Asserts status and error code, and that the error is the OSS envelope of core.md §5.1:
         * XML body (or {@code x-oss-err} on HEAD) whose RequestId equals the {@code x-oss-request-id}
         * header, 24 upper-case hex characters, and whose EC equals {@code x-oss-ec}.
         */
        public Resp assertError(int expectedStatus, String expectedCode) {
            assertThat(status).as("status of %s", summary()).isEqualTo(expectedStatus);
            assertThat(code()).as("error code of %s", summary()).isEqualTo(expectedCode);
            assertEnvelope();
            return this;
        }

        public Resp assertEnvelope() {
            String id = header("x-oss-request-id");
            assertThat(id).as("x-oss-request-id").isNotNull();
            assertThat(REQUEST_ID.matcher(id).matches()).as("request id %s is 24 upper hex", id).isTrue();
            String xml = errorXml();
            assertThat(xml).as("error document").startsWith("<?xml").contains("<Error>").contains("</Error>");
            assertThat(element(xml, "RequestId")).as("RequestId in body").isEqualTo(id);
            assertThat(element(xml, "Message")).as("Message").isNotNull();
            assertThat(element(xml, "EC")).as("EC").isEqualTo(header("x-oss-ec"));
            if (body.length > 0) {
                assertThat(header("content-type")).startsWith("application/xml");
            } else {
                assertThat(header("x-oss-err")).as("x-oss-err of a body-less error").isNotNull();
            }
            return this;
        }

        public Resp assertOk() {
            assertThat(status).as("status of %s", summary()).isBetween(200, 299);
            return this;
        }

        public String summary() {
            return status + " " + (code() == null ? "" : code() + " ") + headers.getOrDefault("x-oss-request-id", List.of());
        }

        public static Resp parse(String method, byte[] raw) {
            int pos = 0;
            List<Integer> interim = new ArrayList<>();
            while (true) {
                int end = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), pos);
                if (end < 0) throw new IllegalStateException("incomplete response: " + new String(raw, StandardCharsets.ISO_8859_1));
                String head = new String(raw, pos, end - pos, StandardCharsets.ISO_8859_1);
                pos = end + 4;
                String[] lines = head.split("\r\n");
                int status = Integer.parseInt(lines[0].split(" ")[1]);
                Map<String, List<String>> headers = new TreeMap<>();
                for (int i = 1; i < lines.length; i++) {
                    int c = lines[i].indexOf(':');
                    headers.computeIfAbsent(lines[i].substring(0, c).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                            .add(lines[i].substring(c + 1).trim());
                }
                if (status >= 100 && status < 200) {
                    interim.add(status);
                    continue;
                }
                byte[] body;
                List<String> te = headers.get("transfer-encoding");
                List<String> cl = headers.get("content-length");
                if (method.equals("HEAD") || status == 204 || status == 304) {
                    body = new byte[0];
                } else if (te != null && te.getFirst().equalsIgnoreCase("chunked")) {
                    body = dechunk(raw, pos);
                } else if (cl != null) {
                    int n = Integer.parseInt(cl.getFirst());
                    body = java.util.Arrays.copyOfRange(raw, pos, Math.min(raw.length, pos + n));
                } else {
                    body = java.util.Arrays.copyOfRange(raw, pos, raw.length);
                }
                return new Resp(status, interim, headers, body);
            }
        }

        private static byte[] dechunk(byte[] raw, int pos) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            while (true) {
                int eol = indexOf(raw, new byte[] {'\r', '\n'}, pos);
                String size = new String(raw, pos, eol - pos, StandardCharsets.ISO_8859_1).split(";")[0].trim();
                int n = Integer.parseInt(size, 16);
                pos = eol + 2;
                if (n == 0) return out.toByteArray();
                out.write(raw, pos, n);
                pos += n + 2;
            }
        }
    }

    public static String element(String xml, String name) {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">(.*?)</" + Pattern.quote(name) + ">", Pattern.DOTALL).matcher(xml);
        if (m.find()) return m.group(1);
        return xml.contains("<" + name + "/>") ? "" : null;
    }

    public static int indexOf(byte[] hay, byte[] needle, int from) {
        outer:
        for (int i = from; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }

    /** Reads the response head (status line and headers, up to the blank line) from a live socket. */
    public static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int state = 0;
        for (int c; (c = in.read()) >= 0; ) {
            out.write(c);
            state = switch (state) {
                case 0 -> c == '\r' ? 1 : 0;
                case 1 -> c == '\n' ? 2 : 0;
                case 2 -> c == '\r' ? 3 : 0;
                case 3 -> c == '\n' ? 4 : 0;
                default -> 0;
            };
            if (state == 4) break;
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }
}
