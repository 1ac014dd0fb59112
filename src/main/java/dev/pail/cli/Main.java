package dev.pail.cli;

import dev.pail.auth.Credential;
import dev.pail.ops.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/** {@code pail server ...}: every option also reads a {@code PAIL_*} environment variable. */
@Command(name = "pail", mixinStandardHelpOptions = true, version = "pail 0.1.0",
        description = "An object storage server that speaks the Alibaba Cloud OSS API.",
        subcommands = Main.Server.class)
public final class Main implements Runnable {

    public static void main(String[] args) {
        // SQLite's driver unpacks and compares its native library on every start (a fifth of start-up):
        // begin now, beside argument parsing and logging set-up; the store's first connection waits for it
        Thread.ofPlatform().daemon().name("pail-sqlite-load").start(Main::loadSqlite);
        System.exit(new CommandLine(new Main()).execute(args));
    }

    private static void loadSqlite() {
        try {
            org.sqlite.SQLiteJDBCLoader.initialize();
        } catch (Exception e) {
            // the store's first connection loads it again and reports the failure
        }
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    @Command(name = "server", mixinStandardHelpOptions = true, description = "Start the server.")
    static final class Server implements Callable<Integer> {
        @Option(names = "--host", defaultValue = "${env:PAIL_HOST:-127.0.0.1}", description = "Address to listen on (PAIL_HOST).")
        String host;

        @Option(names = "--port", defaultValue = "${env:PAIL_PORT:-9000}", description = "Port (PAIL_PORT).")
        int port;

        @Option(names = "--data", defaultValue = "${env:PAIL_DATA:-./pail-data}", description = "Data directory (PAIL_DATA).")
        Path data;

        @Option(names = "--domain", split = ",", defaultValue = "${env:PAIL_DOMAINS:-localhost}",
                description = "Base domain(s) for virtual-hosted style <bucket>.<domain> (PAIL_DOMAINS, comma-separated).")
        List<String> domains;

        @Option(names = "--region", defaultValue = "${env:PAIL_REGION:-cn-hangzhou}", description = "Region reported to clients (PAIL_REGION).")
        String region;

        @Option(names = "--fsync", defaultValue = "${env:PAIL_FSYNC:-always}",
                description = "always: an acknowledged write is on disk; never: for throwaway test servers (PAIL_FSYNC).")
        String fsync;

        @Option(names = "--buckets", split = ",", defaultValue = "${env:PAIL_BUCKETS:-}", description = "Buckets to create at start (PAIL_BUCKETS).")
        List<String> buckets;

        @Option(names = "--temporary-key", split = ";", defaultValue = "${env:PAIL_TEMPORARY_KEYS:-}",
                description = "Temporary keys as ID:SECRET:TOKEN; requests must carry the token (PAIL_TEMPORARY_KEYS, ';'-separated).")
        List<String> temporaryKeys;

        @Option(names = "--upload-expiry-hours", defaultValue = "${env:PAIL_UPLOAD_EXPIRY_HOURS:-168}",
                description = "Abort multipart uploads not completed within this many hours (PAIL_UPLOAD_EXPIRY_HOURS).")
        long uploadExpiryHours;

        @Option(names = "--callback-allow", split = ",", defaultValue = "${env:PAIL_CALLBACK_ALLOW:-}",
                description = "Upload-callback targets allowed: host names, IPs, CIDRs (PAIL_CALLBACK_ALLOW). "
                        + "Default: any but link-local and cloud metadata addresses.")
        List<String> callbackAllow;

        @Option(names = "--image-engine", defaultValue = "${env:PAIL_IMAGE_ENGINE:-auto}",
                description = "Image processing engine: auto (libvips when installed, else pure Java), vips or java (PAIL_IMAGE_ENGINE).")
        String imageEngine;

        @Option(names = "--image-cache-mb", defaultValue = "${env:PAIL_IMAGE_CACHE_MB:-64}",
                description = "Memory for processed images kept for reuse, in MB; 0 turns the cache off (PAIL_IMAGE_CACHE_MB).")
        long imageCacheMb;

        @Option(names = "--object-cache-mb", defaultValue = "${env:PAIL_OBJECT_CACHE_MB:-64}",
                description = "Memory for the bytes of small objects (up to 64 KiB) kept for reuse, in MB; 0 turns the cache off "
                        + "(PAIL_OBJECT_CACHE_MB).")
        long objectCacheMb;

        @Override
        public Integer call() throws Exception {
            if (!fsync.equals("always") && !fsync.equals("never")) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--fsync must be 'always' or 'never'");
            }
            ServerConfig config = new ServerConfig(host, port, data, clean(domains), region, fsync.equals("always"),
                    env("PAIL_ACCESS_KEY_ID"), env("PAIL_ACCESS_KEY_SECRET"), parseTemporary(clean(temporaryKeys)), clean(buckets),
                    Settings.FIVE_GIB, Duration.ofHours(uploadExpiryHours), clean(callbackAllow),
                    imageEngine, imageCacheMb * 1024 * 1024, objectCacheMb * 1024 * 1024);
            PailServer server = PailServer.start(config);
            System.out.println(Banner.render(server, config));
            CountDownLatch stop = new CountDownLatch(1);
            // SIGTERM/SIGINT: drain and exit 0 (a shutdown hook alone would exit 143)
            Signal.handle(new Signal("TERM"), s -> stop.countDown());
            Signal.handle(new Signal("INT"), s -> stop.countDown());
            stop.await();
            System.out.println("pail: stopping, draining requests in flight");
            server.close();
            return 0;
        }

        private static String env(String name) {
            String v = System.getenv(name);
            return v == null || v.isBlank() ? null : v.trim();
        }

        private static List<String> clean(List<String> values) {
            List<String> out = new ArrayList<>();
            if (values != null) for (String v : values) if (v != null && !v.isBlank()) out.add(v.trim());
            return out;
        }

        private List<Credential> parseTemporary(List<String> specs) {
            List<Credential> out = new ArrayList<>();
            for (String s : specs) {
                String[] p = s.split(":", 3);
                if (p.length != 3 || Arrays.stream(p).anyMatch(String::isEmpty)) {
                    throw new CommandLine.ParameterException(new CommandLine(this), "--temporary-key wants ID:SECRET:TOKEN");
                }
                out.add(new Credential(p[0], p[1], p[2]));
            }
            return out;
        }
    }
}
