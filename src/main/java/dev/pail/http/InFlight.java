package dev.pail.http;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Counts requests being served so that shutdown can wait for them to finish. Bytes of a request
 * may already sit in a socket that the event loop has not read yet, so idle also means "nothing
 * read for a quiet period".
 */
final class InFlight {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private int count;
    private volatile long lastReadNanos = System.nanoTime();

    /** Called for every read on any connection. */
    void touch() {
        lastReadNanos = System.nanoTime();
    }

    void begin() {
        lock.lock();
        try {
            count++;
        } finally {
            lock.unlock();
        }
    }

    void end() {
        lock.lock();
        try {
            if (--count == 0) idle.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until no request is in flight and nothing was read for {@code quiet}; false when
     * {@code timeout} passed first.
     */
    boolean awaitIdle(Duration timeout, Duration quiet) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (true) {
                long now = System.nanoTime();
                long quietLeft = lastReadNanos + quiet.toNanos() - now;
                if (count == 0 && quietLeft <= 0) return true;
                long left = deadline - now;
                if (left <= 0) return false;
                idle.awaitNanos(Math.min(left, count == 0 ? quietLeft : left));
            }
        } finally {
            lock.unlock();
        }
    }
}
