package dev.pail.ops;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.pail.route.OssRequest;
import dev.pail.store.BucketRecord;
import dev.pail.store.MetadataStore.BucketStats;
import dev.pail.store.MetadataStore.ClassStats;
import dev.pail.store.MetadataStore;
import dev.pail.xml.Formats;
import dev.pail.xml.OssError;
import dev.pail.xml.RequestXml;
import dev.pail.xml.UrlEncoding;
import dev.pail.xml.XmlWriter;
import java.io.IOException;
import java.util.List;

/** Bucket operations: create, delete, list, info, location, stat, ACL, and the listings of features Pail has none of yet. */
public final class BucketOps {
    private final MetadataStore meta;
    private final Settings settings;

    public BucketOps(MetadataStore meta, Settings settings) {
        this.meta = meta;
        this.settings = settings;
    }

    record CreateBucketConfiguration(
            @JsonProperty("StorageClass") String storageClass,
            @JsonProperty("DataRedundancyType") String dataRedundancyType) {}

    /**
     * PutBucket. Re-creating an existing bucket succeeds without changing it (single-account
     * server: the caller always owns it, core.md §7.2). There is no bucket-count quota.
     */
    public Response create(OssRequest req, RequestBody body, String bucket) throws IOException {
        Names.checkBucket(bucket);
        String acl = req.header("x-oss-acl");
        if (acl == null) acl = "private";
        if (!WriteHeaders.BUCKET_ACLS.contains(acl)) throw WriteHeaders.invalid("x-oss-acl", acl);
        String storageClass = "Standard";
        String redundancy = "LRS";
        byte[] xml = body.readSmall(64 * 1024);
        if (xml.length > 0) {
            CreateBucketConfiguration c = RequestXml.parse(xml, CreateBucketConfiguration.class);
            if (c.storageClass() != null) storageClass = WriteHeaders.storageClass(c.storageClass().trim());
            if (c.dataRedundancyType() != null) {
                redundancy = c.dataRedundancyType().trim();
                if (!redundancy.equals("LRS") && !redundancy.equals("ZRS")) throw WriteHeaders.invalid("DataRedundancyType", redundancy);
            }
        }
        meta.createBucket(new BucketRecord(bucket, System.currentTimeMillis(), acl, storageClass, redundancy));
        return Response.ok().header("Location", "/" + bucket);
    }

    public Response delete(String bucket) {
        meta.deleteBucket(bucket);
        return Response.noContent();
    }

    /** ListBuckets (GetService). Endpoints point back at the host the client used, so SDK fixtures can reconnect. */
    public Response list(OssRequest req) {
        String prefix = req.query().get("prefix");
        if (prefix == null) prefix = "";
        String marker = req.query().nonEmpty("marker");
        int max = maxKeys(req.query().nonEmpty("max-keys"), 100, 1000);
        List<BucketRecord> page = meta.listBuckets(prefix, marker, max + 1);
        boolean truncated = page.size() > max;
        if (truncated) page = page.subList(0, max);
        XmlWriter x = XmlWriter.document("ListAllMyBucketsResult")
                .element("Prefix", prefix)
                .element("Marker", marker == null ? "" : marker)
                .element("MaxKeys", max)
                .element("IsTruncated", truncated);
        if (truncated) x.element("NextMarker", page.getLast().name());
        owner(x, settings.ownerId());
        x.start("Buckets");
        String endpoint = endpoint(req);
        for (BucketRecord b : page) {
            x.start("Bucket")
                    .element("CreationDate", Formats.iso(b.createdMillis()))
                    .element("ExtranetEndpoint", endpoint)
                    .element("IntranetEndpoint", endpoint)
                    .element("Location", settings.location())
                    .element("Name", b.name())
                    .element("Region", settings.region())
                    .element("StorageClass", b.storageClass())
                    .end();
        }
        x.end();
        return Response.xml(x.bytes());
    }

    public Response info(OssRequest req, String bucket) {
        BucketRecord b = meta.existingBucket(bucket);
        String endpoint = endpoint(req);
        XmlWriter x = XmlWriter.document("BucketInfo").start("Bucket")
                .element("AccessMonitor", "Disabled")
                .element("CreationDate", Formats.iso(b.createdMillis()))
                .element("ExtranetEndpoint", endpoint)
                .element("IntranetEndpoint", endpoint)
                .element("Location", settings.location())
                .element("Region", settings.region())
                .element("StorageClass", b.storageClass())
                .element("TransferAcceleration", "Disabled")
                .element("CrossRegionReplication", "Disabled")
                .element("DataRedundancyType", b.redundancy())
                .element("Name", b.name())
                .element("ResourceGroupId", "rg-default");
        owner(x, settings.ownerId());
        x.start("AccessControlList").element("Grant", b.acl()).end()
                .start("ServerSideEncryptionRule").element("SSEAlgorithm", "None").end()
                .start("BucketPolicy").element("LogBucket", "").element("LogPrefix", "").end()
                .element("Comment", "");
        if (b.versioned()) x.element("Versioning", b.versioning()); // only once configured (core.md §7.4)
        x.element("BlockPublicAccess", false);
        return Response.xml(x.bytes());
    }

    public Response location(String bucket) {
        meta.existingBucket(bucket);
        return Response.xml(XmlWriter.document("LocationConstraint").text(settings.location()).bytes());
    }

