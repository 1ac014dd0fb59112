package dev.pail.ops;

import java.nio.channels.FileChannel;
import java.util.LinkedHashMap;
import java.util.Map;

/** What an operation answers: status, headers and one of the body kinds the HTTP layer can write. */
public final class Response {

    /** A response body. */
    public sealed interface Body {
        long length();
    }

    public record Empty() implements Body {
        public long length() { return 0; }
    }

    public record Bytes(byte[] data) implements Body {
        public long length() { return data.length; }
    }

    /** A region of an open file; the HTTP layer sends it zero-copy and closes the channel. */
    public record FileRegion(FileChannel channel, long offset, long length) implements Body {}

    private static final Body EMPTY = new Empty();

    private int status;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private Body body = EMPTY;

    private Response(int status) { this.status = status; }

    public static Response status(int status) { return new Response(status); }
    public static Response ok() { return new Response(200); }
    public static Response noContent() { return new Response(204); }

    /** An XML document body. */
    public static Response xml(byte[] document) {
        return ok().header("Content-Type", "application/xml").body(new Bytes(document));
    }

    public Response header(String name, String value) {
        if (value != null) headers.put(name, value);
        return this;
    }

    public Response body(Body body) {
        this.body = body;
        return this;
    }

    public Response withStatus(int status) {
        this.status = status;
        return this;
    }

    public int status() { return status; }
    public Map<String, String> headers() { return headers; }
    public Body body() { return body; }
}
