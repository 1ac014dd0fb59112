package dev.pail.it.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aliyun.oss.ClientBuilderConfiguration;
import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import com.aliyun.oss.OSSException;
import com.aliyun.oss.model.ListObjectsRequest;
import com.aliyun.oss.model.OSSObject;
import com.aliyun.oss.model.OSSObjectSummary;
import com.aliyun.oss.model.ObjectListing;
import com.aliyun.oss.model.ObjectMetadata;
import com.aliyun.oss.model.PutObjectResult;
import dev.pail.it.ServerProcess;
import dev.pail.store.InlineBlobs;
import dev.pail.store.SqliteMetadataStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server as a separate process: killed with SIGKILL in the middle of concurrent uploads it
 * loses no acknowledged write, shows no partial or never-attempted object and leaves no orphaned
 * file; stopped with SIGTERM it finishes the upload in flight and exits 0; and its start-up banner
 * and generated key behave as documented.
 */
class CrashTest {
    private static final String BUCKET = ServerProcess.BUCKET;
    private static final int THREADS = 8;
    private static final int MAX_SIZE = 2 * 1024 * 1024;

    /** Keys shared by all writer threads, so that the same key is overwritten concurrently. */
    private static final List<String> KEYS = keys();

    private static List<String> keys() {
        List<String> k = new ArrayList<>();
        for (int i = 0; i < 16; i++) k.add("k/" + i);
        k.addAll(List.of("a", "a/b", "ünï/cödé/😀.bin", "space key+plus", "深/层/键", "%2F-literal", "tilde~star*(x)", "k/1/0"));
        return List.copyOf(k);
    }

    /** One PutObject call: its body is regenerated from {@code seed}; times are System.nanoTime(). */
    static final class Attempt {
        final int cycle;
        final String key;
        final long seed;
        final int size;
        final long startedAt;
        volatile long ackedAt = -1;
        volatile long failedAt = -1;
        volatile Exception failure;

        Attempt(int cycle, String key, long seed, int size, long startedAt) {
            this.cycle = cycle;
            this.key = key;
            this.seed = seed;
            this.size = size;
            this.startedAt = startedAt;
        }

        boolean acked() { return ackedAt >= 0; }

        byte[] body() { return body(seed, size); }

        static byte[] body(long seed, int size) {
            byte[] b = new byte[size];
            new SplittableRandom(seed).nextBytes(b);
            return b;
        }

        @Override
        public String toString() {
            return "PUT#" + cycle + " " + key + " size=" + size + " seed=" + seed + (acked() ? " acked" : " unacked")
                    + (failure == null ? "" : " (" + failure.getClass().getSimpleName() + ")");
        }
    }

    /** When the server of a crash cycle was sent SIGKILL, and when it was seen gone (System.nanoTime()). */
    private record Kill(long start, long done) {}

    // ---- kill -9 --------------------------------------------------------------------------

