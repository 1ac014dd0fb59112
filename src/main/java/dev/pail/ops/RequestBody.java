package dev.pail.ops;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The body of the request being served, read on the operation's thread. Reading it for the first
 * time sends {@code 100 Continue} to a client that asked for it, so an operation that refuses a
 * request before reading never receives the body.
 */
public interface RequestBody {

    /** Receives the body one chunk at a time; the buffer is valid only during the call. */
    @FunctionalInterface
    interface Sink {
        void accept(ByteBuffer chunk) throws IOException;
    }

    /** A request whose framing announces no body. */
    RequestBody NONE = new RequestBody() {
        @Override
        public long declaredLength() { return -1; }

        @Override
        public boolean framed() { return false; }

        @Override
        public long transferTo(Sink sink) { return 0; }

        @Override
        public byte[] readSmall(int limit) { return new byte[0]; }
    };

    /** The Content-Length, or -1 when the body is chunked. */
    long declaredLength();

    /** True when the request framing announces a body (Content-Length or chunked), even an empty one. */
    boolean framed();

    /**
     * Feeds the whole body to {@code sink}; returns the byte count. Throws IncompleteBody when the
     * connection ends before the declared length arrived.
     */
    long transferTo(Sink sink) throws IOException;

    /** Reads a small body (an XML document) whole; larger than {@code limit} → MalformedXML/EntityTooLarge. */
    byte[] readSmall(int limit) throws IOException;
}
