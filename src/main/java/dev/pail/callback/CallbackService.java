package dev.pail.callback;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import dev.pail.route.OssRequest;
import dev.pail.xml.OssError;
import dev.pail.xml.OssException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upload callback (features.md §9): parses the configuration of an upload request and, once the
 * object is stored, POSTs the expanded body to the receiver and reports what it answered.
 *
 * <h2>Parsing ({@link #parse})</h2>
 * Sources, first found wins: headers {@code x-oss-callback} / {@code x-oss-callback-var}, else the
 * query parameters {@code callback} / {@code callback-var} (presigned URLs). Both are base64 JSON
 * (standard or URL-safe alphabet, padding optional; a space is read as {@code +}, for query strings
 * that left {@code +} unencoded). Rules, each breach a 400 {@code InvalidArgument}:
 * <ul>
 *   <li>not base64 / not a JSON object: "The callback configuration is not json format."
 *       (callback-var: "The callback-var configuration is not json format."); unescaped control
 *       characters inside JSON strings are tolerated (SDKs that concatenate JSON send them);</li>
 *   <li>{@code callbackUrl}: a string of up to 5 {@code ;}-separated URLs (blank entries ignored);
 *       scheme http (default when omitted) or https; no user info, no IPv6 literal, port 1–65535;
 *       the fragment is dropped; characters that cannot appear raw on a request line (non-ASCII,
 *       space, controls) are percent-encoded as UTF-8, already-encoded text is kept as is. As OSS
 *       documents, a missing or empty {@code callbackUrl} means "no callback" (empty result);</li>
 *   <li>{@code callbackHost}: optional string of printable ASCII without spaces;</li>
 *   <li>{@code callbackBody}: required non-empty string;</li>
 *   <li>{@code callbackBodyType}: optional string, {@code application/x-www-form-urlencoded}
 *       (default, also for "") or {@code application/json}, case-insensitive;</li>
 *   <li>{@code callbackSNI}: optional JSON boolean or the string "true"/"false";</li>
 *   <li>callback-var: at most 5 KiB of base64; a JSON object whose keys start with lower-case
 *       {@code x:} (the rest of the key may use any case) and whose values are strings (numbers,
 *       booleans are taken as their text, null as empty; objects or arrays are refused).</li>
 * </ul>
 * Unknown fields are ignored. No DNS lookup happens while parsing: a URL the policy refuses is a
 * failed callback (203), not a 400.
 *
 * <h2>Body ({@link #invoke})</h2>
 * {@code ${name}} names a system variable ({@link #SYSTEM_VARIABLES}; the value comes from the
 * map passed to {@code invoke}, empty when missing), {@code ${x:name}} a custom variable (empty when
 * not given). Any other {@code ${...}}, or a <code>${</code> without a closing brace, is copied as is.
 * <ul>
 *   <li>form type: each value is percent-encoded (RFC 3986, UTF-8; only {@code A-Za-z0-9-_.~} stay);</li>
 *   <li>JSON type: where the placeholder stands inside a JSON string of the template
 *       ({@code "key":"${object}"}), the value is inserted JSON-escaped without quotes; where it
 *       stands outside any string ({@code "key":${object}}, the form OSS documents), the value is
 *       inserted as a complete JSON value: a quoted, escaped string, except {@code size},
 *       {@code imageInfo.height}, {@code imageInfo.width} and {@code crc64}, which are bare digits when
 *       their value is all digits (receivers parse them as numbers; crc64 is an unsigned 64-bit
 *       number, beyond JavaScript's exact integers) and {@code ""} when empty (non-images).</li>
 * </ul>
 * The body is UTF-8.
 *
 * <h2>The request</h2>
 * {@code POST <path>[?<query>] HTTP/1.1} with, in this order: {@code Host} (callbackHost, else the
 * URL's host[:port]), {@code Content-Type} (the body type, no charset), {@code Content-Length},
 * {@code Content-MD5}, {@code Date}, {@code User-Agent: aliyun-oss-callback}, {@code Authorization},
 * {@code x-oss-pub-key-url} (base64 of the public key URL given to {@code invoke}),
 * {@code x-oss-bucket}, {@code x-oss-request-id} (system variable {@code reqId}),
 * {@code x-oss-requester} (entry {@value #REQUESTER} of the map, when present),
 * {@code x-oss-signature-version: 1.0}, {@code x-oss-tag: CALLBACK}, {@code Connection: close}.
 * {@code Authorization} is {@code base64(MD5withRSA(url_decode(path) + query + "\n" + body))}
 * (RSA PKCS#1 v1.5 over MD5), where {@code query} is the raw query string with its leading
 * {@code ?} (empty when none) and url_decode is percent-decoding as UTF-8 ({@code +} stays a
 * {@code +}, as Python's {@code unquote} in OSS's reference receiver). The key pair is Pail's own
 * (see {@link #publicKeyPem}); receivers that only trust keys from {@code gosspublic.alicdn.com}
 * must be pointed at Pail's key URL or skip verification.
 *
 * <h2>Delivery</h2>
 * URLs are tried in order until one succeeds, all within one deadline (5 s) covering DNS, connect,
 * TLS, write and read; no redirects, no retries. Each URL's host is resolved once, each address
 * checked against the {@link CallbackPolicy}, and Pail connects to the first allowed address
 * (then the next allowed one if that connection fails) with the Host header set as above, so what
 * was checked is what is used. https uses the JVM's default trust store; the certificate must
 * match the Host name (callbackHost without port, else the URL host), which is also sent as TLS
 * SNI when {@code callbackSNI} is true (and no SNI otherwise, as OSS).
 * Success is status 200 with a body of at most 1 MiB (Content-Length, chunked, or until close)
 * that is one valid JSON value: {@link Outcome.Delivered} with the body. Anything else is
 * {@link Outcome.Failed}: "Error status : 502.", "Response body is not valid json format.",
 * "Cost too long time", "Connection refused", a policy refusal ("... is not allowed by this
 * server's callback policy."), ...; with several URLs the message lists each URL's failure.
 */
public final class CallbackService {
    private static final Logger LOG = LoggerFactory.getLogger(CallbackService.class);

    /** The system variables a callbackBody may name. */
    public static final List<String> SYSTEM_VARIABLES = List.of(
            "bucket", "object", "etag", "size", "mimeType", "imageInfo.height", "imageInfo.width",
            "imageInfo.format", "crc64", "contentMd5", "vpcId", "clientIp", "reqId", "operation");

    /** Map entry (not a template variable) whose value becomes the {@code x-oss-requester} header. */
    public static final String REQUESTER = "requester";

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US);
    private static final JsonFactory JSON = new JsonFactory();

    private final Path keyDir;
    /** Made on first use when the key directory has none: an RSA pair costs a third of a second of CPU, most of a fresh start. */
    private SigningKey key;
    private final CallbackPolicy policy;
    private final Duration timeout;
    private final SSLContext ssl;

    /**
     * Loads the signing key pair from {@code keyDir}; when there is none, an RSA 2048 pair is created
     * there on first use (see {@link #publicKeyPem}), and errors writing it surface then.
     *
     * @throws java.io.UncheckedIOException when the key directory or files cannot be read or written
     * @throws IllegalStateException        when the private key file is not a PKCS#8 RSA key
     */
    public CallbackService(Path keyDir, CallbackPolicy policy) {
        this(keyDir, policy, DEFAULT_TIMEOUT, null);
    }

    /** For tests: another total timeout, another TLS context (null: the JVM default). */
    CallbackService(Path keyDir, CallbackPolicy policy, Duration timeout, SSLContext ssl) {
        this.keyDir = keyDir;
        this.key = SigningKey.existing(keyDir); // a bad key file fails the start
        this.policy = Objects.requireNonNull(policy);
        this.timeout = Objects.requireNonNull(timeout);
        this.ssl = ssl;
    }

    /** What a callback came to. */
    public sealed interface Outcome {
        /** The receiver answered 200 with JSON: the client gets {@code body} as application/json. */
        record Delivered(byte[] body) implements Outcome {}

        /** The callback failed; the object stays stored and the client gets 203 CallbackFailed. */
        record Failed(String message) implements Outcome {
            /** The {@code 203 CallbackFailed} error for the client, with this message. */
            public OssException toException() { return OssError.CALLBACK_FAILED.exception(message); }
        }
    }

    /**
     * The callback configuration of an upload request: {@code x-oss-callback} /
     * {@code x-oss-callback-var} headers, else {@code callback} / {@code callback-var} query
     * parameters. Empty when there is none (or its callbackUrl is empty).
     *
     * @throws OssException InvalidArgument when the configuration is invalid; call this before
     *                      storing anything
     */
    public Optional<Callback> parse(OssRequest req) {
        String cb = req.header("x-oss-callback");
        String var = req.header("x-oss-callback-var");
        if (cb == null || cb.isEmpty()) {
            cb = req.query().get("callback");
            if (var == null || var.isEmpty()) var = req.query().get("callback-var");
        } else if (var == null || var.isEmpty()) {
            var = req.query().get("callback-var");
        }
        return CallbackParser.parse(cb, var);
    }

    /**
     * PostObject: the {@code callback} form field and the custom variables, which arrive as one
     * form field per variable (fields whose name starts with {@code x:}; others are ignored).
     *
     * @throws OssException InvalidArgument when the configuration is invalid
     */
    public Optional<Callback> parseForm(String callbackField, Map<String, String> formFields) {
        Optional<Callback> parsed = CallbackParser.parse(callbackField, null);
        if (parsed.isEmpty()) return parsed;
        Callback c = parsed.get();
        return Optional.of(new Callback(c.targets(), c.host(), c.body(), c.bodyType(), c.sni(), CallbackParser.formVariables(formFields)));
    }

    /** The public key (PEM, {@code -----BEGIN PUBLIC KEY-----}) that verifies callback signatures. */
    public String publicKeyPem() { return key().publicPem(); }

    private synchronized SigningKey key() {
        if (key == null) key = SigningKey.loadOrCreate(keyDir);
        return key;
    }

    /**
     * Runs the callback (see the class description).
     *
     * @param systemVariables values of {@link #SYSTEM_VARIABLES} (missing ones render empty), plus
     *                        optionally {@value #REQUESTER}
     * @param publicKeyUrl    where receivers fetch {@link #publicKeyPem()}: sent base64-encoded in
     *                        {@code x-oss-pub-key-url}
     */
    public Outcome invoke(Callback callback, Map<String, String> systemVariables, String publicKeyUrl) {
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] body = Template.render(callback.body(), callback.bodyType(), systemVariables, callback.variables())
                .getBytes(StandardCharsets.UTF_8);
        List<String> failures = new ArrayList<>();
        for (Callback.Target target : callback.targets()) {
            Attempt a = attempt(target, callback, systemVariables, publicKeyUrl, body, deadline);
            if (a.delivered != null) return a.delivered;
            failures.add(callback.targets().size() == 1 ? a.failure : target + ": " + a.failure);
            if (a.timeout) break; // the one deadline is spent
        }
        String message = String.join("; ", failures);
        LOG.info("Upload callback failed (request {}): {}", systemVariables.get("reqId"), message);
        return new Outcome.Failed(message);
    }

    private record Attempt(Outcome.Delivered delivered, String failure, boolean timeout) {
        static Attempt failed(String message, boolean timeout) { return new Attempt(null, message, timeout); }
    }

    private Attempt attempt(Callback.Target target, Callback cb, Map<String, String> vars, String publicKeyUrl,
                            byte[] body, long deadline) {
        InetAddress[] resolved;
        try {
            resolved = resolve(target.host(), deadline);
        } catch (TimeoutException e) {
            return Attempt.failed(CallbackHttp.TIMEOUT, true);
        } catch (UnknownHostException e) {
            return Attempt.failed("Couldn't resolve host name " + target.host() + ".", false);
        }
        List<InetAddress> allowed = new ArrayList<>();
        for (InetAddress a : resolved) if (policy.permits(target.host(), a)) allowed.add(a);
        if (allowed.isEmpty()) {
            StringBuilder addrs = new StringBuilder();
            for (InetAddress a : resolved) addrs.append(addrs.isEmpty() ? "" : ", ").append(a.getHostAddress());
            return Attempt.failed("The callback target " + target.host() + " (" + addrs
                    + ") is not allowed by this server's callback policy.", false);
        }
        String hostHeader = cb.host() != null ? cb.host() : target.hostHeader();
        String tlsName = cb.host() != null ? stripPort(cb.host()) : target.host();
        byte[] head = head(target, hostHeader, cb, vars, publicKeyUrl, body);
        String last = null;
        for (InetAddress address : allowed) {
            try {
                CallbackHttp.Response r = CallbackHttp.post(address, target, tlsName, cb.sni(), context(), head, body, deadline);
                if (r.status() != 200) return Attempt.failed("Error status : " + r.status() + ".", false);
                if (!isJson(r.body())) return Attempt.failed("Response body is not valid json format.", false);
                return new Attempt(new Outcome.Delivered(r.body()), null, false);
            } catch (CallbackHttp.Failure f) {
                if (f.timeout) return Attempt.failed(f.getMessage(), true);
                last = f.getMessage();
                if (!f.connect) return Attempt.failed(last, false);
                // could not connect: the next allowed address of the same host, if any
            }
        }
        return Attempt.failed(last, false);
    }

    /** Resolves once, bounded by the deadline (a lookup itself has no timeout). */
    private static InetAddress[] resolve(String host, long deadline) throws UnknownHostException, TimeoutException {
        CompletableFuture<InetAddress[]> f = new CompletableFuture<>();
        Thread.ofVirtual().name("pail-callback-dns").start(() -> {
            try {
                f.complete(InetAddress.getAllByName(host));
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        try {
            long left = deadline - System.nanoTime();
            if (left <= 0) throw new TimeoutException();
            return f.get(left, TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownHostException u) throw u;
            throw new UnknownHostException(host + ": " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TimeoutException();
        }
    }

    private SSLContext context() {
        if (ssl != null) return ssl;
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] head(Callback.Target target, String hostHeader, Callback cb, Map<String, String> vars,
                        String publicKeyUrl, byte[] body) {
        byte[] signed = concat((decodePath(target.path()) + (target.query() == null ? "" : "?" + target.query()) + "\n")
                .getBytes(StandardCharsets.UTF_8), body);
        StringBuilder h = new StringBuilder(1024);
        h.append("POST ").append(target.requestTarget()).append(" HTTP/1.1\r\n");
        header(h, "Host", hostHeader);
        header(h, "Content-Type", cb.bodyType().contentType());
        header(h, "Content-Length", Integer.toString(body.length));
        header(h, "Content-MD5", Base64.getEncoder().encodeToString(md5(body)));
        header(h, "Date", HTTP_DATE.format(ZonedDateTime.now(ZoneOffset.UTC)));
        header(h, "User-Agent", "aliyun-oss-callback");
        header(h, "Authorization", key().sign(signed));
        header(h, "x-oss-pub-key-url", Base64.getEncoder().encodeToString(
                (publicKeyUrl == null ? "" : publicKeyUrl).getBytes(StandardCharsets.UTF_8)));
        header(h, "x-oss-bucket", Objects.requireNonNullElse(vars.get("bucket"), ""));
        header(h, "x-oss-request-id", Objects.requireNonNullElse(vars.get("reqId"), ""));
        String requester = vars.get(REQUESTER);
        if (requester != null) header(h, "x-oss-requester", requester);
        header(h, "x-oss-signature-version", "1.0");
        header(h, "x-oss-tag", "CALLBACK");
        header(h, "Connection", "close");
        h.append("\r\n");
        return CallbackHttp.ascii(h.toString());
    }

    /** Appends a header line; characters that are not printable ASCII become {@code ?} (no header injection). */
    private static void header(StringBuilder h, String name, String value) {
        h.append(name).append(": ");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            h.append(c >= 0x20 && c < 0x7F ? c : '?');
        }
        h.append("\r\n");
    }

    private static String stripPort(String host) {
        int colon = host.lastIndexOf(':');
        return colon > 0 && host.indexOf(':') == colon ? host.substring(0, colon) : host;
    }

    /** Percent-decoding as UTF-8; {@code +} stays; a malformed escape is kept as written. */
    static String decodePath(String raw) {
        if (raw.indexOf('%') < 0) return raw;
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%' && i + 2 < raw.length() && hex(raw.charAt(i + 1)) >= 0 && hex(raw.charAt(i + 2)) >= 0) {
                out.write(hex(raw.charAt(i + 1)) * 16 + hex(raw.charAt(i + 2)));
                i += 2;
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }

    /** One JSON value and nothing after it. */
    static boolean isJson(byte[] body) {
        if (body == null || body.length == 0) return false;
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() == null) return false;
            p.skipChildren();
            return p.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }

    private static byte[] md5(byte[] b) {
        try {
            return MessageDigest.getInstance("MD5").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** For tests: the public key object. */
    java.security.PublicKey publicKey() { return key().publicKey(); }
}
