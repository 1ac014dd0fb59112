package dev.pail.image;

import com.fasterxml.jackson.core.JsonFactory;
import dev.pail.image.ImageOp.*;
import dev.pail.xml.OssError;
import dev.pail.xml.OssException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.List;

/**
 * The pure-Java image engine: ImageIO (with TwelveMonkeys JPEG/WebP/TIFF readers and the
 * webp-imageio writer) and Java2D, no native image library. Thread-safe and stateless apart from
 * an immutable JSON factory.
 *
 * <p>Choices where OSS leaves room (features.md §8):
 * <ul>
 * <li>Output format: the last {@code format} op, else the source format; AVIF/HEIC output and
 *     HEIC/AVIF sources are NotImplemented (they need the libvips engine). GIF output is the
 *     static first frame.</li>
 * <li>Quality (JPEG and WebP): the source quality is estimated from a JPEG's luminance quantization
 *     table (100 for other sources). {@code Q} = min(Q, source); {@code q} = source × q / 100 for
 *     JPEG, min(q, source) for WebP; without a quality op min(85, source).</li>
 * <li>resize: sizes round to nearest, at least 1 px; {@code p} alone scales both sides and may
 *     enlarge regardless of {@code limit} (OSS's {@code 200p} doubles); {@code p} with w/h/l/s
 *     multiplies those. The requested output must be ≤ 16384 a side and ≤ 16777216 px (else
 *     InvalidArgument), checked before {@code limit}; with {@code limit} a target larger than the source
 *     in either side returns the image unchanged (for every mode). A single given side (w, h, l or
 *     s) scales proportionally in every mode. {@code P} (watermark images) fits the image inside
 *     P % of the base image's width and height.</li>
 * <li>crop: the region's position follows the gravity as ImageMagick's does (west column: x from
 *     the left; centre column: centred then shifted by x; east column: right edge at width − x; the
 *     same for rows and y); w/h 0 reach to the image edge; the region is clipped to the image, and an
 *     empty result (origin outside) is InvalidArgument.</li>
 * <li>rotate: checks the current image (after earlier ops) against 4096 px a side.</li>
 * <li>auto-orient,1 applies the source's EXIF Orientation once; output carries no EXIF.</li>
 * <li>Transparent areas (circle, rounded corners, rotation) stay transparent in PNG, WebP, GIF and
 *     TIFF and are flattened onto white in JPEG and BMP.</li>
 * </ul>
 */
public final class JavaEngine implements ImageEngine {
    static final int MAX_SIDE = 30_000;
    static final long MAX_PIXELS = 250_000_000L;
    static final int MAX_OUT_SIDE = 16_384;
    static final long MAX_OUT_PIXELS = 16_777_216L;
    static final int MAX_ROTATE_SIDE = 4096;
    static final int DEFAULT_QUALITY = 85;

    private final JsonFactory json = new JsonFactory();

    @Override
    public String name() { return "java"; }

    @Override
    public Probe probe(byte[] source) throws IOException {
        if (source == null || source.length == 0) throw OssError.BAD_REQUEST.exception(Codec.NOT_AN_IMAGE);
        return Codec.probe(source);
    }

