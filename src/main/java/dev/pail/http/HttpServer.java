package dev.pail.http;

import dev.pail.ops.Dispatcher;
import dev.pail.route.Addressing;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Netty server: epoll where available, an HTTP/1.1 codec, and one {@link RequestHandler} per connection. */
public final class HttpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HttpServer.class);

    /** Request line (a 1023-byte key percent-encoded, plus a presigned query) and header limits. */
    private static final int MAX_INITIAL_LINE = 16 * 1024;
    private static final int MAX_HEADER_SIZE = 16 * 1024;
    private static final int MAX_CHUNK = 256 * 1024;

    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final InFlight inFlight = new InFlight();
    private final Channel serverChannel;

    public HttpServer(String host, int port, Dispatcher dispatcher, Addressing addressing) throws InterruptedException {
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        boss = new MultiThreadIoEventLoopGroup(1, io);
        workers = new MultiThreadIoEventLoopGroup(0, io);
        HttpDecoderConfig decoder = new HttpDecoderConfig()
                .setMaxInitialLineLength(MAX_INITIAL_LINE)
                .setMaxHeaderSize(MAX_HEADER_SIZE)
                .setMaxChunkSize(MAX_CHUNK);
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(channelType)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast("http", new HttpServerCodec(decoder))
                                .addLast("pail", new RequestHandler(dispatcher, addressing, executor, inFlight));
                    }
                });
        serverChannel = b.bind(host, port).sync().channel();
        log.debug("listening on {} ({})", serverChannel.localAddress(), epoll ? "epoll" : "nio");
    }

    public int port() { return ((InetSocketAddress) serverChannel.localAddress()).getPort(); }

    /** Stops accepting connections, waits up to {@code grace} for requests in flight, then stops. */
    public void shutdown(Duration grace) {
        serverChannel.close().awaitUninterruptibly();
        try {
            if (!inFlight.awaitIdle(grace, Duration.ofMillis(500))) log.warn("shutting down with requests still in flight");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workers.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).awaitUninterruptibly();
        boss.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).awaitUninterruptibly();
        executor.shutdownNow();
    }

    @Override
    public void close() { shutdown(Duration.ofSeconds(10)); }
}
