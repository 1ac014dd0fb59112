package dev.pail.ops;

/**
 * Server-wide facts the operations report or enforce.
 *
 * @param region        e.g. {@code cn-hangzhou}; buckets report {@code oss-<region>}
 * @param ownerId       the account id shown as Owner
 * @param maxObjectSize the largest single upload, 5 GiB as on OSS
 * @param imageCacheBytes memory for processed images kept for reuse
 */
public record Settings(String region, String ownerId, long maxObjectSize, long imageCacheBytes) {
    public static final long FIVE_GIB = 5L * 1024 * 1024 * 1024;

    public String location() { return "oss-" + region; }
}
