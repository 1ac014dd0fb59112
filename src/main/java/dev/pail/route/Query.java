package dev.pail.route;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The query string of a request, decoded form-style ({@code +} is a space, as python-requests
 * sends it; no SDK sends a literal {@code +}, core.md §2.1). Order and repeats are preserved.
 * {@code ?acl} and {@code ?acl=} both yield a parameter with an empty value.
 */
public record Query(List<Param> params) {

    /** One parameter; {@code hasEquals} records whether {@code =} appeared on the wire. */
    public record Param(String name, String value, boolean hasEquals) {}

    public static final Query EMPTY = new Query(List.of());

    public static Query parse(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) return EMPTY;
        List<Param> out = new ArrayList<>();
        for (String part : rawQuery.split("&", -1)) {
            if (part.isEmpty()) continue;
            int eq = part.indexOf('=');
            String name = eq < 0 ? part : part.substring(0, eq);
            String value = eq < 0 ? "" : part.substring(eq + 1);
            out.add(new Param(decode(name), decode(value), eq >= 0));
        }
        return new Query(List.copyOf(out));
    }

    private static String decode(String s) {
        if (isPlain(s)) return s; // most names and values: nothing to decode
        // the HTTP layer hands over each wire byte as one char: unescaped UTF-8 bytes are UTF-8 too
        if (s.chars().anyMatch(c -> c >= 0x80) && s.chars().allMatch(c -> c <= 0xFF)) {
            s = new String(s.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
        }
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw dev.pail.xml.OssError.INVALID_ARGUMENT.exception("Malformed percent-encoding in the query string.");
        }
    }

    /** No escape, no {@code +} and only ASCII: decoding would return it unchanged. */
    private static boolean isPlain(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' || c == '+' || c >= 0x80) return false;
        }
        return true;
    }

    public boolean has(String name) {
        for (Param p : params) if (p.name.equals(name)) return true;
        return false;
    }

    /** The first value of {@code name}, or null when absent. */
    public String get(String name) {
        for (Param p : params) if (p.name.equals(name)) return p.value;
        return null;
    }

    /** The value of {@code name}, or null when absent or empty (SDKs send empty markers meaning "absent"). */
    public String nonEmpty(String name) {
        String v = get(name);
        return v == null || v.isEmpty() ? null : v;
    }
}
