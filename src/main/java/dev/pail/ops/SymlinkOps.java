package dev.pail.ops;

import dev.pail.route.Addressing;
import dev.pail.route.OssRequest;
import dev.pail.store.BlobStore;
import dev.pail.store.BucketRecord;
import dev.pail.store.MetadataStore;
import dev.pail.store.ObjectRecord;
import dev.pail.xml.Formats;
import dev.pail.xml.OssError;
import dev.pail.xml.UrlEncoding;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * PutSymlink and GetSymlink (features.md §6). A symlink is an object of type Symlink with no
 * bytes; its target is kept, percent-encoded as the header carries it, under
 * {@value #TARGET_HEADER}. GET and HEAD follow it one level (see {@link ObjectOps}).
 */
public final class SymlinkOps {
    static final String TARGET_HEADER = "x-oss-symlink-target";

    private final MetadataStore meta;
    private final Ingest ingest;

    public SymlinkOps(MetadataStore meta, BlobStore blobs, Settings settings) {
        this.meta = meta;
        this.ingest = new Ingest(meta, blobs, settings.maxObjectSize());
    }

    public Response put(OssRequest req, String bucket, String key) {
        Names.checkKey(key);
        String raw = req.header(TARGET_HEADER);
        if (raw == null || raw.isEmpty()) {
            throw OssError.INVALID_ARGUMENT.exception("The x-oss-symlink-target header is missing.").with("ArgumentName", TARGET_HEADER);
        }
        String target = Addressing.decodePath(raw);
        Names.checkKey(target);
        BucketRecord b = meta.existingBucket(bucket);
        WriteHeaders w = WriteHeaders.parse(req, key, b.storageClass());
        Map<String, String> headers = new LinkedHashMap<>(w.headers());
        headers.put(TARGET_HEADER, encode(target));
        String etag = HexFormat.of().withUpperCase().formatHex(Ingest.md5().digest(target.getBytes(StandardCharsets.UTF_8)));
        ObjectRecord link = new ObjectRecord(bucket, key, List.of(), 0, etag, 0, null, System.currentTimeMillis(), "Symlink",
                w.storageClass(), w.acl(), w.contentType(), headers, w.userMeta(), w.tags());
        ObjectRecord committed = ingest.commit(link, w.forbidOverwrite());
        return Versions.header(Response.ok().header("ETag", ObjectOps.quote(etag)), committed.versionId());
    }

    public Response get(OssRequest req, String bucket, String key) {
        Names.checkKey(key);
        ObjectRecord o = Versions.readable(meta.existingVersion(bucket, key, Versions.requested(req)));
        if (!o.type().equals("Symlink")) throw OssError.NOT_SYMLINK.exception().with("Key", key);
        Response r = Response.ok()
                .header(TARGET_HEADER, o.headers().get(TARGET_HEADER))
                .header("ETag", ObjectOps.quote(o.etag()))
                .header("Last-Modified", Formats.http(o.modifiedMillis()))
                .header("Content-Length", "0");
        Versions.header(r, o.versionId());
        o.userMeta().forEach((name, value) -> r.header("x-oss-meta-" + name, value));
        return r;
    }

    /** The decoded target of a symlink record. */
    static String target(ObjectRecord link) {
        return Addressing.decodePath(link.headers().get(TARGET_HEADER));
    }

    /** RFC 3986 with {@code /} kept, the form the SDKs decode. */
    private static String encode(String target) {
        return UrlEncoding.encode(target).replace("%2F", "/");
    }
}
