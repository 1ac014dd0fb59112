package dev.pail.store;

/**
 * Code that must not block: a Netty event loop answering a read from memory. While
 * {@link #call} runs, a store operation that would wait for SQLite or the disk throws
 * {@link WouldBlock} instead, and the caller serves the request again where blocking is fine.
 */
public final class NonBlocking {
    private static final ScopedValue<Boolean> ACTIVE = ScopedValue.newInstance();
    private static final WouldBlock WOULD_BLOCK = new WouldBlock();

    private NonBlocking() {}

    /** Thrown where blocking would be needed; one shared instance without a stack trace, as it is routine. */
    public static final class WouldBlock extends RuntimeException {
        private WouldBlock() {
            super("would block", null, false, false);
        }
    }

    /** Runs {@code op} with blocking refused. */
    public static <T, X extends Throwable> T call(ScopedValue.CallableOp<T, X> op) throws X {
        return ScopedValue.where(ACTIVE, Boolean.TRUE).call(op);
    }

    /** Called before anything that may block: throws {@link WouldBlock} inside {@link #call}. */
    public static void mayBlock() {
        if (ACTIVE.isBound()) throw WOULD_BLOCK;
    }
}
