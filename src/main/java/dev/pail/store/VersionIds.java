package dev.pail.store;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Version ids: base64url of the version's sequence number (8 bytes) and 8 random bytes, 22
 * characters. OSS ids are opaque to clients; carrying the sequence lets a listing resume after a
 * version-id-marker even when that version was deleted meanwhile.
 */
public final class VersionIds {
    private VersionIds() {}

    static String create(long seq) {
        ByteBuffer b = ByteBuffer.allocate(16).putLong(seq).putLong(ThreadLocalRandom.current().nextLong());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
    }

    /** The sequence number inside an id made by {@link #create}, or -1 when {@code id} is not one. */
    public static long seq(String id) {
        if (id == null || id.length() != 22) return -1;
        try {
            return ByteBuffer.wrap(Base64.getUrlDecoder().decode(id)).getLong();
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }
}
