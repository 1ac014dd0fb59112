package dev.pail.image;

/**
 * One action of an {@code image/...} pipeline with its parameters validated and defaults applied
 * (features.md §8). Optional sizes are 0 when not given. Colours are 0xRRGGBB.
 */
public sealed interface ImageOp {

    enum ResizeMode { LFIT, MFIT, FILL, PAD, FIXED }

    /** Anchors of crop and watermark: nw north ne west center east sw south se. */
    enum Gravity { NW, NORTH, NE, WEST, CENTER, EAST, SW, SOUTH, SE }

    /**
     * {@code resize}: by {@code percent} (1–1000) when given, else to {@code width}/{@code height}
     * (or the {@code longer}/{@code shorter} side) under {@code mode}; {@code limit} forbids enlarging.
     * {@code basePercent} ({@code P_}, 1–100) only in a watermark image's own process: scale the
     * watermark to that percentage of the base image's size.
     */
    record Resize(ResizeMode mode, int width, int height, int longer, int shorter, int percent, boolean limit, int color,
            int basePercent) implements ImageOp {}

    /** {@code crop}: a {@code width}×{@code height} region (0 = to the edge) at offset x,y from the anchor. */
    record Crop(int x, int y, int width, int height, Gravity gravity) implements ImageOp {}

    /** {@code indexcrop}: cut into slices {@code size} px wide ({@code vertical} false, x_) or tall (y_); keep slice {@code index}. */
    record IndexCrop(int size, boolean vertical, int index) implements ImageOp {}

    /** {@code circle}: the centred circle of radius r (clamped to the short side); outside transparent or white. */
    record Circle(int radius) implements ImageOp {}

    /** {@code rounded-corners}: corner radius (clamped to half the short side). */
    record RoundedCorners(int radius) implements ImageOp {}

    /** {@code rotate}: clockwise degrees 0–360; other than right angles the canvas grows (background white). */
    record Rotate(int degrees) implements ImageOp {}

    /** {@code auto-orient}: apply the EXIF Orientation when {@code on}. */
    record AutoOrient(boolean on) implements ImageOp {}

    record Blur(int radius, int sigma) implements ImageOp {}

    /** {@code bright}: −100..100. */
    record Bright(int value) implements ImageOp {}

    /** {@code contrast}: −100..100. */
    record Contrast(int value) implements ImageOp {}

    /** {@code sharpen}: 50..399. */
    record Sharpen(int value) implements ImageOp {}

    /** {@code format}: jpg png webp bmp gif tiff heic avif. */
    record Format(String format) implements ImageOp {}

    /** {@code quality}: {@code relative} (q, % of the source quality) or {@code absolute} (Q); 0 when not given. */
    record Quality(int relative, int absolute) implements ImageOp {}

    /** {@code interlace}: progressive JPEG output when true. */
    record Interlace(boolean progressive) implements ImageOp {}

    /**
     * {@code watermark}: text and/or an image (another object of the bucket, with its own process
     * string, where {@code P_n} resizes it to n % of the base image), placed at {@code gravity}
     * with margins x,y and {@code voffset}, at {@code opacity} %, optionally tiled.
     */
    record Watermark(int opacity, Gravity gravity, int x, int y, int voffset, boolean fill, int padX, int padY,
            Text text, Picture picture, int order, int align, int interval) implements ImageOp {}

    /** The text of a watermark: decoded text, font name, colour, size, shadow %, rotation. */
    record Text(String text, String font, int color, int size, int shadow, int rotate) {}

    /** The image of a watermark: object key in the same bucket and the process string to apply to it (may be empty). */
    record Picture(String key, String process) {}

    /** {@code info}: JSON with size, format, dimensions and EXIF; alone in its pipeline. */
    record Info() implements ImageOp {}

    /** {@code average-hue}: JSON {"RGB":"0xRRGGBB"}. */
    record AverageHue() implements ImageOp {}
}
