package dev.pail.image;

import dev.pail.xml.OssError;

/**
 * The size limits of image processing, in one place for both engines and for the request layer
 * (which checks the source before it queues a job, so a decompression bomb costs a header read).
 */
public final class ImageLimits {
    private ImageLimits() {}

    /** A source (or watermark image) may have at most this many px a side … */
    public static final int MAX_SIDE = 30_000;
    /** … and at most this many px in all, frames included. */
    public static final long MAX_PIXELS = 250_000_000L;
    /** What resize may produce: at most this many px a side … */
    public static final int MAX_OUT_SIDE = 16_384;
    /** … and at most this many px in all (also the bound of a rendered watermark text). */
    public static final long MAX_OUT_PIXELS = 16_777_216L;
    /** rotate checks the current image (after earlier ops) against this many px a side. */
    public static final int MAX_ROTATE_SIDE = 4096;

    /** Whether a probed image is over {@link #MAX_SIDE} or {@link #MAX_PIXELS} (all frames counted). */
    public static boolean tooLarge(ImageEngine.Probe p) {
        long pixels = (long) p.width() * p.height() * Math.max(1, p.frames());
        return p.width() > MAX_SIDE || p.height() > MAX_SIDE || pixels > MAX_PIXELS;
    }

    /** The engines' source check; {@code error} is ImageTooLarge for the image, WatermarkError for a watermark image. */
    static void checkSource(ImageEngine.Probe p, OssError error) {
        if (tooLarge(p)) {
            throw error.exception("The image is " + p.width() + "x" + p.height() + (p.frames() > 1 ? "x" + p.frames() + " frames" : "")
                    + "; images are processed up to " + MAX_SIDE + " px a side and " + MAX_PIXELS + " px in all.");
        }
    }

    /** A resize target over the output limits is InvalidArgument (checked before {@code limit} can keep the image). */
    static void checkResizeOutput(long w, long h) {
        if (w > MAX_OUT_SIDE || h > MAX_OUT_SIDE || w * h > MAX_OUT_PIXELS) {
            throw OssError.INVALID_ARGUMENT.exception("The resized image would be " + w + "x" + h
                    + "; resize output is limited to " + MAX_OUT_SIDE + " px a side and " + MAX_OUT_PIXELS + " px in all.")
                    .with("ArgumentName", "resize");
        }
    }

    /** rotate by an angle that is not a multiple of 360 needs the current image within {@link #MAX_ROTATE_SIDE}. */
    static void checkRotate(int w, int h) {
        if (w > MAX_ROTATE_SIDE || h > MAX_ROTATE_SIDE) {
            throw OssError.IMAGE_TOO_LARGE.exception("rotate needs an image of at most " + MAX_ROTATE_SIDE + " px a side; this one is "
                    + w + "x" + h + ".");
        }
    }
}
