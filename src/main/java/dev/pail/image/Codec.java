package dev.pail.image;

import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import dev.pail.xml.OssError;
import dev.pail.xml.OssException;
import java.awt.Graphics2D;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBufferInt;
import java.awt.image.Raster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.w3c.dom.Node;

/**
 * Reading and writing encoded images with ImageIO: format sniffing, header probes, decoding to
 * non-premultiplied {@code TYPE_INT_ARGB}, encoding per output format, and the JPEG quality estimate.
 * Stateless; every call makes its own readers and writers.
 */
final class Codec {
    private Codec() {}

    static final String NOT_AN_IMAGE = "The source is not a supported image.";

    /** The source format from its magic bytes: jpg png gif bmp webp tiff, heic/avif (not decodable here) or null. */
    static String sniff(byte[] b) {
        if (b.length >= 3 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8 && (b[2] & 0xFF) == 0xFF) return "jpg";
        if (b.length >= 8 && (b[0] & 0xFF) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') return "png";
        if (b.length >= 6 && b[0] == 'G' && b[1] == 'I' && b[2] == 'F' && b[3] == '8') return "gif";
        if (b.length >= 14 && b[0] == 'B' && b[1] == 'M') return "bmp";
        if (b.length >= 12 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F' && b[8] == 'W' && b[9] == 'E' && b[10] == 'B'
                && b[11] == 'P') return "webp";
        if (b.length >= 8 && ((b[0] == 'I' && b[1] == 'I' && (b[2] == 42 || b[2] == 43) && b[3] == 0)
                || (b[0] == 'M' && b[1] == 'M' && b[2] == 0 && (b[3] == 42 || b[3] == 43)))) return "tiff";
        if (b.length >= 12 && b[4] == 'f' && b[5] == 't' && b[6] == 'y' && b[7] == 'p') {
            String brand = new String(b, 8, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
            if (brand.startsWith("avi")) return "avif";
            if (brand.startsWith("hei") || brand.startsWith("mif") || brand.startsWith("hev") || brand.startsWith("msf")) return "heic";
        }
        return null;
    }

    static String readerFormat(String format) {
        return switch (format) {
            case "jpg" -> "jpeg";
            default -> format;
        };
    }

    /** An ImageIO reader for the format, preferring TwelveMonkeys' pure-Java plugins. */
    static ImageReader reader(String format) {
        Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName(readerFormat(format));
        ImageReader chosen = null;
        while (it.hasNext()) {
            ImageReader r = it.next();
            if (chosen == null) {
                chosen = r;
            } else if (!chosen.getClass().getName().startsWith("com.twelvemonkeys") && r.getClass().getName().startsWith("com.twelvemonkeys")) {
                chosen.dispose();
                chosen = r;
            } else {
                r.dispose();
            }
        }
        if (chosen == null) throw OssError.BAD_REQUEST.exception(NOT_AN_IMAGE);
        return chosen;
    }

    static OssException unsupported(String format) {
        return OssError.NOT_IMPLEMENTED.exception("Decoding " + format.toUpperCase(java.util.Locale.ROOT)
                + " images requires the libvips engine.");
    }

    /** Format, size and frame count from the header only. */
    static ImageEngine.Probe probe(byte[] source) throws IOException {
        String format = sniff(source);
        if (format == null) throw OssError.BAD_REQUEST.exception(NOT_AN_IMAGE);
        if (format.equals("heic") || format.equals("avif")) throw unsupported(format);
        ImageReader reader = reader(format);
        try (ImageInputStream in = new ByteArrayImageInputStream(source)) {
            reader.setInput(in, false, !format.equals("gif"));
            int w;
            int h;
            int frames = 1;
            if (format.equals("gif")) {
                int[] screen = gifScreen(reader);
                w = screen != null ? screen[0] : reader.getWidth(0);
                h = screen != null ? screen[1] : reader.getHeight(0);
                frames = Math.max(1, reader.getNumImages(true));
            } else {
                w = reader.getWidth(0);
                h = reader.getHeight(0);
                if (format.equals("webp")) frames = webpFrames(reader);
            }
            if (w <= 0 || h <= 0) throw OssError.BAD_REQUEST.exception(NOT_AN_IMAGE);
            return new ImageEngine.Probe(format, w, h, frames);
        } catch (IOException | RuntimeException e) {
            if (e instanceof OssException oe) throw oe;
            throw OssError.BAD_REQUEST.exception(NOT_AN_IMAGE);
        } finally {
            reader.dispose();
        }
    }

    /** Frames of an animated WebP (1 when the reader cannot tell). */
    private static int webpFrames(ImageReader reader) {
        try {
            return Math.max(1, reader.getNumImages(true));
        } catch (IOException | RuntimeException e) {
            return 1;
        }
    }

    /** The GIF logical screen size from the stream metadata (no pixels decoded), or null. */
    private static int[] gifScreen(ImageReader reader) throws IOException {
        IIOMetadata meta = reader.getStreamMetadata();
        if (meta == null) return null;
        String[] names = meta.getMetadataFormatNames();
        if (names == null || !Arrays.asList(names).contains("javax_imageio_gif_stream_1.0")) return null;
        Node root = meta.getAsTree("javax_imageio_gif_stream_1.0");
        for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n.getNodeName().equals("LogicalScreenDescriptor")) {
                int w = attr(n, "logicalScreenWidth", 0);
                int h = attr(n, "logicalScreenHeight", 0);
                return w > 0 && h > 0 ? new int[] {w, h} : null;
            }
        }
        return null;
    }

