package dev.pail.checksum;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class Crc64Test {

    /** CRC-64/XZ check values; the last one is the Aliyun .NET SDK's test vector. */
    static Stream<Arguments> vectors() {
        return Stream.of(
                Arguments.of("", "0"),
                Arguments.of("123456789", "11051210869376104954"),
                Arguments.of("Anything you're good at contributes to happiness.", "108247482078852440"),
                Arguments.of("hello", "11177612005948864433"),
                Arguments.of(" world", "189104202581697307"),
                Arguments.of("hello world", "5981764153023615706"),
                Arguments.of("This is a test.", "2186167744391481992"));
    }

    static Stream<Arguments> vectorsPerEngine() {
        return Engines.all().stream().flatMap(engine -> vectors().map(v -> {
            Object[] inputAndExpected = v.get();
            return Arguments.of(engine.name(), engine, inputAndExpected[0], inputAndExpected[1]);
        }));
    }

    @ParameterizedTest(name = "{0}: \"{2}\"")
    @MethodSource("vectorsPerEngine")
    void checkValues(String name, Crc64Engine engine, String input, String expected) {
        byte[] bytes = input.getBytes(UTF_8);
        Crc64 crc = new Crc64(engine);
        crc.update(bytes, 0, bytes.length);
        assertThat(Crc64.toDecimal(crc.value())).isEqualTo(expected);
        assertThat(Crc64.toDecimal(engine.update(0, MemorySegment.ofArray(bytes)))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @MethodSource("vectors")
    void staticOf(String input, String expected) {
        assertThat(Crc64.toDecimal(Crc64.of(input.getBytes(UTF_8)))).isEqualTo(expected);
    }

    @Test
    void combineOfTheHelloWorldVectors() {
        long hello = Crc64.of("hello".getBytes(UTF_8));
        long world = Crc64.of(" world".getBytes(UTF_8));
        assertThat(Crc64.toDecimal(Crc64.combine(hello, world, 6))).isEqualTo("5981764153023615706");
    }

    @Test
    void combineWithEmptyPartsIsIdentity() {
        long hello = Crc64.of("hello".getBytes(UTF_8));
        assertThat(Crc64.combine(hello, 0, 0)).isEqualTo(hello);
        assertThat(Crc64.combine(0, hello, 5)).isEqualTo(hello);
    }

    @Test
    void combineRejectsNegativeLength() {
        assertThatThrownBy(() -> Crc64.combine(1, 2, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void combineAcrossMegabytes() {
        SplittableRandom random = new SplittableRandom(42);
        int[][] splits = {{0, 3 << 20}, {3 << 20, 0}, {1 << 20, (2 << 20) + 13}, {(5 << 20) + 7, 1}, {17, 4 << 20}};
        for (int[] split : splits) {
            byte[] a = new byte[split[0]];
            byte[] b = new byte[split[1]];
            random.nextBytes(a);
            random.nextBytes(b);
            Crc64 whole = new Crc64();
            whole.update(a);
            whole.update(b);
            assertThat(Crc64.combine(Crc64.of(a), Crc64.of(b), b.length))
                    .as("len(A)=%d len(B)=%d", a.length, b.length)
                    .isEqualTo(whole.value());
        }
    }

    @Test
    void engineReportsLzmaWhenItLoads() {
        assertThat(Crc64.engine()).isEqualTo(LzmaCrc64Engine.isAvailable() ? "liblzma" : "java");
    }

    @Test
    void resetStartsOver() {
        Crc64 crc = new Crc64();
        assertThat(crc.value()).isZero();
        crc.update("garbage".getBytes(UTF_8));
        crc.reset();
        assertThat(crc.value()).isZero();
        crc.update("123456789".getBytes(UTF_8));
        assertThat(crc.value()).isEqualTo(0x995DC9BBDF1939FAL);
    }

    @Test
    void toDecimalIsUnsigned() {
        assertThat(Crc64.toDecimal(-1L)).isEqualTo("18446744073709551615");
        assertThat(Crc64.toDecimal(0)).isEqualTo("0");
    }

    @Test
    void updateChecksBounds() {
        Crc64 crc = new Crc64();
        byte[] b = new byte[10];
        assertThatThrownBy(() -> crc.update(b, 5, 6)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> crc.update(b, -1, 2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> crc.update(b, 0, -1)).isInstanceOf(IndexOutOfBoundsException.class);
        crc.update(b, 10, 0);
        assertThat(crc.value()).isZero();
    }

    /** Inputs longer than one downcall slice must be split without losing or repeating bytes. */
    @Test
    void largeInputsMatchAcrossEnginesAndBufferKinds() {
        int size = (int) (2.5 * LzmaCrc64Engine.MAX_CALL_BYTES) + 3;
        byte[] data = new byte[size];
        new SplittableRandom(7).nextBytes(data);
        long expected = JavaCrc64Engine.INSTANCE.update(0, MemorySegment.ofArray(data));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment nativeCopy = arena.allocate(size).copyFrom(MemorySegment.ofArray(data));
            for (Crc64Engine engine : Engines.all()) {
                Crc64 crc = new Crc64(engine);
                crc.update(nativeCopy);
                assertThat(crc.value()).as(engine.name() + " native segment").isEqualTo(expected);
                crc.reset();
                crc.update(ByteBuffer.allocateDirect(size).put(data).flip());
                assertThat(crc.value()).as(engine.name() + " direct buffer").isEqualTo(expected);
            }
        }
    }

    @Test
    void closedSegmentIsRejected() {
        MemorySegment segment;
        try (Arena arena = Arena.ofConfined()) {
            segment = arena.allocate(64);
        }
        for (Crc64Engine engine : Engines.all()) {
            assertThatThrownBy(() -> new Crc64(engine).update(segment)).isInstanceOf(IllegalStateException.class);
        }
    }
}
