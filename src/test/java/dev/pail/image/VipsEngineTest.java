package dev.pail.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pail.xml.OssError;
import dev.pail.xml.OssException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The libvips engine against the shared {@link EngineContract}, plus what only it does (AVIF and
 * HEIC, CJK text through Pango, shrink-on-load) and a pixel comparison with {@link JavaEngine}.
 * Skipped where libvips.so.42 is not installed ({@code apt-get install libvips42 fonts-wqy-zenhei}).
 */
class VipsEngineTest extends EngineContract {

    @Override
    protected ImageEngine createEngine() {
        Assumptions.assumeTrue(VipsEngine.load().isPresent(), "libvips.so.42 not available");
        return VipsEngine.load().orElseThrow();
    }

    private final JavaEngine javaEngine = new JavaEngine();

    /** Text tests compare glyphs and Java2D metrics: they need the CJK font both engines use. */
    private static void assumeCjkFont() {
        boolean installed = java.util.Arrays.asList(java.awt.GraphicsEnvironment.getLocalGraphicsEnvironment()
                .getAvailableFontFamilyNames(java.util.Locale.ROOT)).contains("WenQuanYi Zen Hei");
        Assumptions.assumeTrue(installed, "fonts-wqy-zenhei not installed");
    }

    private static boolean hasBrand(byte[] b, String brand) {
        return b.length > 12 && new String(b, 4, 8, StandardCharsets.ISO_8859_1).equals("ftyp" + brand);
    }

    @Test
    void loadsAndNamesItself() {
        assertThat(VipsEngine.load()).isPresent();
        assertThat(engine.name()).startsWith("vips 8.");
    }

    @Test
    void avifAndHeicAreWrittenAndRead() throws IOException {
        byte[] png = encode(quadrants(120, 81), "png");
        ImageEngine.Output avif = run(png, "format,avif");
        assertThat(avif.contentType()).isEqualTo("image/avif");
        assertThat(hasBrand(avif.bytes(), "avif")).as("ftypavif").isTrue();
        assertThat(engine.probe(avif.bytes())).isEqualTo(new ImageEngine.Probe("avif", 120, 81, 1));

        ImageEngine.Output heic = run(png, "resize,w_60/format,heic/quality,Q_70");
        assertThat(heic.contentType()).isEqualTo("image/heic");
        assertThat(hasBrand(heic.bytes(), "heic")).as("ftypheic").isTrue();
        assertThat(engine.probe(heic.bytes())).isEqualTo(new ImageEngine.Probe("heic", 60, 41, 1));

        // HEIC and AVIF sources decode: back to PNG with the colours in place
        BufferedImage fromHeic = runImage(heic.bytes(), "format,png");
        assertThat(new int[] {fromHeic.getWidth(), fromHeic.getHeight()}).containsExactly(60, 41);
        assertColor(fromHeic, 10, 8, RED);
        assertColor(fromHeic, 50, 35, YELLOW);
        BufferedImage fromAvif = runImage(avif.bytes(), "resize,w_40/format,jpg");
        assertThat(fromAvif.getWidth()).isEqualTo(40);
        assertColor(fromAvif, 5, 5, RED);

        ImageEngine.Output keepsAvif = run(avif.bytes(), "resize,w_30");
        assertThat(keepsAvif.contentType()).isEqualTo("image/avif"); // source format kept
        assertThat(engine.probe(keepsAvif.bytes()).width()).isEqualTo(30);
    }

    @Test
    void avifAndHeicOutputLimits() throws IOException {
        byte[] wide = encode(solid(4200, 8, RED), "png");
        assertError(OssError.INVALID_ARGUMENT, () -> run(wide, "format,heic"));
        assertError(OssError.INVALID_ARGUMENT, () -> run(encode(solid(2400, 2400, RED), "png"), "format,avif"));
        assertThat(engine.probe(run(wide, "resize,w_4096/format,heic").bytes()).width()).isEqualTo(4096);
    }

