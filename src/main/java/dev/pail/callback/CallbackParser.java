package dev.pail.callback;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.pail.xml.OssError;
import dev.pail.xml.OssException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Decodes and checks the callback configuration; every problem is a 400 InvalidArgument. */
final class CallbackParser {
    private CallbackParser() {}

    static final String NOT_JSON = "The callback configuration is not json format.";
    static final String VAR_NOT_JSON = "The callback-var configuration is not json format.";
    /** OSS's limit on the base64 text of callback-var (EC 0007-00000101). */
    static final int MAX_VAR_CHARS = 5 * 1024;

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS) // SDKs that concatenate JSON send raw newlines
            .build();

    static Optional<Callback> parse(String callbackB64, String varB64) {
        if (callbackB64 == null || callbackB64.isEmpty()) return Optional.empty();
        JsonNode cfg = decode(callbackB64, NOT_JSON);

        JsonNode urlNode = field(cfg, "callbackUrl");
        if (urlNode == null) return Optional.empty(); // "not configured or empty: no callback" (EC 0007-00000004 doc)
        if (!urlNode.isTextual()) throw invalid("The callbackUrl in the callback configuration must be a string.");
        List<Callback.Target> targets = targets(urlNode.textValue());
        if (targets.isEmpty()) return Optional.empty();

        String host = null;
        JsonNode hostNode = field(cfg, "callbackHost");
        if (hostNode != null) {
            if (!hostNode.isTextual()) throw invalid("The callbackHost in the callback configuration must be a string.");
            host = hostNode.textValue().strip();
            if (host.isEmpty()) {
                host = null;
            } else if (!host.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
                throw invalid("The callbackHost in the callback configuration is not a valid host.");
            }
        }

        JsonNode bodyNode = field(cfg, "callbackBody");
        if (bodyNode == null || !bodyNode.isTextual() || bodyNode.textValue().isEmpty()) {
            throw invalid("The callbackBody in the callback configuration is empty.");
        }

        Callback.BodyType type = Callback.BodyType.FORM;
        JsonNode typeNode = field(cfg, "callbackBodyType");
        if (typeNode != null) {
            if (!typeNode.isTextual()) throw invalid("The callbackBodyType in the callback configuration must be a string.");
            String t = typeNode.textValue().strip().toLowerCase(Locale.ROOT);
            if (t.equals("application/json")) {
                type = Callback.BodyType.JSON;
            } else if (!t.isEmpty() && !t.equals("application/x-www-form-urlencoded")) {
                throw invalid("The callbackBodyType in the callback configuration is not supported: only "
                        + "application/x-www-form-urlencoded and application/json are.");
            }
        }

        boolean sni = false;
        JsonNode sniNode = field(cfg, "callbackSNI");
        if (sniNode != null) {
            if (sniNode.isBoolean()) {
                sni = sniNode.booleanValue();
            } else if (sniNode.isTextual() && (sniNode.textValue().equalsIgnoreCase("true") || sniNode.textValue().equalsIgnoreCase("false"))) {
                sni = Boolean.parseBoolean(sniNode.textValue().toLowerCase(Locale.ROOT));
            } else {
                throw invalid("The callbackSNI in the callback configuration must be true or false.");
            }
        }

        return Optional.of(new Callback(targets, host, bodyNode.textValue(), type, sni, variables(varB64)));
    }

    /** Custom variables from callback-var (base64 JSON object). */
    static Map<String, String> variables(String varB64) {
        Map<String, String> vars = new LinkedHashMap<>();
        if (varB64 == null || varB64.isEmpty()) return vars;
        if (varB64.length() > MAX_VAR_CHARS) throw invalid("The callback-var is too long: at most " + MAX_VAR_CHARS + " characters.");
        JsonNode node = decode(varB64, VAR_NOT_JSON);
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            put(vars, e.getKey(), e.getValue());
        }
        return vars;
    }

    /** Custom variables from PostObject form fields: those whose name starts with {@code x:}. */
    static Map<String, String> formVariables(Map<String, String> fields) {
        Map<String, String> vars = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : fields.entrySet()) {
            if (e.getKey().startsWith("x:")) vars.put(e.getKey(), e.getValue() == null ? "" : e.getValue());
        }
        return vars;
    }

    private static void put(Map<String, String> vars, String key, JsonNode value) {
        if (!key.startsWith("x:") || key.length() == 2) {
            throw invalid("The callback-var key \"" + key + "\" is invalid: custom variable names must start with \"x:\".");
        }
        if (value.isNull()) {
            vars.put(key, "");
        } else if (value.isValueNode()) {
            vars.put(key, value.asText());
        } else {
            throw invalid("The callback-var value of \"" + key + "\" must be a string.");
        }
    }

    /** base64 → UTF-8 JSON object; anything else is {@code message}. */
    private static JsonNode decode(String b64, String message) {
        byte[] raw;
        try {
            // a '+' that reached us through an unencoded query string was decoded to a space
            String s = b64.strip().replace(' ', '+');
            boolean urlSafe = s.indexOf('-') >= 0 || s.indexOf('_') >= 0;
            raw = (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(s.getBytes(StandardCharsets.ISO_8859_1));
        } catch (IllegalArgumentException e) {
            throw invalid(message);
        }
        JsonNode node;
        try {
            node = JSON.readTree(raw);
        } catch (JsonProcessingException e) {
            throw invalid(message);
        } catch (IOException e) {
            throw invalid(message);
        }
        if (node == null || !node.isObject()) throw invalid(message);
        return node;
    }

    /** A field's value; null when absent or JSON null. */
    private static JsonNode field(JsonNode obj, String name) {
        JsonNode n = obj.get(name);
        return n == null || n.isNull() ? null : n;
    }

    /**
     * Splits {@code callbackUrl}: {@code ;}-separated, blank entries ignored, at most
     * {@value Callback#MAX_URLS}.
     */
    static List<Callback.Target> targets(String value) {
        List<Callback.Target> out = new ArrayList<>();
        for (String part : value.split(";", -1)) {
            String url = part.strip();
            if (url.isEmpty()) continue;
            out.add(target(url));
        }
        if (out.size() > Callback.MAX_URLS) {
            throw invalid("The callbackUrl in the callback configuration holds more than " + Callback.MAX_URLS + " URLs.");
        }
        return out;
    }

    /** Parses one URL; the scheme is optional (http). Path and query are percent-encoded where they are not ASCII. */
    static Callback.Target target(String url) {
        String rest = url;
        boolean https = false;
        int sep = url.indexOf("://");
        if (sep >= 0) {
            String scheme = url.substring(0, sep).toLowerCase(Locale.ROOT);
            if (scheme.equals("https")) {
                https = true;
            } else if (!scheme.equals("http")) {
                throw badUrl(url, "only http and https are supported");
            }
            rest = url.substring(sep + 3);
        }
        int hash = rest.indexOf('#');
        if (hash >= 0) rest = rest.substring(0, hash);
        int authEnd = rest.length();
        for (int i = 0; i < rest.length(); i++) {
            char c = rest.charAt(i);
            if (c == '/' || c == '?') {
                authEnd = i;
                break;
            }
        }
        String authority = rest.substring(0, authEnd);
        String pathAndQuery = rest.substring(authEnd);
        if (authority.indexOf('@') >= 0) throw badUrl(url, "user information is not supported");
        if (authority.startsWith("[")) throw badUrl(url, "IPv6 addresses are not supported");
        String host = authority;
        int port = https ? 443 : 80;
        boolean explicitPort = false;
        int colon = authority.lastIndexOf(':');
        if (colon >= 0) {
            host = authority.substring(0, colon);
            String p = authority.substring(colon + 1);
            if (p.isEmpty() || p.length() > 5 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) throw badUrl(url, "the port is not a number");
            port = Integer.parseInt(p);
            if (port < 1 || port > 65535) throw badUrl(url, "the port is out of range");
            explicitPort = true;
        }
        if (host.isEmpty()) throw badUrl(url, "the host is missing");
        if (host.endsWith(".")) host = host.substring(0, host.length() - 1);
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_';
            if (!ok) throw badUrl(url, "the host is not a valid host name or IPv4 address");
        }
        if (host.isEmpty() || host.startsWith(".") || host.contains("..")) throw badUrl(url, "the host is not a valid host name or IPv4 address");
        String path = pathAndQuery;
        String query = null;
        int q = pathAndQuery.indexOf('?');
        if (q >= 0) {
            path = pathAndQuery.substring(0, q);
            query = encodeLoose(pathAndQuery.substring(q + 1));
        }
        path = path.isEmpty() ? "/" : encodeLoose(path);
        return new Callback.Target(https, host, port, explicitPort, path, query);
    }

    /**
     * Percent-encodes (UTF-8) every character that may not appear raw in a request target (non-ASCII,
     * space, controls and {@code "<>\^`{|}}); everything else, {@code %} escapes included, stays.
     */
    static String encodeLoose(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c > 0x20 && c < 0x7F && "\"<>\\^`{|}".indexOf(c) < 0) {
                if (b != null) b.append(c);
                continue;
            }
            if (b == null) b = new StringBuilder(s.length() + 16).append(s, 0, i);
            int end = i + (Character.isHighSurrogate(c) && i + 1 < s.length() ? 2 : 1);
            for (byte x : s.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
                b.append('%').append("0123456789ABCDEF".charAt((x >> 4) & 15)).append("0123456789ABCDEF".charAt(x & 15));
            }
            i = end - 1;
        }
        return b == null ? s : b.toString();
    }

    private static OssException badUrl(String url, String why) {
        return invalid("The callbackUrl \"" + url + "\" in the callback configuration is not valid: " + why + ".");
    }

    static OssException invalid(String message) {
        return OssError.INVALID_ARGUMENT.exception(message);
    }
}
