package dev.pail.checksum;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.common.utils.CRC64;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

class Crc64PropertiesTest {

    @Provide
    Arbitrary<Crc64Engine> engines() {
        return Arbitraries.of(Engines.all());
    }

    /** The real SDK's implementation, which clients use to check our headers. */
    private static long aliyun(byte[] data) {
        CRC64 crc = new CRC64();
        crc.update(data, 0, data.length);
        return crc.getValue();
    }

    @Property
    void matchesAliyunSdk(@ForAll("engines") Crc64Engine engine, @ForAll @Size(max = 20_000) byte[] data) {
        assertThat(engine.update(0, MemorySegment.ofArray(data))).isEqualTo(aliyun(data));
    }

    @Property
    void javaAndLzmaAgree(@ForAll @Size(max = 70_000) byte[] data, @ForAll @IntRange(max = 15) int skip) {
        int off = Math.min(skip, data.length); // unaligned starts exercise the head handling of the native code
        MemorySegment segment = MemorySegment.ofArray(data).asSlice(off);
        long expected = JavaCrc64Engine.INSTANCE.update(0, segment);
        for (Crc64Engine engine : Engines.all()) {
            assertThat(engine.update(0, segment)).as(engine.name()).isEqualTo(expected);
        }
    }

    /** Pieces are fed alternately as array ranges, heap buffers, direct buffers and segments. */
    @Property
    void streamingInArbitrarySplitsEqualsOneShot(
            @ForAll("engines") Crc64Engine engine,
            @ForAll @Size(max = 5_000) byte[] data,
            @ForAll @Size(max = 12) List<@IntRange(max = 5_000) Integer> cuts) {
        int[] points = cuts.stream().mapToInt(c -> c % (data.length + 1)).sorted().toArray();
        Crc64 crc = new Crc64(engine);
        int start = 0;
        for (int i = 0; i <= points.length; i++) {
            int end = i < points.length ? points[i] : data.length;
            int len = end - start;
            switch (i % 4) {
                case 0 -> crc.update(data, start, len);
                case 1 -> crc.update(ByteBuffer.wrap(data, start, len));
                case 2 -> crc.update(ByteBuffer.allocateDirect(len).put(data, start, len).flip());
                default -> crc.update(MemorySegment.ofArray(data).asSlice(start, len));
            }
            start = end;
        }
        Crc64 oneShot = new Crc64(engine);
        oneShot.update(data);
        assertThat(crc.value()).isEqualTo(oneShot.value()).isEqualTo(aliyun(data));
    }

    @Property
    void combineEqualsCrcOfConcatenation(
            @ForAll @Size(max = 4_000) byte[] a, @ForAll @Size(max = 4_000) byte[] b) {
        Crc64 whole = new Crc64();
        whole.update(a);
        whole.update(b);
        assertThat(Crc64.combine(Crc64.of(a), Crc64.of(b), b.length)).isEqualTo(whole.value());
    }

    /**
     * Lengths up to 2^61 cannot be backed by data, so check against the SDK's (slow, matrix-based) combine and
     * check that combining is associative. Zero lengths are left out: with {@code len2 = 0} the SDK returns
     * {@code crc1} whatever {@code crc2} is, while we return {@code crc1 ^ crc2}; both are right for the only
     * consistent input, {@code crc2 = 0}.
     */
    @Property(tries = 200)
    void combineOfHugeLengthsMatchesSdkAndIsAssociative(
            @ForAll long c1, @ForAll long c2, @ForAll long c3,
            // each at most 2^61 so that len2 + len3 cannot overflow
            @ForAll @LongRange(min = 1, max = 1L << 61) long len2, @ForAll @LongRange(min = 1, max = 1L << 61) long len3) {
        assertThat(Crc64.combine(c1, c2, len2)).isEqualTo(CRC64.combine(c1, c2, len2));
        assertThat(Crc64.combine(Crc64.combine(c1, c2, len2), c3, len3))
                .isEqualTo(Crc64.combine(c1, Crc64.combine(c2, c3, len3), len2 + len3));
    }

    @Property
    void bufferKindsAgreeAndPositionIsUntouched(
            @ForAll("engines") Crc64Engine engine,
            @ForAll @Size(max = 3_000) byte[] data,
            @ForAll @IntRange(max = 3_000) int from,
            @ForAll @IntRange(max = 3_000) int to) {
        int position = Math.min(Math.min(from, to), data.length);
        int limit = Math.min(Math.max(from, to), data.length);
        long expected = JavaCrc64Engine.INSTANCE.update(0, MemorySegment.ofArray(data).asSlice(position, limit - position));

        ByteBuffer heap = ByteBuffer.wrap(data).position(position).limit(limit);
        ByteBuffer direct = ByteBuffer.allocateDirect(data.length).put(data).position(position).limit(limit);
        for (ByteBuffer buf : List.of(heap, direct, heap.asReadOnlyBuffer(), direct.asReadOnlyBuffer(),
                heap.slice(), direct.slice())) {
            int positionBefore = buf.position();
            Crc64 crc = new Crc64(engine);
            crc.update(buf);
            assertThat(crc.value()).as(buf.toString()).isEqualTo(expected);
            assertThat(buf.position()).isEqualTo(positionBefore);
        }
    }
}
