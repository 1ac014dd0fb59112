package dev.pail.image;

import com.drew.imaging.ImageMetadataReader;
import com.drew.lang.Rational;
import com.drew.metadata.Directory;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.exif.ExifSubIFDDirectory;
import com.drew.metadata.exif.GpsDirectory;
import com.drew.metadata.jfif.JfifDirectory;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Array;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * The {@code info} JSON (features.md §8) and EXIF look-ups, from the header and metadata only.
 * EXIF values keep their raw TIFF form: rationals as {@code n/d}, integers in decimal, byte
 * arrays as space-separated numbers ({@code GPSVersionID "2 2 0 0"}), rational arrays joined
 * with {@code ", "}; GPS references are spelled out (North, East) as OSS does.
 */
final class ImageInfo {
    private ImageInfo() {}

    /** Standard EXIF names of IFD0 and Exif sub-IFD tags. */
    private static final Map<Integer, String> EXIF_NAMES = Map.ofEntries(
            Map.entry(0x010E, "ImageDescription"), Map.entry(0x010F, "Make"), Map.entry(0x0110, "Model"),
            Map.entry(0x0112, "Orientation"), Map.entry(0x011A, "XResolution"), Map.entry(0x011B, "YResolution"),
            Map.entry(0x0128, "ResolutionUnit"), Map.entry(0x0131, "Software"), Map.entry(0x0132, "DateTime"),
            Map.entry(0x013B, "Artist"), Map.entry(0x013E, "WhitePoint"), Map.entry(0x013F, "PrimaryChromaticities"),
            Map.entry(0x0211, "YCbCrCoefficients"), Map.entry(0x0213, "YCbCrPositioning"), Map.entry(0x8298, "Copyright"),
            Map.entry(0x829A, "ExposureTime"), Map.entry(0x829D, "FNumber"), Map.entry(0x8822, "ExposureProgram"),
            Map.entry(0x8824, "SpectralSensitivity"), Map.entry(0x8827, "ISOSpeedRatings"), Map.entry(0x8830, "SensitivityType"),
            Map.entry(0x9000, "ExifVersion"), Map.entry(0x9003, "DateTimeOriginal"), Map.entry(0x9004, "DateTimeDigitized"),
            Map.entry(0x9010, "OffsetTime"), Map.entry(0x9011, "OffsetTimeOriginal"), Map.entry(0x9012, "OffsetTimeDigitized"),
            Map.entry(0x9101, "ComponentsConfiguration"), Map.entry(0x9102, "CompressedBitsPerPixel"),
            Map.entry(0x9201, "ShutterSpeedValue"), Map.entry(0x9202, "ApertureValue"), Map.entry(0x9203, "BrightnessValue"),
            Map.entry(0x9204, "ExposureBiasValue"), Map.entry(0x9205, "MaxApertureValue"), Map.entry(0x9206, "SubjectDistance"),
            Map.entry(0x9207, "MeteringMode"), Map.entry(0x9208, "LightSource"), Map.entry(0x9209, "Flash"),
            Map.entry(0x920A, "FocalLength"), Map.entry(0x9290, "SubSecTime"), Map.entry(0x9291, "SubSecTimeOriginal"),
            Map.entry(0x9292, "SubSecTimeDigitized"), Map.entry(0xA000, "FlashpixVersion"), Map.entry(0xA001, "ColorSpace"),
            Map.entry(0xA002, "PixelXDimension"), Map.entry(0xA003, "PixelYDimension"), Map.entry(0xA20E, "FocalPlaneXResolution"),
            Map.entry(0xA20F, "FocalPlaneYResolution"), Map.entry(0xA210, "FocalPlaneResolutionUnit"),
            Map.entry(0xA217, "SensingMethod"), Map.entry(0xA300, "FileSource"), Map.entry(0xA301, "SceneType"),
            Map.entry(0xA401, "CustomRendered"), Map.entry(0xA402, "ExposureMode"), Map.entry(0xA403, "WhiteBalance"),
            Map.entry(0xA404, "DigitalZoomRatio"), Map.entry(0xA405, "FocalLengthIn35mmFilm"), Map.entry(0xA406, "SceneCaptureType"),
            Map.entry(0xA407, "GainControl"), Map.entry(0xA408, "Contrast"), Map.entry(0xA409, "Saturation"),
            Map.entry(0xA40A, "Sharpness"), Map.entry(0xA40C, "SubjectDistanceRange"), Map.entry(0xA420, "ImageUniqueID"),
            Map.entry(0xA430, "CameraOwnerName"), Map.entry(0xA431, "BodySerialNumber"), Map.entry(0xA432, "LensSpecification"),
            Map.entry(0xA433, "LensMake"), Map.entry(0xA434, "LensModel"), Map.entry(0xA435, "LensSerialNumber"));

    private static final Map<Integer, String> GPS_NAMES = Map.ofEntries(
            Map.entry(0x00, "GPSVersionID"), Map.entry(0x01, "GPSLatitudeRef"), Map.entry(0x02, "GPSLatitude"),
            Map.entry(0x03, "GPSLongitudeRef"), Map.entry(0x04, "GPSLongitude"), Map.entry(0x05, "GPSAltitudeRef"),
            Map.entry(0x06, "GPSAltitude"), Map.entry(0x07, "GPSTimeStamp"), Map.entry(0x08, "GPSSatellites"),
            Map.entry(0x09, "GPSStatus"), Map.entry(0x0A, "GPSMeasureMode"), Map.entry(0x0B, "GPSDOP"),
            Map.entry(0x0C, "GPSSpeedRef"), Map.entry(0x0D, "GPSSpeed"), Map.entry(0x0E, "GPSTrackRef"), Map.entry(0x0F, "GPSTrack"),
            Map.entry(0x10, "GPSImgDirectionRef"), Map.entry(0x11, "GPSImgDirection"), Map.entry(0x12, "GPSMapDatum"),
            Map.entry(0x1D, "GPSDateStamp"), Map.entry(0x1E, "GPSDifferential"));

