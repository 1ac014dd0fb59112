package dev.pail.image;

import com.fasterxml.jackson.core.JsonFactory;
import dev.pail.image.Geometry.Fill;
import dev.pail.image.Geometry.Keep;
import dev.pail.image.Geometry.Pad;
import dev.pail.image.Geometry.Plan;
import dev.pail.image.Geometry.Rect;
import dev.pail.image.Geometry.Scale;
import dev.pail.image.ImageOp.*;
import dev.pail.xml.OssError;
import dev.pail.xml.OssException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The libvips image engine (hand-written FFM binding in {@link Vips}) with the semantics of
 * {@link JavaEngine}: the same output sizes and rounding for every resize mode, crop/gravity
 * arithmetic, mask shapes, rotation canvas, filter kernels, watermark placement, quality rules,
 * info/average-hue JSON and errors, so either engine can serve a request. The engine-independent
 * parts are the Java engine's own code ({@link Geometry}, {@link ImageLimits},
 * {@link OutputEncoding}, {@link Watermarks}); only the pixel work is libvips'.
 *
 * <p>Native: decoding (JPEG, PNG, GIF, WebP, TIFF, HEIC/AVIF), shrink-on-load when resize is the
 * first action ({@code vips_thumbnail_buffer}), resampling, crop, rotation ({@code vips_rot},
 * {@code vips_affine}), masks, blur/sharpen (separable convolution with the Java engine's kernels),
 * bright/contrast, compositing, Pango text, tiling, statistics and encoding. In Java: BMP decoding
 * and encoding ({@link Codec}; libvips 8.14 reads/writes BMP only through ImageMagick, which is
 * blocked), the {@code info} JSON ({@link ImageInfo}, the same code as the Java engine), the
 * anti-aliased coverage of one circle quadrant / one rounded corner (mirrored and applied in
 * libvips) and the text box metrics (Java2D's advance × line height, so text marks sit where the Java
 * engine puts them; the glyphs themselves are Pango's).
 *
 * <p>Inside the pipeline an image is 8-bit sRGB with 3 bands (opaque) or 4 (alpha). Differences
 * from the Java engine: AVIF and HEIC are read and written (output at most 4096×4096 for HEIC and
 * 4096×2304 for AVIF, else InvalidArgument); an image with an alpha band keeps it in PNG, WebP, TIFF
 * and GIF output even when every pixel is opaque; pixel values differ by resampling and rounding noise
 * (mean difference under one level in the tests).
 */
public final class VipsEngine implements ImageEngine {
    private final Vips vips;
    private final JsonFactory json = new JsonFactory();

    private VipsEngine(Vips vips) {
        this.vips = vips;
    }

    /** The engine when libvips.so.42 loads and initialises, else empty (use {@link JavaEngine}). */
    public static Optional<VipsEngine> load() {
        return Vips.get().map(VipsEngine::new);
    }

    @Override
    public String name() { return "vips " + vips.version(); }

    // --- probe ----------------------------------------------------------------------------------

    @Override
    public Probe probe(byte[] source) throws IOException {
        if (source == null || source.length == 0) throw OssError.BAD_REQUEST.exception(Codec.NOT_AN_IMAGE);
        String format = Codec.sniff(source);
        if (format == null) throw OssError.BAD_REQUEST.exception(Codec.NOT_AN_IMAGE);
        if (format.equals("bmp")) return Codec.probe(source);
        try (Vips.Session s = vips.session()) {
            MemorySegment img;
            try {
                img = s.load(s.bytes(source), source.length, Vips.ACCESS_SEQUENTIAL, Vips.FAIL_ON_NONE); // header only
            } catch (Vips.VipsException e) {
                throw OssError.BAD_REQUEST.exception(Codec.NOT_AN_IMAGE);
            }
            int w = vips.width(img);
            int h = vips.height(img);
            if (w <= 0 || h <= 0) throw OssError.BAD_REQUEST.exception(Codec.NOT_AN_IMAGE);
            int frames = format.equals("gif") ? Math.max(1, vips.pages(img)) : 1;
            return new Probe(format, w, h, frames);
        }
    }

    // --- process --------------------------------------------------------------------------------

    @Override
    public Output process(byte[] source, List<ImageOp> ops, ObjectLoader objects) throws IOException {
        try {
            return run(source, ops, objects);
        } catch (OssException | IOException e) {
            throw e;
        } catch (Vips.VipsException e) {
            throw OssError.BAD_REQUEST.exception("The image could not be processed: " + e.getMessage());
        } catch (RuntimeException e) {
            throw OssError.BAD_REQUEST.exception("The image could not be processed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
    }

    /** Per-call state: the libvips session, the source (native copy, EXIF orientation) and whether auto-orient ran. */
    private static final class Job {
        final Vips.Session s;
        final byte[] source;
        final Probe probe;
        final ObjectLoader objects;
        final boolean watermark;
        int orientation = -1;
        boolean oriented;
        private MemorySegment buffer;

        /** The source copied to native memory once per job (it must outlive every image read from it). */
        MemorySegment buffer() {
            if (buffer == null) buffer = s.bytes(source);
            return buffer;
        }

        Job(Vips.Session s, byte[] source, Probe probe, ObjectLoader objects, boolean watermark) {
            this.s = s;
            this.source = source;
            this.probe = probe;
            this.objects = objects;
            this.watermark = watermark;
        }
    }

    private Output run(byte[] source, List<ImageOp> ops, ObjectLoader objects) throws IOException {
        Probe probe = probe(source);
        ImageLimits.checkSource(probe, OssError.IMAGE_TOO_LARGE);
        if (ops.size() == 1 && ops.getFirst() instanceof Info) {
            return new Output(ImageInfo.json(json, source, probe), "application/json");
        }
        OutputEncoding encoding = OutputEncoding.of(probe.format(), ops);
        try (Vips.Session s = vips.session()) {
            Job job = new Job(s, source, probe, objects, false);
            if (ops.size() == 1 && ops.getFirst() instanceof AverageHue) {
                MemorySegment img = open(job, OssError.BAD_REQUEST);
                return new Output(ImageInfo.averageHue(json, averageColor(s, img)), "application/json");
            }
            MemorySegment img = pipeline(job, ops, probe.width(), probe.height(), OssError.BAD_REQUEST);
            int quality = encoding.quality(source, probe.format());
            return new Output(encode(s, img, encoding.format(), quality, encoding.progressive()), contentType(encoding.format()));
        }
    }

    /** Opens the job's source and applies the ops; a leading resize shrinks on load. */
    private MemorySegment pipeline(Job job, List<ImageOp> ops, int baseW, int baseH, OssError error) throws IOException {
        MemorySegment img = null;
        int start = 0;
        if (!ops.isEmpty() && ops.getFirst() instanceof Resize r && !job.probe.format().equals("bmp")) {
            Plan plan = Geometry.resize(job.probe.width(), job.probe.height(), r, job.watermark, baseW, baseH);
            img = thumbnail(job, plan, error);
            if (img != null || plan instanceof Keep) start = 1; // else resized below, after decoding
            if (img != null && needsRandomAccess(ops.subList(1, ops.size()))) {
                img = job.s.track(vips.ptrCall("vips_image_copy_memory", img), "copy_memory");
            }
        }
        if (img == null) img = open(job, error);
        for (int i = start; i < ops.size(); i++) img = apply(img, ops.get(i), job, baseW, baseH);
        return img;
    }

    private static boolean needsRandomAccess(List<ImageOp> rest) {
        for (ImageOp op : rest) {
            if (!(op instanceof ImageOp.Format || op instanceof Quality || op instanceof Interlace)) return true;
        }
        return false;
    }

    /** Decodes the whole source (random access), normalised to 8-bit sRGB with 3 or 4 bands. */
    private MemorySegment open(Job job, OssError error) {
        Vips.Session s = job.s;
        if (job.probe.format().equals("bmp")) {
            return fromJava(s, Codec.decode(job.source, job.probe, error));
        }
        MemorySegment img;
        try {
            img = s.load(job.buffer(), job.source.length, Vips.ACCESS_RANDOM, failOn(job.probe.format()));
        } catch (Vips.VipsException e) {
            throw error.exception(error == OssError.WATERMARK_ERROR ? "The watermark image could not be decoded." : Codec.NOT_AN_IMAGE);
        }
        if (job.orientation < 0) job.orientation = s.intField(img, "orientation", 1);
        return normalise(s, img);
    }

    /**
     * How strict decoding is, as the Java engine's ImageIO readers: a truncated or damaged JPEG
     * still gives an image (the missing part grey), other formats with broken data are a BadRequest.
     */
    private static int failOn(String format) {
        return format.equals("jpg") ? Vips.FAIL_ON_NONE : Vips.FAIL_ON_ERROR;
    }

    /** 8-bit sRGB, 3 bands or 4 with alpha. */
    private MemorySegment normalise(Vips.Session s, MemorySegment img) {
        int interp = vips.interpretation(img);
        int bands = vips.bands(img);
        if (interp != Vips.SRGB || bands < 3) {
            try {
                img = s.image("vips_colourspace", 3, img, Vips.OUT, Vips.SRGB);
            } catch (Vips.VipsException e) {
                // an interpretation libvips cannot convert: take the samples as they are
                vips.takeError();
            }
        }
        if (vips.format(img) != Vips.UCHAR) img = toUchar(s, img);
        bands = vips.bands(img);
        if (bands < 3) { // grey that libvips would not convert: replicate the grey band
            MemorySegment grey = s.image("vips_extract_band", 3, img, Vips.OUT, 0);
            MemorySegment rgb = s.image("vips_cast", 3,
                    s.image("vips_linear", 5, grey, Vips.OUT, s.doubles(1, 1, 1), s.doubles(0, 0, 0), 3), Vips.OUT, Vips.UCHAR);
            img = bands == 2 ? s.image("vips_bandjoin2", 3, rgb, s.image("vips_extract_band", 3, img, Vips.OUT, 1), Vips.OUT) : rgb;
        }
        if (vips.bands(img) > 4) img = s.image("vips_extract_band", 3, img, Vips.OUT, 0, "n", 4);
        return img;
    }

    /** Tags an image built from masks and constants (interpretation "multiband") as sRGB. */
    private MemorySegment srgb(Vips.Session s, MemorySegment img) {
        if (vips.intCall("vips_image_get_interpretation", img) == Vips.SRGB) return img;
        return s.image("vips_copy", 2, img, Vips.OUT, "interpretation", Vips.SRGB);
    }

    /** Rounds to nearest and casts to uchar (clipping to 0..255). */
    private MemorySegment toUchar(Vips.Session s, MemorySegment img) {
        int f = vips.format(img);
        if (f == Vips.UCHAR) return img;
        if (f == Vips.FLOAT || f == Vips.DOUBLE) img = s.image("vips_round", 3, img, Vips.OUT, Vips.ROUND_RINT);
        return s.image("vips_cast", 3, img, Vips.OUT, Vips.UCHAR);
    }

    private boolean hasAlpha(MemorySegment img) {
        return vips.bands(img) == 4;
    }

    private MemorySegment withAlpha(Vips.Session s, MemorySegment img) {
        return hasAlpha(img) ? img : s.image("vips_bandjoin_const1", 3, img, Vips.OUT, 255.0);
    }

    /** An ARGB image into libvips (3 bands when every pixel is opaque). */
    private MemorySegment fromJava(Vips.Session s, BufferedImage argb) {
        int w = argb.getWidth();
        int h = argb.getHeight();
        int[] px = Codec.pixels(Codec.toArgb(argb));
        boolean alpha = false;
        for (int p : px) {
            if (p >>> 24 != 0xFF) {
                alpha = true;
                break;
            }
        }
        int bands = alpha ? 4 : 3;
        byte[] data = new byte[px.length * bands];
        for (int i = 0, o = 0; i < px.length; i++) {
            int p = px[i];
            data[o++] = (byte) (p >> 16);
            data[o++] = (byte) (p >> 8);
            data[o++] = (byte) p;
            if (alpha) data[o++] = (byte) (p >>> 24);
        }
        return s.fromPixels(data, w, h, bands);
    }

    /** The image as TYPE_INT_ARGB. */
    private BufferedImage toJava(Vips.Session s, MemorySegment img) {
        int w = vips.width(img);
        int h = vips.height(img);
        int bands = vips.bands(img);
        byte[] data = s.pixels(img);
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        int[] px = Codec.pixels(out);
        for (int i = 0, o = 0; i < px.length; i++) {
            int r = data[o] & 0xFF;
            int g = data[o + 1] & 0xFF;
            int b = data[o + 2] & 0xFF;
            int a = bands == 4 ? data[o + 3] & 0xFF : 255;
            o += bands;
            px[i] = a << 24 | r << 16 | g << 8 | b;
        }
        return out;
    }

    // --- ops ------------------------------------------------------------------------------------

    private MemorySegment apply(MemorySegment img, ImageOp op, Job job, int baseW, int baseH) throws IOException {
        Vips.Session s = job.s;
        return switch (op) {
            case Resize r -> resize(s, img, Geometry.resize(vips.width(img), vips.height(img), r, job.watermark, baseW, baseH));
            case Crop c -> crop(s, img, c);
            case IndexCrop c -> indexCrop(s, img, c);
            case Circle c -> circle(s, img, c.radius());
            case RoundedCorners c -> roundedCorners(s, img, c.radius());
            case Rotate r -> rotate(s, img, r.degrees());
            case AutoOrient a -> {
                if (!a.on() || job.oriented) yield img;
                job.oriented = true;
                yield orient(s, img, orientation(job));
            }
            case Blur b -> materialise(job, blur(s, img, b.radius(), b.sigma()));
            case Bright b -> {
                double d = Math.round(b.value() * 2.55f);
                yield linear(s, img, 1, d);
            }
            case Contrast c -> {
                double f = (100 + c.value()) / 100.0;
                yield linear(s, img, f, 127.5 * (1 - f));
            }
            case Sharpen sh -> materialise(job, sharpen(s, img, sh.value()));
            case ImageOp.Format f -> img; // format, quality and interlace: OutputEncoding, read before the ops run
            case Quality q -> img;
            case Interlace i -> img;
            case Watermark w -> job.watermark ? img : watermark(img, w, job);
            case Info i -> img;
            case AverageHue a -> img;
        };
    }

    /** The source's EXIF orientation, read from its header (1 when none). */
    private int orientation(Job job) {
        if (job.orientation >= 0) return job.orientation;
        if (job.probe.format().equals("bmp")) {
            job.orientation = 1;
        } else {
            MemorySegment header = job.s.load(job.buffer(), job.source.length, Vips.ACCESS_SEQUENTIAL, Vips.FAIL_ON_NONE);
            job.orientation = job.s.intField(header, "orientation", 1);
        }
        return job.orientation;
    }

    // --- resize ---------------------------------------------------------------------------------

    /** A leading resize through vips_thumbnail_buffer (shrink-on-load); null when the source is kept as is. */
    private MemorySegment thumbnail(Job job, Plan plan, OssError error) {
        Vips.Session s = job.s;
        int w0 = job.probe.width();
        int h0 = job.probe.height();
        switch (plan) {
            case Keep k -> {
                return null;
            }
            case Scale sc -> { // shrink-on-load helps reductions only; enlargements take the general path
                if (sc.width() > w0 || sc.height() > h0) return null;
                return exact(s, thumb(job, sc.width(), sc.height(), error), sc.width(), sc.height());
            }
            case Pad p -> {
                if (p.tw() > w0 || p.th() > h0) return null;
                return pad(s, exact(s, thumb(job, p.tw(), p.th(), error), p.tw(), p.th()), p.w(), p.h(), p.color());
            }
            case Fill f -> {
                if (f.tw() > f.w() || f.th() > f.h()) return null; // enlarging: crop first on the decoded image
                // scale the whole image so the region becomes tw×th, then cut it out
                double fx = (double) f.tw() / f.w();
                double fy = (double) f.th() / f.h();
                int W = Math.max(f.tw(), (int) Math.round(w0 * fx));
                int H = Math.max(f.th(), (int) Math.round(h0 * fy));
                MemorySegment all = exact(s, thumb(job, W, H, error), W, H);
                int x = Math.min(W - f.tw(), (int) Math.round(f.x() * fx));
                int y = Math.min(H - f.th(), (int) Math.round(f.y() * fy));
                return s.image("vips_extract_area", 6, all, Vips.OUT, x, y, f.tw(), f.th());
            }
        }
    }

    private MemorySegment thumb(Job job, int w, int h, OssError error) {
        Vips.Session s = job.s;
        MemorySegment buf = job.buffer();
        MemorySegment img;
        try {
            img = s.image("vips_thumbnail_buffer", 4, buf, (long) job.source.length, Vips.OUT, w,
                    "height", h, "size", Vips.SIZE_FORCE, "no_rotate", true,
                    "option_string", "fail_on=" + (failOn(job.probe.format()) == Vips.FAIL_ON_NONE ? "none" : "error"));
        } catch (Vips.VipsException e) {
            if (error == OssError.WATERMARK_ERROR) throw error.exception("The watermark image could not be decoded.");
            throw e;
        }
        return normalise(s, img);
    }

    /** Forces exactly w×h after a resample whose rounding may differ by a pixel. */
    private MemorySegment exact(Vips.Session s, MemorySegment img, int w, int h) {
        int iw = vips.width(img);
        int ih = vips.height(img);
        if (iw == w && ih == h) return img;
        if (Math.abs(iw - w) > 2 || Math.abs(ih - h) > 2) {
            return s.image("vips_resize", 3, img, Vips.OUT, (double) w / iw, "vscale", (double) h / ih);
        }
        return s.image("vips_embed", 6, img, Vips.OUT, 0, 0, w, h, "extend", Vips.EXTEND_COPY);
    }

    /**
     * Resamples to exactly w×h: reductions with vips_resize (box pre-shrink + Lanczos-3, like the
     * Java Resampler), enlargements with a bicubic vips_affine aligned on pixel centres (vips_resize
     * 8.14 shifts enlargements by a fraction of a pixel); on premultiplied alpha.
     */
    private MemorySegment resizeTo(Vips.Session s, MemorySegment img, int w, int h) {
        int iw = vips.width(img);
        int ih = vips.height(img);
        if (iw == w && ih == h) return img;
        double sx = (double) w / iw;
        double sy = (double) h / ih;
        boolean alpha = hasAlpha(img);
        MemorySegment x = alpha ? s.image("vips_premultiply", 2, img, Vips.OUT) : img;
        if (sx < 1 || sy < 1) {
            x = s.image("vips_resize", 3, x, Vips.OUT, Math.min(sx, 1), "vscale", Math.min(sy, 1));
            x = exact(s, x, sx < 1 ? w : iw, sy < 1 ? h : ih);
        }
        if (sx > 1 || sy > 1) {
            double ax = (double) w / vips.width(x);
            double ay = (double) h / vips.height(x);
            MemorySegment bicubic = s.track(vips.ptrCall("vips_interpolate_new", s.str("bicubic")), "interpolate_new");
            x = s.image("vips_affine", 6, x, Vips.OUT, ax, 0.0, 0.0, ay, "oarea", s.arrayInt(0, 0, w, h),
                    "odx", 0.5 * ax - 0.5, "ody", 0.5 * ay - 0.5, "extend", Vips.EXTEND_COPY, "interpolate", bicubic);
        }
        if (alpha) x = s.image("vips_unpremultiply", 2, x, Vips.OUT);
        return exact(s, toUchar(s, x), w, h);
    }

    private MemorySegment resize(Vips.Session s, MemorySegment img, Plan plan) {
        return switch (plan) {
            case Keep k -> img;
            case Scale sc -> resizeTo(s, img, sc.width(), sc.height());
            case Fill f -> resizeTo(s, region(s, img, f.x(), f.y(), f.w(), f.h()), f.tw(), f.th());
            case Pad p -> pad(s, resizeTo(s, img, p.tw(), p.th()), p.w(), p.h(), p.color());
        };
    }

    /** Centres the image on an opaque w×h canvas of the colour (alpha flattened onto it, as Java2D SrcOver does). */
    private MemorySegment pad(Vips.Session s, MemorySegment img, int w, int h, int color) {
        double r = color >> 16 & 0xFF;
        double g = color >> 8 & 0xFF;
        double b = color & 0xFF;
        if (hasAlpha(img)) img = toUchar(s, s.image("vips_flatten", 2, img, Vips.OUT, "background", s.arrayDouble(r, g, b)));
        int iw = vips.width(img);
        int ih = vips.height(img);
        return s.image("vips_embed", 6, img, Vips.OUT, (w - iw) / 2, (h - ih) / 2, w, h,
                "extend", Vips.EXTEND_BACKGROUND, "background", s.arrayDouble(r, g, b));
    }

    // --- crop -----------------------------------------------------------------------------------

    private MemorySegment region(Vips.Session s, MemorySegment img, int x, int y, int w, int h) {
        if (x == 0 && y == 0 && w == vips.width(img) && h == vips.height(img)) return img;
        return s.image("vips_extract_area", 6, img, Vips.OUT, x, y, w, h);
    }

    private MemorySegment region(Vips.Session s, MemorySegment img, Rect r) {
        return region(s, img, r.x(), r.y(), r.w(), r.h());
    }

    private MemorySegment crop(Vips.Session s, MemorySegment img, Crop c) {
        return region(s, img, Geometry.crop(vips.width(img), vips.height(img), c));
    }

    private MemorySegment indexCrop(Vips.Session s, MemorySegment img, IndexCrop c) {
        return region(s, img, Geometry.indexCrop(vips.width(img), vips.height(img), c));
    }

    // --- masks ----------------------------------------------------------------------------------

    /** Multiplies the image's alpha by the 1-band uchar mask (adding an alpha band when there is none). */
    private MemorySegment applyMask(Vips.Session s, MemorySegment img, MemorySegment mask) {
        if (!hasAlpha(img)) return s.image("vips_bandjoin2", 3, img, mask, Vips.OUT);
        MemorySegment rgb = s.image("vips_extract_band", 3, img, Vips.OUT, 0, "n", 3);
        MemorySegment alpha = s.image("vips_extract_band", 3, img, Vips.OUT, 3);
        MemorySegment product = s.image("vips_multiply", 3, alpha, mask, Vips.OUT);
        MemorySegment scaled = s.image("vips_linear", 5, product, Vips.OUT, s.doubles(1 / 255.0), s.doubles(0.5), 1);
        return s.image("vips_bandjoin2", 3, rgb, s.image("vips_cast", 3, scaled, Vips.OUT, Vips.UCHAR), Vips.OUT);
    }

    /** A w×h uchar image of 255 with the four corner blocks replaced by {@code corner} mirrored into place. */
    private MemorySegment mirrored(Vips.Session s, int w, int h, MemorySegment corner, int cw, int ch) {
        MemorySegment canvas = s.image("vips_black", 3, Vips.OUT, w, h);
        canvas = s.image("vips_invert", 2, canvas, Vips.OUT); // 255
        MemorySegment ne = s.image("vips_flip", 3, corner, Vips.OUT, Vips.HORIZONTAL);
        MemorySegment sw = s.image("vips_flip", 3, corner, Vips.OUT, Vips.VERTICAL);
        MemorySegment se = s.image("vips_rot", 3, corner, Vips.OUT, Vips.D180);
        canvas = s.image("vips_insert", 5, canvas, corner, Vips.OUT, 0, 0);
        canvas = s.image("vips_insert", 5, canvas, ne, Vips.OUT, w - cw, 0);
        canvas = s.image("vips_insert", 5, canvas, sw, Vips.OUT, 0, h - ch);
        return s.image("vips_insert", 5, canvas, se, Vips.OUT, w - cw, h - ch);
    }

    /** The centred (2r+1)² square, transparent outside the circle of radius r (as Pixels.circle). */
    private MemorySegment circle(Vips.Session s, MemorySegment img, int radius) {
        int w = vips.width(img);
        int h = vips.height(img);
        int r = Geometry.circleRadius(w, h, radius);
        int size = 2 * r + 1;
        img = region(s, img, (w - size) / 2, (h - size) / 2, size, size);
        // top-left quadrant including the centre row and column; the rest by symmetry
        int q = r + 1;
        MemorySegment corner = coverageMask(s, q, (x, y) -> Geometry.circleCoverage(x, y, r));
        return applyMask(s, img, mirrored(s, size, size, corner, q, q));
    }

    /** Rounded corners of radius r (clamped to half the short side), outside transparent (as Pixels.roundedCorners). */
    private MemorySegment roundedCorners(Vips.Session s, MemorySegment img, int radius) {
        int w = vips.width(img);
        int h = vips.height(img);
        int r = Geometry.cornerRadius(w, h, radius);
        if (r == 0) return img;
        MemorySegment corner = coverageMask(s, r, (x, y) -> Geometry.cornerCoverage(x, y, r));
        return applyMask(s, img, mirrored(s, w, h, corner, r, r));
    }

    /** Anti-aliased coverage 0..1 of pixel x,y of a mask block (Geometry's circle or corner shapes). */
    @FunctionalInterface
    private interface Coverage {
        double at(int x, int y);
    }

    /** An n×n 1-band uchar mask of the coverage (0..1 → 0..255, rounded). */
    private static MemorySegment coverageMask(Vips.Session s, int n, Coverage c) {
        byte[] mask = new byte[n * n];
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) mask[y * n + x] = (byte) Math.round(255 * c.at(x, y));
        }
        return s.fromPixels(mask, n, n, 1);
    }

    // --- rotate ---------------------------------------------------------------------------------

    private MemorySegment rotate(Vips.Session s, MemorySegment img, int degrees) {
        if (degrees % 360 == 0) return img;
        ImageLimits.checkRotate(vips.width(img), vips.height(img));
        return rotateAny(s, img, degrees);
    }

    /** Clockwise rotation: right angles exactly, others onto a transparent canvas sized as Pixels.rotate's. */
    private MemorySegment rotateAny(Vips.Session s, MemorySegment img, double degrees) {
        double d = Geometry.normalizedDegrees(degrees);
        if (d == 0) return img;
        if (d == 90) return s.image("vips_rot", 3, img, Vips.OUT, Vips.D90);
        if (d == 180) return s.image("vips_rot", 3, img, Vips.OUT, Vips.D180);
        if (d == 270) return s.image("vips_rot", 3, img, Vips.OUT, Vips.D270);
        int w = vips.width(img);
        int h = vips.height(img);
        double rad = Math.toRadians(d);
        Geometry.Size canvas = Geometry.rotatedSize(w, h, d);
        int nw = canvas.width();
        int nh = canvas.height();
        // Java2D's transform: canvas centre ← rotation ← source centre; libvips puts pixel centres on integers
        double cos = Math.cos(rad);
        double sin = Math.sin(rad);
        MemorySegment pre = s.image("vips_premultiply", 2, withAlpha(s, img), Vips.OUT);
        MemorySegment rot = s.image("vips_affine", 6, pre, Vips.OUT, cos, -sin, sin, cos,
                "oarea", s.arrayInt(0, 0, nw, nh), "idx", -(w - 1) / 2.0, "idy", -(h - 1) / 2.0,
                "odx", (nw - 1) / 2.0, "ody", (nh - 1) / 2.0, "background", s.arrayDouble(0, 0, 0, 0));
        return toUchar(s, s.image("vips_unpremultiply", 2, rot, Vips.OUT));
    }

    /** Applies an EXIF Orientation (1–8) as Pixels.orient. */
    private MemorySegment orient(Vips.Session s, MemorySegment img, int orientation) {
        return switch (orientation) {
            case 2 -> s.image("vips_flip", 3, img, Vips.OUT, Vips.HORIZONTAL);
            case 3 -> s.image("vips_rot", 3, img, Vips.OUT, Vips.D180);
            case 4 -> s.image("vips_flip", 3, img, Vips.OUT, Vips.VERTICAL);
            case 5 -> s.image("vips_flip", 3, s.image("vips_rot", 3, img, Vips.OUT, Vips.D90), Vips.OUT, Vips.HORIZONTAL);
            case 6 -> s.image("vips_rot", 3, img, Vips.OUT, Vips.D90);
            case 7 -> s.image("vips_flip", 3, s.image("vips_rot", 3, img, Vips.OUT, Vips.D270), Vips.OUT, Vips.HORIZONTAL);
            case 8 -> s.image("vips_rot", 3, img, Vips.OUT, Vips.D270);
            default -> img;
        };
    }

    // --- filters --------------------------------------------------------------------------------

    private static double[] kernel(int radius, double sigma) {
        float[] k = Pixels.gaussian(radius, sigma);
        double[] d = new double[k.length];
        for (int i = 0; i < k.length; i++) d[i] = k[i];
        return d;
    }

    /** Separable convolution with edge replication; float output. */
    private MemorySegment convolve(Vips.Session s, MemorySegment img, double[] kernel) {
        return s.image("vips_convsep", 3, img, Vips.OUT, s.matrix(kernel), "precision", Vips.PRECISION_FLOAT);
    }

    /**
     * Computes a convolution's result into memory once. Left lazy, a later resize or rotate asks
     * for its pixels region by region and libvips recomputes the wide kernel for every region: a
     * 2500×2500 blur,r_50 followed by a resize took minutes instead of a second.
     */
    private MemorySegment materialise(Job job, MemorySegment img) {
        return job.s.track(vips.ptrCall("vips_image_copy_memory", img), "copy_memory");
    }

    /** Gaussian blur with the Java engine's kernel (2r+1 taps of std-dev sigma), on premultiplied alpha. */
    private MemorySegment blur(Vips.Session s, MemorySegment img, int radius, double sigma) {
        double[] k = kernel(radius, sigma);
        if (!hasAlpha(img)) return toUchar(s, convolve(s, img, k));
        MemorySegment pre = s.image("vips_premultiply", 2, img, Vips.OUT);
        MemorySegment un = s.image("vips_unpremultiply", 2, convolve(s, pre, k), Vips.OUT);
        return toUchar(s, un);
    }

    /** Unsharp mask as Pixels.sharpen: rgb + amount × (rgb − blur(rgb)), blur radius 2 sigma 1; alpha kept. */
    private MemorySegment sharpen(Vips.Session s, MemorySegment img, int value) {
        double amount = value / 100.0;
        MemorySegment rgb = hasAlpha(img) ? s.image("vips_extract_band", 3, img, Vips.OUT, 0, "n", 3) : img;
        MemorySegment blurred = convolve(s, rgb, kernel(2, 1.0));
        MemorySegment diff = s.image("vips_subtract", 3, rgb, blurred, Vips.OUT);
        MemorySegment boost = s.image("vips_linear", 5, diff, Vips.OUT, s.doubles(amount), s.doubles(0.5), 1);
        MemorySegment sum = s.image("vips_add", 3, rgb, boost, Vips.OUT);
        MemorySegment out = s.image("vips_cast", 3, sum, Vips.OUT, Vips.UCHAR); // +0.5 then truncate: round half up
        if (hasAlpha(img)) out = s.image("vips_bandjoin2", 3, out, s.image("vips_extract_band", 3, img, Vips.OUT, 3), Vips.OUT);
        return out;
    }

    /** v·a + b on the colour bands, rounded half up and clipped; alpha unchanged. */
    private MemorySegment linear(Vips.Session s, MemorySegment img, double a, double b) {
        double[] as = hasAlpha(img) ? new double[] {a, a, a, 1} : new double[] {a, a, a};
        double[] bs = hasAlpha(img) ? new double[] {b + 0.5, b + 0.5, b + 0.5, 0.5} : new double[] {b + 0.5, b + 0.5, b + 0.5};
        MemorySegment out = s.image("vips_linear", 5, img, Vips.OUT, s.doubles(as), s.doubles(bs), as.length);
        return s.image("vips_cast", 3, out, Vips.OUT, Vips.UCHAR);
    }

    /** Alpha-weighted mean colour 0xRRGGBB (black when fully transparent), as Pixels.averageColor. */
    private int averageColor(Vips.Session s, MemorySegment img) {
        boolean alpha = hasAlpha(img);
        MemorySegment src = alpha ? s.image("vips_premultiply", 2, img, Vips.OUT) : img;
        MemorySegment stats = s.image("vips_stats", 2, src, Vips.OUT);
        double[] m = s.doublePixels(stats); // rows: all bands, then one per band; column 4 = mean
        int cols = vips.width(stats);
        double r = m[cols + 4];
        double g = m[2 * cols + 4];
        double b = m[3 * cols + 4];
        if (alpha) {
            double a = m[4 * cols + 4];
            if (a <= 0) return 0;
            r = r * 255 / a;
            g = g * 255 / a;
            b = b * 255 / a;
        }
        return c(r) << 16 | c(g) << 8 | c(b);
    }

    private static int c(double v) {
        long i = Math.round(v);
        return (int) Math.max(0, Math.min(255, i));
    }

    // --- watermark ------------------------------------------------------------------------------

    private MemorySegment watermark(MemorySegment img, Watermark w, Job job) throws IOException {
        Vips.Session s = job.s;
        int bw = vips.width(img);
        int bh = vips.height(img);
        MemorySegment picture = w.picture() == null ? null : picture(w.picture(), job, bw, bh);
        MemorySegment text = w.text() == null ? null : text(s, w.text());
        MemorySegment mark = combine(s, picture, text, w.order(), w.align(), w.interval());
        return draw(s, img, mark, w);
    }

    private MemorySegment picture(Picture p, Job job, int baseW, int baseH) throws IOException {
        Watermarks.PictureSource src = Watermarks.loadPicture(p, job.objects, this);
        Job inner = new Job(job.s, src.bytes(), src.probe(), null, true);
        MemorySegment mark = withAlpha(job.s, pipeline(inner, src.ops(), baseW, baseH, OssError.WATERMARK_ERROR));
        try {
            // decode now: broken pixels are a WatermarkError, and tiling reads the mark out of order
            return job.s.track(vips.ptrCall("vips_image_copy_memory", mark), "copy_memory");
        } catch (Vips.VipsException e) {
            throw OssError.WATERMARK_ERROR.exception("The watermark image " + p.key() + " could not be decoded: " + e.getMessage());
        }
    }

    /** Pango font description families for an OSS font name (CJK-capable, best first). */
    static String fontFamilies(String name) {
        String n = name == null ? "" : name.toLowerCase(Locale.ROOT);
        String sans = "WenQuanYi Zen Hei,WenQuanYi Micro Hei,Noto Sans CJK SC,Source Han Sans SC,Droid Sans Fallback";
        String serif = "Noto Serif CJK SC,Source Han Serif SC,AR PL UMing CN,AR PL UKai CN";
        if (n.contains("microhei")) return "WenQuanYi Micro Hei," + sans;
        if (n.contains("droidsans")) return "Droid Sans Fallback," + sans;
        if (n.contains("shusong") || n.contains("fangsong") || n.contains("kaiti")) return serif + "," + sans;
        if (n.isEmpty() || n.contains("zenhei") || n.contains("heiti")) return sans;
        String clean = name.replaceAll("[^A-Za-z0-9 _-]", "").strip();
        return clean.isEmpty() ? sans : clean + "," + sans;
    }

    static String markupEscape(String text) {
        StringBuilder b = new StringBuilder(text.length() + 16);
        text.codePoints().forEach(cp -> {
            switch (cp) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '\'' -> b.append("&apos;");
                case '"' -> b.append("&quot;");
                default -> {
                    if (cp < 0x20 && cp != '\n' && cp != '\t') b.append(' ');
                    else b.appendCodePoint(cp);
                }
            }
        });
        return b.toString();
    }

    /** The text as RGBA: Pango coverage mask in the colour, with shadow and rotation as Watermarks.text. */
    private MemorySegment text(Vips.Session s, Text t) {
        MemorySegment mask;
        try {
            mask = s.image("vips_text", 2, Vips.OUT, markupEscape(t.text()), "font", fontFamilies(t.font()) + " " + t.size() + "px");
        } catch (Vips.VipsException e) {
            if (!t.text().isBlank()) throw OssError.WATERMARK_ERROR.exception("The watermark text could not be rendered: " + e.getMessage());
            mask = s.image("vips_black", 3, Vips.OUT, Math.max(1, t.size() / 4), Math.max(1, t.size())); // blank: empty box
        }
        mask = logicalBox(s, mask, t);
        double r = t.color() >> 16 & 0xFF;
        double g = t.color() >> 8 & 0xFF;
        double b = t.color() & 0xFF;
        MemorySegment fg = s.image("vips_cast", 3,
                s.image("vips_linear", 5, mask, Vips.OUT, s.doubles(0, 0, 0, 1), s.doubles(r, g, b, 0), 4), Vips.OUT, Vips.UCHAR);
        MemorySegment mark = fg;
        int off = Watermarks.shadowOffset(t);
        if (off > 0) {
            int w = vips.width(mask) + off;
            int h = vips.height(mask) + off;
            double k = Watermarks.shadowAlpha(t) / 255.0;
            MemorySegment shadow = s.image("vips_cast", 3,
                    s.image("vips_linear", 5, mask, Vips.OUT, s.doubles(0, 0, 0, k), s.doubles(0, 0, 0, 0.5), 4), Vips.OUT, Vips.UCHAR);
            shadow = s.image("vips_embed", 6, shadow, Vips.OUT, off, off, w, h, "extend", Vips.EXTEND_BLACK);
            MemorySegment front = s.image("vips_embed", 6, fg, Vips.OUT, 0, 0, w, h, "extend", Vips.EXTEND_BLACK);
            mark = composite(s, shadow, front, 0, 0);
        }
        return t.rotate() % 360 == 0 ? mark : rotateAny(s, mark, t.rotate());
    }

    /**
     * Pango's mask covers the ink only; the Java engine's text box is advance × (ascent + descent)
     * with the glyphs on the baseline. The same box is built here from the same font's Java2D
     * metrics, with the ink placed where Java2D draws it, so both engines place text marks alike.
     */
    private MemorySegment logicalBox(Vips.Session s, MemorySegment mask, Text t) {
        int mw = vips.width(mask);
        int mh = vips.height(mask);
        int boxW;
        int boxH;
        int ix;
        int iy;
        try {
            java.awt.Font font = Watermarks.font(t.font(), t.size(), t.text());
            java.awt.font.TextLayout layout = new java.awt.font.TextLayout(t.text(), font,
                    new java.awt.font.FontRenderContext(null, true, true));
            java.awt.geom.Rectangle2D ink = layout.getBounds();
            boxW = Math.max(1, (int) Math.ceil(layout.getAdvance()));
            boxH = Math.max(1, (int) Math.ceil(layout.getAscent() + layout.getDescent()));
            ix = Math.max(0, (int) Math.round(ink.getX()));
            iy = Math.max(0, (int) Math.round(layout.getAscent() + ink.getY()));
        } catch (RuntimeException | Error e) { // no usable Java2D fonts: keep the ink box
            return mask;
        }
        int w = Math.max(boxW, ix + mw);
        int h = Math.max(boxH, iy + mh);
        if (w == mw && h == mh) return mask;
        return s.image("vips_embed", 6, mask, Vips.OUT, ix, iy, w, h, "extend", Vips.EXTEND_BLACK);
    }

    /** Image and text side by side (order, align, interval) as Watermarks.combine; both RGBA. */
    private MemorySegment combine(Vips.Session s, MemorySegment picture, MemorySegment text, int order, int align, int interval) {
        if (picture == null) return text;
        if (text == null) return picture;
        MemorySegment first = order == 0 ? picture : text;
        MemorySegment second = order == 0 ? text : picture;
        int w1 = vips.width(first);
        int h1 = vips.height(first);
        int w2 = vips.width(second);
        int h2 = vips.height(second);
        int w = w1 + interval + w2;
        int h = Math.max(h1, h2);
        MemorySegment canvas = s.image("vips_black", 3, Vips.OUT, w, h, "bands", 4);
        canvas = s.image("vips_cast", 3, canvas, Vips.OUT, Vips.UCHAR);
        canvas = s.image("vips_insert", 5, canvas, first, Vips.OUT, 0, Watermarks.alignOffset(h, h1, align));
        return s.image("vips_insert", 5, canvas, second, Vips.OUT, w1 + interval, Watermarks.alignOffset(h, h2, align));
    }

    /** {@code overlay} (RGBA) over {@code base} at x,y (overlay inside base), keeping base's band count. */
    private MemorySegment composite(Vips.Session s, MemorySegment base, MemorySegment overlay, int x, int y) {
        boolean alpha = hasAlpha(base);
        base = srgb(s, base);
        overlay = srgb(s, overlay);
        MemorySegment out = s.image("vips_composite2", 4, base, overlay, Vips.OUT, Vips.BLEND_OVER, "x", x, "y", y);
        out = toUchar(s, out);
        if (!alpha && vips.bands(out) == 4) out = s.image("vips_extract_band", 3, out, Vips.OUT, 0, "n", 3);
        return out;
    }

    /** Draws the mark with opacity and placement (or tiled) as Watermarks.draw. */
    private MemorySegment draw(Vips.Session s, MemorySegment base, MemorySegment mark, Watermark wm) {
        if (wm.opacity() <= 0) return base;
        int w = vips.width(base);
        int h = vips.height(base);
        int mw = vips.width(mark);
        int mh = vips.height(mark);
        if (wm.opacity() < 100) {
            double t = wm.opacity() / 100.0;
            mark = s.image("vips_cast", 3,
                    s.image("vips_linear", 5, mark, Vips.OUT, s.doubles(1, 1, 1, t), s.doubles(0, 0, 0, 0.5), 4), Vips.OUT, Vips.UCHAR);
        }
        int[] at = Watermarks.position(w, h, mw, mh, wm);
        if (!wm.fill()) {
            int x0 = Math.max(0, at[0]);
            int y0 = Math.max(0, at[1]);
            int x1 = Math.min(w, at[0] + mw);
            int y1 = Math.min(h, at[1] + mh);
            if (x1 <= x0 || y1 <= y0) return base;
            MemorySegment visible = region(s, mark, x0 - at[0], y0 - at[1], x1 - x0, y1 - y0);
            return composite(s, base, visible, x0, y0);
        }
        int stepX = mw + wm.padX();
        int stepY = mh + wm.padY();
        int sx = Math.floorMod(at[0], stepX);
        if (sx > 0) sx -= stepX;
        int sy = Math.floorMod(at[1], stepY);
        if (sy > 0) sy -= stepY;
        MemorySegment tile = stepX == mw && stepY == mh ? mark
                : s.image("vips_embed", 6, mark, Vips.OUT, 0, 0, stepX, stepY, "extend", Vips.EXTEND_BLACK);
        int across = (int) Math.max(1, ((long) w - sx + stepX - 1) / stepX);
        int down = (int) Math.max(1, ((long) h - sy + stepY - 1) / stepY);
        MemorySegment tiled = s.image("vips_replicate", 4, tile, Vips.OUT, across, down);
        MemorySegment layer = s.image("vips_extract_area", 6, tiled, Vips.OUT, -sx, -sy, w, h);
        return composite(s, base, layer, 0, 0);
    }

    // --- output ---------------------------------------------------------------------------------

    static String contentType(String format) {
        return switch (format) {
            case "heic" -> "image/heic";
            case "avif" -> "image/avif";
            default -> Codec.contentType(format);
        };
    }

    private byte[] encode(Vips.Session s, MemorySegment img, String format, int quality, boolean progressive) throws IOException {
        int w = vips.width(img);
        int h = vips.height(img);
        boolean alpha = hasAlpha(img);
        return switch (format) {
            case "jpg" -> s.save(flatten(s, img), ".jpg[Q=" + quality + ",interlace=" + progressive + ",strip=true]");
            case "png" -> s.save(img, ".png[strip=true]");
            case "webp" -> s.save(img, ".webp[Q=" + quality + ",strip=true]");
            case "gif" -> s.save(img, ".gif[strip=true]");
            case "tiff" -> s.save(img, ".tif[compression=lzw,strip=true]");
            case "bmp" -> Codec.encode(toJava(s, alpha ? flatten(s, img) : img), "bmp", quality, false);
            case "heic" -> {
                if (w > 4096 || h > 4096) throw tooLargeFor("HEIC", w, h, "4096x4096");
                yield s.save(img, ".heic[Q=" + quality + ",compression=hevc,strip=true]");
            }
            case "avif" -> {
                if (Math.max(w, h) > 4096 || Math.min(w, h) > 2304) throw tooLargeFor("AVIF", w, h, "4096x2304");
                yield s.save(img, ".avif[Q=" + quality + ",compression=av1,strip=true]");
            }
            default -> throw OssError.INVALID_ARGUMENT.exception("Unsupported output format " + format + ".");
        };
    }

    private static OssException tooLargeFor(String format, int w, int h, String limit) {
        return OssError.INVALID_ARGUMENT.exception(format + " output is limited to " + limit + "; the image is " + w + "x" + h + ".")
                .with("ArgumentName", "format");
    }

    private MemorySegment flatten(Vips.Session s, MemorySegment img) {
        if (!hasAlpha(img)) return img;
        return toUchar(s, s.image("vips_flatten", 2, img, Vips.OUT, "background", s.arrayDouble(255, 255, 255)));
    }
}
