package dev.pail.image;

import dev.pail.image.ImageOp.Gravity;
import dev.pail.image.ImageOp.Picture;
import dev.pail.image.ImageOp.Text;
import dev.pail.image.ImageOp.Watermark;
import dev.pail.xml.OssError;
import dev.pail.xml.OssException;
import java.awt.AlphaComposite;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.GraphicsEnvironment;
import java.awt.RenderingHints;
import java.awt.TexturePaint;
import java.awt.font.FontRenderContext;
import java.awt.font.TextLayout;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Text and image watermarks: renders the text, combines it with the watermark image (order,
 * align, interval), applies the opacity and draws the result at its gravity, or tiled.
 *
 * <p>Placement: x is the horizontal margin from the anchored edge (ignored for north/center/south),
 * y the vertical margin (ignored for west/center/east), voffset moves west/center/east marks
 * down (positive) or up (negative) from the middle line. Tiling (fill=1) repeats the mark across the
 * whole image from its placed position with padx/pady gaps between tiles.
 *
 * <p>The loading of a watermark image and the placement arithmetic ({@link #loadPicture},
 * {@link #position}, {@link #alignOffset}, {@link #shadowOffset}) serve both engines.
 */
final class Watermarks {
    private Watermarks() {}

    /** CJK-capable sans and serif families, best first; the OSS font names map onto these. */
    private static final List<String> SANS = List.of("WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Noto Sans CJK SC",
            "Source Han Sans SC", "Source Han Sans CN", "Noto Sans SC", "Droid Sans Fallback");
    private static final List<String> SERIF = List.of("Noto Serif CJK SC", "Source Han Serif SC", "Source Han Serif CN",
            "Noto Serif SC", "AR PL UMing CN", "AR PL UKai CN");

    /** Installed font families, read once (immutable). */
    private static final class Installed {
        static final Set<String> FAMILIES = families();

        private static Set<String> families() {
            try {
                return Set.of(GraphicsEnvironment.getLocalGraphicsEnvironment().getAvailableFontFamilyNames(Locale.ROOT));
            } catch (RuntimeException | Error e) {
                return Set.of();
            }
        }
    }

    /** The font for an OSS font name: an installed CJK family if any, else a logical font. */
    static Font font(String name, int size, String text) {
        String n = name == null ? "" : name.toLowerCase(Locale.ROOT);
        boolean serif = n.contains("shusong") || n.contains("fangsong") || n.contains("kaiti");
        Set<String> installed = Installed.FAMILIES;
        String family = null;
        for (String f : installed) if (f.equalsIgnoreCase(name)) family = f;
        if (family == null) {
            for (String f : serif ? SERIF : List.<String>of()) if (family == null && installed.contains(f)) family = f;
            for (String f : SANS) if (family == null && installed.contains(f)) family = f;
        }
        Font font = new Font(family != null ? family : serif ? Font.SERIF : Font.SANS_SERIF, Font.PLAIN, 1).deriveFont((float) size);
        if (family != null && font.canDisplayUpTo(text) != -1) {
            font = new Font(serif ? Font.SERIF : Font.SANS_SERIF, Font.PLAIN, 1).deriveFont((float) size); // logical fonts fall back per glyph
        }
        return font;
    }

    /** The text rendered on a transparent image, with its shadow and rotation. */
    static BufferedImage text(Text t) {
        Font font = font(t.font(), t.size(), t.text());
        FontRenderContext frc = new FontRenderContext(null, true, true);
        TextLayout layout = new TextLayout(t.text(), font, frc);
        int shadowOffset = shadowOffset(t);
        int w = Math.max(1, (int) Math.ceil(layout.getAdvance()) + shadowOffset);
        int h = Math.max(1, (int) Math.ceil(layout.getAscent() + layout.getDescent()) + shadowOffset);
        if ((long) w * h > ImageLimits.MAX_OUT_PIXELS) {
            throw OssError.WATERMARK_ERROR.exception("The watermark text would be " + w + "x" + h + " px; at most "
                    + ImageLimits.MAX_OUT_PIXELS + " px.");
        }
        BufferedImage img = Pixels.argb(w, h);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
            if (shadowOffset > 0) {
                g.setColor(new Color(0, 0, 0, shadowAlpha(t)));
                layout.draw(g, shadowOffset, layout.getAscent() + shadowOffset);
            }
            g.setColor(new Color(t.color()));
            layout.draw(g, 0, layout.getAscent());
        } finally {
            g.dispose();
        }
        return t.rotate() % 360 == 0 ? img : Pixels.rotate(img, t.rotate());
    }

    /** How far the shadow sits right and below the text (0 without shadow). */
    static int shadowOffset(Text t) {
        return t.shadow() > 0 ? Math.max(1, Math.round(t.size() / 20f)) : 0;
    }

    /** The shadow's alpha 0..255 from its percentage. */
    static int shadowAlpha(Text t) {
        return Math.round(t.shadow() * 2.55f);
    }

    /** Image and text side by side: order 0 image first; align 0 top, 1 middle, 2 bottom; interval px between. */
    static BufferedImage combine(BufferedImage picture, BufferedImage text, int order, int align, int interval) {
        if (picture == null) return text;
        if (text == null) return picture;
        BufferedImage first = order == 0 ? picture : text;
        BufferedImage second = order == 0 ? text : picture;
        int w = first.getWidth() + interval + second.getWidth();
        int h = Math.max(first.getHeight(), second.getHeight());
        BufferedImage out = Pixels.argb(w, h);
        Graphics2D g = out.createGraphics();
        try {
            g.drawImage(first, 0, alignOffset(h, first.getHeight(), align), null);
            g.drawImage(second, first.getWidth() + interval, alignOffset(h, second.getHeight(), align), null);
        } finally {
            g.dispose();
        }
        return out;
    }

    /** The top of a part {@code size} px tall in a combined mark {@code total} px tall: align 0 top, 1 middle, 2 bottom. */
    static int alignOffset(int total, int size, int align) {
        return switch (align) {
            case 1 -> (total - size) / 2;
            case 2 -> total - size;
            default -> 0;
        };
    }

    /** A watermark image as loaded for either engine: its bytes, header and the ops of its own process. */
    record PictureSource(byte[] bytes, ImageEngine.Probe probe, List<ImageOp> ops) {}

    /**
     * Loads the image of a watermark and parses its process string; a missing, unsupported or too
     * large image and a process that is not {@code image/...} are a WatermarkError.
     * {@code engine} reads the header (each engine knows the formats it decodes).
     */
    static PictureSource loadPicture(Picture p, ImageEngine.ObjectLoader objects, ImageEngine engine) throws IOException {
        if (objects == null) throw OssError.WATERMARK_ERROR.exception("The watermark image " + p.key() + " cannot be loaded.");
        byte[] bytes;
        try {
            bytes = objects.load(p.key());
        } catch (OssException e) {
            if (e.error() == OssError.NO_SUCH_KEY || e.error() == OssError.INVALID_OBJECT_NAME) {
                throw OssError.WATERMARK_ERROR.exception("The watermark image " + p.key() + " does not exist.");
            }
            throw e;
        }
        if (bytes == null || bytes.length == 0) {
            throw OssError.WATERMARK_ERROR.exception("The watermark image " + p.key() + " does not exist.");
        }
        ImageEngine.Probe probe;
        try {
            probe = engine.probe(bytes);
        } catch (OssException e) {
            throw OssError.WATERMARK_ERROR.exception("The watermark image " + p.key() + " is not a supported image.");
        }
        ImageLimits.checkSource(probe, OssError.WATERMARK_ERROR);
        List<ImageOp> ops = List.of();
        String process = p.process() == null ? "" : p.process().trim();
        if (!process.isEmpty()) {
            if (!process.startsWith("image/")) {
                throw OssError.WATERMARK_ERROR.exception("The watermark image process must start with image/: " + process);
            }
            ops = ProcessParser.parse(process.substring("image/".length()));
        }
        return new PictureSource(bytes, probe, ops);
    }

    private static int column(Gravity g) {
        return switch (g) {
            case NW, WEST, SW -> 0;
            case NORTH, CENTER, SOUTH -> 1;
            case NE, EAST, SE -> 2;
        };
    }

    private static int row(Gravity g) {
        return switch (g) {
            case NW, NORTH, NE -> 0;
            case WEST, CENTER, EAST -> 1;
            case SW, SOUTH, SE -> 2;
        };
    }

    /** Top-left corner of the mark on the image for the watermark's gravity, margins and voffset. */
    static int[] position(int w, int h, int mw, int mh, Watermark wm) {
        int x = switch (column(wm.gravity())) {
            case 0 -> wm.x();
            case 1 -> (w - mw) / 2;
            default -> w - mw - wm.x();
        };
        int y = switch (row(wm.gravity())) {
            case 0 -> wm.y();
            case 1 -> (h - mh) / 2 + wm.voffset();
            default -> h - mh - wm.y();
        };
        return new int[] {x, y};
    }

    /** Draws the mark (already combined) on {@code base} with opacity and placement; returns base. */
    static BufferedImage draw(BufferedImage base, BufferedImage mark, Watermark wm) {
        if (wm.opacity() <= 0) return base;
        int w = base.getWidth();
        int h = base.getHeight();
        int mw = mark.getWidth();
        int mh = mark.getHeight();
        int[] at = position(w, h, mw, mh, wm);
        Graphics2D g = base.createGraphics();
        try {
            g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, wm.opacity() / 100f));
            if (!wm.fill()) {
                g.drawImage(mark, at[0], at[1], null);
            } else {
                // one tile = the mark plus its gaps, repeated by a TexturePaint anchored at the placed mark
                int stepX = mw + wm.padX();
                int stepY = mh + wm.padY();
                BufferedImage tile = mark;
                if (stepX != mw || stepY != mh) {
                    tile = Pixels.argb(stepX, stepY);
                    Graphics2D t = tile.createGraphics();
                    t.drawImage(mark, 0, 0, null);
                    t.dispose();
                }
                g.setPaint(new TexturePaint(tile, new Rectangle2D.Double(at[0], at[1], stepX, stepY)));
                g.fillRect(0, 0, w, h);
            }
        } finally {
            g.dispose();
        }
        return base;
    }
}
