package dev.pail.ops;

import dev.pail.route.OssRequest;
import dev.pail.store.ObjectRecord;
import dev.pail.xml.Formats;
import dev.pail.xml.OssError;

/** The request and response side of versioning shared by the object operations (core.md §7.17). */
final class Versions {
    private Versions() {}

    /** The {@code versionId} query parameter: null when absent; InvalidArgument when empty (EC 0012-00000201). */
    static String requested(OssRequest req) {
        String v = req.query().get("versionId");
        if (v != null && v.isEmpty()) {
            throw OssError.INVALID_ARGUMENT.exception("The versionId parameter must not be empty.").with("ArgumentName", "versionId");
        }
        return v;
    }

    /** Adds {@code x-oss-version-id} when the version has one (its bucket has, or had, versioning). */
    static Response header(Response r, String versionId) {
        return versionId == null ? r : r.header("x-oss-version-id", versionId);
    }

    /**
     * A version that has content: a delete marker named by its version id answers 405
     * MethodNotAllowed (EC 0017-00000002, "not supported on a delete marker"), with the marker's
     * headers, as S3 does; OSS documents the EC but not the status.
     */
    static ObjectRecord readable(ObjectRecord o) {
        if (!o.isDeleteMarker()) return o;
        throw OssError.METHOD_NOT_ALLOWED.exception("The specified method is not allowed against a delete marker.")
                .header("x-oss-delete-marker", "true")
                .header("x-oss-version-id", o.versionId())
                .header("Last-Modified", Formats.http(o.modifiedMillis()));
    }
}
