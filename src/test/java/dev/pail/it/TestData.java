package dev.pail.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.aliyun.oss.OSSException;
import com.aliyun.oss.model.OSSObject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Random;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/**
 * Data, digest and checksum helpers shared by the integration tests: computed here, independently of
 * the server, so the tests do not check the server against its own code.
 */
public final class TestData {
    private TestData() {}

    public static byte[] bytes(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    /** {@code n} pseudo-random bytes, reproducible from {@code seed}. */
    public static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    public static InputStream in(byte[] b) { return new ByteArrayInputStream(b); }

    /** Reads and closes a J1 object. */
    public static byte[] read(OSSObject o) throws IOException {
        try (o; InputStream s = o.getObjectContent()) {
            return s.readAllBytes();
        }
    }

    // ---- MD5 -----------------------------------------------------------------------------------

    public static byte[] md5(byte[] b) {
        try {
            return MessageDigest.getInstance("MD5").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Upper-case hex MD5, as in an OSS ETag. */
    public static String md5Hex(byte[] b) { return HexFormat.of().withUpperCase().formatHex(md5(b)); }

    /** Base64 MD5, as in Content-MD5. */
    public static String md5B64(byte[] b) { return Base64.getEncoder().encodeToString(md5(b)); }

    /** The multipart ETag form: upper-hex MD5 over the concatenated binary MD5s of the parts, "-" count. */
    public static String multipartEtag(byte[]... parts) {
        ByteArrayOutputStream md5s = new ByteArrayOutputStream();
        for (byte[] p : parts) md5s.writeBytes(md5(p));
        return md5Hex(md5s.toByteArray()) + "-" + parts.length;
    }

    // ---- CRC-64 ----------------------------------------------------------------------------------

    private static final long[] CRC_TABLE = new long[256];

    static {
        for (int i = 0; i < 256; i++) {
            long c = i;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? (c >>> 1) ^ 0xC96C5795D7870F42L : c >>> 1;
            CRC_TABLE[i] = c;
        }
    }

    /** CRC-64/XZ (the OSS CRC-64 ECMA, features.md §1), written here rather than taken from the server. */
    public static long crc64(byte[] b) {
        long c = ~0L;
        for (byte x : b) c = CRC_TABLE[(int) ((c ^ x) & 0xFF)] ^ (c >>> 8);
        return ~c;
    }

    /** {@link #crc64} as the unsigned decimal of {@code x-oss-hash-crc64ecma}. */
    public static String crcString(byte[] b) { return Long.toUnsignedString(crc64(b)); }

    // ---- J1 SDK errors ---------------------------------------------------------------------------

    /**
     * Runs {@code call}, which must fail with an {@link OSSException} of {@code code} whose request id
     * is 24 upper-case hex characters; returns it.
     */
    public static OSSException ossError(String code, ThrowingCallable call) {
        OSSException e = catchThrowableOfType(OSSException.class, call);
        assertThat(e).as("expected OSSException %s", code).isNotNull();
        assertThat(e.getErrorCode()).as("error code (%s)", e.getErrorMessage()).isEqualTo(code);
        assertThat(e.getRequestId()).matches("[0-9A-F]{24}");
        return e;
    }
}
