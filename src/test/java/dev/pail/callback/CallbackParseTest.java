package dev.pail.callback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.pail.route.OssRequest;
import dev.pail.route.Query;
import dev.pail.xml.OssError;
import dev.pail.xml.OssException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CallbackParseTest {
    @TempDir
    static Path keys;
    static CallbackService service;

    @BeforeAll
    static void start() { service = new CallbackService(keys, CallbackPolicy.defaults()); }

    static String b64(String s) { return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8)); }

    static OssRequest headers(String callback, String var) {
        SortedMap<String, String> h = new TreeMap<>();
        if (callback != null) h.put("x-oss-callback", callback);
        if (var != null) h.put("x-oss-callback-var", var);
        return new OssRequest("req-1", "PUT", "bkt.localhost", "bkt", "obj", Query.EMPTY, h, "127.0.0.1");
    }

    static Optional<Callback> parse(String json) { return service.parse(headers(b64(json), null)); }

    static Optional<Callback> parse(String json, String varJson) { return service.parse(headers(b64(json), b64(varJson))); }

    static OssException invalid(OssRequest req) {
        OssException e = catchThrowableOfType(OssException.class, () -> service.parse(req));
        assertThat(e).as("expected InvalidArgument").isNotNull();
        assertThat(e.error()).isEqualTo(OssError.INVALID_ARGUMENT);
        assertThat(e.error().status()).isEqualTo(400);
        return e;
    }

    static OssException invalid(String json) { return invalid(headers(b64(json), null)); }

    @Test
    void noCallbackIsEmpty() {
        assertThat(service.parse(headers(null, null))).isEmpty();
        assertThat(service.parse(headers("", b64("{\"x:a\":\"1\"}")))).isEmpty();
    }

    @Test
    void pythonStyleFormConfiguration() {
        Callback c = parse("{\"callbackUrl\": \"http://oss-demo.aliyuncs.com:23450\", \"callbackHost\": \"oss-cn-hangzhou.aliyuncs.com\","
                + " \"callbackBody\": \"filename=${object}&size=${size}&mimeType=${mimeType}\","
                + " \"callbackBodyType\": \"application/x-www-form-urlencoded\"}").orElseThrow();
        assertThat(c.targets()).containsExactly(new Callback.Target(false, "oss-demo.aliyuncs.com", 23450, true, "/", null));
        assertThat(c.host()).isEqualTo("oss-cn-hangzhou.aliyuncs.com");
        assertThat(c.body()).isEqualTo("filename=${object}&size=${size}&mimeType=${mimeType}");
        assertThat(c.bodyType()).isEqualTo(Callback.BodyType.FORM);
        assertThat(c.sni()).isFalse();
        assertThat(c.variables()).isEmpty();
    }

    @Test
    void javaStyleJsonConfigurationWithSniAndVariables() {
        // the Java SDK concatenates: JSON body escaped by the user, callbackSNI as a JSON boolean
        Callback c = parse("{\"callbackUrl\":\"https://example.com/cb?id=1\",\"callbackBody\":\"{\\\"mimeType\\\":${mimeType},\\\"size\\\":${size}}\","
                        + "\"callbackBodyType\":\"application/json\",\"callbackSNI\":true}",
                "{\"x:var1\":\"value1\",\"x:Order_Id\":\"67890\"}").orElseThrow();
        assertThat(c.targets()).containsExactly(new Callback.Target(true, "example.com", 443, false, "/cb", "id=1"));
        assertThat(c.host()).isNull();
        assertThat(c.body()).isEqualTo("{\"mimeType\":${mimeType},\"size\":${size}}");
        assertThat(c.bodyType()).isEqualTo(Callback.BodyType.JSON);
        assertThat(c.sni()).isTrue();
        assertThat(c.variables()).containsExactly(Map.entry("x:var1", "value1"), Map.entry("x:Order_Id", "67890"));
    }

    @Test
    void callbackSniAsString() {
        assertThat(parse("{\"callbackUrl\":\"h\",\"callbackBody\":\"a\",\"callbackSNI\":\"false\"}").orElseThrow().sni()).isFalse();
        assertThat(parse("{\"callbackUrl\":\"h\",\"callbackBody\":\"a\",\"callbackSNI\":\"TRUE\"}").orElseThrow().sni()).isTrue();
    }

    @Test
    void presignedQueryParameters() {
        String cb = b64("{\"callbackUrl\":\"127.0.0.1:8080/cb\",\"callbackBody\":\"k=${object}>>>?\"}");
        String var = b64("{\"x:a\":\"b\"}");
        assertThat(cb).contains("+"); // the '+' case below matters
        OssRequest encoded = new OssRequest("r", "PUT", "h", "bkt", "obj",
                Query.parse("callback=" + URLEncoder.encode(cb, StandardCharsets.UTF_8) + "&callback-var=" + URLEncoder.encode(var, StandardCharsets.UTF_8)),
                new TreeMap<>(), "127.0.0.1");
        Callback c = service.parse(encoded).orElseThrow();
        assertThat(c.targets()).containsExactly(new Callback.Target(false, "127.0.0.1", 8080, true, "/cb", null));
        assertThat(c.body()).isEqualTo("k=${object}>>>?");
        assertThat(c.variables()).containsExactly(Map.entry("x:a", "b"));
        // a '+' left unencoded in the query string arrives as a space: still understood
        OssRequest raw = new OssRequest("r", "PUT", "h", "bkt", "obj", Query.parse("callback=" + cb), new TreeMap<>(), "127.0.0.1");
        Callback r = service.parse(raw).orElseThrow();
        assertThat(r.targets()).isEqualTo(c.targets());
        assertThat(r.body()).isEqualTo(c.body());
    }

    @Test
    void urlSafeBase64WithoutPadding() {
        String json = "{\"callbackUrl\":\"h/?a=>>>\",\"callbackBody\":\"x=${bucket}???\"}";
        String urlSafe = Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
        assertThat(urlSafe).containsAnyOf("-", "_");
        assertThat(service.parse(headers(urlSafe, null))).isPresent();
    }

    @Test
    void urlListSchemesPortsAndEncoding() {
        Callback c = parse("{\"callbackUrl\":\"a.example.com;HTTPS://b.example.com:8443/p/q.php?x=1&y=%20;  c.example.com/中文.php?k=中 v|\\\"#frag ;;"
                + "d_e.local:80/;http://10.0.0.1/\",\"callbackBody\":\"a\"}").orElseThrow();
        assertThat(c.targets()).containsExactly(
                new Callback.Target(false, "a.example.com", 80, false, "/", null),
                new Callback.Target(true, "b.example.com", 8443, true, "/p/q.php", "x=1&y=%20"),
                new Callback.Target(false, "c.example.com", 80, false, "/%E4%B8%AD%E6%96%87.php", "k=%E4%B8%AD%20v%7C%22"),
                new Callback.Target(false, "d_e.local", 80, true, "/", null),
                new Callback.Target(false, "10.0.0.1", 80, false, "/", null));
        assertThat(c.targets().get(1).toString()).isEqualTo("https://b.example.com:8443/p/q.php?x=1&y=%20");
        // the documented example with a trailing ';' has 6 URLs: the blank one does not count, 5 are fine
        assertThat(parse("{\"callbackUrl\":\"h1;h2;h3;h4;h5;\",\"callbackBody\":\"a\"}").orElseThrow().targets()).hasSize(5);
    }

    @Test
    void emptyCallbackUrlMeansNoCallback() {
        assertThat(parse("{\"callbackBody\":\"a\"}")).isEmpty();
        assertThat(parse("{\"callbackUrl\":\"\",\"callbackBody\":\"a\"}")).isEmpty();
        assertThat(parse("{\"callbackUrl\":\" ; \",\"callbackBody\":\"a\"}")).isEmpty();
    }

    @Test
    void controlCharactersInsideStringsAreTolerated() {
        assertThat(parse("{\"callbackUrl\":\"h\",\"callbackBody\":\"a=1\nb=2\"}").orElseThrow().body()).isEqualTo("a=1\nb=2");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "hello",                                   // not JSON
        "[1,2]",                                   // not an object
        "{\"callbackUrl\":\"h\",\"callbackBody\":\"a\"} trailing",
        "{\"callbackUrl\":\"h\",\"callbackBody\":\"a\"",
    })
    void notJson(String json) {
        assertThat(invalid(json).getMessage()).isEqualTo("The callback configuration is not json format.");
    }

    @Test
    void notBase64() {
        assertThat(invalid(headers("x123-*&", null)).getMessage()).isEqualTo("The callback configuration is not json format.");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"callbackUrl\":\"h\"}",
        "{\"callbackUrl\":\"h\",\"callbackBody\":\"\"}",
        "{\"callbackUrl\":\"h\",\"callbackBody\":null}",
        "{\"callbackUrl\":\"h\",\"callbackBody\":5}",
        "{\"callbackUrl\":\"h\",\"callbackBody\":\"a\",\"callbackBodyType\":\"text/plain\"}",
        "{\"callbackUrl\":\"h\",\"callbackBody\":\"a\",\"callbackBodyType\":1}",
        "{\"callbackUrl\":\"h\",\"callbackBody\":\"a\",\"callbackBodyType\":[\"application/json\"]}",
        "{\"callbackUrl\":\"h\",\"callbackBody\":\"a\",\"callbackSNI\":\"yes\"}",
        "{\"callbackUrl\":\"h\",\"callbackBody\":\"a\",\"callbackSNI\":1}",
        "{\"callbackUrl\":\"h\",\"callbackBody\":\"a\",\"callbackHost\":\"a b\"}",
        "{\"callbackUrl\":\"h\",\"callbackBody\":\"a\",\"callbackHost\":\"a\\r\\nX-Evil: 1\"}",
        "{\"callbackUrl\":\"h\",\"callbackBody\":\"a\",\"callbackHost\":7}",
        "{\"callbackUrl\":5,\"callbackBody\":\"a\"}",
        "{\"callbackUrl\":\"h1;h2;h3;h4;h5;h6\",\"callbackBody\":\"a\"}",
        "{\"callbackUrl\":\"ftp://h/\",\"callbackBody\":\"a\"}",
        "{\"callbackUrl\":\"www.callback-example.com:test\",\"callbackBody\":\"a\"}",
        "{\"callbackUrl\":\"h:0\",\"callbackBody\":\"a\"}",
        "{\"callbackUrl\":\"h:65536\",\"callbackBody\":\"a\"}",
        "{\"callbackUrl\":\"http://[::1]:80/\",\"callbackBody\":\"a\"}",
        "{\"callbackUrl\":\"http://user:pw@h/\",\"callbackBody\":\"a\"}",
        "{\"callbackUrl\":\"http:///path\",\"callbackBody\":\"a\"}",
        "{\"callbackUrl\":\"http://a..b/\",\"callbackBody\":\"a\"}",
        "{\"callbackUrl\":\"http://h st/\",\"callbackBody\":\"a\"}",
    })
    void invalidFields(String json) {
        invalid(json);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"X:var\":\"v\"}",                        // prefix must be lower-case x:
        "{\"var\":\"v\"}",
        "{\"x:\":\"v\"}",
        "{\"x:a\":{\"b\":1}}",
        "{\"x:a\":[1]}",
        "not json",
        "[\"x:a\"]",
    })
    void invalidVariables(String varJson) {
        invalid(headers(b64("{\"callbackUrl\":\"h\",\"callbackBody\":\"a\"}"), b64(varJson)));
    }

    @Test
    void variableMessagesAndLimits() {
        String cb = b64("{\"callbackUrl\":\"h\",\"callbackBody\":\"a\"}");
        assertThat(invalid(headers(cb, "%%%")).getMessage()).isEqualTo("The callback-var configuration is not json format.");
        assertThat(invalid(headers(cb, b64("{\"var\":\"v\"}"))).getMessage()).contains("x:");
        StringBuilder big = new StringBuilder("{\"x:a\":\"");
        big.append("v".repeat(5000)).append("\"}");
        assertThat(invalid(headers(cb, b64(big.toString()))).getMessage()).contains("too long");
        // scalars other than strings are taken as text
        Callback c = parse("{\"callbackUrl\":\"h\",\"callbackBody\":\"a\"}", "{\"x:n\":5,\"x:b\":true,\"x:z\":null}").orElseThrow();
        assertThat(c.variables()).containsExactly(Map.entry("x:n", "5"), Map.entry("x:b", "true"), Map.entry("x:z", ""));
    }

    @Test
    void postObjectFormFields() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("key", "obj");
        fields.put("x:uid", "12345");
        fields.put("x:order_id", "67890");
        fields.put("policy", "p");
        Callback c = service.parseForm(b64("{\"callbackUrl\":\"h\",\"callbackBody\":\"uid=${x:uid}\"}"), fields).orElseThrow();
        assertThat(c.variables()).containsExactly(Map.entry("x:uid", "12345"), Map.entry("x:order_id", "67890"));
        assertThat(service.parseForm(null, fields)).isEmpty();
        OssException e = catchThrowableOfType(OssException.class, () -> service.parseForm(b64("{\"callbackUrl\":\"h\"}"), fields));
        assertThat(e.error()).isEqualTo(OssError.INVALID_ARGUMENT);
    }
}
