package dev.pail.ops;

import dev.pail.route.OssRequest;
import dev.pail.xml.OssError;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The object attributes a write request carries in its headers (core.md §7.9), validated. Shared by
 * PutObject and CopyObject (with REPLACE), and by every later write path.
 *
 * @param headers standard headers to store and echo, by their canonical names
 * @param tags    from {@code x-oss-tagging}, validated
 */
public record WriteHeaders(
        String contentType,
        Map<String, String> headers,
        Map<String, String> userMeta,
        String acl,
        String storageClass,
        boolean forbidOverwrite,
        Map<String, String> tags) {

    public static final Set<String> OBJECT_ACLS = Set.of("default", "private", "public-read", "public-read-write");
    public static final Set<String> BUCKET_ACLS = Set.of("private", "public-read", "public-read-write");
    public static final Set<String> STORAGE_CLASSES = Set.of("Standard", "IA", "Archive", "ColdArchive", "DeepColdArchive");

    /** Stored as given and returned on GET/HEAD. */
    private static final String[] STORED = {
        "Cache-Control", "Content-Disposition", "Content-Encoding", "Content-Language", "Expires"
    };

    /** Default SSE-KMS key id reported when the client names none: Pail stores data unencrypted. */
    static final String DEFAULT_KMS_KEY = "pail-local-kms-key";

    /**
     * @param defaultStorageClass the class without {@code x-oss-storage-class}: the bucket's for a new
     *                            object (features.md §10), the source's for a copy
     */
    public static WriteHeaders parse(OssRequest req, String key, String defaultStorageClass) {
        String ct = req.header("content-type");
        String contentType = ct == null || ct.isBlank() ? MimeTypes.forKey(key) : ct;
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : STORED) {
            String v = req.header(name.toLowerCase(Locale.ROOT));
            if (v != null) headers.put(name, v);
        }
        encryption(req, headers);
        Map<String, String> meta = new LinkedHashMap<>();
        for (Map.Entry<String, String> h : req.headers().entrySet()) {
            if (h.getKey().startsWith("x-oss-meta-") && h.getKey().length() > "x-oss-meta-".length()) {
                meta.put(h.getKey().substring("x-oss-meta-".length()), h.getValue());
            }
        }
        return new WriteHeaders(contentType, headers, meta, objectAcl(req),
                req.header("x-oss-storage-class") == null ? defaultStorageClass : storageClass(req.header("x-oss-storage-class")),
                forbidOverwrite(req),
                Tags.parseHeader(req.header("x-oss-tagging")));
    }

    static String objectAcl(OssRequest req) {
        String acl = req.header("x-oss-object-acl");
        if (acl == null) return "default";
        if (!OBJECT_ACLS.contains(acl)) throw invalid("x-oss-object-acl", acl);
        return acl;
    }

    static String storageClass(String value) {
        if (value == null || value.isEmpty()) return "Standard";
        for (String c : STORAGE_CLASSES) if (c.equalsIgnoreCase(value)) return c;
        throw invalid("x-oss-storage-class", value);
    }

    static boolean forbidOverwrite(OssRequest req) {
        String v = req.header("x-oss-forbid-overwrite");
        if (v == null) return false;
        if (v.equalsIgnoreCase("true")) return true;
        if (v.equalsIgnoreCase("false")) return false;
        throw invalid("x-oss-forbid-overwrite", v);
    }

    /**
     * Server-side encryption headers are validated, stored and echoed; Pail keeps bytes
     * unencrypted on the local disk (core.md §7.9 allows this for a local server).
     */
    private static void encryption(OssRequest req, Map<String, String> headers) {
        String sse = req.header("x-oss-server-side-encryption");
        String data = req.header("x-oss-server-side-data-encryption");
        String keyId = req.header("x-oss-server-side-encryption-key-id");
        // data encryption only means something with KMS; otherwise OSS ignores it (features.md §10 echo rules)
        if (sse == null) {
            if (keyId != null) throw invalid("x-oss-server-side-encryption-key-id", keyId);
            return;
        }
        if (!sse.equals("AES256") && !sse.equals("KMS") && !sse.equals("SM4")) throw invalid("x-oss-server-side-encryption", sse);
        headers.put("x-oss-server-side-encryption", sse);
        if (sse.equals("KMS")) {
            if (data != null) {
                if (!data.equals("SM4")) throw invalid("x-oss-server-side-data-encryption", data);
                headers.put("x-oss-server-side-data-encryption", data);
            }
            headers.put("x-oss-server-side-encryption-key-id", keyId == null || keyId.isEmpty() ? DEFAULT_KMS_KEY : keyId);
        } else {
            if (keyId != null) throw invalid("x-oss-server-side-encryption-key-id", keyId);
        }
    }

    /** Echoes the server-side encryption headers among stored {@code headers} onto a response. */
    static Response echoEncryption(Response r, Map<String, String> headers) {
        headers.forEach((name, value) -> {
            if (name.startsWith("x-oss-server-side-")) r.header(name, value);
        });
        return r;
    }

    static RuntimeException invalid(String name, String value) {
        return OssError.INVALID_ARGUMENT.exception("The value of " + name + " is not valid.")
                .with("ArgumentName", name)
                .with("ArgumentValue", value);
    }
}
