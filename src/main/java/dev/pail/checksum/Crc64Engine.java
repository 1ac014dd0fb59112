package dev.pail.checksum;

import java.lang.foreign.MemorySegment;

/**
 * One way of computing CRC-64/XZ over memory.
 *
 * <p>The CRC passed in and returned is the <em>finalized</em> value (already XOR'ed with
 * {@code 0xFFFF_FFFF_FFFF_FFFF}), which is what {@code lzma_crc64} takes: the CRC of the empty input is
 * {@code 0}, and continuing a stream means passing the previous result back in.
 */
interface Crc64Engine {

    /** Short name reported by {@link Crc64#engine()}. */
    String name();

    /** Returns the CRC of everything covered by {@code crc} followed by all bytes of {@code data}. */
    long update(long crc, MemorySegment data);
}
