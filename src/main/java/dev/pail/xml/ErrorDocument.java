package dev.pail.xml;

import java.util.Base64;
import java.util.Map;

/** Renders the OSS error envelope (core.md §5.1). */
public final class ErrorDocument {
    private ErrorDocument() {}

    public static byte[] render(OssException e, String requestId, String hostId) {
        OssError err = e.error();
        XmlWriter x = XmlWriter.document("Error")
                .element("Code", err.code())
                .element("Message", e.getMessage())
                .element("RequestId", requestId)
                .element("HostId", hostId);
        for (Map.Entry<String, String> f : e.fields().entrySet()) x.element(f.getKey(), f.getValue());
        return x.element("EC", err.ec())
                .element("RecommendDoc", "https://api.aliyun.com/troubleshoot?q=" + err.ec())
                .bytes();
    }

    /** The value of {@code x-oss-err}: the body, base64, for responses that carry none (HEAD). */
    public static String headerValue(byte[] body) {
        return Base64.getEncoder().encodeToString(body);
    }
}
