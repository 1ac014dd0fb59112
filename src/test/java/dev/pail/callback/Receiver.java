package dev.pail.callback;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;

/** A real callback receiver on 127.0.0.1 that records what it gets and answers as told. */
final class Receiver implements AutoCloseable {
    /** One received request: raw path and query as on the request line, lower-case header names. */
    record Received(String method, String rawPath, String rawQuery, Map<String, String> headers, byte[] body) {
        String header(String name) { return headers.get(name); }
        String bodyText() { return new String(body, StandardCharsets.UTF_8); }
    }

    volatile int status = 200;
    volatile byte[] answer = "{\"Status\":\"OK\"}".getBytes(StandardCharsets.UTF_8);
    volatile long delayMillis;
    volatile boolean chunked;
    final List<Received> received = new CopyOnWriteArrayList<>();
    /** TLS server names the receiver was sent (https only). */
    final List<String> sniSeen = new CopyOnWriteArrayList<>();
    private final HttpServer server;

    Receiver() { this(null); }

    /** With {@code tls}, an HTTPS receiver. */
    Receiver(SSLContext tls) {
        try {
            InetSocketAddress at = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
            if (tls == null) {
                server = HttpServer.create(at, 0);
            } else {
                HttpsServer s = HttpsServer.create(at, 0);
                s.setHttpsConfigurator(new HttpsConfigurator(tls) {
                    @Override
                    public void configure(com.sun.net.httpserver.HttpsParameters params) {
                        javax.net.ssl.SSLParameters sp = tls.getDefaultSSLParameters();
                        sp.setSNIMatchers(List.of(new javax.net.ssl.SNIMatcher(javax.net.ssl.StandardConstants.SNI_HOST_NAME) {
                            @Override
                            public boolean matches(javax.net.ssl.SNIServerName name) {
                                sniSeen.add(((javax.net.ssl.SNIHostName) name).getAsciiName());
                                return true;
                            }
                        }));
                        params.setSSLParameters(sp);
                    }
                });
                server = s;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    int port() { return server.getAddress().getPort(); }

    String url(String pathAndQuery) { return "http://127.0.0.1:" + port() + pathAndQuery; }

    Received only() {
        if (received.size() != 1) throw new AssertionError("expected one request, got " + received.size());
        return received.getFirst();
    }

    private void handle(HttpExchange x) throws IOException {
        Map<String, String> headers = new TreeMap<>();
        x.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), String.join(",", v)));
        byte[] body = x.getRequestBody().readAllBytes();
        received.add(new Received(x.getRequestMethod(), x.getRequestURI().getRawPath(), x.getRequestURI().getRawQuery(), headers, body));
        if (delayMillis > 0) {
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] a = answer;
        x.getResponseHeaders().set("Content-Type", "application/json");
        try {
            x.sendResponseHeaders(status, chunked ? 0 : a.length == 0 ? -1 : a.length);
            x.getResponseBody().write(a);
        } catch (IOException ignored) {
            // the caller gave up (timeout tests)
        }
        x.close();
    }

    @Override
    public void close() { server.stop(0); }
}
