package dev.pail.callback;

import dev.pail.xml.UrlEncoding;
import java.util.Map;
import java.util.Set;

/**
 * Expands a {@code callbackBody} template. See {@link CallbackService} for the rules; in short:
 * {@code ${name}} for a system variable, {@code ${x:name}} for a custom one (empty when not given),
 * anything else (unknown names, a {@code $} without a closing brace) is copied as is.
 */
final class Template {
    private Template() {}

    /** The system variables a template may name. */
    static final Set<String> SYSTEM = Set.copyOf(CallbackService.SYSTEM_VARIABLES);

    /** Variables rendered as bare JSON numbers (when their value is all digits) outside JSON strings. */
    static final Set<String> NUMERIC = Set.of("size", "imageInfo.height", "imageInfo.width", "crc64");

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    static String render(String template, Callback.BodyType type, Map<String, String> system, Map<String, String> custom) {
        StringBuilder out = new StringBuilder(template.length() + 128);
        boolean json = type == Callback.BodyType.JSON;
        boolean inString = false;
        int n = template.length();
        for (int i = 0; i < n; ) {
            char c = template.charAt(i);
            if (c == '$' && i + 1 < n && template.charAt(i + 1) == '{') {
                int close = template.indexOf('}', i + 2);
                if (close >= 0) {
                    String name = template.substring(i + 2, close);
                    String value = lookup(name, system, custom);
                    if (value != null) {
                        if (!json) {
                            out.append(UrlEncoding.encode(value));
                        } else if (inString) {
                            jsonEscape(value, out);
                        } else if (NUMERIC.contains(name) && isDigits(value)) {
                            out.append(value);
                        } else {
                            out.append('"');
                            jsonEscape(value, out);
                            out.append('"');
                        }
                        i = close + 1;
                        continue;
                    }
                }
            }
            if (json) {
                if (c == '"') {
                    inString = !inString;
                } else if (c == '\\' && inString && i + 1 < n) {
                    out.append(c).append(template.charAt(i + 1));
                    i += 2;
                    continue;
                }
            }
            out.append(c);
            i++;
        }
        return out.toString();
    }

    /** The value for {@code ${name}}, or null when the placeholder is not a variable (copied as is). */
    private static String lookup(String name, Map<String, String> system, Map<String, String> custom) {
        if (name.startsWith("x:")) {
            String v = custom.get(name);
            return v == null ? "" : v;
        }
        if (SYSTEM.contains(name)) {
            String v = system.get(name);
            return v == null ? "" : v;
        }
        return null;
    }

    private static boolean isDigits(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return false;
        }
        return true;
    }

    /** The characters of a JSON string literal for {@code s}, without the quotes. */
    static void jsonEscape(String s, StringBuilder out) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        out.append("\\u").append(HEX[c >> 12 & 15]).append(HEX[c >> 8 & 15]).append(HEX[c >> 4 & 15]).append(HEX[c & 15]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
    }
}
