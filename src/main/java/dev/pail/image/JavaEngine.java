package dev.pail.image;

import com.fasterxml.jackson.core.JsonFactory;
import dev.pail.image.Geometry.Fill;
import dev.pail.image.Geometry.Keep;
import dev.pail.image.Geometry.Pad;
import dev.pail.image.Geometry.Rect;
import dev.pail.image.Geometry.Scale;
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
 *
 * <p>The arithmetic behind these rules lives where {@link VipsEngine} uses it too: sizes, regions
 * and masks in {@link Geometry}, limits in {@link ImageLimits}, output format and quality in
 * {@link OutputEncoding}, watermark loading and placement in {@link Watermarks}.
 */
public final class JavaEngine implements ImageEngine {
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

    /** Per-call state: the encoded source (for EXIF), where watermark images come from, whether auto-orient ran. */
    private static final class Job {
        final byte[] source;
        final Probe probe;
        final ObjectLoader objects;
        final boolean watermark;
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
        ImageLimits.checkSource(probe, OssError.IMAGE_TOO_LARGE);
        if (ops.size() == 1 && ops.getFirst() instanceof Info) {
            return new Output(ImageInfo.json(json, source, probe), "application/json");
        }
        OutputEncoding encoding = OutputEncoding.of(probe.format(), ops);
        String format = encoding.format();
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
        int quality = encoding.quality(source, probe.format());
        return new Output(Codec.encode(img, format, quality, encoding.progressive()), Codec.contentType(format));
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
            case ImageOp.Format f -> img; // format, quality and interlace: OutputEncoding, read before the ops run
            case Quality q -> img;
            case Interlace i -> img;
            case Watermark w -> job.watermark ? img : watermark(img, w, job);
            case Info i -> img;
            case AverageHue a -> img;
        };
    }

    // --- resize, crop, rotate -----------------------------------------------------------------

    static BufferedImage resize(BufferedImage img, Resize r, boolean inWatermark, int baseW, int baseH) {
        return switch (Geometry.resize(img.getWidth(), img.getHeight(), r, inWatermark, baseW, baseH)) {
            case Keep k -> img;
            case Scale sc -> Resampler.resize(img, sc.width(), sc.height());
            case Fill f -> Resampler.resize(Pixels.region(img, f.x(), f.y(), f.w(), f.h()), f.tw(), f.th());
            case Pad p -> Pixels.pad(Resampler.resize(img, p.tw(), p.th()), p.w(), p.h(), p.color());
        };
    }

    static BufferedImage crop(BufferedImage img, Crop c) {
        return region(img, Geometry.crop(img.getWidth(), img.getHeight(), c));
    }

    static BufferedImage indexCrop(BufferedImage img, IndexCrop c) {
        return region(img, Geometry.indexCrop(img.getWidth(), img.getHeight(), c));
    }

    private static BufferedImage region(BufferedImage img, Rect r) {
        return Pixels.region(img, r.x(), r.y(), r.w(), r.h());
    }

    private static BufferedImage rotate(BufferedImage img, int degrees) {
        if (degrees % 360 == 0) return img;
        ImageLimits.checkRotate(img.getWidth(), img.getHeight());
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
        Watermarks.PictureSource src = Watermarks.loadPicture(p, job.objects, this);
        BufferedImage img = Codec.decode(src.bytes(), src.probe(), OssError.WATERMARK_ERROR);
        Job inner = new Job(src.bytes(), src.probe(), null, true);
        for (ImageOp op : src.ops()) img = apply(img, op, inner, baseW, baseH);
        return img;
    }
}
