package dev.pail.store;

/** An image style of a bucket (features.md §7): a named process string such as {@code image/resize,p_50}. */
public record StyleRecord(String bucket, String name, String content, String category, long createdMillis, long modifiedMillis) {}