    @Test
    void chineseTextRendersRealGlyphs() throws IOException {
        assumeCjkFont();
        byte[] png = encode(solid(200, 100, 0xFFFFFF), "png");
        BufferedImage water = runImage(png, "watermark,text_" + b64("水") + ",size_60,g_nw,x_0,y_0");
        BufferedImage seal = runImage(png, "watermark,text_" + b64("印") + ",size_60,g_nw,x_0,y_0");
        int inkWater = darkPixels(water, 0, 0, 200, 100);
        int inkSeal = darkPixels(seal, 0, 0, 200, 100);
        assertThat(inkWater).isGreaterThan(100);
        assertThat(inkSeal).isGreaterThan(100);
        int differ = 0;
        for (int y = 0; y < 100; y++) {
            for (int x = 0; x < 200; x++) if (((water.getRGB(x, y) & 0xFF) < 0x80) != ((seal.getRGB(x, y) & 0xFF) < 0x80)) differ++;
        }
        assertThat(differ).as("two different glyphs, not the same missing-glyph box").isGreaterThan(100);
        // markup characters are text, not Pango markup
        BufferedImage markup = runImage(png, "watermark,text_" + b64("<b>&amp;") + ",size_20,g_nw");
        assertThat(darkPixels(markup, 0, 0, 200, 100)).isGreaterThan(20);
        // every OSS font name renders
        for (String font : List.of("wqy-microhei", "fangzhengshusong", "fangzhengkaiti", "fangzhengheiti", "fangzhengfangsong",
                "droidsansfallback", "no-such-font")) {
            BufferedImage img = runImage(png, "watermark,text_" + b64("水印") + ",type_" + b64(font) + ",size_30");
            assertThat(darkPixels(img, 100, 50, 200, 100)).as(font).isGreaterThan(50);
        }
    }

    @Test
    void probeReadsOnlyTheHeader() throws IOException {
        byte[] jpg = jpeg(quadrants(640, 480), 0.9f);
        int sos = 2;
        while ((jpg[sos + 1] & 0xFF) != 0xDA) sos += 2 + ((jpg[sos + 2] & 0xFF) << 8 | (jpg[sos + 3] & 0xFF));
        byte[] headerOnly = java.util.Arrays.copyOf(jpg, sos + 20); // no entropy-coded data to speak of
        assertThat(engine.probe(headerOnly)).isEqualTo(new ImageEngine.Probe("jpg", 640, 480, 1));
        // decoding the truncated image is a 400 or a (grey) image, never a crash
        try {
            assertThat(decode(run(headerOnly, "resize,w_64").bytes()).getWidth()).isEqualTo(64);
        } catch (OssException e) {
            assertThat(e.error()).isEqualTo(OssError.BAD_REQUEST);
        }
    }

    @Test
    void resizeAfterOtherActionsGivesTheSameSizes() throws IOException {
        byte[] src = jpeg(quadrants(400, 267), 0.9f);
        Map<String, int[]> cases = new LinkedHashMap<>();
        cases.put("resize,m_lfit,w_100,h_100", new int[] {100, 67});
        cases.put("resize,m_mfit,w_100,h_100", new int[] {150, 100});
        cases.put("resize,m_fill,w_100,h_100", new int[] {100, 100});
        cases.put("resize,m_pad,w_100,h_100", new int[] {100, 100});
        cases.put("resize,w_200", new int[] {200, 134});
        cases.put("resize,p_10", new int[] {40, 27});
        cases.put("resize,m_fill,w_1000,h_100,limit_0", new int[] {1000, 100});
        cases.put("resize,w_800", new int[] {400, 267});
        for (Map.Entry<String, int[]> c : cases.entrySet()) {
            // not the first action: no shrink-on-load, the decoded image is resized
            BufferedImage img = runImage(src, "interlace,1/" + c.getKey());
            assertThat(new int[] {img.getWidth(), img.getHeight()}).as(c.getKey()).containsExactly(c.getValue());
            // first action, then more work on the thumbnail (random access after a sequential load)
            BufferedImage rotated = runImage(src, c.getKey() + "/rotate,90");
            assertThat(new int[] {rotated.getHeight(), rotated.getWidth()}).as(c.getKey() + "/rotate").containsExactly(c.getValue());
        }
    }

