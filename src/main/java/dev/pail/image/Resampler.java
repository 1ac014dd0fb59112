package dev.pail.image;

import java.awt.image.BufferedImage;

/**
 * High-quality resizing of TYPE_INT_ARGB images: an integer box pre-shrink for large reductions
 * (as libvips' shrink) followed by a separable Lanczos-3 filter whose support widens with the
 * reduction factor, so a big shrink averages its source pixels instead of aliasing. Works on
 * premultiplied alpha so transparent pixels do not bleed colour.
 */
final class Resampler {
    private Resampler() {}

    private static final double SUPPORT = 3.0;

    static BufferedImage resize(BufferedImage src, int tw, int th) {
        int w = src.getWidth();
        int h = src.getHeight();
        if (tw == w && th == h) return src;
        int[] px = Codec.pixels(src).clone();
        boolean alpha = premultiply(px);
        // integer box shrink first: leaves at most a 2-4x reduction to the filter
        int kx = Math.max(1, w / tw / 2);
        int ky = Math.max(1, h / th / 2);
        if (kx > 1 || ky > 1) {
            int nw = (w + kx - 1) / kx;
            int nh = (h + ky - 1) / ky;
            px = boxShrink(px, w, h, kx, ky, nw, nh);
            w = nw;
            h = nh;
        }
        // the pass order that keeps the intermediate image smaller
        if ((long) tw * h <= (long) w * th) {
            if (tw != w) px = horizontal(px, w, h, tw);
            if (th != h) px = vertical(px, tw, h, th);
        } else {
            if (th != h) px = vertical(px, w, h, th);
            if (tw != w) px = horizontal(px, w, th, tw);
        }
        BufferedImage out = new BufferedImage(tw, th, BufferedImage.TYPE_INT_ARGB);
        int[] dst = Codec.pixels(out);
        System.arraycopy(px, 0, dst, 0, dst.length);
        if (alpha) unpremultiply(dst);
        return out;
    }

    /** Premultiplies in place; false (nothing done) when every pixel is opaque. */
    static boolean premultiply(int[] px) {
        boolean any = false;
        for (int p : px) {
            if (p >>> 24 != 0xFF) {
                any = true;
                break;
            }
        }
        if (!any) return false;
        for (int i = 0; i < px.length; i++) {
            int p = px[i];
            int a = p >>> 24;
            if (a == 255) continue;
            if (a == 0) {
                px[i] = 0;
                continue;
            }
            int r = ((p >> 16 & 0xFF) * a + 127) / 255;
            int g = ((p >> 8 & 0xFF) * a + 127) / 255;
            int b = ((p & 0xFF) * a + 127) / 255;
            px[i] = a << 24 | r << 16 | g << 8 | b;
        }
        return true;
    }

    static void unpremultiply(int[] px) {
        for (int i = 0; i < px.length; i++) {
            int p = px[i];
            int a = p >>> 24;
            if (a == 255) continue;
            if (a == 0) {
                px[i] = 0;
                continue;
            }
            int r = Math.min(255, ((p >> 16 & 0xFF) * 255 + a / 2) / a);
            int g = Math.min(255, ((p >> 8 & 0xFF) * 255 + a / 2) / a);
            int b = Math.min(255, ((p & 0xFF) * 255 + a / 2) / a);
            px[i] = a << 24 | r << 16 | g << 8 | b;
        }
    }

    private static int[] boxShrink(int[] px, int w, int h, int kx, int ky, int nw, int nh) {
        int[] out = new int[nw * nh];
        long[] acc = new long[nw * 4];
        int[] rows = new int[nw];
        for (int oy = 0; oy < nh; oy++) {
            java.util.Arrays.fill(acc, 0);
            int y0 = oy * ky;
            int y1 = Math.min(h, y0 + ky);
            for (int y = y0; y < y1; y++) {
                int base = y * w;
                for (int x = 0; x < w; x++) {
                    int p = px[base + x];
                    int o = (x / kx) * 4;
                    acc[o] += p >>> 24;
                    acc[o + 1] += p >> 16 & 0xFF;
                    acc[o + 2] += p >> 8 & 0xFF;
                    acc[o + 3] += p & 0xFF;
                }
            }
            for (int ox = 0; ox < nw; ox++) {
                int cols = Math.min(w, ox * kx + kx) - ox * kx;
                rows[ox] = cols * (y1 - y0);
            }
            for (int ox = 0; ox < nw; ox++) {
                long n = rows[ox];
                int o = ox * 4;
                int a = (int) ((acc[o] + n / 2) / n);
                int r = (int) ((acc[o + 1] + n / 2) / n);
                int g = (int) ((acc[o + 2] + n / 2) / n);
                int b = (int) ((acc[o + 3] + n / 2) / n);
                out[oy * nw + ox] = a << 24 | r << 16 | g << 8 | b;
            }
        }
        return out;
    }

