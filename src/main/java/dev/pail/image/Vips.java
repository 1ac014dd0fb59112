package dev.pail.image;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hand-written FFM binding to libvips 8.x ({@code libvips.so.42}, Debian {@code libvips42}).
 *
 * <p>Only the few entry points the image engine needs are used, all through one generic
 * downcall helper: the C API's optional arguments are variadic {@code name, value} pairs closed by
 * {@code NULL}, so a call's {@link FunctionDescriptor} follows from the Java types of the
 * arguments ({@link Integer} → int, {@link Double} → double, {@link Long} → size_t,
 * {@link MemorySegment}/{@link String} → pointer) and the variadic part starts at the first optional
 * argument ({@link Linker.Option#firstVariadicArg}). Method handles are cached per name and
 * signature.
 *
 * <p>{@link Session} is the per-request scope: a confined {@link Arena} for C strings, arrays and
 * out-parameters, and the list of every {@code VipsImage} created, all unreferenced on close. Nothing
 * outlives the session except the output bytes, which are copied to the Java heap and the C buffer
 * freed with {@code g_free}.
 *
 * <p>The operation cache is disabled ({@code vips_cache_set_max(0)}): sources are read from buffers
 * owned by a session, and a cached operation must never refer to a freed buffer. Untrusted loaders
 * (ImageMagick and friends) are blocked; callers gate sources by their magic bytes anyway.
 */
final class Vips {
    private static final Linker LINKER = Linker.nativeLinker();
    static final AddressLayout PTR = ValueLayout.ADDRESS;

    // VipsBandFormat
    static final int UCHAR = 0;
    static final int FLOAT = 6;
    static final int DOUBLE = 8;
    // VipsInterpretation
    static final int SRGB = 22;
    // VipsAccess
    static final int ACCESS_RANDOM = 0;
    static final int ACCESS_SEQUENTIAL = 1;
    // VipsFailOn
    static final int FAIL_ON_NONE = 0;
    static final int FAIL_ON_ERROR = 2;
    // VipsAngle
    static final int D90 = 1;
    static final int D180 = 2;
    static final int D270 = 3;
    // VipsDirection
    static final int HORIZONTAL = 0;
    static final int VERTICAL = 1;
    // VipsExtend
    static final int EXTEND_BLACK = 0;
    static final int EXTEND_COPY = 1;
    static final int EXTEND_BACKGROUND = 5;
    // VipsBlendMode
    static final int BLEND_OVER = 2;
    // VipsOperationRound
    static final int ROUND_RINT = 0;
    // VipsPrecision
    static final int PRECISION_FLOAT = 1;
    // VipsSize
    static final int SIZE_FORCE = 3;

    private final SymbolLookup lib;
    private final Map<String, MethodHandle> handles = new ConcurrentHashMap<>();
    private final String version;

    private Vips(SymbolLookup lib) {
        this.lib = lib;
        this.version = versionString();
    }

    /** Holder: the library is loaded and initialised once, on first use. */
    private static final class Holder {
        static final Optional<Vips> INSTANCE = init();

        private static Optional<Vips> init() {
            try {
                SymbolLookup lookup = SymbolLookup.libraryLookup("libvips.so.42", Arena.global());
                Vips vips = new Vips(lookup);
                try (Arena a = Arena.ofConfined()) {
                    int rc = (int) vips.handle("vips_init", FunctionDescriptor.of(ValueLayout.JAVA_INT, PTR), -1)
                            .invokeExact(a.allocateFrom("pail"));
                    if (rc != 0) return Optional.empty();
                }
                vips.voidCall("vips_cache_set_max", 0);
                vips.quietWarnings();
                if (vips.lib.find("vips_block_untrusted_set").isPresent()) vips.voidCall("vips_block_untrusted_set", 1);
                return Optional.of(vips);
            } catch (Throwable e) { // IllegalArgumentException (no library), UnsatisfiedLinkError, IllegalCallerException...
                return Optional.empty();
            }
        }
    }

    private static final System.Logger LOG = System.getLogger(Vips.class.getName());

    /** Sends libvips' warnings (truncated files, ignored profiles...) to the JDK logger at DEBUG instead of stderr. */
    private void quietWarnings() {
        try {
            MethodHandle target = java.lang.invoke.MethodHandles.lookup().findStatic(Vips.class, "logWarning",
                    java.lang.invoke.MethodType.methodType(void.class, MemorySegment.class, int.class, MemorySegment.class, MemorySegment.class));
            MemorySegment stub = LINKER.upcallStub(target, FunctionDescriptor.ofVoid(PTR, ValueLayout.JAVA_INT, PTR, PTR), Arena.global());
            try (Arena a = Arena.ofConfined()) {
                int warning = 1 << 4; // G_LOG_LEVEL_WARNING
                invoke("g_log_set_handler", ValueLayout.JAVA_INT, -1, a.allocateFrom("VIPS"), warning, stub, MemorySegment.NULL);
            }
        } catch (Throwable e) {
            LOG.log(System.Logger.Level.DEBUG, "libvips warnings stay on stderr: " + e);
        }
    }

    @SuppressWarnings("unused") // upcall target
    private static void logWarning(MemorySegment domain, int level, MemorySegment message, MemorySegment data) {
        try {
            if (LOG.isLoggable(System.Logger.Level.DEBUG)) LOG.log(System.Logger.Level.DEBUG, "libvips: " + cString(message));
        } catch (Throwable ignored) {
            // never let an exception escape into C
        }
    }

    /** The initialised binding, or empty when libvips.so.42 cannot be loaded or vips_init fails. */
    static Optional<Vips> get() {
        return Holder.INSTANCE;
    }

    String version() { return version; }

    private String versionString() {
        try {
            MemorySegment s = (MemorySegment) handle("vips_version_string", FunctionDescriptor.of(PTR), -1).invokeExact();
            return cString(s);
        } catch (Throwable e) {
            return "unknown";
        }
    }

    // --- generic downcalls --------------------------------------------------------------------------

    private MethodHandle handle(String name, FunctionDescriptor fd, int firstVariadic) {
        String key = name + fd + firstVariadic;
        MethodHandle h = handles.get(key);
        if (h != null) return h;
        MemorySegment symbol = lib.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libvips has no " + name));
        h = firstVariadic < 0
                ? LINKER.downcallHandle(symbol, fd)
                : LINKER.downcallHandle(symbol, fd, Linker.Option.firstVariadicArg(firstVariadic));
        handles.putIfAbsent(key, h);
        return h;
    }

    private static MemoryLayout layout(Object arg) {
        return switch (arg) {
            case Integer i -> ValueLayout.JAVA_INT;
            case Boolean b -> ValueLayout.JAVA_INT;
            case Double d -> ValueLayout.JAVA_DOUBLE;
            case Long l -> ValueLayout.JAVA_LONG;
            case MemorySegment m -> PTR;
            default -> throw new IllegalArgumentException("unsupported native argument " + arg.getClass());
        };
    }

    /**
     * Calls {@code name}; the first {@code fixed} arguments are the fixed C parameters, the rest
     * variadic ({@code fixed} &lt; 0: not a variadic function). {@code ret} is null for void.
     */
    Object invoke(String name, MemoryLayout ret, int fixed, Object... args) {
        MemoryLayout[] layouts = new MemoryLayout[args.length];
        Object[] values = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a instanceof Boolean b) a = b ? 1 : 0;
            layouts[i] = layout(a);
            values[i] = a;
        }
        FunctionDescriptor fd = ret == null ? FunctionDescriptor.ofVoid(layouts) : FunctionDescriptor.of(ret, layouts);
        MethodHandle h = handle(name, fd, fixed >= 0 && fixed < args.length ? fixed : -1);
        try {
            return h.invokeWithArguments(values);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(name + ": " + e, e);
        }
    }

    void voidCall(String name, Object... args) {
        invoke(name, null, -1, args);
    }

    int intCall(String name, Object... args) {
        return (int) invoke(name, ValueLayout.JAVA_INT, -1, args);
    }

    MemorySegment ptrCall(String name, Object... args) {
        return (MemorySegment) invoke(name, PTR, -1, args);
    }

    static String cString(MemorySegment s) {
        if (s == null || s.equals(MemorySegment.NULL)) return "";
        return s.reinterpret(Integer.MAX_VALUE).getString(0);
    }

    /** The accumulated vips error text (cleared); empty when none. */
    String takeError() {
        String msg = cString(ptrCall("vips_error_buffer"));
        voidCall("vips_error_clear");
        return msg.strip();
    }

    void unref(MemorySegment object) {
        if (object != null && !object.equals(MemorySegment.NULL)) voidCall("g_object_unref", object);
    }

    void free(MemorySegment p) {
        if (p != null && !p.equals(MemorySegment.NULL)) voidCall("g_free", p);
    }

    int width(MemorySegment img) { return intCall("vips_image_get_width", img); }

    int height(MemorySegment img) { return intCall("vips_image_get_height", img); }

    int bands(MemorySegment img) { return intCall("vips_image_get_bands", img); }

    int format(MemorySegment img) { return intCall("vips_image_get_format", img); }

    int interpretation(MemorySegment img) { return intCall("vips_image_guess_interpretation", img); }

    int pages(MemorySegment img) { return intCall("vips_image_get_n_pages", img); }

    /** A libvips failure; the engine maps it to an OSS error. */
    static final class VipsException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        VipsException(String message) {
            super(message);
        }
    }

    // --- sessions -------------------------------------------------------------------------------

    /** Marks the {@code VipsImage **out} argument of {@link Session#image}. */
    static final Object OUT = new Object();

    Session session() {
        return new Session(this);
    }

    /** One request's native scope; not thread-safe (confined arena). */
    static final class Session implements AutoCloseable {
        final Vips vips;
        final Arena arena = Arena.ofConfined();
        private final List<MemorySegment> images = new ArrayList<>();

        Session(Vips vips) {
            this.vips = vips;
            vips.voidCall("vips_error_clear"); // the buffer is process-wide: drop stale text
        }

        MemorySegment str(String s) {
            return arena.allocateFrom(s);
        }

        /** Copies bytes to native memory owned by this session. */
        MemorySegment bytes(byte[] b) {
            MemorySegment seg = arena.allocate(Math.max(1, b.length), 16);
            MemorySegment.copy(b, 0, seg, ValueLayout.JAVA_BYTE, 0, b.length);
            return seg;
        }

        MemorySegment doubles(double... values) {
            return arena.allocateFrom(ValueLayout.JAVA_DOUBLE, values);
        }

        /** Registers an image to unref when the session closes; throws on NULL. */
        MemorySegment track(MemorySegment img, String what) {
            if (img == null || img.equals(MemorySegment.NULL)) throw error(what);
            images.add(img);
            return img;
        }

        VipsException error(String what) {
            String msg = vips.takeError();
            return new VipsException(what + (msg.isEmpty() ? " failed" : ": " + msg));
        }

        private Object[] prepare(Object[] args, MemorySegment out, boolean terminate) {
            Object[] converted = new Object[args.length + (terminate ? 1 : 0)];
            for (int i = 0; i < args.length; i++) {
                Object a = args[i];
                if (a == OUT) a = out;
                else if (a instanceof String s) a = str(s);
                else if (a == null) a = MemorySegment.NULL;
                converted[i] = a;
            }
            if (terminate) converted[args.length] = MemorySegment.NULL;
            return converted;
        }

        /**
         * Runs a variadic vips operation returning int (0 = success) that writes one image to its
         * {@link #OUT} argument; {@code fixed} is the number of fixed C parameters. The options are
         * name/value pairs, NULL-terminated here.
         */
        MemorySegment image(String fn, int fixed, Object... args) {
            MemorySegment out = arena.allocate(PTR);
            out.set(PTR, 0, MemorySegment.NULL);
            int rc = (int) vips.invoke(fn, ValueLayout.JAVA_INT, fixed, prepare(args, out, true));
            MemorySegment img = out.get(PTR, 0);
            if (rc != 0) {
                if (!img.equals(MemorySegment.NULL)) vips.unref(img);
                throw error(fn);
            }
            return track(img, fn);
        }

        /** A variadic vips call returning int (0 = success) with no image output. */
        void run(String fn, int fixed, Object... args) {
            int rc = (int) vips.invoke(fn, ValueLayout.JAVA_INT, fixed, prepare(args, null, true));
            if (rc != 0) throw error(fn);
        }

        /** A VipsArrayDouble for an option such as "background"; unreffed on close. */
        MemorySegment arrayDouble(double... values) {
            MemorySegment a = vips.ptrCall("vips_array_double_new", doubles(values), values.length);
            if (a.equals(MemorySegment.NULL)) throw error("vips_array_double_new");
            areas.add(a);
            return a;
        }

        /** A VipsArrayInt for an option such as "oarea"; unreffed on close. */
        MemorySegment arrayInt(int... values) {
            MemorySegment a = vips.ptrCall("vips_array_int_new", arena.allocateFrom(ValueLayout.JAVA_INT, values), values.length);
            if (a.equals(MemorySegment.NULL)) throw error("vips_array_int_new");
            areas.add(a);
            return a;
        }

        private final List<MemorySegment> areas = new ArrayList<>();

        /** {@code vips_image_new_from_buffer}: the header is read now, pixels on demand. */
        MemorySegment load(MemorySegment buf, long len, int access, int failOn) {
            MemorySegment img = (MemorySegment) vips.invoke("vips_image_new_from_buffer", PTR, 3,
                    buf, len, str(""), str("access"), access, str("fail_on"), failOn, MemorySegment.NULL);
            return track(img, "load");
        }

        /** Encodes with a suffix such as {@code .jpg[Q=85]} and copies the result to the heap. */
        byte[] save(MemorySegment img, String suffix) {
            MemorySegment bufOut = arena.allocate(PTR);
            MemorySegment lenOut = arena.allocate(ValueLayout.JAVA_LONG);
            bufOut.set(PTR, 0, MemorySegment.NULL);
            int rc = (int) vips.invoke("vips_image_write_to_buffer", ValueLayout.JAVA_INT, 4,
                    img, str(suffix), bufOut, lenOut, MemorySegment.NULL);
            MemorySegment buf = bufOut.get(PTR, 0);
            try {
                if (rc != 0) throw error("save " + suffix);
                long len = lenOut.get(ValueLayout.JAVA_LONG, 0);
                if (len < 0 || len > Integer.MAX_VALUE - 16) throw new VipsException("save: output too large");
                return buf.reinterpret(len).toArray(ValueLayout.JAVA_BYTE);
            } finally {
                vips.free(buf);
            }
        }

        /** The pixels as a packed array (format as the image's; uchar → one byte per sample). */
        byte[] pixels(MemorySegment img) {
            MemorySegment lenOut = arena.allocate(ValueLayout.JAVA_LONG);
            MemorySegment buf = vips.ptrCall("vips_image_write_to_memory", img, lenOut);
            if (buf.equals(MemorySegment.NULL)) throw error("write_to_memory");
            try {
                long len = lenOut.get(ValueLayout.JAVA_LONG, 0);
                if (len < 0 || len > Integer.MAX_VALUE - 16) throw new VipsException("write_to_memory: image too large");
                return buf.reinterpret(len).toArray(ValueLayout.JAVA_BYTE);
            } finally {
                vips.free(buf);
            }
        }

        /** As {@link #pixels} for a double image. */
        double[] doublePixels(MemorySegment img) {
            MemorySegment lenOut = arena.allocate(ValueLayout.JAVA_LONG);
            MemorySegment buf = vips.ptrCall("vips_image_write_to_memory", img, lenOut);
            if (buf.equals(MemorySegment.NULL)) throw error("write_to_memory");
            try {
                long len = lenOut.get(ValueLayout.JAVA_LONG, 0);
                return buf.reinterpret(len).toArray(ValueLayout.JAVA_DOUBLE);
            } finally {
                vips.free(buf);
            }
        }

        /** A uchar image from packed samples (copied by libvips). */
        MemorySegment fromPixels(byte[] data, int width, int height, int bands) {
            if ((long) width * height * bands != data.length) throw new IllegalArgumentException("pixel buffer size");
            MemorySegment seg = bytes(data);
            MemorySegment img = vips.ptrCall("vips_image_new_from_memory_copy", seg, (long) data.length, width, height, bands, UCHAR);
            return track(img, "new_from_memory_copy");
        }

        /** A 1-row double matrix (a convolution mask) with scale 1 and offset 0. */
        MemorySegment matrix(double[] values) {
            MemorySegment img = vips.ptrCall("vips_image_new_matrix_from_array", values.length, 1, doubles(values), values.length);
            return track(img, "new_matrix_from_array");
        }

        /** The int metadata field, or {@code dflt} when absent. */
        int intField(MemorySegment img, String name, int dflt) {
            MemorySegment n = str(name);
            long type = (long) vips.invoke("vips_image_get_typeof", ValueLayout.JAVA_LONG, -1, img, n);
            if (type == 0) return dflt;
            MemorySegment out = arena.allocate(ValueLayout.JAVA_INT);
            int rc = (int) vips.invoke("vips_image_get_int", ValueLayout.JAVA_INT, -1, img, n, out);
            if (rc != 0) {
                vips.takeError();
                return dflt;
            }
            return out.get(ValueLayout.JAVA_INT, 0);
        }

        @Override
        public void close() {
            for (int i = images.size() - 1; i >= 0; i--) vips.unref(images.get(i));
            images.clear();
            for (MemorySegment a : areas) vips.voidCall("vips_area_unref", a);
            areas.clear();
            arena.close();
        }
    }
}
