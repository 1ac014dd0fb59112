package dev.pail.image;

import java.awt.AlphaComposite;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/** Pixel operations on non-premultiplied TYPE_INT_ARGB images: geometry, masks and filters. */
final class Pixels {
    private Pixels() {}

    static BufferedImage argb(int w, int h) {
        return new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
    }

    /** A copy of the region (already clipped to the image). */
    static BufferedImage region(BufferedImage src, int x, int y, int w, int h) {
        if (x == 0 && y == 0 && w == src.getWidth() && h == src.getHeight()) return src;
        BufferedImage out = argb(w, h);
        int[] s = Codec.pixels(src);
        int[] d = Codec.pixels(out);
        int sw = src.getWidth();
        for (int row = 0; row < h; row++) System.arraycopy(s, (y + row) * sw + x, d, row * w, w);
        return out;
    }

    /** Clockwise rotation by a multiple of 90°. */
    static BufferedImage rotateRight(BufferedImage src, int quarterTurns) {
        int q = ((quarterTurns % 4) + 4) % 4;
        if (q == 0) return src;
        int w = src.getWidth();
        int h = src.getHeight();
        int[] s = Codec.pixels(src);
        BufferedImage out = q == 2 ? argb(w, h) : argb(h, w);
        int[] d = Codec.pixels(out);
        switch (q) {
            case 1 -> { // dest (h-1-y, x)
                for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) d[x * h + (h - 1 - y)] = s[y * w + x];
            }
            case 2 -> {
                for (int i = 0, n = s.length; i < n; i++) d[n - 1 - i] = s[i];
            }
            default -> { // 270: dest (y, w-1-x)
                for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) d[(w - 1 - x) * h + y] = s[y * w + x];
            }
        }
        return out;
    }

    static BufferedImage flipHorizontal(BufferedImage src) {
        int w = src.getWidth();
        int h = src.getHeight();
        int[] s = Codec.pixels(src);
        BufferedImage out = argb(w, h);
        int[] d = Codec.pixels(out);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) d[y * w + (w - 1 - x)] = s[y * w + x];
        return out;
    }

    static BufferedImage flipVertical(BufferedImage src) {
        int w = src.getWidth();
        int h = src.getHeight();
        int[] s = Codec.pixels(src);
        BufferedImage out = argb(w, h);
        int[] d = Codec.pixels(out);
        for (int y = 0; y < h; y++) System.arraycopy(s, y * w, d, (h - 1 - y) * w, w);
        return out;
    }

    /** Applies an EXIF Orientation (1–8) so that the image displays upright. */
    static BufferedImage orient(BufferedImage img, int orientation) {
        return switch (orientation) {
            case 2 -> flipHorizontal(img);
            case 3 -> rotateRight(img, 2);
            case 4 -> flipVertical(img);
            case 5 -> flipHorizontal(rotateRight(img, 1)); // transpose
            case 6 -> rotateRight(img, 1);
            case 7 -> flipHorizontal(rotateRight(img, 3)); // transverse
            case 8 -> rotateRight(img, 3);
            default -> img;
        };
    }

    /** Clockwise rotation by any angle onto a transparent canvas that holds the whole rotated image. */
    static BufferedImage rotate(BufferedImage src, double degrees) {
        double d = Geometry.normalizedDegrees(degrees);
        if (d == 0) return src;
        if (d % 90 == 0) return rotateRight(src, (int) (d / 90));
        int w = src.getWidth();
        int h = src.getHeight();
        double rad = Math.toRadians(d);
        Geometry.Size canvas = Geometry.rotatedSize(w, h, d);
        int nw = canvas.width();
        int nh = canvas.height();
        BufferedImage out = argb(nw, nh);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.translate(nw / 2.0, nh / 2.0);
            g.rotate(rad); // y points down: positive angles turn clockwise
            g.translate(-w / 2.0, -h / 2.0);
            g.drawImage(src, 0, 0, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    /** The centred (2r+1)² square with everything outside the circle of radius r transparent. */
    static BufferedImage circle(BufferedImage src, int radius) {
        int w = src.getWidth();
        int h = src.getHeight();
        int r = Geometry.circleRadius(w, h, radius);
        int size = 2 * r + 1;
        BufferedImage out = region(src, (w - size) / 2, (h - size) / 2, size, size);
        if (out == src) out = copy(src);
        int[] px = Codec.pixels(out);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double cover = Geometry.circleCoverage(x, y, r);
                if (cover < 1) px[y * size + x] = scaleAlpha(px[y * size + x], cover);
            }
        }
        return out;
    }

    /** Rounded corners of radius r (clamped to half the short side), outside transparent. */
    static BufferedImage roundedCorners(BufferedImage src, int radius) {
        int w = src.getWidth();
        int h = src.getHeight();
        int r = Geometry.cornerRadius(w, h, radius);
        BufferedImage out = copy(src);
        if (r == 0) return out;
        int[] px = Codec.pixels(out);
        for (int y = 0; y < r; y++) {
            for (int x = 0; x < r; x++) {
                double cover = Geometry.cornerCoverage(x, y, r);
                if (cover >= 1) continue;
                int[] xs = {x, w - 1 - x};
                int[] ys = {y, h - 1 - y};
                for (int yy : ys) for (int xx : xs) px[yy * w + xx] = scaleAlpha(px[yy * w + xx], cover);
            }
        }
        return out;
    }

    static BufferedImage copy(BufferedImage src) {
        BufferedImage out = argb(src.getWidth(), src.getHeight());
        System.arraycopy(Codec.pixels(src), 0, Codec.pixels(out), 0, Codec.pixels(out).length);
        return out;
    }

    static int scaleAlpha(int p, double factor) {
        int a = (int) Math.round((p >>> 24) * factor);
        return a << 24 | (p & 0xFFFFFF);
    }

    /** The image centred on a w×h canvas of the opaque colour (0xRRGGBB). */
    static BufferedImage pad(BufferedImage src, int w, int h, int color) {
        BufferedImage out = argb(w, h);
        java.util.Arrays.fill(Codec.pixels(out), 0xFF000000 | color);
        Graphics2D g = out.createGraphics();
        try {
            g.setComposite(AlphaComposite.SrcOver);
            g.drawImage(src, (w - src.getWidth()) / 2, (h - src.getHeight()) / 2, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    // --- filters ------------------------------------------------------------------------------

    /** Gaussian blur of standard deviation sigma whose kernel reaches at most {@code radius} px. */
    static BufferedImage blur(BufferedImage src, int radius, double sigma) {
        BufferedImage out = copy(src);
        int[] px = Codec.pixels(out);
        boolean alpha = Resampler.premultiply(px);
        float[] kernel = gaussian(radius, sigma);
        long taps = (long) px.length * kernel.length * 2;
        if (kernel.length > 31 && taps > 400_000_000L) {
            // three box blurs approximate the (truncated) Gaussian at O(1) per pixel
            double var = 0;
            int half = kernel.length / 2;
            for (int i = 0; i < kernel.length; i++) var += kernel[i] * (double) (i - half) * (i - half);
            boxGauss(px, out.getWidth(), out.getHeight(), Math.sqrt(var));
        } else {
            convolve(px, out.getWidth(), out.getHeight(), kernel);
        }
        if (alpha) Resampler.unpremultiply(px);
        return out;
    }

    static float[] gaussian(int radius, double sigma) {
        int r = Math.max(1, radius);
        float[] k = new float[2 * r + 1];
        double sum = 0;
        for (int i = -r; i <= r; i++) {
            double v = Math.exp(-(i * i) / (2 * sigma * sigma));
            k[i + r] = (float) v;
            sum += v;
        }
        for (int i = 0; i < k.length; i++) k[i] = (float) (k[i] / sum);
        return k;
    }

    /** Separable convolution of all four channels with edge clamping, in place. */
    static void convolve(int[] px, int w, int h, float[] k) {
        int r = k.length / 2;
        int[] line = new int[Math.max(w, h)];
        int[] res = new int[Math.max(w, h)];
        for (int y = 0; y < h; y++) {
            System.arraycopy(px, y * w, line, 0, w);
            convolveLine(line, res, w, k, r);
            System.arraycopy(res, 0, px, y * w, w);
        }
        // vertical pass row by row (cache-friendly), reading from a copy of the horizontal result
        int[] src = px.clone();
        float[] acc = new float[w * 4];
        for (int y = 0; y < h; y++) {
            java.util.Arrays.fill(acc, 0);
            for (int j = -r; j <= r; j++) {
                int sy = Math.max(0, Math.min(h - 1, y + j));
                float wt = k[j + r];
                int row = sy * w;
                for (int x = 0; x < w; x++) {
                    int p = src[row + x];
                    int i = x * 4;
                    acc[i] += (p >>> 24) * wt;
                    acc[i + 1] += (p >> 16 & 0xFF) * wt;
                    acc[i + 2] += (p >> 8 & 0xFF) * wt;
                    acc[i + 3] += (p & 0xFF) * wt;
                }
            }
            for (int x = 0; x < w; x++) {
                int i = x * 4;
                px[y * w + x] = pack(acc[i], acc[i + 1], acc[i + 2], acc[i + 3]);
            }
        }
    }

    private static void convolveLine(int[] in, int[] out, int n, float[] k, int r) {
        for (int i = 0; i < n; i++) {
            float a = 0, rr = 0, g = 0, b = 0;
            for (int j = -r; j <= r; j++) {
                int idx = i + j;
                int p = in[idx < 0 ? 0 : idx >= n ? n - 1 : idx];
                float wt = k[j + r];
                a += (p >>> 24) * wt;
                rr += (p >> 16 & 0xFF) * wt;
                g += (p >> 8 & 0xFF) * wt;
                b += (p & 0xFF) * wt;
            }
            out[i] = pack(a, rr, g, b);
        }
    }

    private static int pack(float a, float r, float g, float b) {
        return c(a) << 24 | c(r) << 16 | c(g) << 8 | c(b);
    }

    private static int c(float v) {
        int i = Math.round(v);
        return i < 0 ? 0 : Math.min(i, 255);
    }

    private static void boxGauss(int[] px, int w, int h, double sigma) {
        // box sizes for three passes (Ivan Kutskir / W. Jarosz)
        int n = 3;
        double wIdeal = Math.sqrt(12 * sigma * sigma / n + 1);
        int wl = (int) Math.floor(wIdeal);
        if (wl % 2 == 0) wl--;
        int wu = wl + 2;
        double mIdeal = (12 * sigma * sigma - n * wl * wl - 4 * n * wl - 3 * n) / (-4.0 * wl - 4);
        long m = Math.round(mIdeal);
        int[] line = new int[Math.max(w, h)];
        int[] res = new int[Math.max(w, h)];
        for (int pass = 0; pass < n; pass++) {
            int br = ((pass < m ? wl : wu) - 1) / 2;
            if (br <= 0) continue;
            for (int y = 0; y < h; y++) {
                System.arraycopy(px, y * w, line, 0, w);
                boxLine(line, res, w, br);
                System.arraycopy(res, 0, px, y * w, w);
            }
            for (int x = 0; x < w; x++) {
                for (int y = 0; y < h; y++) line[y] = px[y * w + x];
                boxLine(line, res, h, br);
                for (int y = 0; y < h; y++) px[y * w + x] = res[y];
            }
        }
    }

    private static void boxLine(int[] in, int[] out, int n, int r) {
        int span = 2 * r + 1;
        long a = 0, rr = 0, g = 0, b = 0;
        for (int j = -r; j <= r; j++) {
            int p = in[j < 0 ? 0 : Math.min(j, n - 1)];
            a += p >>> 24;
            rr += p >> 16 & 0xFF;
            g += p >> 8 & 0xFF;
            b += p & 0xFF;
        }
        for (int i = 0; i < n; i++) {
            out[i] = (int) ((a + span / 2) / span) << 24 | (int) ((rr + span / 2) / span) << 16
                    | (int) ((g + span / 2) / span) << 8 | (int) ((b + span / 2) / span);
            int add = in[Math.min(n - 1, i + r + 1)];
            int sub = in[Math.max(0, i - r)];
            a += (add >>> 24) - (sub >>> 24);
            rr += (add >> 16 & 0xFF) - (sub >> 16 & 0xFF);
            g += (add >> 8 & 0xFF) - (sub >> 8 & 0xFF);
            b += (add & 0xFF) - (sub & 0xFF);
        }
    }

    /** Unsharp mask: original + amount × (original − blurred), amount = value/100, sigma 1. */
    static BufferedImage sharpen(BufferedImage src, int value) {
        BufferedImage out = copy(src);
        int[] px = Codec.pixels(out);
        int[] blurred = px.clone();
        convolve(blurred, out.getWidth(), out.getHeight(), gaussian(2, 1.0));
        float amount = value / 100f;
        for (int i = 0; i < px.length; i++) {
            int p = px[i];
            int q = blurred[i];
            int r = c((p >> 16 & 0xFF) + amount * ((p >> 16 & 0xFF) - (q >> 16 & 0xFF)));
            int g = c((p >> 8 & 0xFF) + amount * ((p >> 8 & 0xFF) - (q >> 8 & 0xFF)));
            int b = c((p & 0xFF) + amount * ((p & 0xFF) - (q & 0xFF)));
            px[i] = (p & 0xFF000000) | r << 16 | g << 8 | b;
        }
        return out;
    }

    /** Adds value × 255/100 to every colour channel. */
    static BufferedImage bright(BufferedImage src, int value) {
        int delta = Math.round(value * 2.55f);
        int[] lut = new int[256];
        for (int i = 0; i < 256; i++) lut[i] = Math.max(0, Math.min(255, i + delta));
        return mapChannels(src, lut);
    }

    /** Scales the distance from mid-grey by (100 + value)/100: −100 is flat grey, 100 doubles it. */
    static BufferedImage contrast(BufferedImage src, int value) {
        double f = (100 + value) / 100.0;
        int[] lut = new int[256];
        for (int i = 0; i < 256; i++) lut[i] = (int) Math.max(0, Math.min(255, Math.round((i - 127.5) * f + 127.5)));
        return mapChannels(src, lut);
    }

    private static BufferedImage mapChannels(BufferedImage src, int[] lut) {
        BufferedImage out = copy(src);
        int[] px = Codec.pixels(out);
        for (int i = 0; i < px.length; i++) {
            int p = px[i];
            px[i] = (p & 0xFF000000) | lut[p >> 16 & 0xFF] << 16 | lut[p >> 8 & 0xFF] << 8 | lut[p & 0xFF];
        }
        return out;
    }

    /** The alpha-weighted mean colour as 0xRRGGBB (black when fully transparent). */
    static int averageColor(BufferedImage src) {
        long r = 0, g = 0, b = 0, weight = 0;
        for (int p : Codec.pixels(src)) {
            int a = p >>> 24;
            r += (long) (p >> 16 & 0xFF) * a;
            g += (long) (p >> 8 & 0xFF) * a;
            b += (long) (p & 0xFF) * a;
            weight += a;
        }
        if (weight == 0) return 0;
        return (int) ((r + weight / 2) / weight) << 16 | (int) ((g + weight / 2) / weight) << 8 | (int) ((b + weight / 2) / weight);
    }

    /** Multiplies every alpha by percent/100, in place. */
    static void opacity(BufferedImage img, int percent) {
        if (percent >= 100) return;
        int[] px = Codec.pixels(img);
        for (int i = 0; i < px.length; i++) px[i] = scaleAlpha(px[i], percent / 100.0);
    }
}