    @Test
    void infoAndProbeMatchTheJavaEngine() throws IOException {
        byte[] jpg = withExif(jpeg(quadrants(400, 267), 0.9f), exif(6));
        assertThat(new String(run(jpg, "info").bytes(), StandardCharsets.UTF_8))
                .isEqualTo(new String(javaEngine.process(jpg, ProcessParser.parse("info"), k -> null).bytes(), StandardCharsets.UTF_8));
        BufferedImage img = quadrants(40, 30);
        for (String f : List.of("jpg", "png", "gif", "bmp", "tiff")) {
            byte[] b = encode(img, f);
            assertThat(engine.probe(b)).as(f).isEqualTo(javaEngine.probe(b));
        }
    }

    /** Mean absolute difference per channel of two same-size images, both flattened onto white. */
    private static double difference(BufferedImage a, BufferedImage b) {
        long sum = 0;
        int[] pa = Codec.pixels(Codec.flatten(a, 0xFFFFFF));
        int[] pb = Codec.pixels(Codec.flatten(b, 0xFFFFFF));
        for (int i = 0; i < pa.length; i++) {
            for (int shift = 0; shift <= 16; shift += 8) sum += Math.abs((pa[i] >> shift & 0xFF) - (pb[i] >> shift & 0xFF));
        }
        return sum / (3.0 * pa.length);
    }

    @Test
    void pixelsMatchTheJavaEngine() throws IOException {
        // a smooth gradient with a hard-edged block and a transparent hole
        BufferedImage src = new BufferedImage(320, 200, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 200; y++) {
            for (int x = 0; x < 320; x++) {
                int c = (x * 255 / 319) << 16 | (y * 255 / 199) << 8 | ((x + y) * 255 / 518);
                if (x > 40 && x < 120 && y > 30 && y < 90) c = 0x202080;
                int a = (x - 250) * (x - 250) + (y - 150) * (y - 150) < 400 ? 0 : 255;
                src.setRGB(x, y, a << 24 | c);
            }
        }
        byte[] png = encode(src, "png");
        objects.put("mark.png", encode(quadrants(30, 20), "png"));
        List<String> processes = List.of("resize,w_100", "resize,m_fill,w_90,h_90", "resize,m_pad,w_200,h_200,color_00FF00",
                "resize,w_640,limit_0", "crop,x_10,y_20,w_150,h_100,g_center", "indexcrop,y_70,i_1", "rotate,90", "rotate,30",
                "rotate,200", "circle,r_60", "rounded-corners,r_40", "blur,r_5,s_3", "bright,40", "contrast,-30", "contrast,60",
                "sharpen,150", "watermark,image_" + b64("mark.png") + ",t_70,g_center,voffset_20",
                "watermark,image_" + b64("mark.png?x-oss-process=image/resize,P_20") + ",fill_1,padx_5,pady_7",
                "resize,w_160/rotate,45/blur,r_2,s_1/format,png");
        for (String p : processes) {
            BufferedImage v = runImage(png, p);
            BufferedImage j = decode(javaEngine.process(png, ProcessParser.parse(p), k -> objects.get(k)).bytes());
            assertThat(new int[] {v.getWidth(), v.getHeight()}).as(p).containsExactly(j.getWidth(), j.getHeight());
            double diff = difference(v, j);
            System.out.printf("vips vs java %-70s mean |diff| %.2f%n", p, diff);
            assertThat(diff).as(p).isLessThan(2.0);
        }
    }

