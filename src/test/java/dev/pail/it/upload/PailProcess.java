package dev.pail.it.upload;

import com.aliyun.oss.ClientBuilderConfiguration;
import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
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
import java.util.concurrent.TimeUnit;

/**
 * {@code pail server} in its own JVM (like dev.pail.it.crash.ServerProcess, which is not visible
 * here, plus extra command-line options), so that a test can SIGKILL it and restart it on the same
 * data directory. Output goes to files that are shown when something fails.
 */
final class PailProcess implements AutoCloseable {
    static final String AK = "LTAI5tUploadTestKeyId000";
    static final String SK = "UploadTestSecret0123456789abcdef";
    static final String BUCKET = "uploads";

    private final Process process;
    private final int port;
    private final Path stdout;
    private final Path stderr;

    private PailProcess(Path dataDir, List<String> extraArgs) throws IOException {
        port = freePort();
        List<String> cmd = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElseThrow(),
                "-cp", System.getProperty("java.class.path"),
                "--enable-native-access=ALL-UNNAMED",
                "-Xmx512m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "dev.pail.cli.Main", "server",
                "--host", "127.0.0.1", "--port", Integer.toString(port), "--data", dataDir.toString(),
                "--fsync", "always", "--buckets", BUCKET));
        cmd.addAll(extraArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().keySet().removeIf(k -> k.startsWith("PAIL_"));
        pb.environment().put("PAIL_ACCESS_KEY_ID", AK);
        pb.environment().put("PAIL_ACCESS_KEY_SECRET", SK);
        Path logs = Files.createTempDirectory("pail-upload-process-");
        stdout = logs.resolve("stdout.txt");
        stderr = logs.resolve("stderr.txt");
        for (Path p : List.of(logs, stdout, stderr)) p.toFile().deleteOnExit();
        pb.redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        process = pb.start();
    }

    static PailProcess start(Path dataDir, String... extraArgs) throws IOException {
        PailProcess p = new PailProcess(dataDir, List.of(extraArgs));
        p.awaitReady(Duration.ofSeconds(20));
        return p;
    }

    int port() { return port; }

    String endpoint() { return "http://127.0.0.1:" + port; }

    /** A J1 client (V1 signatures) for this server. */
    OSS client() {
        return new OSSClientBuilder().build(endpoint(), AK, SK, new ClientBuilderConfiguration());
    }

    String describe() {
        return "\n--- stdout ---\n" + read(stdout) + "\n--- stderr ---\n" + read(stderr);
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest health = HttpRequest.newBuilder(URI.create(endpoint() + "/-/health")).timeout(Duration.ofSeconds(2)).build();
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofMillis(500)).build()) {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) throw new AssertionError("server exited with " + process.exitValue() + describe());
                try {
                    if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) return;
                } catch (IOException e) {
                    // not listening yet
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
                sleep(50);
            }
        }
        close();
        throw new AssertionError("server not ready within " + timeout + describe());
    }

    /** SIGKILL; returns once the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) throw new AssertionError("killed server still running");
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

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
