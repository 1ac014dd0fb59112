package dev.pail.store;

import java.util.List;

/** What must hold for the current version of a key when a write commits. */
public sealed interface Precondition {

    /** Any current state. */
    record None() implements Precondition {}

    /** The key must not exist (x-oss-forbid-overwrite). */
    record Absent() implements Precondition {}

    /**
     * The current version must be the one read before the write (AppendObject: nothing replaced
     * or appended to the object in between). {@code segments} null means "must not exist".
     */
    record Unchanged(List<Segment> segments, long size) implements Precondition {}

    Precondition NONE = new None();
    Precondition ABSENT = new Absent();
}
