package dev.pail.callback;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One HTTP/1.1 POST over a socket Pail opens itself to an address it has already checked.
 *
 * <p>Why not {@code java.net.http.HttpClient}: it resolves the URL host itself (a second lookup
 * after the policy check, the DNS-rebinding gap), refuses a caller-set {@code Host} header unless
 * the JVM-wide {@code jdk.httpclient.allowRestrictedHeaders} property is set before its classes
 * load, and ties TLS server name and certificate checks to the URL host. Here the socket connects to
 * the checked {@link InetAddress}; the request line, {@code Host} header, TLS server name and
 * certificate host name are all chosen explicitly. No redirects are followed, no retries made,
 * {@code Connection: close} on every request.
 *
 * <p>Every blocking step (connect, TLS handshake, write, each read) is bounded by one deadline: the
 * socket read timeout is set to the time left before each read, and a watchdog closes the socket
 * when the deadline passes (which also ends a stalled write).
 */
final class CallbackHttp {
    private CallbackHttp() {}

    /** Largest response body accepted (OSS: 1 MB). */
    static final int MAX_BODY = 1024 * 1024;
    /** Largest response header section accepted. */
    static final int MAX_HEAD = 64 * 1024;

    /** A response that arrived completely; {@code body} is null when the status was not 200. */
    record Response(int status, byte[] body) {}

    /** The exchange failed; the message is what the client sees in the CallbackFailed error. */
    static final class Failure extends Exception {
        /** The deadline passed. */
        final boolean timeout;
        /** No connection could be made (another address of the host may do better). */
        final boolean connect;

        Failure(String message, boolean timeout) { this(message, timeout, false); }

        Failure(String message, boolean timeout, boolean connect) {
            super(message, null, false, false);
            this.timeout = timeout;
            this.connect = connect;
        }
    }

    static final String TIMEOUT = "Cost too long time";

    /**
     * Connects to {@code address}, sends {@code head} + {@code body}, reads the response.
     *
     * @param tlsName for https: the name the certificate must match, and the SNI name when
     *                {@code sni} (never sent for IP literals)
     */
    static Response post(InetAddress address, Callback.Target target, String tlsName, boolean sni, SSLContext ssl,
                         byte[] head, byte[] body, long deadline) throws Failure {
        Socket plain = new Socket();
        Watchdog dog = new Watchdog(plain, deadline);
        Socket socket = plain;
        try {
            plain.setTcpNoDelay(true);
            try {
                plain.connect(new InetSocketAddress(address, target.port()), timeoutMillis(deadline));
            } catch (SocketTimeoutException e) {
                throw e;
            } catch (IOException e) {
                if (dog.fired() || System.nanoTime() - deadline >= 0) throw new Failure(TIMEOUT, true);
                throw new Failure(describe(e), false, true);
            }
            if (target.https()) {
                SSLSocket tls = (SSLSocket) ssl.getSocketFactory().createSocket(plain, tlsName, target.port(), true);
                SSLParameters p = tls.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS");
                p.setServerNames(sni ? serverName(tlsName) : List.of()); // empty: no SNI extension
                tls.setSSLParameters(p);
                plain.setSoTimeout(timeoutMillis(deadline));
                tls.startHandshake();
                socket = tls;
            }
            OutputStream out = socket.getOutputStream();
            out.write(head);
            out.write(body);
            out.flush();
            return read(new BufferedInputStream(new DeadlineInput(socket, deadline), 8192));
        } catch (Failure f) {
            throw f;
        } catch (SocketTimeoutException e) {
            throw new Failure(TIMEOUT, true);
        } catch (IOException | RuntimeException e) {
            if (dog.fired() || System.nanoTime() - deadline >= 0) throw new Failure(TIMEOUT, true);
            throw new Failure(describe(e), false);
        } finally {
            dog.stop();
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    private static Response read(InputStream in) throws IOException, Failure {
        int[] headBudget = {MAX_HEAD};
        while (true) {
            String statusLine = line(in, headBudget);
            if (statusLine == null) throw new Failure("The callback server closed the connection without a response.", false);
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || parts[1].length() != 3 || !parts[1].chars().allMatch(Character::isDigit)) {
                throw new Failure("The callback server did not answer with HTTP/1.x.", false);
            }
            int status = Integer.parseInt(parts[1]);
            long contentLength = -1;
            boolean chunked = false;
            while (true) {
                String h = line(in, headBudget);
                if (h == null) throw new Failure("The callback server closed the connection in the middle of the response.", false);
                if (h.isEmpty()) break;
                int colon = h.indexOf(':');
                if (colon <= 0) continue;
                String name = h.substring(0, colon).strip().toLowerCase(Locale.ROOT);
                String value = h.substring(colon + 1).strip();
                if (name.equals("content-length")) {
                    try {
                        long v = Long.parseLong(value);
                        if (v < 0 || (contentLength >= 0 && contentLength != v)) throw new NumberFormatException();
                        contentLength = v;
                    } catch (NumberFormatException e) {
                        throw new Failure("The callback server returned an invalid Content-Length.", false);
                    }
                } else if (name.equals("transfer-encoding")) {
                    chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                }
            }
            if (status >= 100 && status < 200) continue; // interim response
            if (status != 200) return new Response(status, null);
            if (chunked) return new Response(status, chunked(in, headBudget));
            if (contentLength > MAX_BODY) {
                throw new Failure("Error status : 400.User server return too long content-length value (" + contentLength
                        + " bytes; at most " + MAX_BODY + ").", false);
            }
            byte[] body = contentLength >= 0 ? exactly(in, (int) contentLength) : untilClose(in);
            return new Response(status, body);
        }
    }

    private static byte[] exactly(InputStream in, int n) throws IOException, Failure {
        byte[] b = new byte[n];
        int off = 0;
        while (off < n) {
            int r = in.read(b, off, n - off);
            if (r < 0) throw new Failure("The callback server closed the connection before sending the whole body.", false);
            off += r;
        }
        return b;
    }

    private static byte[] untilClose(InputStream in) throws IOException, Failure {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        while (true) {
            int r = in.read(buf);
            if (r < 0) return out.toByteArray();
            out.write(buf, 0, r);
            if (out.size() > MAX_BODY) throw new Failure("The callback response body is larger than " + MAX_BODY + " bytes.", false);
        }
    }

    private static byte[] chunked(InputStream in, int[] headBudget) throws IOException, Failure {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = line(in, headBudget);
            if (sizeLine == null) throw new Failure("The callback server closed the connection in the middle of a chunked body.", false);
            int semi = sizeLine.indexOf(';');
            long size;
            try {
                size = Long.parseLong((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).strip(), 16);
            } catch (NumberFormatException e) {
                throw new Failure("The callback server sent a malformed chunked body.", false);
            }
            if (size < 0 || out.size() + size > MAX_BODY) {
                throw new Failure("The callback response body is larger than " + MAX_BODY + " bytes.", false);
            }
            if (size == 0) {
                String trailer;
                do {
                    trailer = line(in, headBudget);
                } while (trailer != null && !trailer.isEmpty());
                return out.toByteArray();
            }
            out.writeBytes(exactly(in, (int) size));
            String crlf = line(in, headBudget);
            if (crlf == null || !crlf.isEmpty()) throw new Failure("The callback server sent a malformed chunked body.", false);
        }
    }

