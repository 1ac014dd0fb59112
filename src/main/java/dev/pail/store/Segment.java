package dev.pail.store;

import java.util.ArrayList;
import java.util.List;

/** A run of an object's bytes: the first {@code length} bytes of one blob. */
public record Segment(String blobId, long length) {

    /** {@code id:len,id:len}: the column form. */
    public static String encode(List<Segment> segments) {
        StringBuilder b = new StringBuilder(segments.size() * 40);
        for (Segment s : segments) {
            if (!b.isEmpty()) b.append(',');
            b.append(s.blobId).append(':').append(s.length);
        }
        return b.toString();
    }

    public static List<Segment> decode(String column) {
        if (column == null || column.isEmpty()) return List.of();
        List<Segment> out = new ArrayList<>();
        for (String part : column.split(",")) {
            int colon = part.indexOf(':');
            out.add(new Segment(part.substring(0, colon), Long.parseLong(part.substring(colon + 1))));
        }
        return List.copyOf(out);
    }

    public static List<String> blobIds(List<Segment> segments) {
        return segments.stream().map(Segment::blobId).toList();
    }
}