    static Metadata metadata(byte[] source) {
        try {
            return ImageMetadataReader.readMetadata(new ByteArrayInputStream(source), source.length);
        } catch (Exception | StackOverflowError e) {
            return null; // no readable metadata: treated as none
        }
    }

    /** The EXIF Orientation (1–8), 1 when absent or unreadable. */
    static int orientation(byte[] source) {
        Metadata m = metadata(source);
        if (m == null) return 1;
        for (ExifIFD0Directory d : m.getDirectoriesOfType(ExifIFD0Directory.class)) {
            Integer o = d.getInteger(ExifIFD0Directory.TAG_ORIENTATION);
            if (o != null && o >= 1 && o <= 8) return o;
        }
        return 1;
    }

    /** EXIF fields by their standard names (IFD0 first, then Exif sub-IFD, then GPS). */
    static Map<String, String> exif(byte[] source, String format) {
        Map<String, String> out = new TreeMap<>();
        if (format.equals("png") || format.equals("gif") || format.equals("bmp")) return out; // OSS reports no EXIF for these
        Metadata m = metadata(source);
        if (m == null) return out;
        for (Directory d : m.getDirectoriesOfType(ExifIFD0Directory.class)) collect(d, EXIF_NAMES, out);
        for (Directory d : m.getDirectoriesOfType(ExifSubIFDDirectory.class)) collect(d, EXIF_NAMES, out);
        for (Directory d : m.getDirectoriesOfType(GpsDirectory.class)) collect(d, GPS_NAMES, out);
        if (!out.containsKey("XResolution")) {
            for (JfifDirectory j : m.getDirectoriesOfType(JfifDirectory.class)) {
                Integer units = j.getInteger(JfifDirectory.TAG_UNITS);
                Integer x = j.getInteger(JfifDirectory.TAG_RESX);
                Integer y = j.getInteger(JfifDirectory.TAG_RESY);
                if (units == null || x == null || y == null) continue;
                out.putIfAbsent("ResolutionUnit", String.valueOf(units + 1)); // JFIF 0 none/1 dpi/2 dpcm → EXIF 1/2/3
                out.put("XResolution", x + "/1");
                out.put("YResolution", y + "/1");
                break;
            }
        }
        return out;
    }

    private static void collect(Directory d, Map<Integer, String> names, Map<String, String> out) {
        for (Map.Entry<Integer, String> e : names.entrySet()) {
            int tag = e.getKey();
            if (!d.containsTag(tag) || out.containsKey(e.getValue())) continue;
            String v = format(d.getObject(tag));
            if (v == null) continue;
            String name = e.getValue();
            if (name.equals("GPSLatitudeRef")) v = v.equals("N") ? "North" : v.equals("S") ? "South" : v;
            if (name.equals("GPSLongitudeRef")) v = v.equals("E") ? "East" : v.equals("W") ? "West" : v;
            out.put(name, v);
        }
    }

    private static String format(Object v) {
        if (v == null) return null;
        if (v instanceof Rational r) return r.getNumerator() + "/" + r.getDenominator();
        if (v instanceof byte[] bytes) {
            int end = bytes.length;
            while (end > 0 && bytes[end - 1] == 0) end--;
            boolean text = end > 0;
            for (int i = 0; i < end; i++) if (bytes[i] < 0x20 || bytes[i] > 0x7E) text = false;
            if (text) return new String(bytes, 0, end, java.nio.charset.StandardCharsets.US_ASCII).trim();
            StringJoiner j = new StringJoiner(" ");
            for (byte b : bytes) j.add(String.valueOf(b & 0xFF));
            return j.toString();
        }
        if (v.getClass().isArray()) {
            int n = Array.getLength(v);
            if (n == 0) return null;
            boolean rational = v instanceof Rational[];
            StringJoiner j = new StringJoiner(rational ? ", " : " ");
            for (int i = 0; i < n; i++) j.add(format(Array.get(v, i)));
            return j.toString();
        }
        String s = v.toString();
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == 0 || Character.isWhitespace(s.charAt(end - 1)))) end--;
        return s.substring(0, end);
    }

    /** {"FileSize":{"value":"…"},"Format":…,"FrameCount":…,"ImageHeight":…,"ImageWidth":…, EXIF…} sorted by name. */
    static byte[] json(JsonFactory json, byte[] source, ImageEngine.Probe probe) throws IOException {
        Map<String, String> fields = exif(source, probe.format());
        fields.put("FileSize", String.valueOf(source.length));
        fields.put("Format", probe.format());
        fields.put("FrameCount", String.valueOf(probe.frames()));
        fields.put("ImageHeight", String.valueOf(probe.height()));
        fields.put("ImageWidth", String.valueOf(probe.width()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = json.createGenerator(out)) {
            g.writeStartObject();
            for (Map.Entry<String, String> e : fields.entrySet()) {
                g.writeObjectFieldStart(e.getKey());
                g.writeStringField("value", e.getValue());
                g.writeEndObject();
            }
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    /** {"RGB":"0xrrggbb"}. */
    static byte[] averageHue(JsonFactory json, int rgb) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = json.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("RGB", String.format("0x%06x", rgb & 0xFFFFFF));
            g.writeEndObject();
        }
        return out.toByteArray();
    }
}
