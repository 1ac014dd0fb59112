package dev.pail.ops;

import dev.pail.xml.OssError;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** Naming rules for buckets and keys (core.md §8). */
public final class Names {
    private Names() {}

    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9-]{1,61}[a-z0-9]");

    public static void checkBucket(String name) {
        if (name == null || !BUCKET.matcher(name).matches()) {
            throw OssError.INVALID_BUCKET_NAME.exception().with("BucketName", name);
        }
    }

    /** 1–1023 bytes of UTF-8, not starting with {@code /} or {@code \}. */
    public static void checkKey(String key) {
        if (key == null || key.isEmpty()) throw OssError.INVALID_OBJECT_NAME.exception("The object name must not be empty.");
        if (key.getBytes(StandardCharsets.UTF_8).length > 1023) {
            throw OssError.INVALID_OBJECT_NAME.exception("The Length of Object name must be less than 1024.").with("Key", key);
        }
        char first = key.charAt(0);
        if (first == '/' || first == '\\') {
            throw OssError.INVALID_OBJECT_NAME.exception("The object name must not start with '/' or '\\'.").with("Key", key);
        }
    }
}
