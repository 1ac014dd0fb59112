package dev.pail.xml;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A failed OSS operation: rendered as the OSS error envelope (see {@link ErrorDocument}). Extra
 * fields become additional children of {@code <Error>} (BucketName, Key, StringToSign, ...).
 */
public final class OssException extends RuntimeException {
    private final OssError error;
    private final Map<String, String> fields = new LinkedHashMap<>();
    private final Map<String, String> headers = new LinkedHashMap<>();

    public OssException(OssError error, String message) {
        super(message, null, false, false);
        this.error = error;
    }

    public OssError error() { return error; }
    public Map<String, String> fields() { return fields; }
    /** Response headers an SDK needs alongside this error (e.g. x-oss-next-append-position). */
    public Map<String, String> headers() { return headers; }

    public OssException with(String field, String value) {
        if (value != null) fields.put(field, value);
        return this;
    }

    public OssException header(String name, String value) {
        if (value != null) headers.put(name, value);
        return this;
    }
}
