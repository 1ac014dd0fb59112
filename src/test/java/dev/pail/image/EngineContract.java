package dev.pail.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pail.xml.OssError;
import dev.pail.xml.OssException;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/**
 * Behaviour every {@link ImageEngine} must show (features.md §8), run against each engine by a
 * subclass: output sizes of every resize mode, crop gravity, masks, rotation, EXIF, filters,
 * formats and quality, watermarks, info JSON and errors.
 */
abstract class EngineContract {
    protected static final int RED = 0xFF0000;
    protected static final int GREEN = 0x00FF00;
    protected static final int BLUE = 0x0000FF;
    protected static final int YELLOW = 0xFFFF00;

    protected ImageEngine engine;
    protected final Map<String, byte[]> objects = new HashMap<>();

    /** The engine under test; null when it is not available here (the tests are then skipped). */
    protected abstract ImageEngine createEngine();

    @BeforeEach
    void setUpEngine() {
        engine = createEngine();
        Assumptions.assumeTrue(engine != null, "engine not available");
    }

    // --- helpers ------------------------------------------------------------------------------

    protected ImageEngine.Output run(byte[] source, String process) throws IOException {
        return engine.process(source, ProcessParser.parse(process), key -> {
            byte[] b = objects.get(key);
            if (b == null) throw OssError.NO_SUCH_KEY.exception("no " + key);
            return b;
        });
    }

    protected BufferedImage runImage(byte[] source, String process) throws IOException {
        return decode(run(source, process).bytes());
    }

