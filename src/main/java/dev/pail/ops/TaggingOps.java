package dev.pail.ops;

import dev.pail.route.OssRequest;
import dev.pail.store.MetadataStore;
import dev.pail.xml.OssError;
import java.io.IOException;
import java.util.Map;

/** Put/Get/DeleteObjectTagging (features.md §5). Tag changes leave ETag and Last-Modified alone. */
public final class TaggingOps {
    private final MetadataStore meta;

    public TaggingOps(MetadataStore meta) {
        this.meta = meta;
    }

    public Response put(OssRequest req, RequestBody body, String bucket, String key) throws IOException {
        Names.checkKey(key);
        byte[] expected = Ingest.contentMd5(req.header("content-md5"));
        meta.existingObject(bucket, key);
        byte[] xml = body.readSmall(64 * 1024);
        if (expected != null && !java.security.MessageDigest.isEqual(expected, Ingest.md5().digest(xml))) {
            throw OssError.INVALID_DIGEST.exception();
        }
        Map<String, String> tags = Tags.parseXml(xml);
        if (!meta.setObjectTags(bucket, key, tags)) throw noSuchKey(key);
        return Response.ok();
    }

    public Response get(String bucket, String key) {
        Names.checkKey(key);
        return Response.xml(Tags.document(meta.existingObject(bucket, key).tags()));
    }

    public Response delete(String bucket, String key) {
        Names.checkKey(key);
        meta.existingObject(bucket, key);
        if (!meta.setObjectTags(bucket, key, Tags.NONE)) throw noSuchKey(key);
        return Response.noContent();
    }

    private static RuntimeException noSuchKey(String key) {
        return OssError.NO_SUCH_KEY.exception().with("Key", key);
    }
}