    private static int attr(Node n, String name, int dflt) {
        Node a = n.getAttributes() == null ? null : n.getAttributes().getNamedItem(name);
        if (a == null) return dflt;
        try {
            return Integer.parseInt(a.getNodeValue());
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    /**
     * Decodes the first image (first frame of a GIF, drawn on its logical screen) to TYPE_INT_ARGB.
     * Undecodable data is BadRequest (WatermarkError for watermark images, chosen by {@code error}).
     */
    static BufferedImage decode(byte[] source, ImageEngine.Probe probe, OssError error) {
        ImageReader reader = reader(probe.format());
        try (ImageInputStream in = new ByteArrayImageInputStream(source)) {
            reader.setInput(in, true, !probe.format().equals("gif"));
            BufferedImage raw = reader.read(0, reader.getDefaultReadParam());
            int left = 0;
            int top = 0;
            if (probe.format().equals("gif")) {
                IIOMetadata meta = reader.getImageMetadata(0);
                if (meta != null) {
                    Node root = meta.getAsTree("javax_imageio_gif_image_1.0");
                    for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
                        if (n.getNodeName().equals("ImageDescriptor")) {
                            left = attr(n, "imageLeftPosition", 0);
                            top = attr(n, "imageTopPosition", 0);
                        }
                    }
                }
            }
            BufferedImage argb = toArgb(raw);
            if (probe.format().equals("gif") && (left != 0 || top != 0 || argb.getWidth() != probe.width()
                    || argb.getHeight() != probe.height())) {
                BufferedImage screen = new BufferedImage(probe.width(), probe.height(), BufferedImage.TYPE_INT_ARGB);
                Graphics2D g = screen.createGraphics();
                g.drawImage(argb, left, top, null);
                g.dispose();
                argb = screen;
            }
            return argb;
        } catch (IOException | RuntimeException e) {
            if (e instanceof OssException oe) throw oe;
            throw error.exception(error == OssError.WATERMARK_ERROR ? "The watermark image could not be decoded." : NOT_AN_IMAGE);
        } finally {
            reader.dispose();
        }
    }

    /** A non-premultiplied TYPE_INT_ARGB copy (gray images keep their sample values as sRGB levels). */
    static BufferedImage toArgb(BufferedImage src) {
        if (src.getType() == BufferedImage.TYPE_INT_ARGB) return src;
        int w = src.getWidth();
        int h = src.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        ColorModel cm = src.getColorModel();
        if (cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY && !(cm instanceof java.awt.image.IndexColorModel)) {
            // Java2D would treat CS_GRAY as linear and brighten it; gray PNG/TIFF levels are display levels
            Raster r = src.getRaster();
            int bands = r.getNumBands();
            int grayBits = cm.getComponentSize(0);
            int alphaBits = bands > 1 ? cm.getComponentSize(1) : 8;
            int[] px = pixels(out);
            int[] gray = new int[w];
            int[] alpha = new int[w];
            for (int y = 0; y < h; y++) {
                r.getSamples(0, y, w, 1, 0, gray);
                if (bands > 1) r.getSamples(0, y, w, 1, 1, alpha);
                for (int x = 0; x < w; x++) {
                    int g = scale8(gray[x], grayBits);
                    int a = bands > 1 ? scale8(alpha[x], alphaBits) : 255;
                    if (bands > 1 && cm.isAlphaPremultiplied() && a > 0) g = Math.min(255, g * 255 / a);
                    px[y * w + x] = a << 24 | g << 16 | g << 8 | g;
                }
            }
            return out;
        }
        Graphics2D g = out.createGraphics();
        g.setComposite(java.awt.AlphaComposite.Src);
        g.drawImage(src, 0, 0, null);
        g.dispose();
        return out;
    }

    private static int scale8(int v, int bits) {
        if (bits == 8) return v & 0xFF;
        if (bits > 8) return (v >>> (bits - 8)) & 0xFF;
        int max = (1 << bits) - 1;
        return max == 0 ? 0 : v * 255 / max;
    }

    static int[] pixels(BufferedImage argb) {
        return ((DataBufferInt) argb.getRaster().getDataBuffer()).getData();
    }

    static boolean hasAlpha(BufferedImage argb) {
        for (int p : pixels(argb)) {
            if (p >>> 24 != 0xFF) return true;
        }
        return false;
    }

    /** The image composited over {@code background} (0xRRGGBB), as TYPE_INT_RGB. */
    static BufferedImage flatten(BufferedImage argb, int background) {
        int w = argb.getWidth();
        int h = argb.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] src = pixels(argb);
        int[] dst = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
        int br = background >> 16 & 0xFF;
        int bg = background >> 8 & 0xFF;
        int bb = background & 0xFF;
        for (int i = 0; i < src.length; i++) {
            int p = src[i];
            int a = p >>> 24;
            if (a == 255) {
                dst[i] = p & 0xFFFFFF;
            } else {
                int r = ((p >> 16 & 0xFF) * a + br * (255 - a) + 127) / 255;
                int g = ((p >> 8 & 0xFF) * a + bg * (255 - a) + 127) / 255;
                int b = ((p & 0xFF) * a + bb * (255 - a) + 127) / 255;
                dst[i] = r << 16 | g << 8 | b;
            }
        }
        return out;
    }

