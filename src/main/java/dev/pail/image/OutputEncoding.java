package dev.pail.image;

import java.util.List;

/**
 * How both engines encode a pipeline's result. Read from the whole pipeline before it runs (the
 * last {@code format}, {@code quality} and {@code interlace} ops win; none of them changes pixels),
 * so the engines neither collect these while applying ops nor decide them twice.
 *
 * @param format output format: the last {@code format} op, else the source's
 * @param relative {@code q} (percent of the source quality), 0 when not given
 * @param absolute {@code Q}, 0 when not given
 * @param progressive progressive JPEG ({@code interlace,1})
 */
record OutputEncoding(String format, int relative, int absolute, boolean progressive) {

    /** The quality (JPEG, WebP, HEIC, AVIF) without a quality op, capped by the source's. */
    static final int DEFAULT_QUALITY = 85;

    static OutputEncoding of(String sourceFormat, List<ImageOp> ops) {
        String format = sourceFormat;
        int relative = 0;
        int absolute = 0;
        boolean progressive = false;
        for (ImageOp op : ops) {
            switch (op) {
                case ImageOp.Format f -> format = f.format();
                case ImageOp.Quality q -> {
                    relative = q.relative();
                    absolute = q.absolute();
                }
                case ImageOp.Interlace i -> progressive = i.progressive();
                default -> {}
            }
        }
        return new OutputEncoding(format, relative, absolute, progressive);
    }

    /**
     * The output quality 1–100. The source quality is estimated from a JPEG source's quantization
     * table, 100 for other sources; {@code Q} = min(Q, source); {@code q} = source × q / 100 for JPEG
     * output, min(q, source) for others; without either min({@value #DEFAULT_QUALITY}, source).
     */
    int quality(byte[] source, String sourceFormat) {
        int sourceQuality = sourceFormat.equals("jpg") ? Codec.jpegQuality(source) : 100;
        int quality;
        if (absolute > 0) quality = Math.min(absolute, sourceQuality);
        else if (relative > 0) quality = format.equals("jpg") ? Math.round(sourceQuality * relative / 100f) : Math.min(relative, sourceQuality);
        else quality = Math.min(DEFAULT_QUALITY, sourceQuality);
        return Math.max(1, Math.min(100, quality));
    }
}
