package dev.pail.ops;

import dev.pail.route.OssRequest;
import dev.pail.route.Query;
import dev.pail.store.ListPage;
import dev.pail.store.MetadataStore;
import dev.pail.store.ObjectRecord;
import dev.pail.store.VersionIds;
import dev.pail.xml.OssError;
import dev.pail.xml.Formats;
import dev.pail.xml.UrlEncoding;
import dev.pail.xml.XmlWriter;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** ListObjects (V1), ListObjectsV2 and ListObjectVersions (core.md §7.7, §7.8, §7.17). */
public final class ListOps {
    private final MetadataStore meta;
    private final Settings settings;

    public ListOps(MetadataStore meta, Settings settings) {
        this.meta = meta;
        this.settings = settings;
    }

    private record Params(String prefix, String delimiter, int maxKeys, boolean url) {
        static Params of(Query q) {
            String prefix = q.get("prefix");
            String encoding = q.nonEmpty("encoding-type");
            if (encoding != null && !encoding.equals("url")) throw WriteHeaders.invalid("encoding-type", encoding);
            return new Params(prefix == null ? "" : prefix, q.nonEmpty("delimiter"),
                    BucketOps.maxKeys(q.nonEmpty("max-keys"), 100, 1000), encoding != null);
        }

        String enc(String v) { return url ? UrlEncoding.encode(v) : v; }
    }

    public Response listV1(OssRequest req, String bucket) {
        meta.existingBucket(bucket);
        Params p = Params.of(req.query());
        String marker = req.query().get("marker");
        ListPage page = meta.list(bucket, p.prefix(), emptyToNull(marker), p.delimiter(), p.maxKeys());
        XmlWriter x = XmlWriter.document("ListBucketResult")
                .element("Name", bucket)
                .element("Prefix", p.enc(p.prefix()))
                .element("Marker", p.enc(marker == null ? "" : marker))
                .element("MaxKeys", p.maxKeys())
                .element("Delimiter", p.enc(p.delimiter() == null ? "" : p.delimiter()));
        if (p.url()) x.element("EncodingType", "url");
        x.element("IsTruncated", page.truncated());
        if (page.truncated()) x.element("NextMarker", p.enc(page.nextMarker()));
        contents(x, page, p, true);
        return Response.xml(x.bytes());
    }

    public Response listV2(OssRequest req, String bucket) {
        meta.existingBucket(bucket);
        Query q = req.query();
        Params p = Params.of(q);
        String token = q.nonEmpty("continuation-token");
        String startAfter = q.nonEmpty("start-after");
        String after = token != null ? decodeToken(token) : startAfter;
        if (token != null && startAfter != null && java.util.Arrays.compareUnsigned(utf8(startAfter), utf8(after)) > 0) {
            after = startAfter; // keys are ordered by their UTF-8 bytes, not by UTF-16 String order
        }
        boolean fetchOwner = "true".equalsIgnoreCase(q.get("fetch-owner"));
        ListPage page = meta.list(bucket, p.prefix(), after, p.delimiter(), p.maxKeys());
        XmlWriter x = XmlWriter.document("ListBucketResult")
                .element("Name", bucket)
                .element("Prefix", p.enc(p.prefix()))
                .optional("StartAfter", startAfter == null ? null : p.enc(startAfter))
                .optional("ContinuationToken", token == null ? null : p.enc(token))
                .element("MaxKeys", p.maxKeys())
                .element("Delimiter", p.enc(p.delimiter() == null ? "" : p.delimiter()));
        if (p.url()) x.element("EncodingType", "url");
        x.element("IsTruncated", page.truncated());
        if (page.truncated()) x.element("NextContinuationToken", p.enc(encodeToken(page.nextMarker())));
        x.element("KeyCount", page.objects().size() + page.commonPrefixes().size());
        contents(x, page, p, fetchOwner);
        return Response.xml(x.bytes());
    }

