package dev.pail.auth;

/** Who made a request: nobody ({@link Anonymous}) or the holder of a verified {@link Credential}. */
public sealed interface Principal {
    Anonymous ANONYMOUS = new Anonymous();

    record Anonymous() implements Principal {}

    record Authenticated(Credential credential) implements Principal {}
}
