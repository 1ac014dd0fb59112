package dev.pail.it;

import dev.pail.cli.PailServer;
import dev.pail.cli.ServerConfig;
import dev.pail.ops.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real Pail server started in-process on a free loopback port with a fresh data directory, for
 * tests that drive it through the official SDKs over HTTP. One instance is shared per test class
 * (see {@link ServerExtension}).
 */
public final class TestServer implements AutoCloseable {
    public static final String AK = "LTAI5tTestAccessKeyId";
    public static final String SK = "TestAccessKeySecret0123456789ab";
    public static final String STS_AK = "STS.TestTemporaryKey";
    public static final String STS_SK = "TestTemporarySecret9876543210zz";
    public static final String STS_TOKEN = "CAIS+test/token==";

    private final Path dataDir;
    private final PailServer server;

    public TestServer() {
        this(Settings.FIVE_GIB);
    }

    public TestServer(long maxObjectSize) {
        try {
            dataDir = Files.createTempDirectory("pail-it-");
            server = PailServer.start(config(dataDir, 0, maxObjectSize));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static ServerConfig config(Path dataDir, int port, long maxObjectSize) {
        return new ServerConfig("127.0.0.1", port, dataDir, List.of("localhost"), "cn-hangzhou", false, AK, SK,
                List.of(new dev.pail.auth.Credential(STS_AK, STS_SK, STS_TOKEN)), List.of(), maxObjectSize, java.time.Duration.ofDays(7), List.of(), "auto", 64L * 1024 * 1024,
                64L * 1024 * 1024);
    }

    public String endpoint() { return server.endpoint(); }
    public int port() { return server.port(); }
    public Path dataDir() { return dataDir; }

    @Override
    public void close() {
        server.close();
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temporary directory
        }
    }
}
