package dev.pail.it;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A loopback HTTP/1.1 relay in front of a test server that understands request framing, so it can
 * count every request an SDK puts on the wire (keep-alive connections included) and, on demand,
 * cut the connection instead of forwarding a request: the SDK sees a reset socket exactly as it
 * would on a network failure, in the middle of a transfer.
 *
 * <p>Only the request direction is parsed (request head, then a Content-Length or chunked body);
 * responses are relayed byte for byte. Without pipelining a client sends its next request on a
 * connection only after reading the previous response, so this is enough to frame requests.
 *
 * <p>It also records the raw bytes of every forwarded request (the head and the first
 * {@value #KEEP_BODY} bytes of its body, as framed on the wire), see {@link #rawRequests()}, so a
 * test can see how an SDK framed its upload (Content-Length vs chunked) or what a body held.
 */
public final class WireProxy implements AutoCloseable {

    /** One request seen on the wire. */
    public record Request(int seq, String method, String target, Map<String, String> headers, boolean killed) {
        public String path() {
            int q = target.indexOf('?');
            return q < 0 ? target : target.substring(0, q);
        }

        /** Decoded query parameters (a bare {@code ?uploads} maps to ""). */
        public Map<String, String> query() {
            Map<String, String> out = new LinkedHashMap<>();
            int q = target.indexOf('?');
            if (q < 0) return out;
            for (String p : target.substring(q + 1).split("&")) {
                if (p.isEmpty()) continue;
                int eq = p.indexOf('=');
                String k = URLDecoder.decode(eq < 0 ? p : p.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(p.substring(eq + 1), StandardCharsets.UTF_8);
                out.put(k, v);
            }
            return out;
        }

        public String header(String name) { return headers.get(name.toLowerCase(Locale.ROOT)); }

        public boolean forwarded() { return !killed; }

        public boolean isUploadPart() {
            return method.equals("PUT") && query().containsKey("partNumber") && query().containsKey("uploadId");
        }

        public int partNumber() { return Integer.parseInt(query().get("partNumber")); }

        public boolean isInitiate() { return method.equals("POST") && query().containsKey("uploads"); }

        public boolean isComplete() { return method.equals("POST") && query().containsKey("uploadId"); }

        public boolean isListParts() { return method.equals("GET") && query().containsKey("uploadId"); }

        public boolean isRangedGet() { return method.equals("GET") && header("range") != null; }

        public boolean isGet() { return method.equals("GET") && !query().containsKey("uploadId") && !query().containsKey("uploads"); }

        public boolean chunked() {
            String te = header("transfer-encoding");
            return te != null && te.toLowerCase(Locale.ROOT).contains("chunked");
        }

        @Override
        public String toString() {
            return (killed ? "KILLED " : "") + method + " " + target + (header("range") != null ? " Range=" + header("range") : "");
        }
    }

    /** Body bytes recorded per request by {@link #rawRequests()}. */
    public static final int KEEP_BODY = 4096;

    private final int targetPort;
    private final ByteArrayOutputStream raw = new ByteArrayOutputStream();
    private final ServerSocket listener;
    private final List<Request> seen = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger seq = new AtomicInteger();
    private final List<Socket> open = Collections.synchronizedList(new ArrayList<>());
    private final Object ruleLock = new Object();
    private Predicate<Request> matcher = r -> false;
    private int allowance = Integer.MAX_VALUE;

    public WireProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        listener = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("wire-proxy-accept").start(this::acceptLoop);
    }

    /** {@code http://127.0.0.1:<port>} */
    public String endpoint() { return "http://127.0.0.1:" + listener.getLocalPort(); }

    public int port() { return listener.getLocalPort(); }

    /**
     * From now on, forwards the first {@code allowed} requests matching {@code rule} and cuts the
     * connection of every later one (until {@link #heal()}), so client retries fail too.
     */
    public void killAfter(Predicate<Request> rule, int allowed) {
        synchronized (ruleLock) {
            matcher = rule;
            allowance = allowed;
        }
    }

    /** Forwards everything again. */
    /**
     * Stops killing connections, once the interrupted transfer's traffic has settled: its client
     * may still retry a killed request from a background thread after the transfer failed, and that
     * straggler must not reach the server or count as part of the next transfer.
     */
    public void heal() {
        awaitQuiet(300);
        synchronized (ruleLock) {
            matcher = r -> false;
            allowance = Integer.MAX_VALUE;
        }
    }

    /** Every request seen so far, in arrival order. */
    public List<Request> requests() {
        synchronized (seen) {
            return List.copyOf(seen);
        }
    }

    public List<Request> requests(Predicate<Request> p) {
        return requests().stream().filter(p).toList();
    }

    /** The raw bytes recorded from the forwarded requests so far, as ISO-8859-1 text (heads are ASCII). */
    public String rawRequests() {
        synchronized (raw) {
            return raw.toString(StandardCharsets.ISO_8859_1);
        }
    }

    /** Forgets the requests seen so far (the kill rule is kept). */
    public void clear() { seen.clear(); }

    /** Waits until no request has arrived for {@code quietMillis} (at most 10 s). */
    private void awaitQuiet(long quietMillis) {
        long deadline = System.currentTimeMillis() + 10_000;
        int count = seen.size();
        long since = System.currentTimeMillis();
        while (System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (seen.size() != count) {
                count = seen.size();
                since = System.currentTimeMillis();
            } else if (System.currentTimeMillis() - since >= quietMillis) {
                return;
            }
        }
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                open.add(client);
                Thread.ofVirtual().name("wire-proxy-conn").start(() -> serve(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private boolean decideKill(Request probe) {
        synchronized (ruleLock) {
            if (!matcher.test(probe)) return false;
            if (allowance > 0) {
                allowance--;
                return false;
            }
            return true;
        }
    }

    private void serve(Socket client) {
        Socket upstream = null;
        try (client) {
            InputStream in = new BufferedInputStream(client.getInputStream(), 64 * 1024);
            OutputStream out = null;
            while (true) {
                byte[] head = readHead(in);
                if (head == null) return;
                Request r = parse(head, false);
                boolean kill = decideKill(r);
                if (kill) {
                    seen.add(new Request(seq.incrementAndGet(), r.method(), r.target(), r.headers(), true));
                    client.setSoLinger(true, 0); // reset, as a dropped network path would
                    return;
                }
                seen.add(new Request(seq.incrementAndGet(), r.method(), r.target(), r.headers(), false));
                if (upstream == null) {
                    upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                    open.add(upstream);
                    Socket up = upstream;
                    Thread.ofVirtual().name("wire-proxy-resp").start(() -> pumpResponses(up, client));
                    out = upstream.getOutputStream();
                }
                OutputStream rec = recording(out, head.length + KEEP_BODY);
                rec.write(head);
                relayBody(r, in, rec);
                rec.flush();
            }
        } catch (IOException ignored) {
            // either side went away
        } finally {
            closeQuietly(upstream);
        }
    }

    /** {@code out}, also copying the first {@code limit} bytes written into {@link #rawRequests()}. */
    private OutputStream recording(OutputStream out, int limit) {
        return new java.io.FilterOutputStream(out) {
            private int left = limit;

            @Override
            public void write(int b) throws IOException {
                if (left > 0) {
                    synchronized (raw) {
                        raw.write(b);
                    }
                    left--;
                }
                out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                int keep = Math.min(len, left);
                if (keep > 0) {
                    synchronized (raw) {
                        raw.write(b, off, keep);
                    }
                    left -= keep;
                }
                out.write(b, off, len);
            }
        };
    }

    /**
     * Relays responses. When the server ends its side (it answered early and lingers to drain the
     * rest of an upload), only the client's output is shut: the request body keeps flowing to the
     * server, as it would on a direct connection, instead of being reset by the proxy.
     */
    private static void pumpResponses(Socket upstream, Socket client) {
        byte[] buf = new byte[64 * 1024];
        try {
            InputStream in = upstream.getInputStream();
            OutputStream out = client.getOutputStream();
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
                out.flush();
            }
            client.shutdownOutput();
        } catch (IOException e) {
            closeQuietly(client);
            closeQuietly(upstream);
        }
    }

    /** The request head up to and including the blank line, or null at a clean end of stream. */
    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(1024);
        int state = 0; // matched characters of \r\n\r\n
        while (true) {
            int c = in.read();
            if (c < 0) {
                if (b.size() == 0) return null;
                throw new IOException("connection closed inside a request head");
            }
            b.write(c);
            if ((state == 0 || state == 2) && c == '\r') state++;
            else if ((state == 1 || state == 3) && c == '\n') state++;
            else state = c == '\r' ? 1 : 0;
            if (state == 4) return b.toByteArray();
            if (b.size() > 256 * 1024) throw new IOException("request head too large");
        }
    }

    private static Request parse(byte[] head, boolean killed) {
        String[] lines = new String(head, StandardCharsets.ISO_8859_1).split("\r\n");
        String[] first = lines[0].split(" ");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) continue;
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        return new Request(0, first[0], first.length > 1 ? first[1] : "", Map.copyOf(headers), killed);
    }

    private static void relayBody(Request r, InputStream in, OutputStream out) throws IOException {
        if (r.chunked()) {
            while (true) {
                String sizeLine = readLine(in, out);
                int semi = sizeLine.indexOf(';');
                long size = Long.parseLong((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
                if (size == 0) {
                    // trailers, up to an empty line
                    while (!readLine(in, out).isEmpty()) {
                        // relayed by readLine
                    }
                    return;
                }
                copy(in, out, size);
                readLine(in, out); // CRLF after the chunk data
            }
        }
        String cl = r.header("content-length");
        if (cl != null) copy(in, out, Long.parseLong(cl.trim()));
    }

    /** Reads one CRLF-terminated line, relays it, and returns it without the CRLF. */
    private static String readLine(InputStream in, OutputStream out) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(32);
        int prev = -1;
        while (true) {
            int c = in.read();
            if (c < 0) throw new IOException("connection closed inside a chunked body");
            b.write(c);
            if (prev == '\r' && c == '\n') break;
            prev = c;
        }
        byte[] line = b.toByteArray();
        out.write(line);
        return new String(line, 0, line.length - 2, StandardCharsets.ISO_8859_1);
    }

    private static void copy(InputStream in, OutputStream out, long n) throws IOException {
        byte[] buf = new byte[64 * 1024];
        while (n > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, n));
            if (r < 0) throw new IOException("connection closed inside a request body");
            out.write(buf, 0, r);
            n -= r;
        }
    }

    private static void closeQuietly(Socket s) {
        if (s == null) return;
        try {
            s.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        synchronized (open) {
            for (Socket s : open) closeQuietly(s);
        }
    }
}
