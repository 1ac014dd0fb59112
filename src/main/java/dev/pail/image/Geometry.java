package dev.pail.image;

import dev.pail.image.ImageOp.Crop;
import dev.pail.image.ImageOp.IndexCrop;
import dev.pail.image.ImageOp.Resize;
import dev.pail.xml.OssError;

/**
 * The size and position arithmetic of the ops, shared by {@link JavaEngine} and {@link VipsEngine}
 * so that both produce the same output sizes, regions and masks; the engines only move pixels.
 */
final class Geometry {
    private Geometry() {}

    /** A region of an image (already clipped to it). */
    record Rect(int x, int y, int w, int h) {}

    /** A width and height in px. */
    record Size(int width, int height) {}

    // --- resize -------------------------------------------------------------------------------

    /** What a resize does to a w0×h0 image. */
    sealed interface Plan {}

    /** The image unchanged ({@code limit} forbids enlarging). */
    record Keep() implements Plan {}

    /** Scale to width×height. */
    record Scale(int width, int height) implements Plan {}

    /** Crop the source region (x, y, w, h) and scale it to tw×th. */
    record Fill(int x, int y, int w, int h, int tw, int th) implements Plan {}

    /** Scale to tw×th, then centre on a w×h canvas of the colour. */
    record Pad(int tw, int th, int w, int h, int color) implements Plan {}

    /** size × scale rounded to nearest, at least 1 px. */
    static int scaled(int size, double scale) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.round(size * scale)));
    }

    /**
     * The resize of a w0×h0 image; {@code baseW}×{@code baseH} is the main image's size, which
     * {@code P_} refers to inside a watermark's own process ({@code inWatermark}). The rules are
     * those listed in {@link JavaEngine}'s class comment.
     */
    static Plan resize(int w0, int h0, Resize r, boolean inWatermark, int baseW, int baseH) {
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
            ImageLimits.checkResizeOutput(tw, th);
            return new Scale(tw, th);
        }
        if (r.percent() > 0 && !sized) { // p alone may enlarge regardless of limit
            int tw = scaled(w0, r.percent() / 100.0);
            int th = scaled(h0, r.percent() / 100.0);
            ImageLimits.checkResizeOutput(tw, th);
            return new Scale(tw, th);
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
                return proportional(w0, h0, (double) l / Math.max(w0, h0), r.limit());
            } else {
                return proportional(w0, h0, (double) s / Math.min(w0, h0), r.limit());
            }
        }
        // a single given side scales proportionally in every mode
        if (w == 0) return proportional(w0, h0, (double) h / h0, r.limit());
        if (h == 0) return proportional(w0, h0, (double) w / w0, r.limit());
        double sx = (double) w / w0;
        double sy = (double) h / h0;
        return switch (r.mode()) {
            case LFIT -> proportional(w0, h0, Math.min(sx, sy), r.limit());
            case MFIT -> proportional(w0, h0, Math.max(sx, sy), r.limit());
            case FIXED -> {
                ImageLimits.checkResizeOutput(w, h);
                yield r.limit() && (w > w0 || h > h0) ? new Keep() : new Scale(w, h);
            }
            case FILL -> {
                ImageLimits.checkResizeOutput(w, h);
                double scale = Math.max(sx, sy);
                if (r.limit() && scale > 1) yield new Keep();
                // crop the source to the target's aspect first: never builds the oversized intermediate
                int cw = Math.max(1, Math.min(w0, (int) Math.round(w / scale)));
                int ch = Math.max(1, Math.min(h0, (int) Math.round(h / scale)));
                yield new Fill((w0 - cw) / 2, (h0 - ch) / 2, cw, ch, w, h);
            }
            case PAD -> {
                ImageLimits.checkResizeOutput(w, h);
                double scale = Math.min(sx, sy);
                if (r.limit() && scale > 1) yield new Keep();
                int tw = Math.min(w, scaled(w0, scale));
                int th = Math.min(h, scaled(h0, scale));
                yield new Pad(tw, th, w, h, r.color());
            }
        };
    }

    private static Plan proportional(int w0, int h0, double scale, boolean limit) {
        int tw = scaled(w0, scale);
        int th = scaled(h0, scale);
        ImageLimits.checkResizeOutput(tw, th);
        if (limit && (tw > w0 || th > h0)) return new Keep();
        return new Scale(tw, th);
    }

    // --- crop ---------------------------------------------------------------------------------

    /**
     * The region of a crop on a w×h image, positioned by gravity as ImageMagick does (west column: x
     * from the left; centre: centred then shifted by x; east: right edge at w − x; rows alike) and
     * clipped to the image; InvalidArgument when nothing of it is inside.
     */
    static Rect crop(int w, int h, Crop c) {
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
        return new Rect((int) x0, (int) y0, (int) (x1 - x0), (int) (y1 - y0));
    }

    /** The slice an indexcrop keeps of a w×h image; the whole image when the index is out of range. */
    static Rect indexCrop(int w, int h, IndexCrop c) {
        int len = c.vertical() ? h : w;
        long start = (long) c.index() * c.size();
        if (start >= len) return new Rect(0, 0, w, h);
        int end = (int) Math.min(len, start + c.size());
        return c.vertical()
                ? new Rect(0, (int) start, w, end - (int) start)
                : new Rect((int) start, 0, end - (int) start, h);
    }

    // --- masks --------------------------------------------------------------------------------

    /** The circle's radius on a w×h image: at most what fits the short side (the result is (2r+1)² px). */
    static int circleRadius(int w, int h, int radius) {
        return Math.max(0, Math.min(radius, (Math.min(w, h) - 1) / 2));
    }

    /** Anti-aliased coverage (0..1) of pixel x,y by the circle of radius r centred on pixel r,r. */
    static double circleCoverage(int x, int y, int r) {
        double dist = Math.hypot(x - r, y - r);
        return Math.max(0, Math.min(1, r + 0.5 - dist));
    }

    /** The corner radius on a w×h image: at most half the short side. */
    static int cornerRadius(int w, int h, int radius) {
        return Math.max(0, Math.min(radius, Math.min(w, h) / 2));
    }

    /** Anti-aliased coverage (0..1) of pixel x,y of the top-left r×r corner block by the rounded corner. */
    static double cornerCoverage(int x, int y, int r) {
        double dist = Math.hypot(r - (x + 0.5), r - (y + 0.5));
        return Math.max(0, Math.min(1, r - dist + 0.5));
    }

    // --- rotate -------------------------------------------------------------------------------

    /** A clockwise angle in [0, 360). */
    static double normalizedDegrees(double degrees) {
        return ((degrees % 360) + 360) % 360;
    }

    /** The canvas that holds a w×h image rotated by any angle (degrees in [0, 360)). */
    static Size rotatedSize(int w, int h, double degrees) {
        double rad = Math.toRadians(degrees);
        double cos = Math.abs(Math.cos(rad));
        double sin = Math.abs(Math.sin(rad));
        int nw = Math.max(1, (int) Math.round(w * cos + h * sin));
        int nh = Math.max(1, (int) Math.round(w * sin + h * cos));
        return new Size(nw, nh);
    }
}
