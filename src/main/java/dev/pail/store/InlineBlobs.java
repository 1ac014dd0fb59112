package dev.pail.store;

import java.util.Collection;
import java.util.Set;

/**
 * Blobs kept inside the metadata database rather than as files: the bytes of a small object, written
 * in the same transaction as its row, so a small PUT costs one group commit instead of a file, two
 * fsyncs and a rename. {@link BlobStore} decides which blobs are inline and reads, copies and deletes
 * them through this interface; new ones are written by {@link MetadataStore#putObject(ObjectRecord,
 * Precondition, java.util.List)}.
 */
public interface InlineBlobs {

    /** A blob to write with an object's row. */
    record InlineBlob(String id, byte[] data) {}

    /** What every inline blob id starts with, and no file blob id (hex digits) does. */
    String ID_PREFIX = "i";

    static boolean isInlineId(String id) {
        return id.startsWith(ID_PREFIX);
    }

    /** A fresh inline blob id: {@code i} followed by digits, never the id of a blob that exists. */
    String newInlineBlobId();

    /** The bytes of an inline blob, or null when it does not exist. */
    byte[] inlineBlob(String id);

    /** Writes a copy of inline blob {@code from} as {@code to}; durable when it returns. */
    void copyInlineBlob(String from, String to);

    /**
     * Removes inline blobs no version refers to any more. Queued behind the writes before it and not
     * waited for: a crash before it commits leaves them to the start-up sweep.
     */
    void dropInlineBlobs(Collection<String> ids);

    /** Every inline blob id (start-up reconciliation). */
    Set<String> inlineBlobIds();
}