    @Override
    public Output process(byte[] source, List<ImageOp> ops, ObjectLoader objects) throws IOException {
        try {
            return run(source, ops, objects);
        } catch (OssException | IOException e) {
            throw e;
        } catch (RuntimeException e) {
            throw OssError.BAD_REQUEST.exception("The image could not be processed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
    }

    /** Per-call state: the encoded source (for EXIF) and the output settings gathered from the ops. */
    private static final class Job {
        final byte[] source;
        final Probe probe;
        final ObjectLoader objects;
        final boolean watermark;
        int absolute;
        int relative;
        boolean progressive;
        boolean oriented;

        Job(byte[] source, Probe probe, ObjectLoader objects, boolean watermark) {
            this.source = source;
            this.probe = probe;
            this.objects = objects;
            this.watermark = watermark;
        }
    }

    private Output run(byte[] source, List<ImageOp> ops, ObjectLoader objects) throws IOException {
        Probe probe = probe(source);
        checkSource(probe, OssError.IMAGE_TOO_LARGE);
        if (ops.size() == 1 && ops.getFirst() instanceof Info) {
            return new Output(ImageInfo.json(json, source, probe), "application/json");
        }
        String format = probe.format();
        for (ImageOp op : ops) if (op instanceof ImageOp.Format f) format = f.format();
        if (format.equals("avif") || format.equals("heic")) {
            throw OssError.NOT_IMPLEMENTED.exception("Encoding " + format.toUpperCase(java.util.Locale.ROOT)
                    + " requires the libvips engine.");
        }
        BufferedImage img = Codec.decode(source, probe, OssError.BAD_REQUEST);
        if (ops.size() == 1 && ops.getFirst() instanceof AverageHue) {
            return new Output(ImageInfo.averageHue(json, Pixels.averageColor(img)), "application/json");
        }
        Job job = new Job(source, probe, objects, false);
        for (ImageOp op : ops) img = apply(img, op, job, img.getWidth(), img.getHeight());
        int sourceQuality = probe.format().equals("jpg") ? Codec.jpegQuality(source) : 100;
        int quality;
        if (job.absolute > 0) quality = Math.min(job.absolute, sourceQuality);
        else if (job.relative > 0) quality = format.equals("jpg") ? Math.round(sourceQuality * job.relative / 100f) : Math.min(job.relative, sourceQuality);
        else quality = Math.min(DEFAULT_QUALITY, sourceQuality);
        quality = Math.max(1, Math.min(100, quality));
        return new Output(Codec.encode(img, format, quality, job.progressive), Codec.contentType(format));
    }

    private static void checkSource(Probe p, OssError error) {
        long pixels = (long) p.width() * p.height() * Math.max(1, p.frames());
        if (p.width() > MAX_SIDE || p.height() > MAX_SIDE || pixels > MAX_PIXELS) {
            throw error.exception("The image is " + p.width() + "x" + p.height() + (p.frames() > 1 ? "x" + p.frames() + " frames" : "")
                    + "; images are processed up to 30000 px a side and 250000000 px in all.");
        }
    }

    /** One op; {@code baseW}×{@code baseH} is the main image's size (for a watermark's P_). */
    private BufferedImage apply(BufferedImage img, ImageOp op, Job job, int baseW, int baseH) throws IOException {
        return switch (op) {
            case Resize r -> resize(img, r, job.watermark, baseW, baseH);
            case Crop c -> crop(img, c);
            case IndexCrop c -> indexCrop(img, c);
            case Circle c -> Pixels.circle(img, c.radius());
            case RoundedCorners c -> Pixels.roundedCorners(img, c.radius());
            case Rotate r -> rotate(img, r.degrees());
            case AutoOrient a -> {
                if (!a.on() || job.oriented) yield img;
                job.oriented = true;
                yield Pixels.orient(img, ImageInfo.orientation(job.source));
            }
            case Blur b -> Pixels.blur(img, b.radius(), b.sigma());
            case Bright b -> Pixels.bright(img, b.value());
            case Contrast c -> Pixels.contrast(img, c.value());
            case Sharpen s -> Pixels.sharpen(img, s.value());
            case ImageOp.Format f -> img; // chosen before decoding
            case Quality q -> {
                job.absolute = q.absolute();
                job.relative = q.relative();
                yield img;
            }
            case Interlace i -> {
                job.progressive = i.progressive();
                yield img;
            }
            case Watermark w -> job.watermark ? img : watermark(img, w, job);
            case Info i -> img;
            case AverageHue a -> img;
        };
    }

    // --- resize -------------------------------------------------------------------------------

    private static int scaled(int size, double scale) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.round(size * scale)));
    }

    private static void checkOutput(long w, long h) {
        if (w > MAX_OUT_SIDE || h > MAX_OUT_SIDE || w * h > MAX_OUT_PIXELS) {
            throw OssError.INVALID_ARGUMENT.exception("The resized image would be " + w + "x" + h
                    + "; resize output is limited to 16384 px a side and 16777216 px in all.")
                    .with("ArgumentName", "resize");
        }
    }

    static BufferedImage resize(BufferedImage img, Resize r, boolean inWatermark, int baseW, int baseH) {
        int w0 = img.getWidth();
        int h0 = img.getHeight();
        int w = r.width();
        int h = r.height();
        int l = r.longer();
        int s = r.shorter();
        boolean sized = w > 0 || h > 0 || l > 0 || s > 0;
        if (r.basePercent() > 0 && (inWatermark || !sized && r.percent() == 0)) {
            // P_: fit inside P % of the base image (outside a watermark the base is the image itself)
            double bw = Math.max(1, Math.round(baseW * r.basePercent() / 100.0));
            double bh = Math.max(1, Math.round(baseH * r.basePercent() / 100.0));
            double scale = Math.min(bw / w0, bh / h0);
            int tw = scaled(w0, scale);
            int th = scaled(h0, scale);
            checkOutput(tw, th);
            return Resampler.resize(img, tw, th);
        }
        if (r.percent() > 0 && !sized) {
            int tw = scaled(w0, r.percent() / 100.0);
            int th = scaled(h0, r.percent() / 100.0);
            checkOutput(tw, th);
            return Resampler.resize(img, tw, th);
        }
        if (r.percent() > 0) {
            double f = r.percent() / 100.0;
            w = w > 0 ? scaled(w, f) : 0;
            h = h > 0 ? scaled(h, f) : 0;
            l = l > 0 ? scaled(l, f) : 0;
            s = s > 0 ? scaled(s, f) : 0;
        }
        if (w == 0 && h == 0) {
            if (l > 0 && s > 0) {
                w = w0 >= h0 ? l : s;
                h = w0 >= h0 ? s : l;
            } else if (l > 0) {
                return proportional(img, (double) l / Math.max(w0, h0), r.limit());
            } else {
                return proportional(img, (double) s / Math.min(w0, h0), r.limit());
            }
        }
        if (w == 0) return proportional(img, (double) h / h0, r.limit());
        if (h == 0) return proportional(img, (double) w / w0, r.limit());
        double sx = (double) w / w0;
        double sy = (double) h / h0;
        switch (r.mode()) {
            case LFIT -> {
                return proportional(img, Math.min(sx, sy), r.limit());
            }
            case MFIT -> {
                return proportional(img, Math.max(sx, sy), r.limit());
            }
            case FIXED -> {
                checkOutput(w, h);
                if (r.limit() && (w > w0 || h > h0)) return img;
                return Resampler.resize(img, w, h);
            }
            case FILL -> {
                checkOutput(w, h);
                double scale = Math.max(sx, sy);
                if (r.limit() && scale > 1) return img;
                // crop the source to the target's aspect first: never builds the oversized intermediate
                int cw = Math.max(1, Math.min(w0, (int) Math.round(w / scale)));
                int ch = Math.max(1, Math.min(h0, (int) Math.round(h / scale)));
                BufferedImage region = Pixels.region(img, (w0 - cw) / 2, (h0 - ch) / 2, cw, ch);
                return Resampler.resize(region, w, h);
            }
            case PAD -> {
                checkOutput(w, h);
                double scale = Math.min(sx, sy);
                if (r.limit() && scale > 1) return img;
                int tw = Math.min(w, scaled(w0, scale));
                int th = Math.min(h, scaled(h0, scale));
                return Pixels.pad(Resampler.resize(img, tw, th), w, h, r.color());
            }
            default -> throw new IllegalStateException();
        }
    }

    private static BufferedImage proportional(BufferedImage img, double scale, boolean limit) {
        int tw = scaled(img.getWidth(), scale);
        int th = scaled(img.getHeight(), scale);
        checkOutput(tw, th);
        if (limit && (tw > img.getWidth() || th > img.getHeight())) return img;
        return Resampler.resize(img, tw, th);
    }

    // --- crop ---------------------------------------------------------------------------------

    static BufferedImage crop(BufferedImage img, Crop c) {
        int w = img.getWidth();
        int h = img.getHeight();
        long cw = c.width() == 0 ? w : c.width();
        long ch = c.height() == 0 ? h : c.height();
        long left = switch (c.gravity()) {
            case NW, WEST, SW -> c.x();
            case NORTH, CENTER, SOUTH -> (w - cw) / 2 + c.x();
            case NE, EAST, SE -> w - cw - c.x();
        };
        long top = switch (c.gravity()) {
            case NW, NORTH, NE -> c.y();
            case WEST, CENTER, EAST -> (h - ch) / 2 + c.y();
            case SW, SOUTH, SE -> h - ch - c.y();
        };
        long x0 = Math.max(0, left);
        long y0 = Math.max(0, top);
        long x1 = Math.min(w, left + cw);
        long y1 = Math.min(h, top + ch);
        if (x0 >= w || y0 >= h || x1 <= x0 || y1 <= y0) {
            throw OssError.INVALID_ARGUMENT.exception("The crop region starts outside the image (" + w + "x" + h + ").")
                    .with("ArgumentName", "crop");
        }
        return Pixels.region(img, (int) x0, (int) y0, (int) (x1 - x0), (int) (y1 - y0));
    }

    static BufferedImage indexCrop(BufferedImage img, IndexCrop c) {
        int len = c.vertical() ? img.getHeight() : img.getWidth();
        long start = (long) c.index() * c.size();
        if (start >= len) return img; // index out of range: the image unchanged
        int end = (int) Math.min(len, start + c.size());
        return c.vertical()
                ? Pixels.region(img, 0, (int) start, img.getWidth(), end - (int) start)
                : Pixels.region(img, (int) start, 0, end - (int) start, img.getHeight());
    }

    private static BufferedImage rotate(BufferedImage img, int degrees) {
        if (degrees % 360 == 0) return img;
        if (img.getWidth() > MAX_ROTATE_SIDE || img.getHeight() > MAX_ROTATE_SIDE) {
            throw OssError.IMAGE_TOO_LARGE.exception("rotate needs an image of at most 4096 px a side; this one is "
                    + img.getWidth() + "x" + img.getHeight() + ".");
        }
        return Pixels.rotate(img, degrees);
    }

    // --- watermark ----------------------------------------------------------------------------

    private BufferedImage watermark(BufferedImage img, Watermark w, Job job) throws IOException {
        BufferedImage picture = w.picture() == null ? null : picture(w.picture(), job, img.getWidth(), img.getHeight());
        BufferedImage text = w.text() == null ? null : Watermarks.text(w.text());
        BufferedImage mark = Watermarks.combine(picture, text, w.order(), w.align(), w.interval());
        return Watermarks.draw(img, mark, w);
    }

    private BufferedImage picture(Picture p, Job job, int baseW, int baseH) throws IOException {
        if (job.objects == null) throw OssError.WATERMARK_ERROR.exception("The watermark image " + p.key() + " cannot be loaded.");
        byte[] bytes;
        try {
            bytes = job.objects.load(p.key());
        } catch (OssException e) {
            if (e.error() == OssError.NO_SUCH_KEY || e.error() == OssError.INVALID_OBJECT_NAME) {
                throw OssError.WATERMARK_ERROR.exception("The watermark image " + p.key() + " does not exist.");
            }
            throw e;
        }
        if (bytes == null || bytes.length == 0) {
            throw OssError.WATERMARK_ERROR.exception("The watermark image " + p.key() + " does not exist.");
        }
        Probe probe;
        try {
            probe = Codec.probe(bytes);
        } catch (OssException e) {
            throw OssError.WATERMARK_ERROR.exception("The watermark image " + p.key() + " is not a supported image.");
        }
        checkSource(probe, OssError.WATERMARK_ERROR);
        List<ImageOp> ops = List.of();
        String process = p.process() == null ? "" : p.process().trim();
        if (!process.isEmpty()) {
            if (!process.startsWith("image/")) {
                throw OssError.WATERMARK_ERROR.exception("The watermark image process must start with image/: " + process);
            }
            ops = ProcessParser.parse(process.substring("image/".length()));
        }
        BufferedImage img = Codec.decode(bytes, probe, OssError.WATERMARK_ERROR);
        Job inner = new Job(bytes, probe, null, true);
        for (ImageOp op : ops) img = apply(img, op, inner, baseW, baseH);
        return img;
    }
}