    /** One header line without its CR LF (a bare LF is accepted), or null at end of stream. */
    private static String line(InputStream in, int[] budget) throws IOException, Failure {
        StringBuilder b = new StringBuilder(64);
        while (true) {
            int c = in.read();
            if (c < 0) return b.isEmpty() ? null : b.toString();
            if (--budget[0] < 0) throw new Failure("The callback response header is larger than " + MAX_HEAD + " bytes.", false);
            if (c == '\n') {
                int len = b.length();
                if (len > 0 && b.charAt(len - 1) == '\r') b.setLength(len - 1);
                return b.toString();
            }
            b.append((char) c);
        }
    }

    /** Milliseconds left before {@code deadline} (System.nanoTime based), at least 1; a timeout when none are left. */
    static int timeoutMillis(long deadline) throws SocketTimeoutException {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) throw new SocketTimeoutException();
        return (int) Math.min(Integer.MAX_VALUE, left);
    }

    /** The SNI list for {@code name}: empty for IP literals and names SNI cannot carry. */
    private static List<SNIServerName> serverName(String name) {
        if (isIpLiteral(name)) return List.of();
        try {
            return List.of(new SNIHostName(name));
        } catch (IllegalArgumentException e) {
            return List.of();
        }
    }

    static boolean isIpLiteral(String host) {
        return host.indexOf(':') >= 0 || host.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '.');
    }

    /** A short, OSS-like description of a connection failure. */
    private static String describe(Exception e) {
        String m = e.getMessage();
        if (e instanceof java.net.ConnectException) return m == null || m.isEmpty() ? "Connection refused" : m;
        if (e instanceof javax.net.ssl.SSLException) return "TLS handshake with the callback server failed: " + m;
        String kind = e.getClass().getSimpleName();
        return m == null || m.isEmpty() ? kind : kind + ": " + m;
    }

    /** The socket's input with the read timeout set to the time left before each read. */
    private static final class DeadlineInput extends InputStream {
        private final Socket socket;
        private final InputStream in;
        private final long deadline;

        DeadlineInput(Socket socket, long deadline) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.deadline = deadline;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            socket.setSoTimeout(timeoutMillis(deadline));
            return in.read(b, off, len);
        }
    }

    /** Closes the socket when the deadline passes. */
    private static final class Watchdog {
        private final Thread thread;
        private volatile boolean fired;

        Watchdog(Socket socket, long deadline) {
            thread = Thread.ofVirtual().name("pail-callback-watchdog").start(() -> {
                try {
                    long left;
                    while ((left = deadline - System.nanoTime()) > 0) TimeUnit.NANOSECONDS.sleep(left);
                    fired = true;
                    socket.close();
                } catch (InterruptedException | IOException ignored) {
                    // stopped: the exchange finished in time
                }
            });
        }

        boolean fired() { return fired; }

        void stop() { thread.interrupt(); }
    }

    static byte[] ascii(String s) { return s.getBytes(StandardCharsets.ISO_8859_1); }
}
