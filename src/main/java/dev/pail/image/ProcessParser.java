package dev.pail.image;

import dev.pail.image.ImageOp.*;
import dev.pail.xml.OssError;
import dev.pail.xml.OssException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parses {@code image/<action>,<p>_<v>,.../<action>...} (features.md §8) into {@link ImageOp}s,
 * checking every parameter's range so that a bad request is a 400, never a failure inside an
 * engine. Unknown parameters are ignored, as OSS does; unknown actions are NotImplemented.
 */
public final class ProcessParser {
    private ProcessParser() {}

    /** Actions whose value may be given bare ({@code rotate,90}). */
    private static final List<String> POSITIONAL = List.of("rotate", "bright", "contrast", "sharpen", "auto-orient", "interlace", "format");

    public static final List<String> FORMATS = List.of("jpg", "png", "webp", "bmp", "gif", "tiff", "heic", "avif");

    /** Parses the part after {@code image/}; {@code process} is the whole value for messages. */
    public static List<ImageOp> parse(String actions) {
        List<ImageOp> ops = new ArrayList<>();
        for (String action : actions.split("/")) {
            if (action.isEmpty()) continue;
            String[] parts = action.split(",");
            String name = parts[0].toLowerCase(Locale.ROOT);
            Params p = new Params(name, parts, POSITIONAL.contains(name));
            ops.add(switch (name) {
                case "resize" -> resize(p);
                case "crop" -> new Crop(p.integer("x", 0, 0, Integer.MAX_VALUE), p.integer("y", 0, 0, Integer.MAX_VALUE),
                        p.integer("w", 0, 0, Integer.MAX_VALUE), p.integer("h", 0, 0, Integer.MAX_VALUE), p.gravity("g", Gravity.NW));
                case "indexcrop" -> indexCrop(p);
                case "circle" -> new Circle(p.required("r", 1, 4096));
                case "rounded-corners" -> new RoundedCorners(p.required("r", 1, 4096));
                case "rotate" -> new Rotate(p.positional(0, 360));
                case "auto-orient" -> new AutoOrient(p.positional(0, 1) == 1);
                case "blur" -> new Blur(p.required("r", 1, 50), p.required("s", 1, 50));
                case "bright" -> new Bright(p.positional(-100, 100));
                case "contrast" -> new Contrast(p.positional(-100, 100));
                case "sharpen" -> new Sharpen(p.positional(50, 399));
                case "format" -> new Format(p.format());
                case "quality" -> quality(p);
                case "interlace" -> new Interlace(p.positional(0, 1) == 1);
                case "watermark" -> watermark(p);
                case "info" -> new Info();
                case "average-hue" -> new AverageHue();
                default -> throw OssError.NOT_IMPLEMENTED.exception("The image action '" + name + "' is not supported.");
            });
        }
        if (ops.isEmpty()) throw invalid("The image process has no action.");
        boolean json = ops.stream().anyMatch(o -> o instanceof Info || o instanceof AverageHue);
        if (json && ops.size() > 1) throw invalid("info and average-hue cannot be combined with other actions.");
        return List.copyOf(ops);
    }

    private static Resize resize(Params p) {
        ResizeMode mode = switch (p.text("m", "lfit").toLowerCase(Locale.ROOT)) {
            case "lfit" -> ResizeMode.LFIT;
            case "mfit" -> ResizeMode.MFIT;
            case "fill" -> ResizeMode.FILL;
            case "pad" -> ResizeMode.PAD;
            case "fixed" -> ResizeMode.FIXED;
            default -> throw p.bad("m");
        };
        int w = p.integer("w", 0, 1, 16384);
        int h = p.integer("h", 0, 1, 16384);
        int l = p.integer("l", 0, 1, 16384);
        int s = p.integer("s", 0, 1, 16384);
        int percent = p.integer("p", 0, 1, 1000);
        int limit = p.integer("limit", 1, 0, 1);
        int color = p.color("color", 0xFFFFFF);
        int basePercent = p.integer("P", 0, 1, 100);
        if (percent == 0 && w == 0 && h == 0 && l == 0 && s == 0 && basePercent == 0) {
            throw OssError.MISSING_ARGUMENT.exception("resize needs w, h, l, s or p.").with("ArgumentName", "resize");
        }
        return new Resize(mode, w, h, l, s, percent, limit == 1, color, basePercent);
    }

    private static IndexCrop indexCrop(Params p) {
        int x = p.integer("x", 0, 1, Integer.MAX_VALUE);
        int y = p.integer("y", 0, 1, Integer.MAX_VALUE);
        if ((x == 0) == (y == 0)) throw invalid("indexcrop needs exactly one of x and y.");
        return new IndexCrop(x != 0 ? x : y, y != 0, p.integer("i", 0, 0, Integer.MAX_VALUE));
    }

    private static Quality quality(Params p) {
        int q = p.integer("q", 0, 1, 100);
        int big = p.integer("Q", 0, 1, 100);
        if (q == 0 && big == 0) throw OssError.MISSING_ARGUMENT.exception("quality needs q or Q.").with("ArgumentName", "quality");
        return new Quality(q, big);
    }