    /** Filter taps of every output position: first input index, count, normalised weights. */
    private record Taps(int[] start, int[] count, float[] weights, int stride) {}

    private static double lanczos(double x) {
        if (x == 0) return 1;
        if (x <= -SUPPORT || x >= SUPPORT) return 0;
        double px = Math.PI * x;
        return SUPPORT * Math.sin(px) * Math.sin(px / SUPPORT) / (px * px);
    }

    private static Taps taps(int in, int out) {
        double scale = (double) in / out;
        double fs = Math.max(scale, 1.0);
        double support = SUPPORT * fs;
        int stride = (int) Math.ceil(support) * 2 + 2;
        int[] start = new int[out];
        int[] count = new int[out];
        float[] weights = new float[out * stride];
        double[] tmp = new double[stride];
        for (int o = 0; o < out; o++) {
            double center = (o + 0.5) * scale;
            int lo = Math.max(0, (int) Math.floor(center - support + 0.5));
            int hi = Math.min(in, (int) Math.floor(center + support + 0.5));
            int n = Math.min(stride, Math.max(0, hi - lo));
            double total = 0;
            for (int k = 0; k < n; k++) {
                double wgt = lanczos((lo + k - center + 0.5) / fs);
                tmp[k] = wgt;
                total += wgt;
            }
            if (n == 0 || total == 0) { // degenerate: nearest pixel
                lo = Math.min(in - 1, Math.max(0, (int) center));
                n = 1;
                tmp[0] = 1;
                total = 1;
            }
            start[o] = lo;
            count[o] = n;
            for (int k = 0; k < n; k++) weights[o * stride + k] = (float) (tmp[k] / total);
        }
        return new Taps(start, count, weights, stride);
    }

    private static int pack(float a, float r, float g, float b) {
        int ia = clamp(a, 255);
        return ia << 24 | clamp(r, ia) << 16 | clamp(g, ia) << 8 | clamp(b, ia);
    }

    private static int clamp(float v, int max) {
        int i = Math.round(v);
        return i < 0 ? 0 : Math.min(i, max);
    }

    private static int[] horizontal(int[] px, int w, int h, int tw) {
        Taps t = taps(w, tw);
        int[] out = new int[tw * h];
        for (int y = 0; y < h; y++) {
            int row = y * w;
            for (int o = 0; o < tw; o++) {
                float a = 0, r = 0, g = 0, b = 0;
                int s = row + t.start[o];
                int wo = o * t.stride;
                for (int k = 0, n = t.count[o]; k < n; k++) {
                    int p = px[s + k];
                    float wt = t.weights[wo + k];
                    a += (p >>> 24) * wt;
                    r += (p >> 16 & 0xFF) * wt;
                    g += (p >> 8 & 0xFF) * wt;
                    b += (p & 0xFF) * wt;
                }
                out[y * tw + o] = pack(a, r, g, b);
            }
        }
        return out;
    }

    private static int[] vertical(int[] px, int w, int h, int th) {
        Taps t = taps(h, th);
        int[] out = new int[w * th];
        float[] acc = new float[w * 4];
        for (int o = 0; o < th; o++) {
            java.util.Arrays.fill(acc, 0);
            int wo = o * t.stride;
            for (int k = 0, n = t.count[o]; k < n; k++) {
                float wt = t.weights[wo + k];
                int row = (t.start[o] + k) * w;
                for (int x = 0; x < w; x++) {
                    int p = px[row + x];
                    int i = x * 4;
                    acc[i] += (p >>> 24) * wt;
                    acc[i + 1] += (p >> 16 & 0xFF) * wt;
                    acc[i + 2] += (p >> 8 & 0xFF) * wt;
                    acc[i + 3] += (p & 0xFF) * wt;
                }
            }
            for (int x = 0; x < w; x++) {
                int i = x * 4;
                out[o * w + x] = pack(acc[i], acc[i + 1], acc[i + 2], acc[i + 3]);
            }
        }
        return out;
    }
}
