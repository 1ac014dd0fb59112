package dev.pail.ops;

import dev.pail.xml.OssError;
import java.math.BigInteger;

/**
 * The {@code Range} header of a GET (core.md §7.10): {@code bytes=a-b}, {@code bytes=a-} or
 * {@code bytes=-n}. Without {@code x-oss-range-behavior: standard}, a range OSS cannot serve is
 * ignored and the whole object is returned; with it, an end past the object is clamped and a start
 * at or past the end is 416 InvalidRange. Multiple ranges are not supported; Pail then serves the
 * whole object (the older documented OSS behaviour) or, in standard mode, 416. A header that is
 * not a byte range at all is ignored in both modes, as RFC 7233 asks.
 *
 * @param first first byte offset, inclusive
 * @param last  last byte offset, inclusive
 */
public record ByteRange(long first, long last) {

    public long length() { return last - first + 1; }

    /** The range to serve, or null for the whole object. */
    public static ByteRange parse(String header, long size, boolean standard) {
        if (header == null) return null;
        String h = header.trim();
        if (!h.regionMatches(true, 0, "bytes=", 0, 6)) return null;
        String spec = h.substring(6).trim();
        if (spec.indexOf(',') >= 0) return unsatisfiable(standard);
        int dash = spec.indexOf('-');
        if (dash < 0) return null;
        String a = spec.substring(0, dash).trim();
        String b = spec.substring(dash + 1).trim();
        Long start = number(a);
        Long end = number(b);
        if (a.isEmpty()) {
            // suffix range: the last n bytes
            if (end == null) return null;
            if (end == 0) return unsatisfiable(standard);
            if (size == 0) return unsatisfiable(standard);
            long n = Math.min(end, size);
            return new ByteRange(size - n, size - 1);
        }
        if (start == null || (!b.isEmpty() && end == null)) return null;
        if (end != null && (end < start || end == Long.MAX_VALUE && new BigInteger(b).compareTo(new BigInteger(a)) < 0)) {
            return null; // last before first (compared exactly where both are past the long range)
        }
        if (start >= size) return unsatisfiable(standard);
        long last = end == null ? size - 1 : end;
        if (last >= size) {
            if (!standard) return null; // OSS ignores a range whose end is past the object
            last = size - 1;
        }
        return new ByteRange(start, last);
    }

    /** Decimal digits, any number of them, saturated at {@link Long#MAX_VALUE} (past any object); null when not a number. */
    private static Long number(String s) {
        if (s.isEmpty()) return null;
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            int d = s.charAt(i) - '0';
            if (d < 0 || d > 9) return null;
            v = v > (Long.MAX_VALUE - d) / 10 ? Long.MAX_VALUE : v * 10 + d;
        }
        return v;
    }

    private static ByteRange unsatisfiable(boolean standard) {
        if (standard) throw OssError.INVALID_RANGE.exception();
        return null;
    }

    public String contentRange(long size) {
        return "bytes " + first + "-" + last + "/" + size;
    }
}