    static String contentType(String format) {
        return switch (format) {
            case "jpg" -> "image/jpeg";
            case "png" -> "image/png";
            case "webp" -> "image/webp";
            case "bmp" -> "image/bmp";
            case "gif" -> "image/gif";
            case "tiff" -> "image/tiff";
            default -> "application/octet-stream";
        };
    }

    /** Encodes to jpg png webp bmp gif tiff; {@code quality} 1–100 for jpg/webp; {@code progressive} for jpg. */
    static byte[] encode(BufferedImage argb, String format, int quality, boolean progressive) throws IOException {
        return switch (format) {
            case "jpg" -> write(flatten(argb, 0xFFFFFF), "jpeg", quality, progressive, null);
            case "bmp" -> write(toBgr(flatten(argb, 0xFFFFFF)), "bmp", 0, false, null);
            case "png" -> write(hasAlpha(argb) ? argb : flatten(argb, 0xFFFFFF), "png", 0, false, null);
            case "webp" -> {
                if (argb.getWidth() > 16383 || argb.getHeight() > 16383) {
                    throw OssError.INVALID_ARGUMENT.exception("WebP images are at most 16383 px a side; this one is "
                            + argb.getWidth() + "x" + argb.getHeight() + ".");
                }
                yield write(argb, "webp", quality, false, null);
            }
            case "gif" -> write(hasAlpha(argb) ? argb : flatten(argb, 0xFFFFFF), "gif", 0, false, null);
            case "tiff" -> write(hasAlpha(argb) ? argb : flatten(argb, 0xFFFFFF), "tiff", 0, false, "LZW");
            default -> throw OssError.NOT_IMPLEMENTED.exception("Encoding " + format + " requires the libvips engine.");
        };
    }