    public Response stat(String bucket) {
        meta.existingBucket(bucket);
        BucketStats s = meta.bucketStats(bucket);
        XmlWriter x = XmlWriter.document("BucketStat")
                .element("Storage", s.storageBytes())
                .element("ObjectCount", s.objectCount())
                .element("MultipartUploadCount", s.uploadCount())
                .element("LiveChannelCount", 0)
                .element("LastModifiedTime", s.lastModifiedMillis() / 1000)
                .element("StandardStorage", classBytes(s, "Standard"))
                .element("StandardObjectCount", classCount(s, "Standard"))
                .element("InfrequentAccessStorage", classBytes(s, "IA"))
                .element("InfrequentAccessRealStorage", classBytes(s, "IA"))
                .element("InfrequentAccessObjectCount", classCount(s, "IA"))
                .element("ArchiveStorage", classBytes(s, "Archive"))
                .element("ArchiveRealStorage", classBytes(s, "Archive"))
                .element("ArchiveObjectCount", classCount(s, "Archive"))
                .element("ColdArchiveStorage", classBytes(s, "ColdArchive"))
                .element("ColdArchiveRealStorage", classBytes(s, "ColdArchive"))
                .element("ColdArchiveObjectCount", classCount(s, "ColdArchive"))
                .element("DeepColdArchiveStorage", classBytes(s, "DeepColdArchive"))
                .element("DeepColdArchiveRealStorage", classBytes(s, "DeepColdArchive"))
                .element("DeepColdArchiveObjectCount", classCount(s, "DeepColdArchive"))
                .element("DeleteMarkerCount", 0);
        return Response.xml(x.bytes());
    }

    private static long classBytes(BucketStats s, String c) {
        ClassStats cs = s.byClass().get(c);
        return cs == null ? 0 : cs.storageBytes();
    }

    private static long classCount(BucketStats s, String c) {
        ClassStats cs = s.byClass().get(c);
        return cs == null ? 0 : cs.objectCount();
    }

    public Response putAcl(OssRequest req, String bucket) {
        String acl = req.header("x-oss-acl");
        if (acl == null || !WriteHeaders.BUCKET_ACLS.contains(acl)) throw WriteHeaders.invalid("x-oss-acl", acl);
        meta.setBucketAcl(bucket, acl);
        return Response.ok();
    }

    public Response getAcl(String bucket) {
        return Response.xml(aclDocument(settings.ownerId(), meta.existingBucket(bucket).acl()));
    }

    record VersioningConfiguration(@JsonProperty("Status") String status) {}

    /**
     * PutBucketVersioning: Enabled or Suspended (core.md §7.17). Once configured, versioning can be
     * suspended but never turned off again, as in OSS.
     */
    public Response putVersioning(RequestBody body, String bucket) throws IOException {
        meta.existingBucket(bucket);
        VersioningConfiguration c = RequestXml.parse(body.readSmall(64 * 1024), VersioningConfiguration.class);
        String status = c.status() == null ? null : c.status().trim();
        if (!"Enabled".equals(status) && !"Suspended".equals(status)) throw OssError.MALFORMED_XML.exception();
        meta.setBucketVersioning(bucket, status);
        return Response.ok();
    }

    /** GetBucketVersioning: the status, or an empty document when versioning was never configured. */
    public Response versioning(String bucket) {
        BucketRecord b = meta.existingBucket(bucket);
        XmlWriter x = XmlWriter.document("VersioningConfiguration");
        if (b.versioned()) x.element("Status", b.versioning());
        return Response.xml(x.bytes());
    }

    /** Live channels are not part of Pail: none exist (Python V1 clean-up lists them). */
    public Response listLiveChannels(OssRequest req, String bucket) {
        meta.existingBucket(bucket);
        var q = req.query();
        return Response.xml(XmlWriter.document("ListLiveChannelResult")
                .element("Prefix", q.nonEmpty("prefix"))
                .element("Marker", q.nonEmpty("marker"))
                .element("MaxKeys", maxKeys(q.nonEmpty("max-keys"), 100, 1000))
                .element("IsTruncated", false)
                .element("NextMarker", "")
                .bytes());
    }

    // ---- shared ------------------------------------------------------------------------------

    static byte[] aclDocument(String ownerId, String grant) {
        XmlWriter x = XmlWriter.document("AccessControlPolicy");
        owner(x, ownerId);
        return x.start("AccessControlList").element("Grant", grant).end().bytes();
    }

    static void owner(XmlWriter x, String ownerId) {
        x.start("Owner").element("ID", ownerId).element("DisplayName", ownerId).end();
    }

    /** The host:port the client addressed, without a virtual-hosted bucket label. */
    static String endpoint(OssRequest req) {
        String host = req.host() == null ? "" : req.host();
        return req.bucket() != null && host.startsWith(req.bucket() + ".") ? host.substring(req.bucket().length() + 1) : host;
    }

    static String enc(String v, boolean url) { return url ? UrlEncoding.encode(v) : v; }

    /** Parses max-keys style limits: absent → {@code dflt}; outside 1..{@code max} or not a number → InvalidArgument. */
    static int maxKeys(String value, int dflt, int max) {
        if (value == null) return dflt;
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1 && n <= max) return n;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw WriteHeaders.invalid("max-keys", value);
    }
}
