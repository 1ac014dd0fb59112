package dev.pail.image;

import java.io.IOException;
import java.util.List;

/**
 * Runs a parsed {@code image/...} pipeline on an encoded image. Implementations must be thread-safe;
 * callers bound how many run at once. Bad input (undecodable bytes, impossible parameters) is an
 * {@link dev.pail.xml.OssException} with a 4xx error, never an unchecked failure.
 */
public interface ImageEngine {

    String name();

    /** Format and dimensions read from the image's header without decoding its pixels. */
    record Probe(String format, int width, int height, int frames) {}

    /** Reads only the header; BadRequest-style OssException when the bytes are no supported image. */
    Probe probe(byte[] source) throws IOException;

    /** Encoded output and its Content-Type (application/json for info and average-hue). */
    record Output(byte[] bytes, String contentType) {}

    /** Loads the bytes of another object of the same bucket for an image watermark (WatermarkError when missing). */
    @FunctionalInterface
    interface ObjectLoader {
        byte[] load(String key) throws IOException;
    }

    Output process(byte[] source, List<ImageOp> ops, ObjectLoader objects) throws IOException;
}
