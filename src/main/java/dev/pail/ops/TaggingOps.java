package dev.pail.ops;

import dev.pail.route.OssRequest;
import dev.pail.store.MetadataStore;
import dev.pail.store.ObjectRecord;
import dev.pail.xml.OssError;
import java.io.IOException;
import java.util.Map;

/**
 * Put/Get/DeleteObjectTagging (features.md §5), on the current version or the one {@code versionId}
 * names. Tag changes leave ETag and Last-Modified alone. A delete marker has no tags: 404 NoSuchKey.
 */
public final class TaggingOps {
    private final MetadataStore meta;

    public TaggingOps(MetadataStore meta) {
        this.meta = meta;
    }

    public Response put(OssRequest req, RequestBody body, String bucket, String key) throws IOException {
        Names.checkKey(key);
        String versionId = Versions.requested(req);
        byte[] expected = Ingest.contentMd5(req.header("content-md5"));
        ObjectRecord o = tagged(bucket, key, versionId);
        byte[] xml = body.readSmall(64 * 1024);
        if (expected != null && !java.security.MessageDigest.isEqual(expected, Ingest.md5().digest(xml))) {
            throw OssError.INVALID_DIGEST.exception();
        }
        Map<String, String> tags = Tags.parseXml(xml);
        if (!meta.setObjectTags(bucket, key, versionId, tags)) throw noSuchKey(key);
        return Versions.header(Response.ok(), o.versionId());
    }

    public Response get(OssRequest req, String bucket, String key) {
        Names.checkKey(key);
        ObjectRecord o = tagged(bucket, key, Versions.requested(req));
        return Versions.header(Response.xml(Tags.document(o.tags())), o.versionId());
    }

    public Response delete(OssRequest req, String bucket, String key) {
        Names.checkKey(key);
        String versionId = Versions.requested(req);
        ObjectRecord o = tagged(bucket, key, versionId);
        if (!meta.setObjectTags(bucket, key, versionId, Tags.NONE)) throw noSuchKey(key);
        return Versions.header(Response.noContent(), o.versionId());
    }

    private ObjectRecord tagged(String bucket, String key, String versionId) {
        ObjectRecord o = meta.existingVersion(bucket, key, versionId);
        if (o.isDeleteMarker()) throw noSuchKey(key);
        return o;
    }

    private static RuntimeException noSuchKey(String key) {
        return OssError.NO_SUCH_KEY.exception().with("Key", key);
    }
}
