package dev.pail.store;

import java.util.List;

/**
 * One page of a listing. {@code nextMarker} is the last key or common prefix returned, set only
 * when the listing is truncated.
 */
public record ListPage(List<ObjectRecord> objects, List<String> commonPrefixes, boolean truncated, String nextMarker) {}