    /**
     * ListObjectVersions (core.md §7.17): every version and delete marker, newest first per key.
     * Objects written without versioning are listed with the version id {@code null}, so the V2
     * SDKs' clean-up (list versions, delete them by id) works on every bucket.
     */
    public Response listVersions(OssRequest req, String bucket) {
        meta.existingBucket(bucket);
        Query q = req.query();
        Params p = Params.of(q);
        String keyMarker = q.nonEmpty("key-marker");
        String versionIdMarker = q.nonEmpty("version-id-marker");
        if (versionIdMarker != null) {
            if (keyMarker == null) {
                throw OssError.INVALID_ARGUMENT.exception("A version-id-marker cannot be given without a key-marker.")
                        .with("ArgumentName", "version-id-marker");
            }
            if (!versionIdMarker.equals(ObjectRecord.NULL_VERSION) && VersionIds.seq(versionIdMarker) < 0) {
                throw WriteHeaders.invalid("version-id-marker", versionIdMarker);
            }
        }
        MetadataStore.VersionPage page = meta.listVersions(bucket, p.prefix(), keyMarker, versionIdMarker, p.delimiter(), p.maxKeys());
        XmlWriter x = XmlWriter.document("ListVersionsResult")
                .element("Name", bucket)
                .element("Prefix", p.enc(p.prefix()))
                .element("KeyMarker", p.enc(keyMarker == null ? "" : keyMarker))
                .element("VersionIdMarker", versionIdMarker == null ? "" : versionIdMarker)
                .element("MaxKeys", p.maxKeys())
                .element("Delimiter", p.enc(p.delimiter() == null ? "" : p.delimiter()));
        if (p.url()) x.element("EncodingType", "url");
        x.element("IsTruncated", page.truncated());
        if (page.truncated()) {
            x.element("NextKeyMarker", p.enc(page.nextKeyMarker())).element("NextVersionIdMarker", page.nextVersionIdMarker());
        }
        for (MetadataStore.VersionEntry v : page.versions()) {
            ObjectRecord o = v.record();
            if (o.isDeleteMarker()) {
                x.start("DeleteMarker")
                        .element("Key", p.enc(o.key()))
                        .element("VersionId", o.versionId())
                        .element("IsLatest", v.latest())
                        .element("LastModified", Formats.iso(o.modifiedMillis()));
            } else {
                x.start("Version")
                        .element("Key", p.enc(o.key()))
                        .element("VersionId", o.versionId())
                        .element("IsLatest", v.latest())
                        .element("LastModified", Formats.iso(o.modifiedMillis()))
                        .element("ETag", ObjectOps.quote(o.etag()))
                        .element("Type", o.type())
                        .element("Size", o.size())
                        .element("StorageClass", o.storageClass());
            }
            BucketOps.owner(x, settings.ownerId());
            x.end();
        }
        for (String cp : page.commonPrefixes()) x.start("CommonPrefixes").element("Prefix", p.enc(cp)).end();
        return Response.xml(x.bytes());
    }

    private void contents(XmlWriter x, ListPage page, Params p, boolean withOwner) {
        for (ObjectRecord o : page.objects()) {
            x.start("Contents")
                    .element("Key", p.enc(o.key()))
                    .element("LastModified", Formats.iso(o.modifiedMillis()))
                    .element("ETag", ObjectOps.quote(o.etag()))
                    .element("Type", o.type())
                    .element("Size", o.size())
                    .element("StorageClass", o.storageClass());
            if (withOwner) BucketOps.owner(x, settings.ownerId());
            x.end();
        }
        for (String cp : page.commonPrefixes()) x.start("CommonPrefixes").element("Prefix", p.enc(cp)).end();
    }

    /** Continuation tokens are the base64url of the last key or prefix returned (opaque to clients). */
    static String encodeToken(String marker) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(marker.getBytes(StandardCharsets.UTF_8));
    }

    static String decodeToken(String token) {
        try {
            return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw WriteHeaders.invalid("continuation-token", token);
        }
    }

    private static byte[] utf8(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    private static String emptyToNull(String s) { return s == null || s.isEmpty() ? null : s; }
}
