package dev.pail.ops;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import dev.pail.route.Addressing;
import dev.pail.xml.OssError;
import dev.pail.xml.RequestXml;
import dev.pail.xml.XmlWriter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Object tags (features.md §5): the {@code x-oss-tagging} header form, the {@code Tagging} XML
 * document, and the limits both share. Invalid tags are refused with {@code 400 InvalidTag} (the
 * S3-compatible code; OSS documents the failures but not the code).
 */
public final class Tags {
    private Tags() {}

    static final int MAX_TAGS = 10;
    static final int MAX_KEY = 128;
    static final int MAX_VALUE = 256;

    public static final Map<String, String> NONE = Map.of();

    /** The {@code x-oss-tagging} header: {@code k1=v1&k2=v2}, percent-encoded UTF-8; null or empty → no tags. */
    public static Map<String, String> parseHeader(String header) {
        if (header == null || header.isEmpty()) return NONE;
        Map<String, String> tags = new LinkedHashMap<>();
        for (String pair : header.split("&", -1)) {
            if (pair.isEmpty()) throw invalid("The tagging header contains an empty pair.");
            String[] kv = pair.split("=", -1);
            if (kv.length > 2) throw invalid("The tag '" + pair + "' has more than one '='.");
            // SDKs percent-encode, and none sends a literal '+' meaning a space: decode plainly
            String key = decode(kv[0]);
            String value = kv.length == 2 ? decode(kv[1]) : "";
            add(tags, key, value);
        }
        return freeze(tags);
    }

    record Tag(@JsonProperty("Key") String key, @JsonProperty("Value") String value) {}

    record TagSet(@JsonProperty("Tag") @JacksonXmlElementWrapper(useWrapping = false) List<Tag> tags) {}

    record Tagging(@JsonProperty("TagSet") TagSet tagSet) {}

    /** A PutObjectTagging body; an empty {@code <TagSet/>} clears the tags. */
    public static Map<String, String> parseXml(byte[] xml) {
        Tagging doc = RequestXml.parse(xml, Tagging.class);
        Map<String, String> tags = new LinkedHashMap<>();
        if (doc.tagSet() != null && doc.tagSet().tags() != null) {
            for (Tag t : doc.tagSet().tags()) {
                if (t == null || t.key() == null) throw invalid("The TagKey you have provided is invalid.");
                add(tags, t.key(), t.value() == null ? "" : t.value());
            }
        }
        return freeze(tags);
    }

    /** {@code <Tagging><TagSet>...</TagSet></Tagging>}; the TagSet element is always present (Java SDK needs it). */
    public static byte[] document(Map<String, String> tags) {
        XmlWriter x = XmlWriter.document("Tagging").start("TagSet");
        for (Map.Entry<String, String> t : tags.entrySet()) {
            x.start("Tag").element("Key", t.getKey()).element("Value", t.getValue()).end();
        }
        return x.end().bytes();
    }

    private static void add(Map<String, String> tags, String key, String value) {
        // limits are in characters: code points, not UTF-16 units (a CJK Extension B letter is one character)
        if (key.isEmpty() || characters(key) > MAX_KEY || !allowed(key)) throw invalid("The TagKey you have provided is invalid.");
        if (characters(value) > MAX_VALUE || !allowed(value)) throw invalid("The TagValue you have provided is invalid.");
        if (tags.containsKey(key)) throw invalid("Duplicate tag keys are not allowed.");
        tags.put(key, value);
        if (tags.size() > MAX_TAGS) throw invalid("Object tags cannot be greater than " + MAX_TAGS + ".");
    }

    private static int characters(String s) {
        return s.codePointCount(0, s.length());
    }

    /** Letters (any script), digits, space and {@code + - = . _ : /}. */
    private static boolean allowed(String s) {
        return s.codePoints().allMatch(c -> Character.isLetterOrDigit(c) || c == ' ' || "+-=._:/".indexOf(c) >= 0);
    }

    private static String decode(String s) {
        try {
            return Addressing.decodePath(s);
        } catch (RuntimeException e) {
            throw invalid("The tagging header is not valid percent-encoded UTF-8.");
        }
    }

    private static Map<String, String> freeze(Map<String, String> tags) {
        return tags.isEmpty() ? NONE : Collections.unmodifiableMap(tags);
    }

    private static RuntimeException invalid(String message) {
        return OssError.INVALID_TAG.exception(message);
    }
}
