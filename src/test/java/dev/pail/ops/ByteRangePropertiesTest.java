package dev.pail.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pail.xml.OssError;
import dev.pail.xml.OssException;
import java.math.BigInteger;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * {@link ByteRange#parse} against a reference model of its javadoc: {@code bytes=a-b},
 * {@code bytes=a-}, {@code bytes=-n}; outside standard mode any range that cannot be served means
 * the whole object; in standard mode an end past the object is clamped and a start at or past it
 * (or an empty suffix, or several ranges) is 416; a header that is not a byte range is ignored in
 * both modes. Numbers are unbounded digit strings, as in RFC 7233.
 */
class ByteRangePropertiesTest {

    /** What a GET serves: the whole object (null range), a range, or 416. */
    sealed interface Outcome {}

    record Whole() implements Outcome {}

    record Part(long first, long last) implements Outcome {}

    record Unsatisfiable() implements Outcome {}

    private static final Pattern UNIT = Pattern.compile("(?i)bytes=(.*)", Pattern.DOTALL);
    private static final Pattern SPEC = Pattern.compile("[\\x00-\\x20]*([0-9]*)[\\x00-\\x20]*-[\\x00-\\x20]*([0-9]*)[\\x00-\\x20]*");

    static Outcome model(String header, long size, boolean standard) {
        if (header == null) return new Whole();
        Matcher unit = UNIT.matcher(header.trim()); // whitespace: any char up to U+0020, as String.trim
        if (!unit.matches()) return new Whole();
        String spec = unit.group(1);
        Outcome unsatisfiable = standard ? new Unsatisfiable() : new Whole();
        if (spec.contains(",")) return unsatisfiable; // several ranges: not supported
        Matcher m = SPEC.matcher(spec);
        if (!m.matches()) return new Whole();
        BigInteger big = BigInteger.valueOf(size);
        String a = m.group(1), b = m.group(2);
        if (a.isEmpty()) {
            if (b.isEmpty()) return new Whole();
            BigInteger n = new BigInteger(b);
            if (n.signum() == 0 || size == 0) return unsatisfiable;
            long take = n.min(big).longValueExact();
            return new Part(size - take, size - 1);
        }
        BigInteger first = new BigInteger(a);
        BigInteger last = b.isEmpty() ? null : new BigInteger(b);
        if (last != null && last.compareTo(first) < 0) return new Whole(); // not a valid byte-range-spec
        if (first.compareTo(big) >= 0) return unsatisfiable;
        if (last == null || last.compareTo(big) >= 0) {
            if (last != null && !standard) return new Whole();
            return new Part(first.longValueExact(), size - 1);
        }
        return new Part(first.longValueExact(), last.longValueExact());
    }

    static Outcome actual(String header, long size, boolean standard) {
        try {
            ByteRange r = ByteRange.parse(header, size, standard);
            return r == null ? new Whole() : new Part(r.first(), r.last());
        } catch (OssException e) {
            assertThat(e.error()).isEqualTo(OssError.INVALID_RANGE);
            return new Unsatisfiable();
        }
    }

    // ---- generators -----------------------------------------------------------------------

    @Provide
    Arbitrary<Long> sizes() {
        return Arbitraries.oneOf(
                Arbitraries.longs().between(0, 40),
                Arbitraries.longs().between(0, Long.MAX_VALUE),
                Arbitraries.of(0L, 1L, Long.MAX_VALUE, Long.MAX_VALUE - 1, 5L * 1024 * 1024 * 1024));
    }

    private static Arbitrary<String> numbers() {
        return Arbitraries.oneOf(
                Arbitraries.integers().between(0, 45).map(String::valueOf),
                Arbitraries.longs().between(0, Long.MAX_VALUE).map(String::valueOf),
                Arbitraries.integers().between(0, 45).map(i -> "000" + i),
                Arbitraries.of("", "", "9223372036854775807", "9223372036854775808", "9999999999999999999",
                        "18446744073709551616", "00000000000000000000000001"),
                Arbitraries.strings().numeric().ofMinLength(18).ofMaxLength(30));
    }

    private static Arbitrary<String> spaces() {
        return Arbitraries.of("", "", "", " ", "\t", "  ");
    }

    private static Arbitrary<String> rangeSpec() {
        Arbitrary<String> wellFormed = Combinators.combine(spaces(), numbers(), spaces(), Arbitraries.of("-", "-", "--", ""), spaces(),
                numbers(), spaces()).as((s1, a, s2, dash, s3, b, s4) -> s1 + a + s2 + dash + s3 + b + s4);
        Arbitrary<String> junk = Arbitraries.oneOf(
                Arbitraries.strings().withChars("0123456789-, \t\u0001abx+").ofMaxLength(8),
                Arbitraries.of("a-b", "1-2-3", "-", "+1-2", "1-+2", "0x10-20", "١-٢", "1.5-2"));
        return Arbitraries.frequencyOf(Tuple.of(6, wellFormed), Tuple.of(1, junk));
    }

    @Provide
    Arbitrary<String> headers() {
        Arbitrary<String> unit = Arbitraries.of("bytes=", "bytes=", "bytes=", "BYTES=", "Bytes=", "bytes =", "bytes", "items=", "", " bytes=");
        Arbitrary<String> specs = rangeSpec().list().ofMinSize(1).ofMaxSize(3).map(l -> String.join(",", l));
        Arbitrary<String> structured = Combinators.combine(spaces(), unit, specs, spaces()).as((a, u, s, b) -> a + u + s + b);
        return Arbitraries.frequencyOf(
                Tuple.of(12, structured),
                Tuple.of(1, Arbitraries.strings().ofMaxLength(20)),
                Tuple.of(1, Arbitraries.strings().ofMaxLength(20).map(s -> "bytes=" + s)));
    }

    // ---- properties -----------------------------------------------------------------------

    @Property(tries = 3000)
    void matchesReferenceModel(@ForAll("headers") String header, @ForAll("sizes") long size, @ForAll boolean standard) {
        assertThat(actual(header, size, standard)).as("Range: %s on %d bytes, standard=%s", header, size, standard)
                .isEqualTo(model(header, size, standard));
    }

    /** Small sizes and small numbers, so that every boundary (0, size-1, size, size+1) is hit often. */
    @Property(tries = 3000)
    void matchesReferenceModelNearBoundaries(
            @ForAll("smallHeaders") String header, @ForAll("smallSizes") long size, @ForAll boolean standard) {
        assertThat(actual(header, size, standard)).as("Range: %s on %d bytes, standard=%s", header, size, standard)
                .isEqualTo(model(header, size, standard));
    }

    @Provide
    Arbitrary<Long> smallSizes() {
        return Arbitraries.longs().between(0, 6);
    }

    @Provide
    Arbitrary<String> smallHeaders() {
        Arbitrary<String> n = Arbitraries.oneOf(Arbitraries.integers().between(0, 8).map(String::valueOf), Arbitraries.just(""));
        return Combinators.combine(n, n, Arbitraries.of("bytes=", "bytes=", "bytes=", "bytes= ", "BYTES=")).as((a, b, u) -> u + a + "-" + b);
    }

    /** Whatever is served lies inside the object and is described consistently. */
    @Property(tries = 2000)
    void anyServedRangeLiesInsideTheObject(@ForAll("headers") String header, @ForAll("sizes") long size, @ForAll boolean standard) {
        if (!(actual(header, size, standard) instanceof Part)) return;
        ByteRange r = ByteRange.parse(header, size, standard);
        assertThat(r.first()).isBetween(0L, r.last());
        assertThat(r.last()).isLessThan(size);
        assertThat(r.length()).isEqualTo(r.last() - r.first() + 1).isPositive();
        assertThat(r.contentRange(size)).isEqualTo("bytes " + r.first() + "-" + r.last() + "/" + size);
    }

    @Example
    void documentedCases() {
        List<Object[]> cases = List.of(
                new Object[] {"bytes=0-9", 1000L, false, new Part(0, 9)},
                new Object[] {"bytes=500-2000", 1000L, false, new Whole()},
                new Object[] {"bytes=500-2000", 1000L, true, new Part(500, 999)},
                new Object[] {"bytes=1000-2000", 1000L, false, new Whole()},
                new Object[] {"bytes=1000-2000", 1000L, true, new Unsatisfiable()},
                new Object[] {"bytes=-100", 1000L, true, new Part(900, 999)},
                new Object[] {"bytes=-2000", 1000L, false, new Part(0, 999)},
                new Object[] {"bytes=-0", 1000L, true, new Unsatisfiable()},
                new Object[] {"bytes=500-", 1000L, false, new Part(500, 999)},
                new Object[] {"bytes=0-1,5-6", 1000L, false, new Whole()},
                new Object[] {"bytes=0-1,5-6", 1000L, true, new Unsatisfiable()},
                new Object[] {"bytes=9-3", 1000L, true, new Whole()},
                new Object[] {"pages=0-1", 1000L, true, new Whole()},
                new Object[] {"bytes=0-99999999999999999999", 1000L, true, new Part(0, 999)},
                new Object[] {"bytes=0-9999999999999999999", 1000L, false, new Whole()},
                new Object[] {"bytes=99999999999999999999-", 1000L, true, new Unsatisfiable()},
                new Object[] {"bytes=-99999999999999999999", 1000L, false, new Part(0, 999)});
        for (Object[] c : cases) {
            assertThat(model((String) c[0], (Long) c[1], (Boolean) c[2])).as("model %s std=%s", c[0], c[2]).isEqualTo(c[3]);
            assertThat(actual((String) c[0], (Long) c[1], (Boolean) c[2])).as("parse %s std=%s", c[0], c[2]).isEqualTo(c[3]);
        }
    }
}
