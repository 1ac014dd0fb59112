package dev.pail.auth;

import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC over byte arrays; the JDK always provides the two algorithms used here. A {@link Mac} is
 * kept per thread (looking one up costs as much as the HMAC itself), which pays off on the event
 * loops that answer small reads.
 */
final class Hmac {
    private Hmac() {}

    private static final ThreadLocal<Mac> SHA1 = ThreadLocal.withInitial(() -> newMac("HmacSHA1"));
    private static final ThreadLocal<Mac> SHA256 = ThreadLocal.withInitial(() -> newMac("HmacSHA256"));

    static byte[] compute(String algorithm, byte[] key, byte[] data) {
        Mac mac = switch (algorithm) {
            case "HmacSHA1" -> SHA1.get();
            case "HmacSHA256" -> SHA256.get();
            default -> throw new IllegalArgumentException(algorithm);
        };
        try {
            mac.init(new SecretKeySpec(key, algorithm));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " refused its key", e);
        }
        return mac.doFinal(data);
    }

    private static Mac newMac(String algorithm) {
        try {
            return Mac.getInstance(algorithm);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " unavailable", e);
        }
    }
}
