package dev.pail.checksum;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streaming CRC-64 as used by OSS's {@code x-oss-hash-crc64ecma} header: CRC-64/XZ, i.e. the reflected ECMA-182
 * polynomial {@code 0xC96C5795D7870F42} with init and xorout {@code 0xFFFF_FFFF_FFFF_FFFF}, printed as an unsigned
 * decimal ({@link #toDecimal(long)}). The CRC of the empty input is {@code 0}; {@code "123456789"} gives
 * {@code 11051210869376104954}.
 *
 * <p>The engine is chosen once, when this class loads: {@code lzma_crc64} from {@code liblzma.so.5} through FFM
 * when it can be bound, otherwise a pure-Java slicing-by-16 implementation; {@link #engine()} says which.
 * The native engine needs native access ({@code --enable-native-access=ALL-UNNAMED}, or the
 * {@code Enable-Native-Access} manifest attribute), without which the JDK prints a warning, or refuses under
 * {@code --illegal-native-access=deny} (and the Java engine is used). Setting the system property
 * {@code pail.crc64.engine=java} forces the Java engine.
 *
 * <p>Instances are not thread-safe; the static methods are.
 */
public final class Crc64 {

    private static final Logger LOG = LoggerFactory.getLogger(Crc64.class);

    /** The reflected ECMA-182 polynomial. */
    static final long POLY = 0xC96C5795D7870F42L;

    private static final Crc64Engine DEFAULT_ENGINE = selectEngine();

    /** {@code x^0} in the reflected representation, where bit 63 is the coefficient of {@code x^0}. */
    private static final long X0 = 1L << 63;

    /**
     * {@code X2N[k] = x^(2^k) mod P}. {@link #combine} shifts by {@code 8 * len2} bits with {@code len2 < 2^63},
     * so exponents {@code 2^3 .. 2^65} are needed: 66 entries, without relying on any period of the sequence.
     */
    private static final long[] X2N = buildX2n();

    private final Crc64Engine engine;
    private long crc;

    /** A checksum of nothing yet ({@link #value()} is {@code 0}), using the process-wide engine. */
    public Crc64() {
        this(DEFAULT_ENGINE);
    }

    /** For tests: a checksum using a specific engine. */
    Crc64(Crc64Engine engine) {
        this.engine = Objects.requireNonNull(engine);
    }

    private static Crc64Engine selectEngine() {
        if ("java".equals(System.getProperty("pail.crc64.engine"))) {
            return JavaCrc64Engine.INSTANCE;
        }
        if (LzmaCrc64Engine.isAvailable()) {
            return LzmaCrc64Engine.INSTANCE;
        }
        // Worth a warning: the Java engine is 4-5x slower, and uploads pay for it.
        // toString(): one line is enough, and SLF4J would print a stack trace for a trailing Throwable.
        LOG.warn("liblzma CRC-64 unavailable, using the pure-Java engine: {}",
                LzmaCrc64Engine.loadFailure().toString());
        return JavaCrc64Engine.INSTANCE;
    }

    /** Name of the engine new instances and the static methods use: {@code "liblzma"} or {@code "java"}. */
    public static String engine() {
        return DEFAULT_ENGINE.name();
    }

    /**
     * Adds {@code len} bytes of {@code b} starting at {@code off}.
     *
     * @throws IndexOutOfBoundsException if the range is not within {@code b} (checked by {@code asSlice})
     */
    public void update(byte[] b, int off, int len) {
        crc = engine.update(crc, MemorySegment.ofArray(b).asSlice(off, len));
    }

    /** Adds all of {@code b}. */
    public void update(byte[] b) {
        crc = engine.update(crc, MemorySegment.ofArray(b));
    }

    /**
     * Adds the bytes between {@code buf}'s position and limit. Heap, direct and read-only buffers all work.
     *
     * <p>Unlike {@link java.util.zip.Checksum#update(ByteBuffer)}, this does <em>not</em> move the position, so a
     * buffer can be checksummed and then written out (or the other way round) without {@code duplicate()}.
     */
    public void update(ByteBuffer buf) {
        crc = engine.update(crc, MemorySegment.ofBuffer(buf));
    }

    /** Adds all bytes of {@code data}, which may be a heap or a native segment. */
    public void update(MemorySegment data) {
        crc = engine.update(crc, data);
    }

    /** The CRC of everything added since construction or the last {@link #reset()}. */
    public long value() {
        return crc;
    }

    /** Forgets everything added; {@link #value()} becomes {@code 0}. */
    public void reset() {
        crc = 0;
    }

    /** The CRC of {@code b}. */
    public static long of(byte[] b) {
        return DEFAULT_ENGINE.update(0, MemorySegment.ofArray(b));
    }

    /**
     * The CRC of {@code A‖B} given {@code crc1 = CRC(A)}, {@code crc2 = CRC(B)} and {@code len2 = len(B)}, without
     * the data: what AppendObject chaining and CompleteMultipartUpload need.
     *
     * <p>This is zlib 1.2.12's method: {@code CRC(A‖B) = CRC(A)·x^(8·len2) mod P xor CRC(B)} (the init and xorout
     * terms cancel), with {@code x^(8·len2)} built from the precomputed {@code x^(2^k)} table by square-and-multiply.
     * It costs at most about 65 polynomial multiplications, around 1 µs, whereas the GF(2) matrix method of
     * older zlib and of aliyun-sdk-oss takes hundreds of microseconds.
     *
     * @throws IllegalArgumentException if {@code len2} is negative
     */
    public static long combine(long crc1, long crc2, long len2) {
        if (len2 < 0) {
            throw new IllegalArgumentException("negative length: " + len2);
        }
        return multModP(x2nModP(len2, 3), crc1) ^ crc2;
    }

    /** {@code crc} as OSS prints it: an unsigned decimal. */
    public static String toDecimal(long crc) {
        return Long.toUnsignedString(crc);
    }

    /** {@code a·b mod P}, both reflected. {@code a} must be non-zero, which all callers guarantee. */
    private static long multModP(long a, long b) {
        long m = X0;
        long p = 0;
        while (true) {
            if ((a & m) != 0) {
                p ^= b;
                if ((a & (m - 1)) == 0) {
                    return p;
                }
            }
            m >>>= 1;
            b = (b >>> 1) ^ (POLY & -(b & 1)); // b·x mod P
        }
    }

    /** {@code x^(n·2^k) mod P}. Never zero, since {@code x} is invertible modulo P. */
    private static long x2nModP(long n, int k) {
        long p = X0;
        for (; n != 0; n >>>= 1, k++) {
            if ((n & 1) != 0) {
                p = multModP(X2N[k], p);
            }
        }
        return p;
    }

    private static long[] buildX2n() {
        long[] table = new long[66];
        long p = X0 >>> 1; // x^1
        for (int k = 0; k < table.length; k++) {
            table[k] = p;
            p = multModP(p, p);
        }
        return table;
    }
}
