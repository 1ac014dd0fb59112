package dev.pail.http;

import dev.pail.ops.RequestBody;
import dev.pail.xml.OssError;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Hands the body of one request from the event loop to the operation's virtual thread through a
 * small queue. Back-pressure: the channel stops reading above {@link #HIGH_WATER} queued bytes and
 * resumes below {@link #LOW_WATER}, so an upload of any size uses bounded memory.
 * {@code 100 Continue} is sent on the first read, i.e. only once the operation has accepted the
 * request.
 */
final class BodyBridge implements RequestBody {
    private static final int HIGH_WATER = 1 << 20;
    private static final int LOW_WATER = 256 << 10;

    private final Channel channel;
    private final boolean expectContinue;
    private final long declaredLength;
    private final boolean framed;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition readable = lock.newCondition();
    private final ArrayDeque<ByteBuf> queue = new ArrayDeque<>();
    private long queuedBytes;
    private boolean ended;      // the last chunk has arrived
    private boolean broken;     // the connection closed before the end
    private boolean discarding; // the operation is done; drop whatever else arrives
    private boolean continueSent;

    BodyBridge(Channel channel, HttpRequest request) {
        this.channel = channel;
        this.expectContinue = HttpUtil.is100ContinueExpected(request);
        boolean chunked = HttpUtil.isTransferEncodingChunked(request);
        this.declaredLength = chunked ? -1 : HttpUtil.getContentLength(request, -1L);
        this.framed = chunked || request.headers().contains("Content-Length");
    }

    // ---- event loop side ----------------------------------------------------------------

    /** Takes ownership of the chunk's buffer. */
    void offer(HttpContent content) {
        ByteBuf buf = content.content();
        boolean last = content instanceof LastHttpContent;
        lock.lock();
        try {
            if (discarding) {
                buf.release();
            } else if (buf.isReadable()) {
                queue.add(buf);
                queuedBytes += buf.readableBytes();
                if (queuedBytes > HIGH_WATER) channel.config().setAutoRead(false);
            } else {
                buf.release();
            }
            if (last) ended = true;
            readable.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void connectionClosed() {
        lock.lock();
        try {
            if (!ended) broken = true;
            readable.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Called when the response is ready: drops queued data. Returns true when the whole body was
     * received, so the connection can be reused for the next request.
     */
    boolean finish() {
        lock.lock();
        try {
            discarding = true;
            for (ByteBuf b : queue) b.release();
            queue.clear();
            queuedBytes = 0;
            return ended && !broken;
        } finally {
            lock.unlock();
        }
    }

    /**
     * After {@link #finish()}: whether more of the body may still arrive, i.e. the connection is
     * intact and the client is not waiting for a {@code 100 Continue} it never got.
     */
    boolean moreMayArrive() {
        lock.lock();
        try {
            return !ended && !broken && (!expectContinue || continueSent);
        } finally {
            lock.unlock();
        }
    }

    // ---- operation side -----------------------------------------------------------------

    @Override
    public long declaredLength() { return declaredLength; }

    @Override
    public boolean framed() { return framed; }

    private void sendContinueOnce() {
        if (expectContinue && !continueSent) {
            continueSent = true;
            channel.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        }
    }

    /** The next chunk, or null at the end of the body. */
    private ByteBuf next() throws IOException {
        lock.lock();
        try {
            sendContinueOnce();
            while (queue.isEmpty() && !ended && !broken) readable.awaitUninterruptibly();
            ByteBuf b = queue.poll();
            if (b != null) {
                queuedBytes -= b.readableBytes();
                if (queuedBytes < LOW_WATER && !ended && !channel.config().isAutoRead()) channel.config().setAutoRead(true);
                return b;
            }
            if (broken) throw OssError.INCOMPLETE_BODY.exception();
            return null;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long transferTo(Sink sink) throws IOException {
        long total = 0;
        for (ByteBuf b; (b = next()) != null; ) {
            try {
                for (ByteBuffer nio : b.nioBuffers()) {
                    total += nio.remaining();
                    sink.accept(nio);
                }
            } finally {
                b.release();
            }
        }
        return total;
    }

    @Override
    public byte[] readSmall(int limit) throws IOException {
        if (declaredLength > limit) throw OssError.ENTITY_TOO_LARGE.exception();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        transferTo(chunk -> {
            if (out.size() + chunk.remaining() > limit) throw OssError.ENTITY_TOO_LARGE.exception();
            byte[] a = new byte[chunk.remaining()];
            chunk.get(a);
            out.write(a);
        });
        return out.toByteArray();
    }
}