    /**
     * Two crash cycles on one data directory: concurrent PUTs, SIGKILL mid-flight, restart and
     * check everything; the second cycle writes only half of the keys, so the other half must come
     * through the second crash exactly as the first restart showed them.
     */
    @Test
    @Timeout(120)
    void killNineMidFlightLosesNoAcknowledgedPutAndExposesNoPartialObject(@TempDir Path data) throws Exception {
        Map<String, List<Attempt>> attempts = new ConcurrentHashMap<>();
        List<Kill> kills = new ArrayList<>();
        List<ServerProcess> servers = new ArrayList<>();
        try {
            Map<String, byte[]> before = null;
            for (int cycle = 0; cycle < 2; cycle++) {
                List<String> keys = cycle == 0 ? KEYS : KEYS.subList(0, KEYS.size() / 2);
                ServerProcess victim = cycle == 0 ? ServerProcess.start(data) : servers.getLast();
                if (cycle == 0) servers.add(victim);
                kills.add(writeUntilKilled(victim, cycle, keys, attempts));
                System.out.printf("left by the kill: %d files in tmp/, %d in blobs/ (%d blob ids referenced)%n",
                        countFiles(data.resolve("tmp")), countFiles(data.resolve("blobs")), referencedBlobs(data).size());

                ServerProcess next = ServerProcess.start(data);
                servers.add(next);
                // start-up reconciliation is done before the server listens
                try (Stream<Path> tmp = Files.list(data.resolve("tmp"))) {
                    assertThat(tmp.toList()).as("tmp/ after restart").isEmpty();
                }
                Map<String, byte[]> visible = verify(next, attempts, kills);
                if (before != null) {
                    for (String k : KEYS.subList(KEYS.size() / 2, KEYS.size())) {
                        assertThat(visible.get(k)).as("%s, not written since the previous restart", k).isEqualTo(before.get(k));
                    }
                }
                before = visible;
            }

            // the recovered server takes new writes
            ServerProcess last = servers.getLast();
            OSS oss = client(last, ServerProcess.AK, ServerProcess.SK);
            byte[] after = Attempt.body(7, 300_000);
            ObjectMetadata m = new ObjectMetadata();
            m.setContentLength(after.length);
            oss.putObject(BUCKET, "after-recovery", new ByteArrayInputStream(after), m);
            assertThat(get(oss, "after-recovery")).isEqualTo(after);
            oss.shutdown();
            assertThat(last.terminate(Duration.ofSeconds(20))).as("exit code" + last.describe()).isZero();
        } finally {
            for (ServerProcess s : servers) s.close();
        }
        assertThat(data.resolve("running")).as("clean stop removes the marker").doesNotExist();
        assertNoOrphans(data);
        try (SqliteMetadataStore store = new SqliteMetadataStore(data.resolve("meta.db"), false)) {
            assertThat(store.inlineBlobIds()).as("small objects went inline").isNotEmpty();
        }
    }

