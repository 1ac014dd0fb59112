package dev.pail.auth;

import java.util.Set;

/**
 * What an anonymous request may do (core.md §3.1, OSS ACL rules). Authenticated requests are made
 * with this server's own keys and may do everything. An object's ACL {@code default} defers to the
 * bucket's ACL.
 */
public final class AccessPolicy {
    private AccessPolicy() {}

    private static final Set<String> READABLE = Set.of("public-read", "public-read-write");

    /** The ACL in force for an object: its own, unless {@code default} or absent. */
    public static String effective(String bucketAcl, String objectAcl) {
        return objectAcl == null || objectAcl.equals("default") ? bucketAcl : objectAcl;
    }

    public static boolean anonymousMayRead(String effectiveAcl) {
        return READABLE.contains(effectiveAcl);
    }

    public static boolean anonymousMayWrite(String effectiveAcl) {
        return "public-read-write".equals(effectiveAcl);
    }
}
