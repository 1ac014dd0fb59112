package dev.pail.ops;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.pail.image.ImageEngine;
import dev.pail.image.ImageLimits;
import dev.pail.image.ImageOp;
import dev.pail.image.ProcessParser;
import dev.pail.route.Addressing;
import dev.pail.route.OssRequest;
import dev.pail.store.BucketRecord;
import dev.pail.store.MetadataStore;
import dev.pail.store.ObjectRecord;
import dev.pail.xml.Formats;
import dev.pail.xml.OssError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * GetObject with {@code x-oss-process} (image actions or {@code style/<name>}) and ProcessObject
 * ({@code POST ?x-oss-process} with {@code |sys/saveas}), features.md §7–8.
 *
 * <p>Source limits are checked before decoding: at most {@value #MAX_SOURCE_BYTES} bytes, then the
 * sides and pixel count of {@link dev.pail.image.ImageLimits} read from the header, so a
 * decompression bomb costs a header read. Image jobs run on their own platform threads, one per
 * core: CPU-bound work (and native libvips calls) on a request's virtual thread would hold one of
 * the few carrier threads and stall plain GETs; the request's virtual thread just waits for the job.
 * Results are cached by (source content, parsed pipeline) in memory ({@code --image-cache-mb}),
 * except pipelines with image watermarks, whose output also depends on other objects.
 */
public final class ImageOps {
    static final long MAX_SOURCE_BYTES = 20L * 1024 * 1024;
    private static final String SAVEAS = "|sys/saveas";
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private final MetadataStore meta;
    private final ObjectOps objects;
    private final StyleOps styles;
    private final ImageEngine engine;
    private final Ingest ingest;
    private final ExecutorService workers = Executors.newFixedThreadPool(Math.max(1, Runtime.getRuntime().availableProcessors()),
            Thread.ofPlatform().name("pail-image-", 1).daemon().factory());
    private final Cache<String, ImageEngine.Output> cache;

    ImageOps(MetadataStore meta, ObjectOps objects, StyleOps styles, ImageEngine engine, Ingest ingest, long cacheBytes) {
        this.cache = Caffeine.newBuilder()
                .maximumWeight(cacheBytes)
                .weigher((String k, ImageEngine.Output v) -> v.bytes().length + k.length())
                .build();
        this.meta = meta;
        this.objects = objects;
        this.styles = styles;
        this.engine = engine;
        this.ingest = ingest;
    }

    /**
     * GetObject with x-oss-process: the processed image, with its own Content-Type and length and
     * neither the source's ETag nor its CRC-64 (SDKs would check the processed bytes against them).
     */
    public Response get(OssRequest req, String bucket, String key) throws IOException {
        String process = req.query().get("x-oss-process");
        if (process != null && process.contains(SAVEAS)) {
            throw OssError.INVALID_ARGUMENT.exception("sys/saveas is only allowed in a POST (ProcessObject).")
                    .with("ArgumentName", "x-oss-process");
        }
        List<ImageOp> ops = pipeline(bucket, process);
        ObjectOps.Loaded src = objects.load(bucket, key, Versions.requested(req), MAX_SOURCE_BYTES);
        ImageEngine.Output out = run(bucket, src, ops);
        Response r = Response.ok()
                .header("Content-Type", out.contentType())
                .header("Last-Modified", Formats.http(src.record().modifiedMillis()))
                .body(new Response.Bytes(out.bytes()));
        return Versions.header(r, src.record().versionId());
    }

    /**
     * ProcessObject: the body is {@code x-oss-process=<process>|sys/saveas,o_<b64 key>[,b_<b64 bucket>]},
     * sent raw by most SDKs and form-encoded by ali-oss; base64 in either alphabet. The result
     * is stored as a new object with the target bucket's ACL.
     */
    public Response save(OssRequest req, RequestBody body, String bucket, String key) throws IOException {
        String text = new String(body.readSmall(64 * 1024), StandardCharsets.UTF_8).trim();
        if (text.startsWith("x-oss-process=")) text = text.substring("x-oss-process=".length());
        if (text.indexOf('%') >= 0) text = Addressing.decodePath(text); // never '+' → space: base64 keeps its '+'
        int bar = text.lastIndexOf(SAVEAS);
        if (bar < 0) {
            throw OssError.INVALID_ARGUMENT.exception("ProcessObject needs |sys/saveas,o_<object>.").with("ArgumentName", "x-oss-process");
        }
        Map<String, String> save = saveParams(text.substring(bar + SAVEAS.length()));
        if (save.get("o") == null) {
            throw OssError.MISSING_ARGUMENT.exception("sys/saveas needs o_<object>.").with("ArgumentName", "o");
        }
        String targetKey = ProcessParser.base64(save.get("o"), "o");
        String targetBucket = save.get("b") == null ? bucket : ProcessParser.base64(save.get("b"), "b");
        Names.checkBucket(targetBucket);
        Names.checkKey(targetKey);
        BucketRecord target = meta.existingBucket(targetBucket);
        List<ImageOp> ops = pipeline(bucket, text.substring(0, bar));
        ObjectOps.Loaded src = objects.load(bucket, key, null, MAX_SOURCE_BYTES);
        ImageEngine.Output out = run(bucket, src, ops);
        Ingest.Stored s = ingest.store(out.bytes());
        ObjectRecord saved = ingest.commit(new ObjectRecord(targetBucket, targetKey, s.segments(), s.size(), s.md5Hex(), s.crc64(), s.md5Base64(),
                System.currentTimeMillis(), "Normal", target.storageClass(), "default", out.contentType(), Map.of(), Map.of(), Map.of()),
                false, s.inline());
        // the layout the SDKs parse; Java's test looks for "status": "OK" with one space
        String json = "{\n    \"bucket\": " + jsonString(save.get("b") == null ? "" : targetBucket) + ",\n"
                + "    \"fileSize\": " + s.size() + ",\n"
                + "    \"object\": " + jsonString(targetKey) + ",\n"
                + "    \"status\": \"OK\"}";
        Response r = Response.ok().header("Content-Type", "application/json")
                .body(new Response.Bytes(json.getBytes(StandardCharsets.UTF_8)));
        return Versions.header(r, saved.versionId());
    }

    private static Map<String, String> saveParams(String rest) {
        Map<String, String> out = new java.util.HashMap<>();
        for (String part : rest.split(",")) {
            int u = part.indexOf('_');
            if (u > 0) out.putIfAbsent(part.substring(0, u), part.substring(u + 1));
        }
        return out;
    }

    /** {@code image/...} or {@code style/<name>} (whose content is an {@code image/...} string). */
    private List<ImageOp> pipeline(String bucket, String process) {
        if (process == null || process.isBlank()) {
            throw OssError.INVALID_ARGUMENT.exception("The x-oss-process parameter is empty.").with("ArgumentName", "x-oss-process");
        }
        String p = process.trim();
        if (p.startsWith("style/")) p = styles.existing(bucket, p.substring("style/".length())).content();
        if (p.startsWith("image/")) return ProcessParser.parse(p.substring("image/".length()));
        if (p.startsWith("video/") || p.startsWith("doc/") || p.startsWith("audio/")) {
            throw OssError.NOT_IMPLEMENTED.exception("Pail processes images only.");
        }
        throw OssError.INVALID_ARGUMENT.exception("The x-oss-process value is not valid: " + process).with("ArgumentName", "x-oss-process");
    }

    private ImageEngine.Output run(String bucket, ObjectOps.Loaded src, List<ImageOp> ops) throws IOException {
        ObjectRecord o = src.record();
        boolean cacheable = ops.stream().noneMatch(op -> op instanceof ImageOp.Watermark w && w.picture() != null);
        String cacheKey = o.etag() + '/' + o.size() + '/' + o.crc64() + '/' + ops;
        if (cacheable) {
            ImageEngine.Output hit = cache.getIfPresent(cacheKey);
            if (hit != null) return hit;
        }
        ImageEngine.Output out = onWorker(() -> {
            ImageEngine.Probe probe = engine.probe(src.bytes());
            if (ImageLimits.tooLarge(probe)) {
                throw OssError.IMAGE_TOO_LARGE.exception("The source image is " + probe.width() + "x" + probe.height()
                        + "; images are processed up to " + ImageLimits.MAX_SIDE + " px a side and "
                        + ImageLimits.MAX_PIXELS / 1_000_000 + " M px in all.");
            }
            return engine.process(src.bytes(), ops, k -> watermark(bucket, k));
        });
        if (cacheable) cache.put(cacheKey, out);
        return out;
    }

    /** Runs an image job on a worker thread; the calling virtual thread waits without holding a carrier. */
    private ImageEngine.Output onWorker(Callable<ImageEngine.Output> job) throws IOException {
        Future<ImageEngine.Output> f = workers.submit(job);
        try {
            return f.get();
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while processing an image", e);
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case RuntimeException re -> throw re;
                case IOException io -> throw io;
                case Error err -> throw err;
                default -> throw new IOException(e.getCause());
            }
        }
    }

    /** An image watermark: another object of the same bucket (WatermarkError when it is not there). */
    private byte[] watermark(String bucket, String key) throws IOException {
        try {
            return objects.load(bucket, key, null, MAX_SOURCE_BYTES).bytes();
        } catch (dev.pail.xml.OssException e) {
            if (e.error() == OssError.NO_SUCH_KEY || e.error() == OssError.INVALID_OBJECT_NAME) {
                throw OssError.WATERMARK_ERROR.exception("The watermark image " + key + " does not exist.");
            }
            throw e;
        }
    }

    /** A JSON string literal (quoted and escaped). */
    private static String jsonString(String s) throws IOException {
        return JSON.writeValueAsString(s);
    }
}
