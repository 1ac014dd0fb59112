package dev.pail.ops;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.pail.route.OssRequest;
import dev.pail.store.MetadataStore;
import dev.pail.store.StyleRecord;
import dev.pail.xml.Formats;
import dev.pail.xml.OssError;
import dev.pail.xml.RequestXml;
import dev.pail.xml.XmlWriter;
import java.io.IOException;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Put/Get/List/DeleteStyle (features.md §7). A style is applied with
 * {@code x-oss-process=style/<name>} (see {@link ImageOps}).
 *
 * <p>Where OSS is silent: more than {@value #MAX_STYLES} styles answer {@code 403 AccessDenied}
 * "Your style count is exceeded 50." (the legacy image service's answer); a missing style is
 * {@code 404 NoSuchStyle}; styles go away with their bucket.
 */
public final class StyleOps {
    static final int MAX_STYLES = 50;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,63}");
    private static final Set<String> CATEGORIES = Set.of("image", "document", "video");

    private final MetadataStore meta;

    public StyleOps(MetadataStore meta) {
        this.meta = meta;
    }

    record StyleDocument(@JsonProperty("Content") String content) {}

    public Response put(OssRequest req, RequestBody body, String bucket) throws IOException {
        String name = name(req);
        String category = req.query().nonEmpty("category");
        if (category == null) category = "image";
        if (!CATEGORIES.contains(category)) throw WriteHeaders.invalid("category", category);
        meta.existingBucket(bucket);
        StyleDocument doc = RequestXml.parse(body.readSmall(64 * 1024), StyleDocument.class);
        String content = doc.content() == null ? "" : doc.content().trim();
        if (content.isEmpty() || content.chars().anyMatch(ch -> ";()'*?".indexOf(ch) >= 0)) {
            throw OssError.INVALID_ARGUMENT.exception("Style content is invalid.").with("ArgumentName", "Content");
        }
        long now = System.currentTimeMillis();
        if (!meta.putStyle(new StyleRecord(bucket, name, content, category, now, now), MAX_STYLES)) {
            throw OssError.ACCESS_DENIED.exception("Your style count is exceeded " + MAX_STYLES + ".");
        }
        return Response.ok();
    }

    public Response get(OssRequest req, String bucket) {
        StyleRecord s = existing(bucket, name(req));
        XmlWriter x = XmlWriter.document("Style");
        fields(x, s);
        return Response.xml(x.bytes());
    }

    public Response list(String bucket) {
        meta.existingBucket(bucket);
        XmlWriter x = XmlWriter.document("StyleList");
        for (StyleRecord s : meta.listStyles(bucket)) {
            x.start("Style");
            fields(x, s);
            x.end();
        }
        return Response.xml(x.bytes());
    }

    public Response delete(OssRequest req, String bucket) {
        String name = name(req);
        meta.existingBucket(bucket);
        if (!meta.deleteStyle(bucket, name)) throw noSuchStyle(name);
        return Response.noContent();
    }

    /** The stored style, or NoSuchStyle (NoSuchBucket when the bucket is missing). */
    StyleRecord existing(String bucket, String name) {
        return meta.style(bucket, name).orElseThrow(() -> {
            meta.existingBucket(bucket);
            return noSuchStyle(name);
        });
    }

    private static void fields(XmlWriter x, StyleRecord s) {
        x.element("Name", s.name())
                .element("Content", s.content())
                .element("Category", s.category())
                .element("CreateTime", Formats.http(s.createdMillis()))
                .element("LastModifyTime", Formats.http(s.modifiedMillis()));
    }

    private static String name(OssRequest req) {
        String name = req.query().get("styleName");
        if (name == null || !NAME.matcher(name).matches()) {
            throw OssError.INVALID_ARGUMENT.exception("The value: " + name + " of parameter: stylename is invalid.")
                    .with("ArgumentName", "styleName").with("ArgumentValue", name);
        }
        return name;
    }

    private static RuntimeException noSuchStyle(String name) {
        return OssError.NO_SUCH_STYLE.exception().with("StyleName", name);
    }
}
