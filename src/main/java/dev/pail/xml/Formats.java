package dev.pail.xml;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** The date formats of the OSS protocol (core.md §4). */
public final class Formats {
    private Formats() {}

    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'.000Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    /** RFC 1123 with a two-digit day and literal GMT (oss2's regex requires both). */
    private static final DateTimeFormatter HTTP = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    /** XML timestamps: ISO 8601 with the milliseconds always {@code .000}. */
    public static String iso(long epochMillis) { return ISO.format(Instant.ofEpochMilli(epochMillis)); }

    /** Recently formatted HTTP dates by second; formatting costs more than the rest of a small GET's headers. */
    private record HttpDate(long second, String text) {}

    private static final int HTTP_CACHE = 256;
    private static final HttpDate[] HTTP_DATES = new HttpDate[HTTP_CACHE];

    /** HTTP header dates (Date, Last-Modified). */
    public static String http(long epochMillis) {
        long second = Math.floorDiv(epochMillis, 1000);
        int slot = (int) Math.floorMod(second, HTTP_CACHE);
        HttpDate d = HTTP_DATES[slot]; // racy by design: a record is immutable, a miss only formats again
        if (d == null || d.second() != second) {
            d = new HttpDate(second, HTTP.format(Instant.ofEpochSecond(second)));
            HTTP_DATES[slot] = d;
        }
        return d.text();
    }

    /** Parses an RFC 1123 date leniently (one- or two-digit day); null when unparsable. */
    public static Instant parseHttp(String value) {
        if (value == null) return null;
        try {
            return ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Truncates to whole seconds: HTTP dates carry no fractions, so comparisons must not either. */
    public static long seconds(long epochMillis) { return Math.floorDiv(epochMillis, 1000) * 1000; }

    public static Instant truncate(Instant t) { return t.truncatedTo(ChronoUnit.SECONDS); }
}
