package dev.pail.it.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSException;
import com.aliyun.oss.model.ObjectMetadata;
import com.aliyun.sdk.service.oss2.OSSClient;
import com.aliyun.sdk.service.oss2.OperationInput;
import com.aliyun.sdk.service.oss2.OperationOptions;
import com.aliyun.sdk.service.oss2.OperationOutput;
import com.aliyun.sdk.service.oss2.exceptions.ServiceException;
import com.aliyun.sdk.service.oss2.transport.BinaryData;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pail.it.Clients;
import dev.pail.it.OssHttp;
import dev.pail.it.TestData;
import dev.pail.it.TestServer;
import dev.pail.it.V2Errors;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * Shared fixture of the image style and image processing tests (features.md §7–8): one in-process
 * server per class, J1 (V1 and V4 signatures), V2, a hand-signed raw client, and generated images
 * whose four quadrants have distinct colours so that scaling, rotation and format changes can be
 * checked on decoded pixels, not only on sizes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ImageBase {
    static final ObjectMapper JSON = new ObjectMapper();

    /** Quadrant colours of {@link #picture}: top-left, top-right, bottom-left, bottom-right. */
    static final Color TL = new Color(220, 20, 20);
    static final Color TR = new Color(20, 200, 20);
    static final Color BL = new Color(20, 20, 220);
    static final Color BR = new Color(240, 240, 240);

    /** The SDK reference image size (features.md §8: example.jpg 400×267). */
    static final int W = 400;
    static final int H = 267;

    private static final AtomicInteger BUCKETS = new AtomicInteger();

    TestServer server;
    OSS j1;
    OSS j4;
    OSSClient v2;
    OssHttp http;

    @BeforeAll
    void startServer() {
        server = new TestServer();
        j1 = Clients.v1(server);
        j4 = Clients.v4(server);
        v2 = Clients.v2(server);
        http = new OssHttp(server);
    }

    @AfterAll
    void stopServer() throws Exception {
        if (j1 != null) j1.shutdown();
        if (j4 != null) j4.shutdown();
        if (v2 != null) v2.close();
        if (server != null) server.close();
    }

    /** Creates a bucket whose name is unique in this JVM run. */
    String newBucket() {
        String name = getClass().getSimpleName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "")
                + "-" + BUCKETS.incrementAndGet() + "-" + (System.nanoTime() % 100000);
        if (name.length() > 63) name = name.substring(name.length() - 63).replaceAll("^-+", "b");
        j1.createBucket(name);
        return name;
    }

    // ---- images ----------------------------------------------------------------------------------

    /** A w×h RGB image with four flat quadrants (TL, TR, BL, BR). */
    static BufferedImage picture(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        int mx = w / 2;
        int my = h / 2;
        g.setColor(TL);
        g.fillRect(0, 0, mx, my);
        g.setColor(TR);
        g.fillRect(mx, 0, w - mx, my);
        g.setColor(BL);
        g.fillRect(0, my, mx, h - my);
        g.setColor(BR);
        g.fillRect(mx, my, w - mx, h - my);
        g.dispose();
        return img;
    }

    static byte[] encode(BufferedImage img, String format) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertThat(ImageIO.write(img, format, out)).as("ImageIO can write %s", format).isTrue();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] jpeg(int w, int h) { return encode(picture(w, h), "jpg"); }

    static byte[] png(int w, int h) { return encode(picture(w, h), "png"); }

    /** Decodes with ImageIO; fails the test when the bytes are not an image. */
    static BufferedImage decode(byte[] b) {
        try {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(b));
            assertThat(img).as("decodable image (%d bytes, starts %s)", b.length, head(b)).isNotNull();
            return img;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The ImageIO format name of encoded bytes ({@code "jpeg"}, {@code "png"}, ...), lower case. */
    static String formatOf(byte[] b) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(b))) {
            Iterator<ImageReader> it = ImageIO.getImageReaders(in);
            assertThat(it.hasNext()).as("a reader for %s", head(b)).isTrue();
            ImageReader r = it.next();
            String f = r.getFormatName().toLowerCase(Locale.ROOT);
            r.dispose();
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String head(byte[] b) {
        return new String(b, 0, Math.min(16, b.length), StandardCharsets.ISO_8859_1).replaceAll("[^\\x20-\\x7e]", ".");
    }

    static void assertSize(BufferedImage img, int w, int h) {
        assertThat(img.getWidth() + "x" + img.getHeight()).as("decoded size").isEqualTo(w + "x" + h);
    }

    /** The pixel at (fx·width, fy·height) is within {@code tol} of {@code c} in every channel. */
    static void assertColor(BufferedImage img, double fx, double fy, Color c, int tol) {
        int x = (int) Math.min(img.getWidth() - 1, Math.round(fx * img.getWidth()));
        int y = (int) Math.min(img.getHeight() - 1, Math.round(fy * img.getHeight()));
        Color p = new Color(img.getRGB(x, y), true);
        assertThat(Math.abs(p.getRed() - c.getRed()) <= tol && Math.abs(p.getGreen() - c.getGreen()) <= tol
                && Math.abs(p.getBlue() - c.getBlue()) <= tol)
                .as("pixel (%d,%d) of %dx%d is %s, expected about %s", x, y, img.getWidth(), img.getHeight(), p, c)
                .isTrue();
    }

    /** The four quadrant centres have the given colours (after any geometry change). */
    static void assertQuadrants(BufferedImage img, Color tl, Color tr, Color bl, Color br, int tol) {
        assertColor(img, 0.25, 0.25, tl, tol);
        assertColor(img, 0.75, 0.25, tr, tol);
        assertColor(img, 0.25, 0.75, bl, tol);
        assertColor(img, 0.75, 0.75, br, tol);
    }

    /**
     * A valid PNG header whose IHDR claims {@code w}×{@code h}, followed by a tiny IDAT and IEND: a
     * decompression-bomb stand-in that must be refused from the header alone.
     */
    static byte[] pngHeaderOnly(int w, int h) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.allocate(13);
        ihdr.putInt(w).putInt(h).put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(out, "IHDR", ihdr.array());
        java.util.zip.Deflater d = new java.util.zip.Deflater();
        d.setInput(new byte[4096]);
        d.finish();
        byte[] buf = new byte[8192];
        int n = d.deflate(buf);
        d.end();
        chunk(out, "IDAT", java.util.Arrays.copyOf(buf, n));
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        java.nio.ByteBuffer len = java.nio.ByteBuffer.allocate(4).putInt(data.length);
        out.writeBytes(len.array());
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(t);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    // ---- objects ---------------------------------------------------------------------------------

    void put(String bucket, String key, byte[] data, String contentType) {
        ObjectMetadata m = new ObjectMetadata();
        m.setContentType(contentType);
        j1.putObject(bucket, key, TestData.in(data), m);
    }

    byte[] stored(String bucket, String key) throws IOException {
        return TestData.read(j1.getObject(bucket, key));
    }

    static JsonNode json(byte[] b) {
        try {
            return JSON.readTree(b);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + new String(b, StandardCharsets.UTF_8), e);
        }
    }

    // ---- raw requests ------------------------------------------------------------------------------

    /** The query parameters this package sends that are V1 sub-resources (signed). */
    private static final java.util.Set<String> SIGNED = java.util.Set.of("style", "styleName", "x-oss-process", "versionId");

    /**
     * A hand-V1-signed request to {@code /bucket[/key]} with {@code query} (decoded values; empty →
     * bare name), signing the sub-resources among them.
     */
    OssHttp.Req raw(String method, String bucket, String key, Map<String, String> query) {
        OssHttp.Req r = http.req(method, bucket, key);
        query.forEach(r::query);
        StringBuilder res = new StringBuilder("/").append(bucket).append('/');
        if (key != null) res.append(key);
        char sep = '?';
        for (Map.Entry<String, String> q : new TreeMap<>(query).entrySet()) {
            if (!SIGNED.contains(q.getKey())) continue;
            res.append(sep).append(q.getKey());
            if (!q.getValue().isEmpty()) res.append('=').append(q.getValue());
            sep = '&';
        }
        return r.resource(res.toString());
    }

    static Map<String, String> q(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    /** GET with x-oss-process over raw HTTP. */
    OssHttp.Resp rawProcess(String bucket, String key, String process) {
        return raw("GET", bucket, key, q("x-oss-process", process)).send();
    }

    static OssHttp.Resp assertError(OssHttp.Resp r, int status, String code) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.code()).as(r.toString()).isEqualTo(code);
        assertThat(r.header("x-oss-request-id")).matches("[0-9A-F]{24}");
        return r;
    }

    // ---- style requests --------------------------------------------------------------------------

    static String styleXml(String content) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Style><Content>" + content + "</Content></Style>";
    }

    OssHttp.Resp rawPutStyle(String bucket, String name, String content) {
        return raw("PUT", bucket, null, q("style", "", "styleName", name)).body(styleXml(content)).send();
    }

    OssHttp.Resp rawGetStyle(String bucket, String name) {
        return raw("GET", bucket, null, q("style", "", "styleName", name)).send();
    }

    OssHttp.Resp rawListStyles(String bucket) {
        return raw("GET", bucket, null, q("style", "")).send();
    }

    OssHttp.Resp rawDeleteStyle(String bucket, String name) {
        return raw("DELETE", bucket, null, q("style", "", "styleName", name)).send();
    }

    /**
     * A style operation through the V2 SDK's generic {@code invokeOperation} (0.4.0 has no style
     * models): V4-signed, errors surface as the SDK's ServiceException like any other operation.
     */
    OperationOutput v2Style(String opName, String method, String bucket, String name, String category, String body) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("style", "");
        if (name != null) params.put("styleName", name);
        if (category != null) params.put("category", category);
        OperationInput.Builder b = OperationInput.newBuilder().opName(opName).method(method).bucket(bucket).parameters(params);
        if (body != null) {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Content-Type", "application/xml");
            b.headers(headers).body(BinaryData.fromString(body));
        }
        return v2.invokeOperation(b.build(), OperationOptions.defaults());
    }

    static String bodyText(OperationOutput out) {
        return out.body().map(BinaryData::toString).orElse("");
    }

    /** One parsed {@code <Style>} element. */
    record StyleXml(String name, String content, String category, String createTime, String lastModifyTime) {
        ZonedDateTime created() { return ZonedDateTime.parse(createTime, DateTimeFormatter.RFC_1123_DATE_TIME); }

        ZonedDateTime modified() { return ZonedDateTime.parse(lastModifyTime, DateTimeFormatter.RFC_1123_DATE_TIME); }
    }

    private static final Pattern STYLE = Pattern.compile("<Style>(.*?)</Style>", Pattern.DOTALL);

    static List<StyleXml> styles(String xml) {
        List<StyleXml> out = new ArrayList<>();
        Matcher m = STYLE.matcher(xml);
        while (m.find()) {
            String s = m.group(1);
            out.add(new StyleXml(OssHttp.element(s, "Name"), unescape(OssHttp.element(s, "Content")), OssHttp.element(s, "Category"),
                    OssHttp.element(s, "CreateTime"), OssHttp.element(s, "LastModifyTime")));
        }
        return out;
    }

    static StyleXml style(String xml) {
        assertThat(xml).contains("<Style>");
        List<StyleXml> all = styles(xml);
        assertThat(all).hasSize(1);
        return all.getFirst();
    }

    private static String unescape(String s) {
        return s == null ? null
                : s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&");
    }

    // ---- errors ----------------------------------------------------------------------------------

    static OSSException j1Error(String code, ThrowingCallable call) { return TestData.ossError(code, call); }

    static ServiceException v2Error(int status, String code, ThrowingCallable call) { return V2Errors.expect(status, code, call); }

    static String header(Map<String, String> headers, String name) {
        return headers.entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }
}
