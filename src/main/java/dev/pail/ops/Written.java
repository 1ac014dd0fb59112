package dev.pail.ops;

import dev.pail.store.ObjectRecord;

/** The result of an upload: the object committed and the response for the client. */
public record Written(ObjectRecord object, Response response) {}