    protected static BufferedImage decode(byte[] bytes) throws IOException {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(bytes));
        assertThat(img).as("decodable output").isNotNull();
        return Codec.toArgb(img);
    }

    protected static BufferedImage solid(int w, int h, int rgb) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(rgb));
        g.fillRect(0, 0, w, h);
        g.dispose();
        return img;
    }

    /** Red top-left, green top-right, blue bottom-left, yellow bottom-right. */
    protected static BufferedImage quadrants(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int c = y < h / 2 ? (x < w / 2 ? RED : GREEN) : (x < w / 2 ? BLUE : YELLOW);
                img.setRGB(x, y, 0xFF000000 | c);
            }
        }
        return img;
    }

    /** White with a 20×20 black block in the top-left corner. */
    protected static BufferedImage marked(int w, int h) {
        BufferedImage img = solid(w, h, 0xFFFFFF);
        for (int y = 0; y < 20; y++) for (int x = 0; x < 20; x++) img.setRGB(x, y, 0xFF000000);
        return img;
    }

    protected static byte[] encode(BufferedImage img, String format) throws IOException {
        BufferedImage toWrite = img;
        if (format.equals("jpg") || format.equals("bmp")) {
            toWrite = new BufferedImage(img.getWidth(), img.getHeight(), format.equals("bmp") ? BufferedImage.TYPE_3BYTE_BGR : BufferedImage.TYPE_INT_RGB);
            Graphics2D g = toWrite.createGraphics();
            g.drawImage(img, 0, 0, Color.WHITE, null);
            g.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ImageIO.write(toWrite, format.equals("jpg") ? "jpeg" : format, out)).as("writer for " + format).isTrue();
        return out.toByteArray();
    }

    protected static byte[] jpeg(BufferedImage img, float quality) throws IOException {
        BufferedImage rgb = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        g.drawImage(img, 0, 0, null);
        g.dispose();
        ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            w.setOutput(out);
            ImageWriteParam p = w.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(quality);
            w.write(null, new IIOImage(rgb, null, null), p);
        } finally {
            w.dispose();
        }
        return bytes.toByteArray();
    }

    protected static int rgb(BufferedImage img, int x, int y) {
        return img.getRGB(x, y) & 0xFFFFFF;
    }

    protected static int alpha(BufferedImage img, int x, int y) {
        return img.getRGB(x, y) >>> 24;
    }

    /** Colour equality with a tolerance per channel (JPEG). */
    protected static boolean near(int actual, int expected, int tolerance) {
        for (int shift = 0; shift <= 16; shift += 8) {
            if (Math.abs((actual >> shift & 0xFF) - (expected >> shift & 0xFF)) > tolerance) return false;
        }
        return true;
    }

    protected static void assertColor(BufferedImage img, int x, int y, int expected) {
        int actual = rgb(img, x, y);
        assertThat(near(actual, expected, 40))
                .as("pixel (%d,%d) = %06x, expected ≈ %06x", x, y, actual, expected).isTrue();
    }

    protected static double mean(BufferedImage img) {
        long sum = 0;
        for (int p : Codec.pixels(img)) sum += (p >> 16 & 0xFF) + (p >> 8 & 0xFF) + (p & 0xFF);
        return sum / (3.0 * img.getWidth() * img.getHeight());
    }

    protected static double stddev(BufferedImage img) {
        double m = mean(img);
        double sum = 0;
        for (int p : Codec.pixels(img)) {
            double v = ((p >> 16 & 0xFF) + (p >> 8 & 0xFF) + (p & 0xFF)) / 3.0 - m;
            sum += v * v;
        }
        return Math.sqrt(sum / (img.getWidth() * img.getHeight()));
    }

    protected static void assertError(OssError error, ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOf(OssException.class)
                .satisfies(e -> assertThat(((OssException) e).error()).isEqualTo(error));
    }

    protected static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    protected static String format(byte[] bytes) {
        return Codec.sniff(bytes);
    }

    // --- probe and limits -----------------------------------------------------------------------

    @Test
    void probeReadsFormatAndSizeOfEveryFormat() throws IOException {
        BufferedImage img = quadrants(40, 30);
        for (String f : List.of("jpg", "png", "gif", "bmp", "tiff")) {
            ImageEngine.Probe p = engine.probe(encode(img, f));
            assertThat(p).isEqualTo(new ImageEngine.Probe(f, 40, 30, 1));
        }
        byte[] webp = run(encode(img, "png"), "format,webp").bytes();
        assertThat(engine.probe(webp)).isEqualTo(new ImageEngine.Probe("webp", 40, 30, 1));
    }

    @Test
    void probeCountsGifFrames() throws IOException {
        byte[] gif = animatedGif(solid(30, 20, RED), solid(30, 20, BLUE), solid(30, 20, GREEN));
        assertThat(engine.probe(gif)).isEqualTo(new ImageEngine.Probe("gif", 30, 20, 3));
        ImageEngine.Output out = run(gif, "resize,w_15");
        assertThat(out.contentType()).isEqualTo("image/gif");
        BufferedImage first = decode(out.bytes());
        assertThat(first.getWidth()).isEqualTo(15);
        assertColor(first, 7, 5, RED);
    }

    @Test
    void garbageIsBadRequest() {
        assertError(OssError.BAD_REQUEST, () -> engine.probe("hello world, not an image".getBytes(StandardCharsets.UTF_8)));
        assertError(OssError.BAD_REQUEST, () -> engine.probe(new byte[0]));
        byte[] truncated = new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0};
        assertError(OssError.BAD_REQUEST, () -> run(truncated, "resize,w_10"));
    }

    @Test
    void decompressionBombIsRefusedFromTheHeader() throws IOException {
        byte[] bomb = pngHeaderOnly(40_000, 40_000);
        ImageEngine.Probe p = engine.probe(bomb);
        assertThat(p.width()).isEqualTo(40_000);
        assertThat(p.height()).isEqualTo(40_000);
        assertError(OssError.IMAGE_TOO_LARGE, () -> run(bomb, "resize,w_10"));
        assertError(OssError.IMAGE_TOO_LARGE, () -> run(pngHeaderOnly(20_000, 20_000), "resize,w_10")); // 400 M px
    }

    /** A PNG signature and a valid IHDR claiming w×h, then an empty IDAT and IEND. */
    protected static byte[] pngHeaderOnly(int w, int h) {
        ByteBuffer b = ByteBuffer.allocate(8 + 25 + 12 + 12);
        b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(b, "IHDR", ihdr.array());
        chunk(b, "IDAT", new byte[0]);
        chunk(b, "IEND", new byte[0]);
        return b.array();
    }

    protected static void chunk(ByteBuffer b, String type, byte[] data) {
        b.putInt(data.length);
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        b.put(t).put(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        b.putInt((int) crc.getValue());
    }

    // --- resize -------------------------------------------------------------------------------

    @Test
    void resizeModesGiveOssSizes() throws IOException {
        byte[] src = jpeg(quadrants(400, 267), 0.9f);
        Map<String, int[]> cases = new java.util.LinkedHashMap<>();
        cases.put("resize,m_lfit,w_100,h_100", new int[] {100, 67});
        cases.put("resize,w_100,h_100", new int[] {100, 67});
        cases.put("resize,m_mfit,w_100,h_100", new int[] {150, 100});
        cases.put("resize,m_fill,w_100,h_100", new int[] {100, 100});
        cases.put("resize,m_pad,w_100,h_100", new int[] {100, 100});
        cases.put("resize,m_fixed,w_100,h_100", new int[] {100, 100});
        cases.put("resize,m_fixed,w_100,h_30", new int[] {100, 30});
        cases.put("resize,w_200", new int[] {200, 134}); // 133.5 rounds half up
        cases.put("resize,h_100", new int[] {150, 100}); // 149.8
        cases.put("resize,p_50", new int[] {200, 134});
        cases.put("resize,p_10", new int[] {40, 27});
        cases.put("resize,l_200", new int[] {200, 134});
        cases.put("resize,s_100", new int[] {150, 100});
        cases.put("resize,l_100,s_100", new int[] {100, 67});
        cases.put("resize,w_50,h_50,p_200", new int[] {100, 67}); // p multiplies w and h
        cases.put("resize,p_200", new int[] {800, 534}); // percent enlarges without limit_0, like OSS's 200p
        cases.put("resize,w_800", new int[] {400, 267}); // limit: never enlarged
        cases.put("resize,m_fixed,w_800,h_100", new int[] {400, 267});
        cases.put("resize,m_fill,w_800,h_800", new int[] {400, 267});
        cases.put("resize,m_pad,w_800,h_800", new int[] {400, 267});
        cases.put("resize,w_800,limit_0", new int[] {800, 534});
        cases.put("resize,m_pad,w_800,h_800,limit_0", new int[] {800, 800});
        cases.put("resize,m_fill,w_1000,h_100,limit_0", new int[] {1000, 100});
        for (Map.Entry<String, int[]> c : cases.entrySet()) {
            ImageEngine.Output out = run(src, c.getKey());
            assertThat(out.contentType()).as(c.getKey()).isEqualTo("image/jpeg");
            BufferedImage img = decode(out.bytes());
            assertThat(new int[] {img.getWidth(), img.getHeight()}).as(c.getKey()).containsExactly(c.getValue());
        }
    }

    @Test
    void resizeOutputLimits() throws IOException {
        byte[] src = encode(solid(40, 30, RED), "png");
        assertError(OssError.INVALID_ARGUMENT, () -> run(src, "resize,m_fixed,w_5000,h_5000"));
        assertError(OssError.INVALID_ARGUMENT, () -> run(src, "resize,p_1000,w_16384"));
        assertThat(runImage(src, "resize,m_fixed,w_4096,h_4096,limit_0").getWidth()).isEqualTo(4096);
    }

    @Test
    void bigShrinkAveragesInsteadOfAliasing() throws IOException {
        BufferedImage checker = new BufferedImage(2000, 2000, BufferedImage.TYPE_INT_ARGB);
        int[] px = Codec.pixels(checker);
        for (int y = 0; y < 2000; y++) for (int x = 0; x < 2000; x++) px[y * 2000 + x] = ((x + y) & 1) == 0 ? 0xFF000000 : 0xFFFFFFFF;
        BufferedImage out = runImage(encode(checker, "png"), "resize,w_100,h_100");
        assertThat(out.getWidth()).isEqualTo(100);
        for (int y = 0; y < 100; y += 7) {
            for (int x = 0; x < 100; x += 7) {
                assertThat(out.getRGB(x, y) & 0xFF).as("(%d,%d)", x, y).isCloseTo(128, within(20));
            }
        }
        // a non-integral factor too
        out = runImage(encode(checker, "png"), "resize,w_333");
        assertThat(out.getRGB(100, 100) & 0xFF).isCloseTo(128, within(20));
    }

    @Test
    void fillCropsTheCentreAndPadFillsWithColour() throws IOException {
        // 400×200: left half red, right half green
        BufferedImage src = new BufferedImage(400, 200, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 200; y++) for (int x = 0; x < 400; x++) src.setRGB(x, y, 0xFF000000 | (x < 200 ? RED : GREEN));
        byte[] png = encode(src, "png");
        BufferedImage pad = runImage(png, "resize,m_pad,w_100,h_100,color_0000FF");
        assertThat(pad.getWidth()).isEqualTo(100);
        assertThat(pad.getHeight()).isEqualTo(100);
        assertColor(pad, 50, 5, BLUE); // top band padded
        assertColor(pad, 50, 95, BLUE); // bottom band
        assertColor(pad, 10, 50, RED); // the image, centred
        assertColor(pad, 90, 50, GREEN);
        BufferedImage red = runImage(png, "resize,m_pad,w_100,h_100,color_FF0000");
        assertColor(red, 50, 2, RED);
        assertColor(red, 50, 97, RED);
        BufferedImage fill = runImage(png, "resize,m_fill,w_100,h_100");
        assertColor(fill, 10, 50, RED); // centre 200×200 of the source: half red, half green
        assertColor(fill, 90, 50, GREEN);
    }

    // --- crop and friends -----------------------------------------------------------------------

    @Test
    void cropByGravityAndOffset() throws IOException {
        byte[] png = encode(quadrants(200, 100), "png");
        BufferedImage nw = runImage(png, "crop,w_50,h_30");
        assertThat(nw.getWidth()).isEqualTo(50);
        assertThat(nw.getHeight()).isEqualTo(30);
        assertColor(nw, 25, 15, RED);
        BufferedImage se = runImage(png, "crop,w_50,h_30,g_se");
        assertColor(se, 25, 15, YELLOW);
        BufferedImage ne = runImage(png, "crop,x_10,y_10,w_50,h_30,g_ne");
        assertColor(ne, 49, 0, GREEN);
        BufferedImage offset = runImage(png, "crop,x_110,y_60,w_50,h_30");
        assertColor(offset, 0, 0, YELLOW);
        BufferedImage center = runImage(png, "crop,w_20,h_20,g_center");
        assertThat(center.getWidth()).isEqualTo(20);
        assertColor(center, 0, 0, RED);
        assertColor(center, 19, 19, YELLOW);
        BufferedImage toEdge = runImage(png, "crop,x_150,y_0");
        assertThat(toEdge.getWidth()).isEqualTo(50);
        assertThat(toEdge.getHeight()).isEqualTo(100);
        BufferedImage clipped = runImage(png, "crop,x_150,y_80,w_100,h_100");
        assertThat(new int[] {clipped.getWidth(), clipped.getHeight()}).containsExactly(50, 20);
        assertError(OssError.INVALID_ARGUMENT, () -> run(png, "crop,x_200,y_0,w_10,h_10"));
        assertError(OssError.INVALID_ARGUMENT, () -> run(png, "crop,x_0,y_500,w_10,h_10"));
    }

    @Test
    void indexCropKeepsOneSlice() throws IOException {
        byte[] png = encode(quadrants(200, 100), "png");
        BufferedImage slice = runImage(png, "indexcrop,x_60,i_3");
        assertThat(new int[] {slice.getWidth(), slice.getHeight()}).containsExactly(20, 100);
        assertColor(slice, 10, 10, GREEN);
        BufferedImage row = runImage(png, "indexcrop,y_30,i_2");
        assertThat(new int[] {row.getWidth(), row.getHeight()}).containsExactly(200, 30);
        assertColor(row, 10, 10, BLUE);
        BufferedImage same = runImage(png, "indexcrop,x_60,i_4");
        assertThat(new int[] {same.getWidth(), same.getHeight()}).containsExactly(200, 100);
    }

    @Test
    void rotateRightAnglesMoveTheMarkedCorner() throws IOException {
        byte[] png = encode(marked(400, 267), "png");
        BufferedImage r90 = runImage(png, "rotate,90");
        assertThat(new int[] {r90.getWidth(), r90.getHeight()}).containsExactly(267, 400);
        assertColor(r90, 266 - 5, 5, 0x000000); // top-left → top-right
        assertColor(r90, 5, 5, 0xFFFFFF);
        BufferedImage r180 = runImage(png, "rotate,180");
        assertThat(r180.getWidth()).isEqualTo(400);
        assertColor(r180, 394, 261, 0x000000); // → bottom-right
        BufferedImage r270 = runImage(png, "rotate,270");
        assertThat(new int[] {r270.getWidth(), r270.getHeight()}).containsExactly(267, 400);
        assertColor(r270, 5, 394, 0x000000); // → bottom-left
        BufferedImage r360 = runImage(png, "rotate,360");
        assertColor(r360, 5, 5, 0x000000);
        BufferedImage jpg = runImage(jpeg(marked(400, 267), 0.9f), "rotate,90");
        assertThat(new int[] {jpg.getWidth(), jpg.getHeight()}).containsExactly(267, 400);
    }

    @Test
    void rotateOtherAnglesGrowTheCanvas() throws IOException {
        byte[] png = encode(solid(100, 100, RED), "png");
        BufferedImage r45 = runImage(png, "rotate,45");
        assertThat(r45.getWidth()).isEqualTo(141);
        assertThat(r45.getHeight()).isEqualTo(141);
        assertThat(alpha(r45, 2, 2)).isZero(); // png: transparent corners
        assertColor(r45, 70, 70, RED);
        BufferedImage jpg = runImage(png, "rotate,45/format,jpg");
        assertColor(jpg, 2, 2, 0xFFFFFF); // jpg: white corners
        assertError(OssError.IMAGE_TOO_LARGE, () -> run(encode(solid(4100, 10, RED), "png"), "rotate,90"));
    }

    @Test
    void rotateThirtyDegreesTurnsClockwise() throws IOException {
        BufferedImage r30 = runImage(encode(marked(400, 200), "png"), "rotate,30");
        assertThat(new int[] {r30.getWidth(), r30.getHeight()}).containsExactly(446, 373);
        // the mark's centre (10,10) turns 30° clockwise about the image centre: lands at ≈ (103,14)
        assertColor(r30, 103, 14, 0x000000);
        assertThat(alpha(r30, 5, 5)).isZero();
    }

    @Test
    void grayImagesKeepTheirLevels() throws IOException {
        BufferedImage gray = new BufferedImage(20, 20, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 20; y++) for (int x = 0; x < 20; x++) gray.getRaster().setSample(x, y, 0, 128);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(gray, "png", png);
        BufferedImage out = runImage(png.toByteArray(), "resize,w_10");
        assertThat(rgb(out, 5, 5)).isEqualTo(0x808080);
    }

    @Test
    void circleIsTransparentOutsideInPngAndWhiteInJpeg() throws IOException {
        byte[] png = encode(solid(200, 100, BLUE), "png");
        BufferedImage c = runImage(png, "circle,r_30");
        assertThat(new int[] {c.getWidth(), c.getHeight()}).containsExactly(61, 61);
        assertThat(alpha(c, 0, 0)).isZero();
        assertThat(alpha(c, 60, 60)).isZero();
        assertThat(alpha(c, 30, 30)).isEqualTo(255);
        assertColor(c, 30, 30, BLUE);
        BufferedImage clamped = runImage(png, "circle,r_500");
        assertThat(clamped.getWidth()).isEqualTo(99); // (100-1)/2 = 49 → 99
        BufferedImage jpg = runImage(jpeg(solid(200, 100, BLUE), 0.9f), "circle,r_30");
        assertColor(jpg, 1, 1, 0xFFFFFF);
        assertColor(jpg, 30, 30, BLUE);
    }

    @Test
    void roundedCornersAreTransparent() throws IOException {
        byte[] png = encode(solid(200, 100, BLUE), "png");
        BufferedImage r = runImage(png, "rounded-corners,r_30");
        assertThat(new int[] {r.getWidth(), r.getHeight()}).containsExactly(200, 100);
        for (int[] corner : new int[][] {{0, 0}, {199, 0}, {0, 99}, {199, 99}}) {
            assertThat(alpha(r, corner[0], corner[1])).as("corner %d,%d", corner[0], corner[1]).isZero();
        }
        assertThat(alpha(r, 100, 0)).isEqualTo(255);
        assertThat(alpha(r, 0, 50)).isEqualTo(255);
        BufferedImage jpg = runImage(png, "rounded-corners,r_30/format,jpg");
        assertColor(jpg, 1, 1, 0xFFFFFF);
        assertColor(jpg, 100, 50, BLUE);
    }

    // --- EXIF: auto-orient and info -----------------------------------------------------------------

    @Test
    void autoOrientAppliesExifOrientation() throws IOException {
        byte[] jpg = withExif(jpeg(marked(400, 200), 0.9f), exif(6));
        BufferedImage oriented = runImage(jpg, "auto-orient,1");
        assertThat(new int[] {oriented.getWidth(), oriented.getHeight()}).containsExactly(200, 400);
        assertColor(oriented, 194, 5, 0x000000); // orientation 6: rotate 90° clockwise
        BufferedImage kept = runImage(jpg, "auto-orient,0");
        assertThat(new int[] {kept.getWidth(), kept.getHeight()}).containsExactly(400, 200);
        BufferedImage plain = runImage(jpg, "resize,w_100");
        assertThat(new int[] {plain.getWidth(), plain.getHeight()}).containsExactly(100, 50);
        BufferedImage eight = runImage(withExif(jpeg(marked(400, 200), 0.9f), exif(8)), "auto-orient,1");
        assertThat(eight.getWidth()).isEqualTo(200);
        assertColor(eight, 5, 394, 0x000000);
        BufferedImage three = runImage(withExif(jpeg(marked(400, 200), 0.9f), exif(3)), "auto-orient,1");
        assertColor(three, 394, 194, 0x000000);
    }

    @Test
    void infoReportsSizeFormatAndExif() throws IOException {
        byte[] jpg = withExif(jpeg(quadrants(400, 267), 0.9f), exif(6));
        ImageEngine.Output out = run(jpg, "info");
        assertThat(out.contentType()).isEqualTo("application/json");
        JsonNode info = new ObjectMapper().readTree(out.bytes());
        assertThat(info.get("FileSize").get("value").asText()).isEqualTo(String.valueOf(jpg.length));
        assertThat(info.get("Format").get("value").asText()).isEqualTo("jpg");
        assertThat(info.get("FrameCount").get("value").asText()).isEqualTo("1");
        assertThat(info.get("ImageWidth").get("value").asText()).isEqualTo("400");
        assertThat(info.get("ImageHeight").get("value").asText()).isEqualTo("267");
        assertThat(info.get("Make").get("value").asText()).isEqualTo("PailCam");
        assertThat(info.get("Model").get("value").asText()).isEqualTo("Model 7");
        assertThat(info.get("Orientation").get("value").asText()).isEqualTo("6");
        assertThat(info.get("XResolution").get("value").asText()).isEqualTo("72/1");
        assertThat(info.get("ResolutionUnit").get("value").asText()).isEqualTo("2");
        assertThat(info.get("DateTimeOriginal").get("value").asText()).isEqualTo("2024:05:06 07:08:09");
        assertThat(info.get("ExposureTime").get("value").asText()).isEqualTo("1/125");
        assertThat(info.get("FNumber").get("value").asText()).isEqualTo("28/10");
        assertThat(info.get("ISOSpeedRatings").get("value").asText()).isEqualTo("200");
        List<String> names = new ArrayList<>();
        info.fieldNames().forEachRemaining(names::add);
        assertThat(names).isSorted();
    }

    @Test
    void infoOfAPlainPngHasTheBasicFieldsOnly() throws IOException {
        byte[] png = encode(quadrants(40, 30), "png");
        String json = new String(run(png, "info").bytes(), StandardCharsets.UTF_8);
        assertThat(json).isEqualTo("{\"FileSize\":{\"value\":\"" + png.length + "\"},\"Format\":{\"value\":\"png\"},"
                + "\"FrameCount\":{\"value\":\"1\"},\"ImageHeight\":{\"value\":\"30\"},\"ImageWidth\":{\"value\":\"40\"}}");
    }

    @Test
    void infoOfAJfifJpegReportsItsDensity() throws IOException {
        JsonNode info = new ObjectMapper().readTree(run(jpeg(quadrants(40, 30), 0.9f), "info").bytes());
        assertThat(info.get("ResolutionUnit").get("value").asText()).isEqualTo("1");
        assertThat(info.get("XResolution").get("value").asText()).isEqualTo("1/1");
    }

    @Test
    void averageHueOfASolidImage() throws IOException {
        ImageEngine.Output out = run(encode(solid(50, 40, 0xBBCD7F), "png"), "average-hue");
        assertThat(out.contentType()).isEqualTo("application/json");
        assertThat(new String(out.bytes(), StandardCharsets.UTF_8)).isEqualTo("{\"RGB\":\"0xbbcd7f\"}");
    }

    /** A minimal big-endian TIFF/EXIF block: IFD0 (Make, Model, Orientation, resolution) and an Exif IFD. */
    protected static byte[] exif(int orientation) {
        Tiff t = new Tiff();
        t.ifd0.add(t.ascii(0x010F, "PailCam"));
        t.ifd0.add(t.ascii(0x0110, "Model 7"));
        t.ifd0.add(t.shortValue(0x0112, orientation));
        t.ifd0.add(t.rational(0x011A, 72, 1));
        t.ifd0.add(t.rational(0x011B, 72, 1));
        t.ifd0.add(t.shortValue(0x0128, 2));
        t.sub.add(t.rational(0x829A, 1, 125));
        t.sub.add(t.rational(0x829D, 28, 10));
        t.sub.add(t.shortValue(0x8827, 200));
        t.sub.add(t.ascii(0x9003, "2024:05:06 07:08:09"));
        return t.bytes();
    }

    /** IFD builder: entries are tag, type, count, value bytes. */
    private static final class Tiff {
        record Entry(int tag, int type, int count, byte[] value) {}

        final List<Entry> ifd0 = new ArrayList<>();
        final List<Entry> sub = new ArrayList<>();

        Entry ascii(int tag, String s) {
            byte[] b = (s + "\0").getBytes(StandardCharsets.US_ASCII);
            return new Entry(tag, 2, b.length, b);
        }

        Entry shortValue(int tag, int v) {
            return new Entry(tag, 3, 1, ByteBuffer.allocate(2).putShort((short) v).array());
        }

        Entry rational(int tag, int n, int d) {
            return new Entry(tag, 5, 1, ByteBuffer.allocate(8).putInt(n).putInt(d).array());
        }

        byte[] bytes() {
            int ifd0Size = 2 + (ifd0.size() + 1) * 12 + 4;
            int ifd0Data = dataSize(ifd0);
            int subOffset = 8 + ifd0Size + ifd0Data;
            List<Entry> first = new ArrayList<>(ifd0);
            first.add(new Entry(0x8769, 4, 1, ByteBuffer.allocate(4).putInt(subOffset).array()));
            ByteBuffer b = ByteBuffer.allocate(subOffset + 2 + sub.size() * 12 + 4 + dataSize(sub));
            b.put(new byte[] {'M', 'M', 0, 42}).putInt(8);
            writeIfd(b, first, 8);
            writeIfd(b, sub, subOffset);
            return b.array();
        }

        private static int dataSize(List<Entry> entries) {
            int n = 0;
            for (Entry e : entries) if (e.value.length > 4) n += e.value.length + (e.value.length & 1);
            return n;
        }

        private static void writeIfd(ByteBuffer b, List<Entry> entries, int offset) {
            List<Entry> sorted = new ArrayList<>(entries);
            sorted.sort(java.util.Comparator.comparingInt(Entry::tag));
            int data = offset + 2 + sorted.size() * 12 + 4;
            b.position(offset);
            b.putShort((short) sorted.size());
            List<byte[]> blobs = new ArrayList<>();
            for (Entry e : sorted) {
                b.putShort((short) e.tag).putShort((short) e.type).putInt(e.count);
                if (e.value.length <= 4) {
                    byte[] v = new byte[4];
                    System.arraycopy(e.value, 0, v, 0, e.value.length);
                    b.put(v);
                } else {
                    b.putInt(data);
                    data += e.value.length + (e.value.length & 1);
                    blobs.add(e.value);
                }
            }
            b.putInt(0);
            for (byte[] blob : blobs) {
                b.put(blob);
                if ((blob.length & 1) == 1) b.put((byte) 0);
            }
        }
    }

    /** Inserts an APP1 "Exif" segment after the JPEG's APP0 (or SOI). */
    protected static byte[] withExif(byte[] jpeg, byte[] tiff) {
        int at = 2;
        if ((jpeg[2] & 0xFF) == 0xFF && (jpeg[3] & 0xFF) == 0xE0) at = 4 + ((jpeg[4] & 0xFF) << 8 | (jpeg[5] & 0xFF));
        byte[] payload = new byte[6 + tiff.length];
        System.arraycopy("Exif\0\0".getBytes(StandardCharsets.US_ASCII), 0, payload, 0, 6);
        System.arraycopy(tiff, 0, payload, 6, tiff.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, at);
        out.write(0xFF);
        out.write(0xE1);
        out.write((payload.length + 2) >> 8);
        out.write((payload.length + 2) & 0xFF);
        out.writeBytes(payload);
        out.write(jpeg, at, jpeg.length - at);
        return out.toByteArray();
    }

    // --- formats and quality ------------------------------------------------------------------

    @Test
    void formatConversions() throws IOException {
        BufferedImage half = new BufferedImage(40, 30, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 30; y++) for (int x = 0; x < 40; x++) half.setRGB(x, y, x < 20 ? 0x00000000 : 0xFFFF0000);
        byte[] png = encode(half, "png");
        Map<String, String> types = Map.of("jpg", "image/jpeg", "png", "image/png", "webp", "image/webp", "bmp", "image/bmp",
                "gif", "image/gif", "tiff", "image/tiff");
        for (Map.Entry<String, String> t : types.entrySet()) {
            ImageEngine.Output out = run(png, "format," + t.getKey());
            assertThat(out.contentType()).isEqualTo(t.getValue());
            assertThat(format(out.bytes())).isEqualTo(t.getKey());
            BufferedImage img = decode(out.bytes());
            assertThat(new int[] {img.getWidth(), img.getHeight()}).as(t.getKey()).containsExactly(40, 30);
            assertColor(img, 30, 15, RED);
            boolean keepsAlpha = !t.getKey().equals("jpg") && !t.getKey().equals("bmp");
            if (keepsAlpha) {
                assertThat(alpha(img, 5, 15)).as(t.getKey() + " alpha").isZero();
            } else {
                assertColor(img, 5, 15, 0xFFFFFF); // flattened onto white
            }
        }
        // source format is kept when there is no format op
        assertThat(run(encode(half, "bmp"), "resize,w_20").contentType()).isEqualTo("image/bmp");
        assertThat(run(encode(half, "tiff"), "resize,w_20").contentType()).isEqualTo("image/tiff");
        byte[] webp = run(png, "format,webp").bytes();
        assertThat(run(webp, "resize,w_20").contentType()).isEqualTo("image/webp");
        assertThat(format(run(webp, "format,png").bytes())).isEqualTo("png");
        assertThat(run(png, "format,jpg/format,png").contentType()).isEqualTo("image/png"); // the last one wins
    }

    @Test
    void qualityAndInterlace() throws IOException {
        BufferedImage noisy = new BufferedImage(200, 200, BufferedImage.TYPE_INT_ARGB);
        java.util.Random random = new java.util.Random(7);
        for (int y = 0; y < 200; y++) for (int x = 0; x < 200; x++) noisy.setRGB(x, y, 0xFF000000 | random.nextInt(0x1000000));
        byte[] src = jpeg(noisy, 0.95f);
        assertThat(Codec.jpegQuality(src)).isCloseTo(95, within(1));
        assertThat(Codec.jpegQuality(jpeg(noisy, 0.5f))).isCloseTo(50, within(1));
        assertThat(Codec.jpegQuality(jpeg(noisy, 0.2f))).isCloseTo(20, within(1));
        byte[] high = run(src, "quality,Q_90").bytes();
        byte[] low = run(src, "quality,Q_30").bytes();
        assertThat(low.length).isLessThan(high.length);
        assertThat(Codec.jpegQuality(high)).isCloseTo(90, within(1));
        assertThat(Codec.jpegQuality(low)).isCloseTo(30, within(1));
        assertThat(Codec.jpegQuality(run(src, "quality,q_50").bytes())).isCloseTo(48, within(1)); // 95 × 50 %
        assertThat(Codec.jpegQuality(run(jpeg(noisy, 0.6f), "quality,Q_90").bytes())).isCloseTo(60, within(1)); // never raised
        assertThat(Codec.jpegQuality(run(src, "resize,w_100").bytes())).isCloseTo(85, within(1)); // default
        byte[] webpHigh = run(src, "format,webp/quality,Q_90").bytes();
        byte[] webpLow = run(src, "format,webp/quality,q_20").bytes();
        assertThat(webpLow.length).isLessThan(webpHigh.length);

        byte[] progressive = run(src, "interlace,1").bytes();
        assertThat(hasMarker(progressive, 0xC2)).isTrue();
        assertThat(hasMarker(run(src, "interlace,0").bytes(), 0xC2)).isFalse();
        assertThat(decode(progressive).getWidth()).isEqualTo(200);
    }

    protected static boolean hasMarker(byte[] jpeg, int marker) {
        int i = 2;
        while (i + 4 <= jpeg.length && (jpeg[i] & 0xFF) == 0xFF) {
            int m = jpeg[i + 1] & 0xFF;
            if (m == marker) return true;
            if (m == 0xDA) return false;
            i += 2 + ((jpeg[i + 2] & 0xFF) << 8 | (jpeg[i + 3] & 0xFF));
        }
        return false;
    }

    // --- filters ------------------------------------------------------------------------------

    @Test
    void filtersChangePixelsTheExpectedWay() throws IOException {
        BufferedImage stripes = new BufferedImage(100, 100, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 100; y++) for (int x = 0; x < 100; x++) stripes.setRGB(x, y, (x / 10) % 2 == 0 ? 0xFF404040 : 0xFFC0C0C0);
        byte[] png = encode(stripes, "png");
        double sd = stddev(stripes);
        double m = mean(stripes);

        BufferedImage blurred = runImage(png, "blur,r_10,s_5");
        assertThat(stddev(blurred)).isLessThan(sd * 0.8);
        assertThat(mean(blurred)).isCloseTo(m, within(3.0));
        BufferedImage wide = runImage(png, "blur,r_50,s_50");
        assertThat(stddev(wide)).isLessThan(sd * 0.5);

        assertThat(mean(runImage(png, "bright,50"))).isGreaterThan(m + 50);
        assertThat(mean(runImage(png, "bright,-50"))).isLessThan(m - 50);

        BufferedImage more = runImage(png, "contrast,50");
        assertThat(stddev(more)).isGreaterThan(sd * 1.3);
        assertThat(rgb(more, 5, 5) & 0xFF).isLessThan(0x40);
        BufferedImage less = runImage(png, "contrast,-50");
        assertThat(stddev(less)).isLessThan(sd * 0.7);
        assertThat(stddev(runImage(png, "contrast,-100"))).isLessThan(1.0);

        BufferedImage sharp = runImage(png, "sharpen,200");
        // next to the edge at x = 10 the dark side gets darker and the light side lighter
        assertThat(rgb(sharp, 9, 50) & 0xFF).isLessThan(0x40);
        assertThat(rgb(sharp, 10, 50) & 0xFF).isGreaterThan(0xC0);
        assertThat(rgb(sharp, 5, 50) & 0xFF).isEqualTo(0x40); // flat areas unchanged
    }

    // --- watermarks ---------------------------------------------------------------------------

    @Test
    void textWatermarkLandsInTheSouthEast() throws IOException {
        byte[] png = encode(solid(400, 200, 0xFFFFFF), "png");
        BufferedImage out = runImage(png, "watermark,text_" + b64("Pail 水印") + ",size_40,color_000000");
        assertThat(out.getWidth()).isEqualTo(400);
        assertThat(darkPixels(out, 200, 100, 400, 200)).isGreaterThan(50);
        assertThat(darkPixels(out, 0, 0, 200, 100)).isZero();
        assertThat(darkPixels(out, 390, 0, 400, 200)).isZero(); // 10 px margin
        BufferedImage nw = runImage(png, "watermark,text_" + b64("Pail") + ",g_nw,x_0,y_0,shadow_50,rotate_30,t_80");
        assertThat(darkPixels(nw, 0, 0, 200, 100)).isGreaterThan(50);
        assertThat(darkPixels(nw, 200, 100, 400, 200)).isZero();
    }

    protected static int darkPixels(BufferedImage img, int x0, int y0, int x1, int y1) {
        int n = 0;
        for (int y = y0; y < y1; y++) for (int x = x0; x < x1; x++) if ((img.getRGB(x, y) & 0xFF) < 0x80) n++;
        return n;
    }

    @Test
    void imageWatermarkFollowsGravityMarginsAndOpacity() throws IOException {
        objects.put("mark.png", encode(solid(20, 20, RED), "png"));
        byte[] png = encode(solid(400, 200, 0xFFFFFF), "png");
        String image = "image_" + b64("mark.png");
        BufferedImage se = runImage(png, "watermark," + image);
        assertColor(se, 400 - 10 - 10, 200 - 10 - 10, RED);
        assertColor(se, 395, 195, 0xFFFFFF);
        assertColor(se, 10, 10, 0xFFFFFF);
        BufferedImage nw = runImage(png, "watermark," + image + ",g_nw,x_5,y_30");
        assertColor(nw, 6, 31, RED);
        assertColor(nw, 3, 31, 0xFFFFFF);
        assertColor(nw, 6, 28, 0xFFFFFF);
        BufferedImage center = runImage(png, "watermark," + image + ",g_center,voffset_50");
        assertColor(center, 200, 150, RED);
        assertColor(center, 200, 100, 0xFFFFFF);
        BufferedImage south = runImage(png, "watermark," + image + ",g_south,y_0");
        assertColor(south, 200, 199, RED);
        BufferedImage faint = runImage(png, "watermark," + image + ",t_50");
        int p = rgb(faint, 370, 170);
        assertThat(p >> 8 & 0xFF).isCloseTo(0x80, within(10));
        // the watermark image's own process, with P_ relative to the base image
        objects.put("big.png", encode(solid(100, 100, BLUE), "png"));
        String scaled = "image_" + b64("big.png?x-oss-process=image/resize,P_10");
        BufferedImage small = runImage(png, "watermark," + scaled + ",g_nw,x_0,y_0");
        assertColor(small, 19, 19, BLUE); // fits 40×20 → 20×20
        assertColor(small, 21, 5, 0xFFFFFF);
        assertColor(small, 5, 21, 0xFFFFFF);
    }

    @Test
    void tiledWatermarkCoversTheImage() throws IOException {
        objects.put("dot.png", encode(solid(10, 10, RED), "png"));
        byte[] png = encode(solid(200, 200, 0xFFFFFF), "png");
        BufferedImage out = runImage(png, "watermark,image_" + b64("dot.png") + ",fill_1,padx_10,pady_10");
        int red = 0;
        for (int y = 0; y < 200; y++) for (int x = 0; x < 200; x++) if (near(rgb(out, x, y), RED, 10)) red++;
        assertThat(red).isCloseTo(10_000, within(1_000)); // a quarter of the area
        for (int[] q : new int[][] {{0, 0}, {100, 0}, {0, 100}, {100, 100}}) {
            int n = 0;
            for (int y = q[1]; y < q[1] + 100; y++) for (int x = q[0]; x < q[0] + 100; x++) if (near(rgb(out, x, y), RED, 10)) n++;
            assertThat(n).as("quadrant %d,%d", q[0], q[1]).isGreaterThan(1_500);
        }
    }

    @Test
    void textAndImageTogetherFollowOrder() throws IOException {
        objects.put("mark.png", encode(solid(30, 30, RED), "png"));
        byte[] png = encode(solid(400, 200, 0xFFFFFF), "png");
        String both = "watermark,image_" + b64("mark.png") + ",text_" + b64("AB") + ",size_30,g_nw,x_0,y_0,interval_10";
        BufferedImage imageFirst = runImage(png, both + ",order_0");
        assertColor(imageFirst, 5, 5, RED);
        assertThat(darkPixels(imageFirst, 40, 0, 100, 40)).isGreaterThan(20);
        BufferedImage textFirst = runImage(png, both + ",order_1");
        assertThat(near(rgb(textFirst, 5, 5), RED, 40)).isFalse();
        assertThat(darkPixels(textFirst, 0, 0, 40, 40)).isGreaterThan(20);
    }

    @Test
    void missingOrBrokenWatermarkIsWatermarkError() throws IOException {
        byte[] png = encode(solid(100, 100, 0xFFFFFF), "png");
        assertError(OssError.WATERMARK_ERROR, () -> run(png, "watermark,image_" + b64("nope.png")));
        objects.put("junk.png", "not an image".getBytes(StandardCharsets.UTF_8));
        assertError(OssError.WATERMARK_ERROR, () -> run(png, "watermark,image_" + b64("junk.png")));
        assertError(OssError.WATERMARK_ERROR,
                () -> engine.process(png, ProcessParser.parse("watermark,image_" + b64("x.png")), key -> null));
    }

    @Test
    void pipelinesApplyLeftToRight() throws IOException {
        byte[] png = encode(quadrants(400, 200), "png");
        ImageEngine.Output out = run(png, "crop,w_200,h_100/resize,w_50/rotate,90/format,jpg");
        assertThat(out.contentType()).isEqualTo("image/jpeg");
        BufferedImage img = decode(out.bytes());
        assertThat(new int[] {img.getWidth(), img.getHeight()}).containsExactly(25, 50);
        assertColor(img, 12, 25, RED);
    }

    protected static byte[] animatedGif(BufferedImage... frames) throws IOException {
        ImageWriter w = ImageIO.getImageWritersByFormatName("gif").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            w.setOutput(out);
            w.prepareWriteSequence(null);
            for (BufferedImage f : frames) {
                BufferedImage rgb = new BufferedImage(f.getWidth(), f.getHeight(), BufferedImage.TYPE_INT_RGB);
                rgb.createGraphics().drawImage(f, 0, 0, null);
                IIOMetadata meta = w.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(rgb), null);
                w.writeToSequence(new IIOImage(rgb, null, meta), null);
            }
            w.endWriteSequence();
        } finally {
            w.dispose();
        }
        return bytes.toByteArray();
    }
}
