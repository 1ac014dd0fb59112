package dev.pail.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code pail server} as a separate JVM started from the test class path, so that it can be killed
 * with SIGKILL or stopped with SIGTERM like a real deployment. Standard output and error go to files.
 */
public final class ServerProcess implements AutoCloseable {
    public static final String AK = "LTAI5tCrashTestKeyId0000";
    public static final String SK = "CrashTestSecret0123456789abcdef";
    /** Created at every start. */
    public static final String BUCKET = "crash";

    private final Process process;
    private final int port;
    private final Path stdout;
    private final Path stderr;

    private ServerProcess(Path dataDir, Map<String, String> env, List<String> extraArgs) throws IOException {
        port = freePort();
        List<String> cmd = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElseThrow(),
                "-cp", System.getProperty("java.class.path"),
                "--enable-native-access=ALL-UNNAMED",
                "-Xmx512m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", // start quickly
                "dev.pail.cli.Main", "server",
                "--host", "127.0.0.1", "--port", Integer.toString(port), "--data", dataDir.toString(),
                "--fsync", "always", "--buckets", BUCKET));
        cmd.addAll(extraArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        // nothing from the environment of the test run may configure this server
        pb.environment().keySet().removeIf(k -> k.startsWith("PAIL_"));
        pb.environment().putAll(env);
        // to files, not pipes: a pipe's last output can be lost when the JDK drains it at process exit
        Path logs = Files.createTempDirectory("pail-process-");
        stdout = logs.resolve("stdout.txt");
        stderr = logs.resolve("stderr.txt");
        for (Path p : List.of(logs, stdout, stderr)) p.toFile().deleteOnExit(); // deleted in reverse order
        pb.redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        process = pb.start();
    }

    /** Starts a server with the test access key in its environment and extra command-line options. */
    public static ServerProcess start(Path dataDir, String... extraArgs) throws IOException {
        return start(dataDir, Map.of("PAIL_ACCESS_KEY_ID", AK, "PAIL_ACCESS_KEY_SECRET", SK), extraArgs);
    }

    public static ServerProcess start(Path dataDir, Map<String, String> env, String... extraArgs) throws IOException {
        ServerProcess p = new ServerProcess(dataDir, env, List.of(extraArgs));
        p.awaitReady(Duration.ofSeconds(20));
        return p;
    }

    /** A Java SDK client (V1 signatures) with the test key. */
    public com.aliyun.oss.OSS client() {
        return new com.aliyun.oss.OSSClientBuilder().build(endpoint(), AK, SK, new com.aliyun.oss.ClientBuilderConfiguration());
    }

    public int port() { return port; }

    public String endpoint() { return "http://127.0.0.1:" + port; }

    public Process process() { return process; }

    public String stdout() { return read(stdout); }

    public String stderr() { return read(stderr); }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Output for assertion messages. */
    public String describe() {
        return "\n--- stdout ---\n" + stdout() + "\n--- stderr ---\n" + tail(stderr(), 6000);
    }

    /** Waits for {@code GET /-/health} to answer 200 and for the banner to be printed. */
    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest health = HttpRequest.newBuilder(URI.create(endpoint() + "/-/health")).timeout(Duration.ofSeconds(2)).build();
        boolean healthy = false;
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofMillis(500)).build()) {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) throw new AssertionError("server exited with " + process.exitValue() + describe());
                if (!healthy) {
                    try {
                        healthy = http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                    } catch (IOException e) {
                        // not listening yet
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    }
                }
                if (healthy && stdout().contains("/-/health")) return;
                sleep(50);
            }
        }
        close();
        throw new AssertionError("server not ready within " + timeout + describe());
    }

    /** SIGKILL; returns once the process is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) throw new AssertionError("killed server still running");
    }

    /** SIGTERM; returns the exit code once the process has exited and its output is read. */
    public int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        return awaitExit(timeout);
    }

    /** Waits for the process to exit (after a signal sent elsewhere); returns its exit code. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("server did not exit within " + timeout + " of SIGTERM" + describe());
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String tail(String s, int n) {
        return s.length() <= n ? s : "..." + s.substring(s.length() - n);
    }
}
