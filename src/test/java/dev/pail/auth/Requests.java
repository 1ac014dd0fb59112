package dev.pail.auth;

import dev.pail.route.Query;
import java.util.Locale;
import java.util.SortedMap;
import java.util.TreeMap;

/** Builds {@link SigningInput}s the way the HTTP layer does: lower-cased header names, form-decoded query. */
final class Requests {
    private Requests() {}

    /** {@code headers} alternates name, value. */
    static SigningInput input(String method, String bucket, String key, String rawQuery, String... headers) {
        SortedMap<String, String> map = new TreeMap<>();
        for (int i = 0; i < headers.length; i += 2) map.put(headers[i].toLowerCase(Locale.ROOT), headers[i + 1]);
        return new SigningInput(method, bucket, key, map, Query.parse(rawQuery));
    }

    static String[] with(String[] headers, String... more) {
        String[] all = java.util.Arrays.copyOf(headers, headers.length + more.length);
        System.arraycopy(more, 0, all, headers.length, more.length);
        return all;
    }
}
