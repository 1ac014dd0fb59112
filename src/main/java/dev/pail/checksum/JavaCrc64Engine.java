package dev.pail.checksum;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Pure-Java CRC-64/XZ using slicing-by-16: sixteen bytes per step through sixteen 256-entry tables.
 *
 * <p>About 1.5–1.8 GB/s on the reference machine, against 6–9 GB/s for {@link LzmaCrc64Engine}; it exists as
 * the portable fallback and as an independent implementation to test the native one against.
 *
 * <p>It reads through {@link MemorySegment} so one loop serves byte arrays, heap and direct buffers alike;
 * for large inputs that is as fast as a {@code byte[]} view {@code VarHandle}.
 */
final class JavaCrc64Engine implements Crc64Engine {

    static final JavaCrc64Engine INSTANCE = new JavaCrc64Engine();

    /** Little-endian because the CRC is reflected: the first byte in memory is the lowest in the register. */
    private static final ValueLayout.OfLong LONG_LE =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /**
     * Table {@code s} (entries {@code [256*s, 256*s+256)}) holds the CRC register after feeding byte {@code i}
     * followed by {@code s} zero bytes, so a byte that is {@code s} places before the end of a 16-byte block
     * is looked up in table {@code s}. One flat array keeps the lookups to a single bounds-checked array.
     */
    private static final long[] TABLE = buildTable();

    private JavaCrc64Engine() {}

    private static long[] buildTable() {
        long[] t = new long[16 * 256];
        for (int i = 0; i < 256; i++) {
            long c = i;
            for (int bit = 0; bit < 8; bit++) {
                c = (c >>> 1) ^ (Crc64.POLY & -(c & 1));
            }
            t[i] = c;
        }
        for (int s = 1; s < 16; s++) {
            for (int i = 0; i < 256; i++) {
                long prev = t[(s - 1) * 256 + i];
                t[s * 256 + i] = (prev >>> 8) ^ t[(int) (prev & 0xFF)];
            }
        }
        return t;
    }

    @Override
    public String name() {
        return "java";
    }

    @Override
    public long update(long crc, MemorySegment data) {
        long[] t = TABLE;
        long c = ~crc;
        long off = 0;
        long size = data.byteSize();
        for (; size - off >= 16; off += 16) {
            long a = data.get(LONG_LE, off) ^ c;
            long b = data.get(LONG_LE, off + 8);
            c = t[15 * 256 + (int) (a & 0xFF)]
                    ^ t[14 * 256 + (int) ((a >>> 8) & 0xFF)]
                    ^ t[13 * 256 + (int) ((a >>> 16) & 0xFF)]
                    ^ t[12 * 256 + (int) ((a >>> 24) & 0xFF)]
                    ^ t[11 * 256 + (int) ((a >>> 32) & 0xFF)]
                    ^ t[10 * 256 + (int) ((a >>> 40) & 0xFF)]
                    ^ t[9 * 256 + (int) ((a >>> 48) & 0xFF)]
                    ^ t[8 * 256 + (int) (a >>> 56)]
                    ^ t[7 * 256 + (int) (b & 0xFF)]
                    ^ t[6 * 256 + (int) ((b >>> 8) & 0xFF)]
                    ^ t[5 * 256 + (int) ((b >>> 16) & 0xFF)]
                    ^ t[4 * 256 + (int) ((b >>> 24) & 0xFF)]
                    ^ t[3 * 256 + (int) ((b >>> 32) & 0xFF)]
                    ^ t[2 * 256 + (int) ((b >>> 40) & 0xFF)]
                    ^ t[256 + (int) ((b >>> 48) & 0xFF)]
                    ^ t[(int) (b >>> 56)];
        }
        for (; off < size; off++) {
            c = (c >>> 8) ^ t[(int) ((c ^ data.get(ValueLayout.JAVA_BYTE, off)) & 0xFF)];
        }
        return ~c;
    }
}