    /** The bounding box of pixels darker than mid-grey: x0, y0, x1, y1 (exclusive). */
    private static int[] inkBox(BufferedImage img) {
        int[] box = {Integer.MAX_VALUE, Integer.MAX_VALUE, -1, -1};
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if ((img.getRGB(x, y) & 0xFF) < 0x80) {
                    box[0] = Math.min(box[0], x);
                    box[1] = Math.min(box[1], y);
                    box[2] = Math.max(box[2], x + 1);
                    box[3] = Math.max(box[3], y + 1);
                }
            }
        }
        return box;
    }

    @Test
    void textMarksSitWhereTheJavaEnginePutsThem() throws IOException {
        assumeCjkFont();
        byte[] png = encode(solid(500, 300, 0xFFFFFF), "png");
        for (String p : List.of("watermark,text_" + b64("Pail 水印 gy") + ",size_40",
                "watermark,text_" + b64("水印") + ",size_60,g_nw,x_20,y_30",
                "watermark,text_" + b64("Agj") + ",size_50,g_center",
                "watermark,text_" + b64("水印") + ",size_40,g_sw,shadow_60,rotate_20")) {
            int[] v = inkBox(runImage(png, p));
            int[] j = inkBox(decode(javaEngine.process(png, ProcessParser.parse(p), k -> null).bytes()));
            System.out.printf("text ink box vips %s java %s  %s%n", java.util.Arrays.toString(v), java.util.Arrays.toString(j), p);
            for (int i = 0; i < 4; i++) assertThat(v[i]).as(p + " edge " + i).isCloseTo(j[i], org.assertj.core.api.Assertions.within(4));
        }
    }

    @Test
    void concurrentRequestsAreIndependent() throws Exception {
        byte[] a = encode(solid(300, 200, RED), "png");
        byte[] b = jpeg(solid(500, 400, BLUE), 0.9f);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<BufferedImage>> results = new ArrayList<>();
            for (int i = 0; i < 48; i++) {
                byte[] src = i % 2 == 0 ? a : b;
                String p = switch (i % 4) {
                    case 0 -> "resize,w_50";
                    case 1 -> "rotate,33/format,png";
                    case 2 -> "circle,r_40";
                    default -> "blur,r_3,s_2/format,webp";
                };
                results.add(pool.submit(() -> runImage(src, p)));
            }
            for (int i = 0; i < results.size(); i++) {
                BufferedImage img = results.get(i).get();
                int cx = img.getWidth() / 2;
                int cy = img.getHeight() / 2;
                assertColor(img, cx, cy, i % 2 == 0 ? RED : BLUE);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void corruptPixelsAreABadRequestNotACrash() throws IOException {
        byte[] png = encode(quadrants(200, 100), "png");
        byte[] broken = png.clone();
        for (int i = 60; i < broken.length - 20; i += 7) broken[i] ^= 0x5A; // damage the IDAT stream, keep the header
        assertThat(engine.probe(broken).width()).isEqualTo(200);
        assertThatThrownBy(() -> run(broken, "rotate,90")).isInstanceOf(OssException.class)
                .satisfies(e -> assertThat(((OssException) e).error()).isEqualTo(OssError.BAD_REQUEST));
    }

    @Test
    void brokenWatermarkPixelsAreAWatermarkError() throws IOException {
        byte[] mark = encode(quadrants(200, 100), "png");
        for (int i = 60; i < mark.length - 20; i += 7) mark[i] ^= 0x5A;
        objects.put("broken.png", mark);
        byte[] png = encode(solid(300, 300, 0xFFFFFF), "png");
        assertError(OssError.WATERMARK_ERROR, () -> run(png, "watermark,image_" + b64("broken.png")));
        assertError(OssError.WATERMARK_ERROR, () -> run(png, "watermark,image_" + b64("broken.png?x-oss-process=image/resize,P_10") + ",fill_1"));
    }

    @Test
    void thumbnailTimingAgainstTheJavaEngine() throws IOException {
        BufferedImage big = new BufferedImage(4000, 3000, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(42);
        int[] px = new int[4000];
        for (int y = 0; y < 3000; y++) {
            for (int x = 0; x < 4000; x++) {
                px[x] = (x * 255 / 3999) << 16 | (y * 255 / 2999) << 8 | random.nextInt(64) + ((x ^ y) & 0x7F);
            }
            big.setRGB(0, y, 4000, 1, px, 0, 4000);
        }
        byte[] jpg = jpeg(big, 0.9f);
        List<ImageOp> ops = ProcessParser.parse("resize,w_200");
        long[] best = new long[2];
        ImageEngine[] engines = {engine, javaEngine};
        for (int e = 0; e < 2; e++) {
            best[e] = Long.MAX_VALUE;
            for (int i = 0; i < 4; i++) { // the first run warms up
                long t0 = System.nanoTime();
                ImageEngine.Output out = engines[e].process(jpg, ops, k -> null);
                long t = System.nanoTime() - t0;
                if (i > 0) best[e] = Math.min(best[e], t);
                assertThat(decode(out.bytes()).getWidth()).isEqualTo(200);
            }
        }
        System.out.printf("thumbnail %d-byte 4000x3000 JPEG to w200: vips %d ms, java %d ms (best of 3)%n",
                jpg.length, best[0] / 1_000_000, best[1] / 1_000_000);
    }
}
