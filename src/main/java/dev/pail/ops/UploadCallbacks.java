package dev.pail.ops;

import dev.pail.callback.Callback;
import dev.pail.callback.CallbackService;
import dev.pail.checksum.Crc64;
import dev.pail.route.OssRequest;
import dev.pail.store.ObjectRecord;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Upload callbacks around PutObject and CompleteMultipartUpload (features.md §9): the
 * configuration is parsed before anything is stored (a bad one refuses the upload), the callback
 * runs after the commit, and its answer becomes the client's response: the receiver's JSON with
 * 200, or 203 CallbackFailed with the object stored all the same.
 */
public final class UploadCallbacks {
    /** Served without authentication so that receivers can verify callback signatures. */
    public static final String PUBLIC_KEY_PATH = "/-/callback/public-key.pem";

    private final CallbackService service;

    public UploadCallbacks(CallbackService service) {
        this.service = service;
    }

    public Optional<Callback> parse(OssRequest req) {
        return service.parse(req);
    }

    public String publicKeyPem() {
        return service.publicKeyPem();
    }

    public Response apply(OssRequest req, Optional<Callback> callback, Written written, String operation) {
        if (callback.isEmpty()) return written.response();
        ObjectRecord o = written.object();
        Map<String, String> vars = new HashMap<>();
        vars.put("bucket", o.bucket());
        vars.put("object", o.key());
        vars.put("etag", o.etag());
        vars.put("size", Long.toString(o.size()));
        vars.put("mimeType", o.contentType());
        vars.put("imageInfo.height", "");
        vars.put("imageInfo.width", "");
        vars.put("imageInfo.format", "");
        vars.put("crc64", Crc64.toDecimal(o.crc64()));
        vars.put("contentMd5", o.contentMd5() == null ? "" : o.contentMd5());
        vars.put("vpcId", "");
        vars.put("clientIp", req.clientIp());
        vars.put("reqId", req.requestId());
        vars.put("operation", operation);
        String publicKeyUrl = "http://" + BucketOps.endpoint(req) + PUBLIC_KEY_PATH;
        Response success = written.response();
        return switch (service.invoke(callback.get(), vars, publicKeyUrl)) {
            case CallbackService.Outcome.Delivered d -> {
                Response r = Response.ok().header("Content-Type", "application/json").body(new Response.Bytes(d.body()));
                success.headers().forEach((name, value) -> {
                    if (!name.equalsIgnoreCase("Content-Type")) r.header(name, value);
                });
                yield r;
            }
            case CallbackService.Outcome.Failed f -> {
                var e = f.toException();
                success.headers().forEach((name, value) -> {
                    if (!name.equalsIgnoreCase("Content-Type")) e.header(name, value);
                });
                throw e;
            }
        };
    }
}
