package dev.pail.cli;

import dev.pail.auth.Authenticator;
import dev.pail.auth.Credential;
import dev.pail.auth.V1Signer;
import dev.pail.callback.CallbackPolicy;
import dev.pail.callback.CallbackService;
import dev.pail.http.HttpServer;
import dev.pail.image.ImageEngine;
import dev.pail.image.ImageEngines;
import dev.pail.ops.Dispatcher;
import dev.pail.ops.Names;
import dev.pail.ops.Settings;
import dev.pail.ops.UploadCallbacks;
import dev.pail.route.Addressing;
import dev.pail.route.Router;
import dev.pail.store.BlobStore;
import dev.pail.store.BucketRecord;
import dev.pail.store.MetadataStore;
import dev.pail.store.SqliteMetadataStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Pail: storage opened and reconciled, then the HTTP server. Used by the CLI and by tests
 * that start a server in-process.
 */
public final class PailServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PailServer.class);
    /** Present only while the server runs; missing at start means the last run did not stop cleanly. */
    private static final String RUNNING_MARKER = "running";

    private final ServerConfig config;
    private final MetadataStore meta;
    private final HttpServer http;
    private final Keys.Loaded keys;
    private final Path marker;
    private final Thread janitor;
    private final ImageEngine imageEngine;
    private boolean closed;

    private PailServer(ServerConfig config) throws IOException, InterruptedException {
        this.config = config;
        Path data = config.dataDir();
        Files.createDirectories(data);
        marker = data.resolve(RUNNING_MARKER);
        keys = Keys.load(config);
        meta = new SqliteMetadataStore(data.resolve("meta.db"), config.fsync());
        BlobStore blobs = new BlobStore(data, config.fsync(), config.objectCacheBytes(), meta);
        boolean uncleanStop = Files.exists(marker);
        int swept = blobs.sweep(uncleanStop ? meta.referencedBlobs() : null);
        if (swept > 0) log.info("removed {} unreferenced blob file(s) left by an interrupted run", swept);
        Files.writeString(marker, Long.toString(ProcessHandle.current().pid()));

        String ownerId = ownerId(keys.credential().accessKeyId());
        for (String b : config.buckets()) {
            Names.checkBucket(b);
            meta.createBucket(new BucketRecord(b, System.currentTimeMillis(), "private", "Standard", "LRS"));
        }
        Map<String, Credential> credentials = new HashMap<>();
        credentials.put(keys.credential().accessKeyId(), keys.credential());
        for (Credential c : config.temporaryKeys()) credentials.put(c.accessKeyId(), c);
        Authenticator auth = new Authenticator(id -> Optional.ofNullable(credentials.get(id)), Clock.systemUTC());
        Settings settings = new Settings(config.region(), ownerId, config.maxObjectSize(), config.imageCacheBytes());
        UploadCallbacks callbacks = new UploadCallbacks(
                new CallbackService(data.resolve("keys"), new CallbackPolicy(config.callbackAllow())));
        imageEngine = ImageEngines.select(config.imageEngine());
        Dispatcher dispatcher = new Dispatcher(new Router(V1Signer.SUB_RESOURCES), auth, meta, blobs, settings, callbacks, imageEngine);
        http = new HttpServer(config.host(), config.port(), dispatcher, new Addressing(config.domains()));
        long started = System.currentTimeMillis();
        janitor = Thread.ofVirtual().name("pail-upload-expiry").start(() -> expireUploads(dispatcher, config.uploadExpiry(), started));
    }

    public String imageEngineName() { return imageEngine.name(); }

    /**
     * Aborts abandoned multipart uploads at start and then every hour. The first pass only looks at
     * uploads from before this start, so that uploads begun meanwhile are never caught by it.
     */
    private static void expireUploads(Dispatcher dispatcher, Duration expiry, long started) {
        try {
            for (long now = started; ; now = System.currentTimeMillis()) {
                int n = dispatcher.abortUploadsInitiatedBefore(now - expiry.toMillis());
                if (n > 0) log.info("aborted {} multipart upload(s) older than {}", n, expiry);
                Thread.sleep(Duration.ofHours(1));
            }
        } catch (InterruptedException e) {
            // server stopping
        } catch (RuntimeException e) {
            log.warn("abandoned-upload clean-up stopped", e);
        }
    }

    public static PailServer start(ServerConfig config) throws IOException, InterruptedException {
        return new PailServer(config);
    }

    public int port() { return http.port(); }
    public String endpoint() { return "http://" + (config.host().contains(":") ? "[" + config.host() + "]" : config.host()) + ":" + port(); }
    public Credential credential() { return keys.credential(); }
    Keys.Loaded keys() { return keys; }

    /** Drains requests in flight, then closes storage and records a clean stop. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        janitor.interrupt();
        http.shutdown(Duration.ofSeconds(30));
        meta.close();
        try {
            Files.deleteIfExists(marker);
        } catch (IOException e) {
            log.warn("could not remove {}", marker, e);
        }
    }

    /** A stable numeric account id derived from the access key, in the style of OSS owner ids. */
    private static String ownerId(String accessKeyId) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(accessKeyId.getBytes(StandardCharsets.UTF_8));
            long v = 0;
            for (int i = 0; i < 7; i++) v = v << 8 | (h[i] & 0xFF);
            return Long.toString(1_000_000_000_000_000L + v % 9_000_000_000_000_000L);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
