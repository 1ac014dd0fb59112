package dev.pail.route;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.common.utils.HttpUtil;
import com.aliyun.oss.internal.OSSUtils;
import com.aliyun.sdk.service.oss2.utils.HttpUtils;
import dev.pail.xml.UrlEncoding;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Object keys survive the trip from an SDK's request line to {@link Addressing#resolve}, query
 * parameters survive {@link Query#parse}, and {@link UrlEncoding#encode} (listings with
 * {@code encoding-type=url}) produces canonical RFC 3986 percent-encoding that decodes back.
 * The encoders are the SDKs' own.
 */
class KeyEncodingPropertiesTest {

    private final Addressing addressing = new Addressing(List.of("localhost", "pail.example.com"));

    // ---- generators -----------------------------------------------------------------------

    /** One code point: URL-significant ASCII, any BMP character except surrogates, or a supplementary one. */
    private static Arbitrary<String> codePoint() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of("/", "%", "+", " ", "?", "#", "&", "=", "~", "*", ".", "..", ";", ":", "@",
                        "!", "$", "'", "(", ")", ",", "[", "]", "\\", "\"", "<", ">", "^", "`", "{", "|", "}", "%2F", "%25", "%20")),
                Tuple.of(4, Arbitraries.chars().range('!', '~').map(String::valueOf)),
                Tuple.of(3, Arbitraries.integers().between(0x80, 0xFFFF)
                        .filter(c -> c < 0xD800 || c > 0xDFFF).map(Character::toString)),
                Tuple.of(2, Arbitraries.integers().between(0x10000, 0x10FFFF).map(Character::toString)),
                Tuple.of(1, Arbitraries.integers().between(1, 0x1F).map(Character::toString)));
    }

    @Provide
    Arbitrary<String> keys() {
        return codePoint().list().ofMinSize(1).ofMaxSize(24).map(l -> String.join("", l));
    }

    @Provide
    Arbitrary<String> buckets() {
        return Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789-").ofMinLength(1).ofMaxLength(61)
                .map(s -> "b" + s + "z");
    }

    /** The SDKs' ways of putting a key into a request path, with no leading slash. */
    private static final Map<String, UnaryOperator<String>> KEY_ENCODINGS = new LinkedHashMap<>();

    static {
        KEY_ENCODINGS.put("v1 whole key (%2F)", k -> HttpUtil.urlEncode(k, "UTF-8"));
        KEY_ENCODINGS.put("v1 makeResourcePath(key)", OSSUtils::makeResourcePath);
        KEY_ENCODINGS.put("v2 per segment", HttpUtils::urlEncodePath);
        KEY_ENCODINGS.put("v2 whole key (%2F)", HttpUtils::urlEncode);
        KEY_ENCODINGS.put("pail UrlEncoding", UrlEncoding::encode);
    }

    // ---- Addressing -----------------------------------------------------------------------

    @Property(tries = 1500)
    void pathStyleResolvesExactBucketAndKey(@ForAll("keys") String key, @ForAll("buckets") String bucket) {
        for (Map.Entry<String, UnaryOperator<String>> e : KEY_ENCODINGS.entrySet()) {
            String raw = "/" + bucket + "/" + e.getValue().apply(key);
            assertAscii(raw);
            for (String host : List.of("127.0.0.1:9000", "localhost:9000", "localhost", "[::1]:9000", "oss-cn-hangzhou.aliyuncs.com")) {
                assertThat(addressing.resolve(host, raw)).as("%s, Host %s: %s", e.getKey(), host, raw)
                        .isEqualTo(new Addressing.Target(bucket, key));
            }
        }
        // the v1 SDK's own path-style resource path (second-level-domain mode)
        String v1 = "/" + OSSUtils.determineResourcePath(bucket, key, true);
        assertThat(addressing.resolve("127.0.0.1:9000", v1)).as(v1).isEqualTo(new Addressing.Target(bucket, key));
        String v1b = "/" + OSSUtils.makeResourcePath(bucket, key);
        assertThat(addressing.resolve("127.0.0.1:9000", v1b)).as(v1b).isEqualTo(new Addressing.Target(bucket, key));
    }

    @Property(tries = 1500)
    void virtualHostedStyleResolvesExactBucketAndKey(@ForAll("keys") String key, @ForAll("buckets") String bucket) {
        for (Map.Entry<String, UnaryOperator<String>> e : KEY_ENCODINGS.entrySet()) {
            String raw = "/" + e.getValue().apply(key);
            for (String host : List.of(bucket + ".localhost:9000", bucket + ".localhost", bucket + ".pail.example.com:443",
                    bucket + ".oss-cn-hangzhou.aliyuncs.com", bucket.toUpperCase(Locale.ROOT) + ".LOCALHOST:9000")) {
                assertThat(addressing.resolve(host, raw)).as("%s, Host %s: %s", e.getKey(), host, raw)
                        .isEqualTo(new Addressing.Target(bucket, key));
            }
        }
        String v1 = "/" + OSSUtils.determineResourcePath(bucket, key, false);
        assertThat(addressing.resolve(bucket + ".localhost:9000", v1)).as(v1).isEqualTo(new Addressing.Target(bucket, key));
    }

    /** A literal '+' in a path is a plus, never a space (only query strings are form-encoded). */
    @Property(tries = 300)
    void plusInPathStaysPlus(@ForAll("keys") String key, @ForAll("buckets") String bucket) {
        String raw = "/" + bucket + "/" + HttpUtils.urlEncodePath(key).replace("%2B", "+");
        assertThat(addressing.resolve("localhost:9000", raw)).isEqualTo(new Addressing.Target(bucket, key));
    }

    /**
     * A client that sends non-ASCII bytes unescaped (curl with a raw UTF-8 URL): the HTTP layer
     * hands each byte over as one char (ISO-8859-1), and the key must come out the same whether
     * some, all or none of those bytes were percent-escaped.
     */
    @Property(tries = 1500)
    void rawUtf8BytesInThePathMeanTheSameAsTheirEscapes(
            @ForAll("keys") String key, @ForAll("buckets") String bucket, @ForAll long choices) {
        String encoded = HttpUtils.urlEncodePath(key);
        StringBuilder raw = new StringBuilder("/" + bucket + "/");
        SplittableRandom rnd = new SplittableRandom(choices);
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '%') {
                int b = Integer.parseInt(encoded.substring(i + 1, i + 3), 16);
                if (b >= 0x80 && rnd.nextInt(3) > 0) {
                    raw.append((char) b); // the wire byte, as the HTTP decoder presents it
                    i += 2;
                    continue;
                }
            }
            raw.append(c);
        }
        assertThat(addressing.resolve("localhost:9000", raw.toString())).as(raw.toString())
                .isEqualTo(new Addressing.Target(bucket, key));
        // and with every non-ASCII byte raw
        StringBuilder allRaw = new StringBuilder("/" + bucket + "/");
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            int u = b & 0xFF;
            if (u >= 0x80) allRaw.append((char) u);
            else allRaw.append(HttpUtils.urlEncodePath(String.valueOf((char) u)));
        }
        assertThat(addressing.resolve("localhost:9000", allRaw.toString())).as(allRaw.toString())
                .isEqualTo(new Addressing.Target(bucket, key));
    }

    // ---- Query ----------------------------------------------------------------------------

    record Param(String name, String value, boolean hasEquals) {}

    @Provide
    Arbitrary<List<Param>> params() {
        Arbitrary<String> text = codePoint().list().ofMaxSize(10).map(l -> String.join("", l));
        Arbitrary<String> names = Arbitraries.oneOf(Arbitraries.of("acl", "prefix", "marker", "delimiter", "x-oss-process", "uploadId"),
                codePoint().list().ofMinSize(1).ofMaxSize(6).map(l -> String.join("", l)));
        return Combinators.combine(names, text, Arbitraries.of(true, true, false))
                .as((n, v, eq) -> new Param(n, eq ? v : "", eq)).list().ofMaxSize(6);
    }

    @Property(tries = 1500)
    void formEncodedQueryRoundTrips(@ForAll("params") List<Param> params) {
        // as python-requests / Java's URLEncoder send it: space as '+'
        assertRoundTrip(params, s -> URLEncoder.encode(s, StandardCharsets.UTF_8));
        // as the SDKs send it: space as %20, '+' as %2B
        assertRoundTrip(params, s -> HttpUtil.urlEncode(s, "UTF-8"));
        assertRoundTrip(params, HttpUtils::urlEncode);
    }

    private static void assertRoundTrip(List<Param> params, UnaryOperator<String> enc) {
        List<String> parts = new ArrayList<>();
        for (Param p : params) parts.add(enc.apply(p.name()) + (p.hasEquals() ? "=" + enc.apply(p.value()) : ""));
        String raw = String.join("&", parts);
        assertAscii(raw);
        Query q = Query.parse(raw);
        assertThat(q.params()).as(raw).containsExactlyElementsOf(
                params.stream().map(p -> new Query.Param(p.name(), p.value(), p.hasEquals())).toList());
        for (Param p : params) assertThat(q.has(p.name())).isTrue();
        if (!params.isEmpty()) {
            Param first = params.getFirst();
            assertThat(q.get(first.name())).isEqualTo(params.stream().filter(p -> p.name().equals(first.name())).findFirst().orElseThrow().value());
        }
    }

    /** Unescaped non-ASCII bytes in the query (one char per byte from the HTTP layer) decode as UTF-8, like escapes. */
    @Property(tries = 1000)
    void rawUtf8BytesInTheQueryMeanTheSameAsTheirEscapes(@ForAll("params") List<Param> params) {
        List<String> parts = new ArrayList<>();
        for (Param p : params) parts.add(rawNonAscii(p.name()) + (p.hasEquals() ? "=" + rawNonAscii(p.value()) : ""));
        String raw = String.join("&", parts);
        assertThat(Query.parse(raw).params()).as(raw).containsExactlyElementsOf(
                params.stream().map(p -> new Query.Param(p.name(), p.value(), p.hasEquals())).toList());
    }

    /** Form-encodes ASCII, and leaves every byte of a non-ASCII character raw, as ISO-8859-1 chars. */
    private static String rawNonAscii(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().forEach(cp -> {
            String c = Character.toString(cp);
            if (cp < 0x80) {
                b.append(URLEncoder.encode(c, StandardCharsets.UTF_8));
            } else {
                for (byte x : c.getBytes(StandardCharsets.UTF_8)) b.append((char) (x & 0xFF));
            }
        });
        return b.toString();
    }

    /** What the v2 SDK sends for a map of parameters (null value: no '='). */
    @Property(tries = 500)
    void v2SdkQueryRoundTrips(@ForAll("params") List<Param> params) {
        Map<String, String> map = new LinkedHashMap<>();
        for (Param p : params) map.putIfAbsent(p.name(), p.hasEquals() ? p.value() : null);
        String raw = HttpUtils.encodeQueryParameters(map).orElse("");
        Query q = Query.parse(raw);
        assertThat(q.params()).as(raw).containsExactlyElementsOf(map.entrySet().stream()
                .map(e -> new Query.Param(e.getKey(), e.getValue() == null ? "" : e.getValue(), e.getValue() != null)).toList());
    }

    // ---- UrlEncoding ----------------------------------------------------------------------

    private static final Pattern CANONICAL = Pattern.compile("(?:[A-Za-z0-9._~-]|%[0-9A-F]{2})*");
    private static final Pattern ESCAPE = Pattern.compile("%([0-9A-F]{2})");

    @Property(tries = 3000)
    void urlEncodingIsCanonicalAndDecodesBack(@ForAll("keys") String key) {
        String enc = UrlEncoding.encode(key);
        assertThat(enc).as(key).matches(CANONICAL);
        assertThat(enc).doesNotContain("+");
        assertThat(URLDecoder.decode(enc, StandardCharsets.UTF_8)).isEqualTo(key);
        assertThat(Addressing.decodePath(enc)).isEqualTo(key);
        // canonical: an unreserved character is never escaped, and everything else is
        Matcher m = ESCAPE.matcher(enc);
        while (m.find()) {
            int b = Integer.parseInt(m.group(1), 16);
            assertThat(b >= 'A' && b <= 'Z' || b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || "-._~".indexOf(b) >= 0)
                    .as("%s escapes unreserved %s", enc, m.group()).isFalse();
        }
        // the v2 SDK's RFC 3986 encoder produces the same text
        assertThat(enc).isEqualTo(HttpUtils.urlEncode(key));
    }

    private static void assertAscii(String raw) {
        assertThat(raw.chars().allMatch(c -> c > 0x20 && c < 0x7F)).as("request target is printable ASCII: %s", raw).isTrue();
    }
}
