package dev.pail.ops;

import java.nio.file.Path;
import java.util.List;
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

    /** Bytes {@code offset..offset+length} of a file. */
    public record FileRange(Path file, long offset, long length) {}

    /**
     * Ranges of files sent one after the other, zero-copy; each file is opened only when its turn
     * comes. {@code onDone} runs once the response is written or has failed.
     */
    public record Files(List<FileRange> ranges, Runnable onDone) implements Body {
        public long length() {
            long n = 0;
            for (FileRange r : ranges) n += r.length();
            return n;
        }
    }

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
