package dev.pail.it.v2;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A loopback TCP relay in front of the test server that keeps the first bytes of every request
 * stream, so a test can see how an SDK framed its upload (Content-Length vs chunked).
 */
final class RecordingProxy implements AutoCloseable {
    private static final int KEEP = 2048;

    private final ServerSocket listener;
    private final ByteArrayOutputStream seen = new ByteArrayOutputStream();

    RecordingProxy(int targetPort) throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!listener.isClosed()) {
                try {
                    Socket client = listener.accept();
                    Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                    Thread.ofVirtual().start(() -> pump(client, upstream, true));
                    Thread.ofVirtual().start(() -> pump(upstream, client, false));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    String endpoint() { return "http://127.0.0.1:" + listener.getLocalPort(); }

    /** Everything recorded from requests so far, as ISO-8859-1 text (headers are ASCII). */
    String requests() {
        synchronized (seen) {
            return seen.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private void pump(Socket from, Socket to, boolean record) {
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                if (record) {
                    // the start of each read is enough: a fresh connection's first read holds the request head
                    synchronized (seen) {
                        seen.write(buf, 0, Math.min(n, KEEP));
                    }
                }
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException ignored) {
            // connection closed by either side
        } finally {
            try {
                from.close();
                to.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    @Override
    public void close() throws IOException { listener.close(); }
}