    /** Eight threads PUT random bodies to random {@code keys} until the server is killed at a random moment. */
    private static Kill writeUntilKilled(ServerProcess server, int cycle, List<String> keys, Map<String, List<Attempt>> attempts)
            throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger acked = new AtomicInteger();
        List<Attempt> mine = new CopyOnWriteArrayList<>();
        OSS oss = client(server, ServerProcess.AK, ServerProcess.SK);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        long seed0 = System.nanoTime();
        Kill kill;
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                SplittableRandom rnd = new SplittableRandom(seed0 + t);
                workers.add(pool.submit(() -> {
                    while (!stop.get()) {
                        String key = keys.get(rnd.nextInt(keys.size()));
                        Attempt a = new Attempt(cycle, key, rnd.nextLong(), size(rnd), System.nanoTime());
                        attempts.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(a);
                        mine.add(a);
                        byte[] body = a.body();
                        ObjectMetadata m = new ObjectMetadata();
                        m.setContentLength(body.length);
                        try {
                            oss.putObject(BUCKET, key, new ByteArrayInputStream(body), m);
                            a.ackedAt = System.nanoTime();
                            acked.incrementAndGet();
                        } catch (Exception e) {
                            a.failedAt = System.nanoTime();
                            a.failure = e;
                        }
                    }
                }));
            }
            // let a good number of writes through, then kill at a random moment while uploads are in flight
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
            while (acked.get() < 40 && System.nanoTime() < deadline) ServerProcess.sleep(20);
            ServerProcess.sleep(new SplittableRandom(seed0).nextInt(100, 700));
            long killStart = System.nanoTime();
            server.kill();
            kill = new Kill(killStart, System.nanoTime()); // no request started after this reached a live server
            stop.set(true);
            for (Future<?> w : workers) w.get(30, TimeUnit.SECONDS);
        } finally {
            stop.set(true);
            pool.shutdownNow();
            oss.shutdown();
        }
        long killStart = kill.start();
        List<Attempt> failedEarly = mine.stream().filter(a -> a.failedAt >= 0 && a.failedAt < killStart).toList();
        assertThat(failedEarly).as("PUTs that failed while the server was alive" + server.describe()).isEmpty();
        long cutOff = mine.stream().filter(a -> !a.acked() && a.startedAt < killStart).count();
        assertThat(acked.get()).as("acknowledged PUTs before the kill").isGreaterThanOrEqualTo(20);
        assertThat(cutOff).as("PUTs in flight when the server was killed").isPositive();
        System.out.printf("crash cycle %d: %d PUTs, %d acknowledged, %d cut off by the kill%n", cycle, mine.size(), acked.get(), cutOff);
        return kill;
    }

    /**
     * After a restart: every key holds exactly one body that was PUT to it, one that may have been
     * committed last; acknowledged keys are present; the listing agrees with GET. Returns what is visible.
     */
    private static Map<String, byte[]> verify(ServerProcess server, Map<String, List<Attempt>> attempts, List<Kill> kills)
            throws IOException {
        OSS oss = client(server, ServerProcess.AK, ServerProcess.SK);
        try {
            Map<String, byte[]> visible = new TreeMap<>();
            List<String> problems = new ArrayList<>();
            int notLastAcked = 0;
            for (String key : KEYS) {
                List<Attempt> tried = attempts.getOrDefault(key, List.of());
                byte[] got = get(oss, key);
                List<Attempt> ack = tried.stream().filter(Attempt::acked).toList();
                if (got == null) {
                    if (!ack.isEmpty()) problems.add(key + ": missing, though acknowledged: " + ack);
                    continue;
                }
                visible.put(key, got);
                List<Attempt> same = tried.stream().filter(a -> a.size == got.length && Arrays.equals(a.body(), got)).toList();
                if (same.isEmpty()) {
                    problems.add(key + ": holds " + got.length + " bytes that no PUT of this key sent (torn or foreign)");
                    continue;
                }
                List<Attempt> allowed = same.stream().filter(x -> mayBeLast(x, ack, kills)).toList();
                if (allowed.isEmpty()) {
                    problems.add(key + ": holds " + same + ", which an acknowledged later PUT must have replaced; acked=" + ack);
                } else if (!allowed.contains(lastAcked(ack))) {
                    notLastAcked++;
                }
            }
            assertThat(problems).as("after kill -9 and restart" + server.describe()).isEmpty();
            assertThat(visible).as("some objects survive").isNotEmpty();

            // the listing shows exactly the objects GET sees, with their sizes and ETags
            Map<String, OSSObjectSummary> listed = new LinkedHashMap<>();
            String marker = null;
            do {
                ObjectListing page = oss.listObjects(new ListObjectsRequest(BUCKET).withMaxKeys(5).withMarker(marker));
                for (OSSObjectSummary s : page.getObjectSummaries()) {
                    assertThat(listed.put(s.getKey(), s)).as("listed twice: %s", s.getKey()).isNull();
                }
                marker = page.isTruncated() ? page.getNextMarker() : null;
            } while (marker != null);
            assertThat(listed.keySet()).as("listed keys").isEqualTo(visible.keySet());
            for (Map.Entry<String, byte[]> e : visible.entrySet()) {
                OSSObjectSummary s = listed.get(e.getKey());
                assertThat(s.getSize()).as("listed size of %s", e.getKey()).isEqualTo(e.getValue().length);
                assertThat(s.getETag()).as("listed ETag of %s", e.getKey()).isEqualToIgnoringCase(md5Hex(e.getValue()));
            }
            System.out.printf("after restart: %d keys visible, %d holding an in-flight or concurrently overwritten version%n",
                    visible.size(), notLastAcked);
            return visible;
        } finally {
            oss.shutdown();
        }
    }

    /**
     * Whether {@code x} may be the version a key holds now. Every PUT commits at some instant
     * between its start and its acknowledgement, an unacknowledged one possibly never, and at the
     * latest when its server died; the survivor is the one committed last. That can be {@code x}
     * unless some acknowledged PUT started only after {@code x}'s commit must have happened
     * (its acknowledgement, or the death of its server); that PUT then committed after {@code x}.
     */
    private static boolean mayBeLast(Attempt x, List<Attempt> acked, List<Kill> kills) {
        long serverGone = kills.get(x.cycle).done();
        if (!x.acked() && x.startedAt >= serverGone) return false;
        long latestCommit = x.acked() ? x.ackedAt : serverGone;
        for (Attempt a : acked) if (a != x && a.startedAt >= latestCommit) return false;
        return true;
    }

    private static Attempt lastAcked(List<Attempt> acked) {
        return acked.stream().max((p, q) -> Long.compare(p.ackedAt, q.ackedAt)).orElse(null);
    }

    /**
     * Every file in blobs/ and every inline blob is referenced by the metadata, and every reference
     * has its file or inline blob.
     */
    private static void assertNoOrphans(Path data) throws Exception {
        Set<String> files = new HashSet<>();
        try (Stream<Path> s = Files.walk(data.resolve("blobs"))) {
            s.filter(Files::isRegularFile).forEach(p -> files.add(p.getFileName().toString()));
        }
        Set<String> referenced = new HashSet<>(referencedBlobs(data));
        Set<String> inline;
        try (SqliteMetadataStore store = new SqliteMetadataStore(data.resolve("meta.db"), false)) {
            inline = store.inlineBlobIds();
        }
        Set<String> referencedInline = new HashSet<>(referenced);
        referencedInline.removeIf(id -> !InlineBlobs.isInlineId(id));
        referenced.removeAll(referencedInline);
        assertThat(files).as("files in blobs/ against blob ids in the metadata").isEqualTo(referenced);
        assertThat(inline).as("inline blobs against inline blob ids in the metadata").isEqualTo(referencedInline);
        try (Stream<Path> tmp = Files.list(data.resolve("tmp"))) {
            assertThat(tmp.toList()).as("tmp/").isEmpty();
        }
    }

    /** The blob ids the metadata refers to, read from the database of a stopped (or killed) server. */
    private static Set<String> referencedBlobs(Path data) {
        try (SqliteMetadataStore store = new SqliteMetadataStore(data.resolve("meta.db"), false)) {
            return store.referencedBlobs();
        }
    }

    private static long countFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).count();
        }
    }

    private static int size(SplittableRandom rnd) {
        int r = rnd.nextInt(100);
        if (r < 6) return 0;
        if (r < 50) return rnd.nextInt(64 * 1024);
        return rnd.nextInt(MAX_SIZE + 1);
    }

    // ---- SIGTERM --------------------------------------------------------------------------

    @Test
    @Timeout(60)
    void sigtermFinishesTheUploadInFlightAndExitsZero(@TempDir Path data) throws Exception {
        int size = 3 * 1024 * 1024;
        byte[] body = Attempt.body(42, size);
        CountDownLatch underway = new CountDownLatch(1);
        CountDownLatch resume = new CountDownLatch(1);
        ServerProcess server = ServerProcess.start(data);
        try {
            OSS oss = client(server, ServerProcess.AK, ServerProcess.SK);
            // sends the first MiB, waits until the server is draining, then sends the rest slowly
            InputStream slow = new InputStream() {
                private int pos;

                @Override
                public int read() {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    if (pos >= size) return -1;
                    if (pos >= 1024 * 1024) {
                        underway.countDown();
                        try {
                            if (!resume.await(20, TimeUnit.SECONDS)) throw new IllegalStateException("never resumed");
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new IllegalStateException(e);
                        }
                        ServerProcess.sleep(5);
                    }
                    int n = Math.min(Math.min(len, 32 * 1024), size - pos);
                    System.arraycopy(body, pos, b, off, n);
                    pos += n;
                    return n;
                }
            };
            ObjectMetadata m = new ObjectMetadata();
            m.setContentLength(size);
            CompletableFuture<PutObjectResult> upload = CompletableFuture.supplyAsync(() -> oss.putObject(BUCKET, "slow", slow, m));
            assertThat(underway.await(20, TimeUnit.SECONDS)).as("upload under way").isTrue();

            server.process().destroy(); // SIGTERM
            // it stops taking connections at once, while the upload goes on
            boolean refused = refusesConnections(server, Duration.ofSeconds(10));
            assertThat(upload).as("upload held in flight").isNotDone();
            resume.countDown();
            assertThat(refused).as("new connections refused after SIGTERM").isTrue();

            PutObjectResult r;
            try {
                r = upload.get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                throw new AssertionError("the upload in flight at SIGTERM failed" + server.describe(), e);
            }
            assertThat(r.getETag()).isEqualToIgnoringCase(md5Hex(body));
            assertThat(server.awaitExit(Duration.ofSeconds(20))).as("exit code after SIGTERM" + server.describe()).isZero();
            assertThat(server.stdout()).contains("draining");
            oss.shutdown();
        } finally {
            server.close();
        }
        assertThat(data.resolve("running")).as("clean stop removes the marker").doesNotExist();

        ServerProcess again = ServerProcess.start(data);
        try {
            OSS oss = client(again, ServerProcess.AK, ServerProcess.SK);
            assertThat(get(oss, "slow")).as("the drained upload is stored").isEqualTo(body);
            oss.shutdown();
            assertThat(again.terminate(Duration.ofSeconds(20))).isZero();
        } finally {
            again.close();
        }
        assertNoOrphans(data);
    }

    /** Whether a new TCP connection to the server is refused within {@code within}. */
    private static boolean refusesConnections(ServerProcess server, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", server.port()), 1000);
            } catch (ConnectException e) {
                return true;
            } catch (IOException e) {
                // try again
            }
            Thread.sleep(10);
        }
        return false;
    }

    // ---- banner and keys ------------------------------------------------------------------

    @Test
    @Timeout(60)
    void bannerShowsEndpointAndConfiguredKeyButNotItsSecret(@TempDir Path data) throws Exception {
        ServerProcess server = ServerProcess.start(data);
        try {
            assertThat(server.stdout()).contains(server.endpoint()).contains(ServerProcess.AK).doesNotContain(ServerProcess.SK);
            assertThat(data.resolve("keys").resolve("credentials.properties")).as("no key generated when one is configured")
                    .doesNotExist();
            assertThat(server.terminate(Duration.ofSeconds(20))).isZero();
        } finally {
            server.close();
        }
    }

    @Test
    @Timeout(60)
    void generatedKeyIsStoredOnFirstStartAndReusedWithoutShowingTheSecretAgain(@TempDir Path data) throws Exception {
        Path file = data.resolve("keys").resolve("credentials.properties");
        String id;
        String secret;
        ServerProcess first = ServerProcess.start(data, Map.of());
        try {
            assertThat(file).exists();
            assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            Properties p = new Properties();
            try (var r = Files.newBufferedReader(file)) {
                p.load(r);
            }
            id = p.getProperty("accessKeyId");
            secret = p.getProperty("accessKeySecret");
            assertThat(id).isNotBlank();
            assertThat(secret).isNotBlank();
            assertThat(first.stdout()).contains(first.endpoint()).contains(id).contains(secret);
            // it is the key the server accepts
            OSS oss = client(first, id, secret);
            oss.putObject(BUCKET, "k", new ByteArrayInputStream("v".getBytes(StandardCharsets.UTF_8)));
            oss.shutdown();
            OSS wrong = client(first, ServerProcess.AK, ServerProcess.SK);
            assertThatThrownBy(() -> wrong.getObject(BUCKET, "k")).isInstanceOf(OSSException.class);
            wrong.shutdown();
            assertThat(first.terminate(Duration.ofSeconds(20))).isZero();
        } finally {
            first.close();
        }
        byte[] stored = Files.readAllBytes(file);

        ServerProcess second = ServerProcess.start(data, Map.of());
        try {
            assertThat(second.stdout()).contains(second.endpoint()).contains(id).doesNotContain(secret);
            assertThat(Files.readAllBytes(file)).as("key file unchanged").isEqualTo(stored);
            OSS oss = client(second, id, secret);
            assertThat(get(oss, "k")).isEqualTo("v".getBytes(StandardCharsets.UTF_8));
            oss.shutdown();
            assertThat(second.terminate(Duration.ofSeconds(20))).isZero();
        } finally {
            second.close();
        }
    }

    // ---- helpers --------------------------------------------------------------------------

    static OSS client(ServerProcess s, String ak, String sk) {
        ClientBuilderConfiguration conf = new ClientBuilderConfiguration();
        conf.setMaxErrorRetry(0); // an attempt is one request: a retry would blur what was acknowledged
        conf.setConnectionTimeout(3000);
        conf.setSocketTimeout(20000);
        conf.setMaxConnections(THREADS * 2);
        return new OSSClientBuilder().build(s.endpoint(), ak, sk, conf);
    }

    /** The object's bytes, or null when it does not exist. */
    private static byte[] get(OSS oss, String key) throws IOException {
        OSSObject o;
        try {
            o = oss.getObject(BUCKET, key);
        } catch (OSSException e) {
            if ("NoSuchKey".equals(e.getErrorCode())) return null;
            throw e;
        }
        try (o) {
            InputStream in = o.getObjectContent();
            byte[] b = in == null ? new byte[0] : in.readAllBytes();
            assertThat(o.getObjectMetadata().getContentLength()).as("Content-Length of %s", key).isEqualTo(b.length);
            return b;
        }
    }

    private static String md5Hex(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
