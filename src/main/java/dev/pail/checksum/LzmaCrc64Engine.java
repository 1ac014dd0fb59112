package dev.pail.checksum;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;

/**
 * CRC-64/XZ through an FFM downcall to {@code uint64_t lzma_crc64(const uint8_t *buf, size_t size,
 * uint64_t crc)} in {@code liblzma.so.5}, which uses carry-less multiplication where the CPU has it
 * (6–9 GB/s on the reference machine). Debian's dpkg pre-depends on liblzma, so it is practically always there.
 *
 * <p>The downcall is {@linkplain Linker.Option#critical(boolean) critical with heap access}, so byte arrays
 * and heap buffers are passed without copying. A critical call is cheap enough (about 10 ns) that it beats the
 * Java engine even on 8-byte inputs, so there is no small-input shortcut. The price is that the JVM cannot reach
 * a safepoint (so no GC can run) during the call; large inputs are therefore fed in {@link #MAX_CALL_BYTES}
 * slices.
 */
final class LzmaCrc64Engine implements Crc64Engine {

    static final LzmaCrc64Engine INSTANCE = new LzmaCrc64Engine();

    /** Largest slice per downcall: about 150 µs at 7 GB/s, short enough not to hold up a safepoint noticeably. */
    static final long MAX_CALL_BYTES = 1 << 20;

    /** Bound once; {@code static final} so the JIT inlines the downcall. Null when the library is unusable. */
    private static final MethodHandle LZMA_CRC64;

    /** Why {@link #LZMA_CRC64} could not be bound, or null. */
    private static final RuntimeException LOAD_FAILURE;

    static {
        MethodHandle handle = null;
        RuntimeException failure = null;
        try {
            handle = bind();
        } catch (RuntimeException e) {
            // Library missing, symbol missing, native access denied, unsupported platform: all mean "use Java".
            failure = e;
        }
        LZMA_CRC64 = handle;
        LOAD_FAILURE = failure;
    }

    private LzmaCrc64Engine() {}

    private static MethodHandle bind() {
        Linker linker = Linker.nativeLinker();
        // The Java signature below hard-codes size_t as long.
        if (!ValueLayout.JAVA_LONG.equals(linker.canonicalLayouts().get("size_t"))) {
            throw new UnsupportedOperationException("size_t is not 64 bits on this platform");
        }
        MemorySegment symbol = SymbolLookup.libraryLookup("liblzma.so.5", Arena.global()).findOrThrow("lzma_crc64");
        MethodHandle handle = linker.downcallHandle(
                symbol,
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                        ValueLayout.JAVA_LONG),
                Linker.Option.critical(true));
        // Guard against a library that has the symbol but not the XZ semantics we rely on.
        MemorySegment check = MemorySegment.ofArray("123456789".getBytes(StandardCharsets.US_ASCII));
        long got = invoke(handle, check, 0);
        if (got != 0x995DC9BBDF1939FAL) {
            throw new IllegalStateException("lzma_crc64 check value mismatch: " + Long.toHexString(got));
        }
        return handle;
    }

    private static long invoke(MethodHandle handle, MemorySegment data, long crc) {
        try {
            return (long) handle.invokeExact(data, data.byteSize(), crc);
        } catch (RuntimeException | Error e) {
            throw e; // e.g. IllegalStateException for a segment whose arena is closed
        } catch (Throwable t) {
            throw new AssertionError("invokeExact threw a checked exception", t);
        }
    }

    /** True when liblzma was found and passed the check value. */
    static boolean isAvailable() {
        return LZMA_CRC64 != null;
    }

    /** Why liblzma is not available, or null when it is. */
    static RuntimeException loadFailure() {
        return LOAD_FAILURE;
    }

    @Override
    public String name() {
        return "liblzma";
    }

    @Override
    public long update(long crc, MemorySegment data) {
        if (LZMA_CRC64 == null) {
            throw new IllegalStateException("liblzma is not available", LOAD_FAILURE);
        }
        while (data.byteSize() > MAX_CALL_BYTES) {
            crc = invoke(LZMA_CRC64, data.asSlice(0, MAX_CALL_BYTES), crc);
            data = data.asSlice(MAX_CALL_BYTES);
        }
        return invoke(LZMA_CRC64, data, crc);
    }
}