    private static Watermark watermark(Params p) {
        Text text = null;
        String t = p.text("text", null);
        if (t != null) {
            text = new Text(base64(t, "text"), p.has("type") ? base64(p.text("type", ""), "type") : "wqy-zenhei",
                    p.color("color", 0x000000), p.integer("size", 40, 1, 1000), p.integer("shadow", 0, 0, 100), p.integer("rotate", 0, 0, 360));
            if (text.text().isEmpty()) throw OssError.WATERMARK_ERROR.exception("The watermark text is empty.");
        }
        Picture picture = null;
        String img = p.text("image", null);
        if (img != null) {
            String decoded = base64(img, "image");
            int q = decoded.indexOf("?x-oss-process=");
            String key = q < 0 ? decoded : decoded.substring(0, q);
            String process = q < 0 ? "" : decoded.substring(q + "?x-oss-process=".length());
            if (key.isEmpty()) throw OssError.WATERMARK_ERROR.exception("The watermark image name is empty.");
            picture = new Picture(key, process);
        }
        if (text == null && picture == null) {
            throw OssError.MISSING_ARGUMENT.exception("watermark needs text or image.").with("ArgumentName", "watermark");
        }
        return new Watermark(p.integer("t", 100, 0, 100), p.gravity("g", Gravity.SE), p.integer("x", 10, 0, 4096), p.integer("y", 10, 0, 4096),
                p.integer("voffset", 0, -1000, 1000), p.integer("fill", 0, 0, 1) == 1, p.integer("padx", 0, 0, 4096), p.integer("pady", 0, 0, 4096),
                text, picture, p.integer("order", 0, 0, 1), p.integer("align", 0, 0, 2), p.integer("interval", 0, 0, 1000));
    }

    /** Decodes URL-safe or standard base64, padding optional (features.md §8). */
    public static String base64(String value, String param) {
        String v = value.replace('-', '+').replace('_', '/');
        while (v.length() % 4 != 0) v += "=";
        try {
            return new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw OssError.BAD_REQUEST.exception("Input is not base64 decoding.").with("ArgumentName", param);
        }
    }

    private static OssException invalid(String message) {
        return OssError.INVALID_ARGUMENT.exception(message);
    }

    /** The parameters of one action: {@code name_value} pairs, split at the first underscore. */
    private static final class Params {
        private final String action;
        private final Map<String, String> values = new LinkedHashMap<>();
        private final String bare;

        Params(String action, String[] parts, boolean positional) {
            this.action = action;
            String bareValue = null;
            for (int i = 1; i < parts.length; i++) {
                String part = parts[i];
                if (part.isEmpty()) continue;
                int u = part.indexOf('_');
                if (u < 0) {
                    if (positional && bareValue == null) bareValue = part;
                    continue; // a flag-like parameter OSS does not define: ignored
                }
                values.putIfAbsent(part.substring(0, u), part.substring(u + 1));
            }
            this.bare = bareValue;
        }

        boolean has(String name) { return values.containsKey(name); }

        String text(String name, String dflt) { return values.getOrDefault(name, dflt); }

        int integer(String name, int dflt, int min, int max) {
            String v = values.get(name);
            if (v == null) return dflt;
            return parse(name, v, min, max);
        }

        int required(String name, int min, int max) {
            String v = values.get(name);
            if (v == null) {
                throw OssError.MISSING_ARGUMENT.exception("The parameter " + name + " of " + action + " is required.").with("ArgumentName", name);
            }
            return parse(name, v, min, max);
        }

        int positional(int min, int max) {
            if (bare == null) {
                throw OssError.MISSING_ARGUMENT.exception(action + " needs a value.").with("ArgumentName", action);
            }
            return parse(action, bare, min, max);
        }

        String format() {
            String f = bare == null ? null : bare.toLowerCase(Locale.ROOT);
            if (f != null && f.equals("jpeg")) f = "jpg";
            if (f == null || !FORMATS.contains(f)) throw bad("format");
            return f;
        }

        Gravity gravity(String name, Gravity dflt) {
            String v = values.get(name);
            if (v == null) return dflt;
            try {
                return Gravity.valueOf(v.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw bad(name);
            }
        }

        int color(String name, int dflt) {
            String v = values.get(name);
            if (v == null) return dflt;
            if (!v.matches("[0-9A-Fa-f]{6}")) throw bad(name);
            return Integer.parseInt(v, 16);
        }

        private int parse(String name, String v, int min, int max) {
            try {
                int n = Integer.parseInt(v.trim());
                if (n >= min && n <= max) return n;
            } catch (NumberFormatException ignored) {
                // reported below
            }
            throw bad(name);
        }

        OssException bad(String name) {
            String v = name.equals(action) ? bare : name.equals("format") ? bare : values.get(name);
            return OssError.INVALID_ARGUMENT.exception("The value of parameter " + name + " of " + action + " is invalid: " + v + ".")
                    .with("ArgumentName", name).with("ArgumentValue", v);
        }
    }
}