    private static BufferedImage toBgr(BufferedImage rgb) {
        BufferedImage out = new BufferedImage(rgb.getWidth(), rgb.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = out.createGraphics();
        g.drawImage(rgb, 0, 0, null);
        g.dispose();
        return out;
    }

    private static ImageWriter writer(String format) {
        Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName(format);
        List<ImageWriter> all = new ArrayList<>();
        it.forEachRemaining(all::add);
        if (all.isEmpty()) throw OssError.NOT_IMPLEMENTED.exception("No encoder for " + format + ".");
        ImageWriter chosen = all.getFirst();
        if (format.equals("jpeg")) {
            // the JDK writer directly: TwelveMonkeys' only wraps it
            for (ImageWriter w : all) if (w.getClass().getName().startsWith("com.sun.")) chosen = w;
        }
        for (ImageWriter w : all) if (w != chosen) w.dispose();
        return chosen;
    }

    private static byte[] write(BufferedImage img, String format, int quality, boolean progressive, String compression) throws IOException {
        ImageWriter writer = writer(format);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(Math.max(1024, img.getWidth() * img.getHeight() / 4));
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (format.equals("jpeg")) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(quality / 100f);
                param.setProgressiveMode(progressive ? ImageWriteParam.MODE_DEFAULT : ImageWriteParam.MODE_DISABLED);
            } else if (format.equals("webp")) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionType("Lossy");
                param.setCompressionQuality(quality / 100f);
            } else if (compression != null && param.canWriteCompressed()
                    && Arrays.asList(param.getCompressionTypes()).contains(compression)) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionType(compression);
            }
            writer.write(null, new IIOImage(img, null, null), param);
            out.flush();
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    // --- JPEG quality estimate ---------------------------------------------------------------

    /** IJG's standard luminance quantization table (natural order is irrelevant for the average). */
    private static final int[] STD_LUMA = {
        16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56,
        14, 17, 22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92,
        49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99};

    /**
     * The IJG quality (1–100) a JPEG was most likely saved at, from its first (luminance)
     * quantization table: the mean ratio to the standard table inverted through IJG's scaling.
     * 100 when no table is found. Zig-zag order does not matter since only the sum is used.
     */
    static int jpegQuality(byte[] b) {
        int i = 2;
        while (i + 4 <= b.length) {
            if ((b[i] & 0xFF) != 0xFF) return 100;
            int marker = b[i + 1] & 0xFF;
            if (marker == 0xFF) { i++; continue; }
            if (marker == 0xD9 || marker == 0xDA) return 100;
            int len = (b[i + 2] & 0xFF) << 8 | (b[i + 3] & 0xFF);
            if (marker == 0xDB) {
                int p = i + 4;
                int end = Math.min(b.length, i + 2 + len);
                while (p < end) {
                    int pq = (b[p] & 0xFF) >> 4;
                    int tq = b[p] & 0x0F;
                    p++;
                    long sum = 0;
                    long std = 0;
                    for (int k = 0; k < 64 && p < end; k++) {
                        int q = pq == 0 ? b[p] & 0xFF : (b[p] & 0xFF) << 8 | (b[p + 1] & 0xFF);
                        p += pq == 0 ? 1 : 2;
                        sum += q;
                        std += STD_LUMA[k];
                    }
                    if (tq == 0 && std > 0) {
                        double scale = sum * 100.0 / std; // IJG: scale = q<50 ? 5000/q : 200-2q
                        double quality = scale <= 100 ? (200 - scale) / 2 : 5000 / scale;
                        if (sum == 64) quality = 100; // all ones
                        return (int) Math.max(1, Math.min(100, Math.round(quality)));
                    }
                }
            }
            i += 2 + len;
        }
        return 100;
    }
}
