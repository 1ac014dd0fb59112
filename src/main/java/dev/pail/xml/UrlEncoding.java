package dev.pail.xml;

import java.nio.charset.StandardCharsets;

/**
 * The {@code encoding-type=url} form of listings (and of form-encoded callback bodies): RFC 3986 percent-encoding of UTF-8 with only
 * {@code A-Za-z0-9-_.~} left as is ({@code /} becomes {@code %2F}, space {@code %20}, never {@code +}),
 * which every SDK decodes correctly (core.md §7.7, §9 q7).
 */
public final class UrlEncoding {
    private UrlEncoding() {}

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    public static String encode(String s) {
        if (s == null) return null;
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xFF;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~') {
                b.append((char) c);
            } else {
                b.append('%').append(HEX[c >> 4]).append(HEX[c & 15]);
            }
        }
        return b.toString();
    }
}
