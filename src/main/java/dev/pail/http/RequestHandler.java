package dev.pail.http;

import dev.pail.ops.Dispatcher;
import dev.pail.ops.Response;
import dev.pail.route.Addressing;
import dev.pail.route.OssRequest;
import dev.pail.route.Query;
import dev.pail.xml.ErrorDocument;
import dev.pail.xml.Formats;
import dev.pail.xml.OssError;
import dev.pail.xml.OssException;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One per connection. Turns each HTTP request into an {@link OssRequest}, runs it through the
 * {@link Dispatcher}, and writes the {@link Response}. A body-less read that can be answered from
 * memory is answered right here on the event loop; anything else runs on a virtual thread, and
 * reading stops after its last chunk until its response is out, so requests on a connection are
 * answered in order.
 */
final class RequestHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(RequestHandler.class);
    private static final Logger access = LoggerFactory.getLogger("pail.access");
    /** How long a connection answered early keeps reading and dropping the rest of its request at most. */
    private static final long LINGER_SECONDS = 30;

    private final Dispatcher dispatcher;
    private final Addressing addressing;
    private final ExecutorService executor;
    private final InFlight inFlight;
    private BodyBridge body;
    private boolean onVirtualThread; // a request is being served there: the next one waits its turn
    /** Messages of pipelined requests read while an earlier request is answered (reading is off meanwhile, so few). */
    private final ArrayDeque<Object> waiting = new ArrayDeque<>();
    private boolean lingering; // answered with Connection: close, waiting for the client to finish sending

    RequestHandler(Dispatcher dispatcher, Addressing addressing, ExecutorService executor, InFlight inFlight) {
        this.dispatcher = dispatcher;
        this.addressing = addressing;
        this.executor = executor;
        this.inFlight = inFlight;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        inFlight.touch();
        if (!lingering && (awaitingResponse() || !waiting.isEmpty())) {
            waiting.add(msg); // pipelined behind a request still being answered: its turn comes after that answer
            return;
        }
        handle(ctx, msg);
    }

    /** A request was read whole and is being served on a virtual thread; what follows it waits. */
    private boolean awaitingResponse() {
        return onVirtualThread && body == null;
    }

    /** Serves messages that waited for the answer just written, until one goes to a virtual thread again. */
    private void serveWaiting(ChannelHandlerContext ctx) {
        while (!waiting.isEmpty() && !awaitingResponse() && !lingering) handle(ctx, waiting.poll());
    }

    private void handle(ChannelHandlerContext ctx, Object msg) {
        if (lingering) { // the answer is out: drop the rest of the request, close once it is in
            boolean last = msg instanceof LastHttpContent;
            ReferenceCountUtil.release(msg);
            if (last) ctx.close();
            return;
        }
        if (msg instanceof HttpRequest request) {
            if (request.decoderResult().isFailure()) {
                ReferenceCountUtil.release(msg);
                rejectMalformed(ctx, request);
                return;
            }
            if (!onVirtualThread && servedInMemory(ctx, request)) {
                body = null; // its empty last chunk is dropped below
            } else {
                body = new BodyBridge(ctx.channel(), request);
                BodyBridge current = body;
                inFlight.begin();
                onVirtualThread = true;
                executor.execute(() -> serve(ctx, request, current));
            }
        }
        if (msg instanceof HttpContent content) {
            if (body == null) {
                content.release();
                return;
            }
            body.offer(content);
            if (content instanceof LastHttpContent) {
                ctx.channel().config().setAutoRead(false); // no next request until this one is answered
                body = null;
            }
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        waiting.forEach(ReferenceCountUtil::release);
        waiting.clear();
        if (body != null) body.connectionClosed();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof IOException)) log.warn("connection error", cause);
        ctx.close();
    }

    /** Answers a body-less request on the event loop if {@link Dispatcher#handleInMemory} can; false when it cannot. */
    private boolean servedInMemory(ChannelHandlerContext ctx, HttpRequest request) {
        if (HttpUtil.isTransferEncodingChunked(request) || HttpUtil.getContentLength(request, 0L) != 0) return false;
        long started = System.nanoTime();
        String requestId = requestId();
        boolean head = request.method() == HttpMethod.HEAD;
        Response response;
        try {
            response = dispatcher.handleInMemory(parse(ctx, request, requestId));
            if (response == null) return false;
        } catch (OssException e) {
            response = error(e, requestId, request.headers().get("Host", ""), head);
        } catch (Exception e) {
            return false; // served again on a virtual thread, which reports the failure
        }
        long micros = (System.nanoTime() - started) / 1000;
        inFlight.begin();
        write(ctx, response, requestId, head, HttpUtil.isKeepAlive(request), null, micros);
        if (access.isDebugEnabled()) {
            access.debug("{} {} {} {} {}µs", requestId, request.method(), request.uri(), response.status(), micros);
        }
        return true;
    }

    private void serve(ChannelHandlerContext ctx, HttpRequest request, BodyBridge bridge) {
        long started = System.nanoTime();
        String requestId = requestId();
        String host = request.headers().get("Host", "");
        boolean head = request.method().name().equals("HEAD");
        Response response;
        try {
            response = dispatcher.handle(parse(ctx, request, requestId), bridge);
        } catch (OssException e) {
            response = error(e, requestId, host, head);
        } catch (Exception e) {
            if (isClientGone(e)) {
                bridge.finish();
                ctx.close();
                inFlight.end();
                return;
            }
            log.error("request {} failed: {} {}", requestId, request.method(), request.uri(), e);
            response = error(OssError.INTERNAL_ERROR.exception(), requestId, host, head);
        }
        long micros = (System.nanoTime() - started) / 1000;
        Response r = response;
        // on the event loop: a body-less request's last chunk has been seen there by now
        ctx.executor().execute(() -> {
            onVirtualThread = false; // responses written after this one go out after it
            boolean complete = bridge.finish();
            BodyBridge pending = !complete && bridge.moreMayArrive() ? bridge : null;
            write(ctx, r, requestId, head, complete && HttpUtil.isKeepAlive(request), pending, micros);
        });
        if (access.isDebugEnabled()) {
            access.debug("{} {} {} {} {}µs", requestId, request.method(), request.uri(), response.status(), micros);
        }
    }

    private OssRequest parse(ChannelHandlerContext ctx, HttpRequest request, String requestId) {
        String uri = request.uri();
        int q = uri.indexOf('?');
        String rawPath = q < 0 ? uri : uri.substring(0, q);
        if (rawPath.startsWith("http://") || rawPath.startsWith("https://")) { // absolute-form request target
            int slash = rawPath.indexOf('/', rawPath.indexOf("//") + 2);
            rawPath = slash < 0 ? "/" : rawPath.substring(slash);
        }
        Query query = Query.parse(q < 0 ? null : uri.substring(q + 1));
        SortedMap<String, String> headers = new TreeMap<>();
        for (Map.Entry<String, String> h : request.headers()) {
            headers.merge(h.getKey().toLowerCase(Locale.ROOT), h.getValue(), (a, b) -> a + "," + b);
        }
        String host = headers.get("host");
        Addressing.Target t = addressing.resolve(host, rawPath);
        String ip = ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a.getAddress().getHostAddress() : "";
        return new OssRequest(requestId, request.method().name(), host, t.bucket(), t.key(), query, headers, ip);
    }

    private static Response error(OssException e, String requestId, String host, boolean head) {
        Response r = Response.status(e.error().status());
        e.headers().forEach(r::header);
        if (e.error() == OssError.NOT_MODIFIED) return r;
        byte[] xml = ErrorDocument.render(e, requestId, host);
        r.header("x-oss-ec", e.error().ec());
        if (head) return r.header("x-oss-err", ErrorDocument.headerValue(xml)).header("Content-Length", "0");
        return r.header("Content-Type", "application/xml").body(new Response.Bytes(xml));
    }

    /** @param pending the request's body when the client may still be sending it, else null */
    private void write(ChannelHandlerContext ctx, Response r, String requestId, boolean head, boolean keepAlive,
                       BodyBridge pending, long micros) {
        HttpResponseStatus status = HttpResponseStatus.valueOf(r.status());
        HttpResponse out;
        Response.Body b = r.body();
        if (b instanceof Response.Bytes(byte[] data) && !head) {
            out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(data));
        } else if (b instanceof Response.Files && !head) {
            out = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status);
        } else {
            out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER);
        }
        HttpHeaders h = out.headers();
        h.set("Server", "AliyunOSS");
        h.set("Date", Formats.http(System.currentTimeMillis()));
        h.set("x-oss-request-id", requestId);
        h.set("x-oss-server-time", Long.toString(micros / 1000));
        for (Map.Entry<String, String> e : r.headers().entrySet()) h.set(e.getKey(), e.getValue());
        if (!h.contains("Content-Length") || !head) h.set("Content-Length", Long.toString(b.length()));
        if (r.status() == 304) h.remove("Content-Length");
        h.set("Connection", keepAlive ? "keep-alive" : "close");
        ChannelFuture done;
        if (b instanceof Response.Files files && !head) {
            ctx.write(out);
            for (Response.FileRange f : files.ranges()) {
                ctx.write(new DefaultFileRegion(f.file().toFile(), f.offset(), f.length())); // opened when its turn comes
            }
            done = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        } else {
            done = ctx.writeAndFlush(out);
        }
        if (b instanceof Response.Files files) done.addListener(f -> files.onDone().run());
        done.addListener((ChannelFutureListener) f -> {
            inFlight.end();
            if (f.isSuccess() && pending != null && body == pending) {
                lingerThenClose(ctx); // the rest of the body is still on its way
            } else if (!keepAlive || !f.isSuccess()) {
                f.channel().close();
            } else if (waiting.isEmpty()) {
                if (!awaitingResponse()) f.channel().config().setAutoRead(true); // else that response turns it on
            } else { // later, not inside this write (which may have been made by a request being handled)
                ctx.executor().execute(() -> {
                    serveWaiting(ctx);
                    if (!awaitingResponse()) f.channel().config().setAutoRead(true);
                });
            }
        });
    }

    /** A request the HTTP decoder could not parse: answered with an OSS error, then the connection closes. */
    private void rejectMalformed(ChannelHandlerContext ctx, HttpRequest request) {
        Throwable cause = request.decoderResult().cause();
        OssException e = cause instanceof TooLongFrameException
                ? OssError.REQUEST_HEADER_TOO_LARGE.exception()
                : OssError.INVALID_ARGUMENT.exception("The HTTP request could not be parsed.");
        String requestId = requestId();
        byte[] xml = ErrorDocument.render(e, requestId, "");
        DefaultFullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(e.error().status()), Unpooled.wrappedBuffer(xml));
        out.headers().set("Server", "AliyunOSS").set("Date", Formats.http(System.currentTimeMillis()))
                .set("x-oss-request-id", requestId).set("x-oss-ec", e.error().ec()).set("Content-Type", "application/xml")
                .set("Content-Length", xml.length).set("Connection", "close");
        body = null;
        ctx.writeAndFlush(out).addListener((ChannelFutureListener) f -> {
            if (f.isSuccess()) lingerThenClose(ctx); // the decoder drops whatever else arrives
            else f.channel().close();
        });
    }

    /**
     * Closes a connection whose answer went out while the client may still be sending (an upload
     * refused early, a request the decoder gave up on): output is shut down, and what still arrives
     * is read and dropped until the client is done, so that the kernel never answers unread bytes
     * with a reset that destroys the response before a client that writes its whole body first
     * gets to read it.
     */
    private void lingerThenClose(ChannelHandlerContext ctx) {
        Channel ch = ctx.channel();
        if (!(ch instanceof DuplexChannel duplex) || !ch.isActive()) {
            ch.close();
            return;
        }
        lingering = true;
        duplex.shutdownOutput();
        ch.config().setAutoRead(true);
        ch.eventLoop().schedule(() -> ch.close(), LINGER_SECONDS, TimeUnit.SECONDS);
    }

    private static boolean isClientGone(Exception e) {
        return e instanceof ClosedChannelException
                || (e instanceof IOException io && io.getMessage() != null && io.getMessage().contains("Connection reset"));
    }

    /** 24 upper-case hex digits: the second it was made, then 64 random bits (String.format costs more than the rest of a small GET). */
    static String requestId() {
        java.util.HexFormat hex = java.util.HexFormat.of().withUpperCase();
        return hex.toHexDigits((int) (System.currentTimeMillis() / 1000)) + hex.toHexDigits(ThreadLocalRandom.current().nextLong());
    }
}
