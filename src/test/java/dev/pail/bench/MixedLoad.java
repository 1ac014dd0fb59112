package dev.pail.bench;

import com.aliyun.oss.ClientBuilderConfiguration;
import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import com.aliyun.oss.OSSException;
import com.aliyun.oss.common.auth.DefaultCredentialProvider;
import com.aliyun.oss.common.comm.SignVersion;
import com.aliyun.oss.model.OSSObject;
import com.aliyun.oss.model.ObjectMetadata;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The benchmark's SDK-driven mixed load (issue 6): aliyun-sdk-oss 3.x, the way applications talk to OSS, against
 * a running server. 45% GetObject, 30% HeadObject (getObjectMetadata), 15% PutObject, 10% DeleteObject of 64 KiB
 * objects from 32 threads for a fixed time, after a warm-up. Prints ops/s and p50/p99/p99.9 latency, overall and
 * per operation, then one machine-readable line {@code MIXED {json}} that bench/lib/driver.py parses.
 *
 * <p>GET and HEAD pick a random object of a fixed set written before the clock starts; each thread PUTs new keys
 * and DELETEs its own oldest ones, so every operation addresses an object that exists and any failure is an error,
 * not a miss. The SDK's defaults stay on (CRC-64 checks of uploads and downloads included).
 *
 * <pre>
 * java -cp target/test-classes:$(deps) dev.pail.bench.MixedLoad ENDPOINT AK SK SECONDS
 *      [--threads 32] [--size 65536 | --payload FILE] [--objects 512] [--warmup 5] [--bucket mixed] [--sign v1|v4]
 * </pre>
 *
 * Not a test (no JUnit annotations): bench/run.sh runs it. Exit status: 0 when every operation succeeded, 1 on
 * bad arguments or when nothing ran, 2 when some operations failed.
 */
public final class MixedLoad {
    private enum Op { GET, HEAD, PUT, DELETE }

    private static final int MAX_ERRORS_SHOWN = 5;

    private final OSS oss;
    private final String bucket;
    private final byte[] payload;
    private final int objects;
    private volatile boolean measuring;
    private volatile boolean stop;
    private final AtomicLong errors = new AtomicLong();
    private final Map<String, AtomicLong> errorKinds = new ConcurrentHashMap<>();

    private MixedLoad(OSS oss, String bucket, byte[] payload, int objects) {
        this.oss = oss;
        this.bucket = bucket;
        this.payload = payload;
        this.objects = objects;
    }

    /** Latencies in nanoseconds, one growable array per operation, owned by one thread. */
    private static final class Samples {
        final long[][] nanos = new long[Op.values().length][];
        final int[] count = new int[Op.values().length];

        Samples() {
            for (int i = 0; i < nanos.length; i++) nanos[i] = new long[4096];
        }

        void add(Op op, long ns) {
            int o = op.ordinal();
            if (count[o] == nanos[o].length) nanos[o] = Arrays.copyOf(nanos[o], count[o] * 2);
            nanos[o][count[o]++] = ns;
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 4) usage();
        String endpoint = args[0];
        String ak = args[1];
        String sk = args[2];
        double seconds = Double.parseDouble(args[3]);
        int threads = 32;
        int size = 64 * 1024;
        int objects = 512;
        double warmup = 5;
        String bucket = "mixed";
        String sign = "v4";
        Path payloadFile = null;
        for (int i = 4; i < args.length; i += 2) {
            if (i + 1 >= args.length) usage();
            String v = args[i + 1];
            switch (args[i]) {
                case "--threads" -> threads = Integer.parseInt(v);
                case "--size" -> size = Integer.parseInt(v);
                case "--objects" -> objects = Integer.parseInt(v);
                case "--warmup" -> warmup = Double.parseDouble(v);
                case "--bucket" -> bucket = v;
                case "--sign" -> sign = v;
                case "--payload" -> payloadFile = Path.of(v);
                default -> usage();
            }
        }
        ClientBuilderConfiguration conf = new ClientBuilderConfiguration();
        conf.setMaxConnections(Math.max(64, threads * 2));
        OSS oss;
        if (sign.equals("v4")) {
            conf.setSignatureVersion(SignVersion.V4);
            oss = OSSClientBuilder.create().endpoint(endpoint).credentialsProvider(new DefaultCredentialProvider(ak, sk))
                    .clientConfiguration(conf).region("cn-hangzhou").build();
        } else if (sign.equals("v1")) {
            oss = new OSSClientBuilder().build(endpoint, ak, sk, conf);
        } else {
            usage();
            return;
        }
        try {
            byte[] payload;
            if (payloadFile != null) {
                payload = Files.readAllBytes(payloadFile);
            } else {
                payload = new byte[size];
                new SplittableRandom(42).nextBytes(payload);
            }
            System.exit(new MixedLoad(oss, bucket, payload, objects).run(threads, seconds, warmup, sign));
        } finally {
            oss.shutdown();
        }
    }

    private static void usage() {
        System.err.println("usage: MixedLoad ENDPOINT AK SK SECONDS [--threads N] [--size BYTES] [--objects N] "
                + "[--payload FILE] [--warmup SECONDS] [--bucket NAME] [--sign v1|v4]");
        System.exit(1);
    }

    private int run(int threads, double seconds, double warmup, String sign) throws Exception {
        if (!oss.doesBucketExist(bucket)) oss.createBucket(bucket);
        for (int i = 0; i < objects; i++) put(stableKey(i));

        List<Samples> all = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        CountDownLatch ready = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
            Samples s = new Samples();
            all.add(s);
            int id = t;
            Thread w = new Thread(() -> work(id, s, ready), "mixed-" + t);
            workers.add(w);
            w.start();
        }
        ready.await();
        Thread.sleep((long) (warmup * 1000));
        long errorsBefore = errors.get();
        measuring = true;
        long t0 = System.nanoTime();
        Thread.sleep((long) (seconds * 1000));
        measuring = false;
        long elapsed = System.nanoTime() - t0;
        stop = true;
        for (Thread w : workers) w.join();
        long measuredErrors = errors.get() - errorsBefore;
        return report(all, elapsed, threads, sign, measuredErrors);
    }

    private String stableKey(int i) {
        return String.format(Locale.ROOT, "stable/%06d", i);
    }

    private void put(String key) {
        ObjectMetadata md = new ObjectMetadata();
        md.setContentLength(payload.length);
        md.setContentType("application/octet-stream");
        oss.putObject(bucket, key, new ByteArrayInputStream(payload), md);
    }

    private void work(int id, Samples samples, CountDownLatch ready) {
        SplittableRandom rnd = new SplittableRandom(1000 + id);
        ArrayDeque<String> mine = new ArrayDeque<>();
        long seq = 0;
        byte[] sink = new byte[64 * 1024];
        try {
            for (int i = 0; i < 4; i++) {
                String k = "churn/" + id + "/" + seq++;
                put(k);
                mine.add(k);
            }
        } catch (RuntimeException e) {
            error("setup", e);
        }
        ready.countDown();
        while (!stop) {
            int r = rnd.nextInt(100);
            Op op = r < 45 ? Op.GET : r < 75 ? Op.HEAD : r < 90 ? Op.PUT : Op.DELETE;
            if (op == Op.DELETE && mine.isEmpty()) op = Op.PUT;
            boolean counted = measuring;
            long start = System.nanoTime();
            try {
                switch (op) {
                    case GET -> {
                        try (OSSObject o = oss.getObject(bucket, stableKey(rnd.nextInt(objects)));
                                InputStream in = o.getObjectContent()) {
                            long n = 0;
                            for (int k; (k = in.read(sink)) >= 0; ) n += k;
                            if (n != payload.length) throw new IllegalStateException("GET returned " + n + " bytes");
                        }
                    }
                    case HEAD -> {
                        ObjectMetadata md = oss.getObjectMetadata(bucket, stableKey(rnd.nextInt(objects)));
                        if (md.getContentLength() != payload.length) {
                            throw new IllegalStateException("HEAD says " + md.getContentLength() + " bytes");
                        }
                    }
                    case PUT -> {
                        String k = "churn/" + id + "/" + seq++;
                        put(k);
                        mine.add(k);
                    }
                    case DELETE -> oss.deleteObject(bucket, mine.poll());
                }
                long ns = System.nanoTime() - start;
                if (counted && measuring) samples.add(op, ns);
            } catch (Exception e) {
                if (counted) error(op.name(), e);
            }
        }
    }

    private void error(String op, Exception e) {
        long n = errors.incrementAndGet();
        String kind = op + " " + (e instanceof OSSException oe ? oe.getErrorCode() : e.getClass().getSimpleName());
        errorKinds.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
        if (n <= MAX_ERRORS_SHOWN) System.err.println("MixedLoad: " + kind + ": " + e.getMessage());
    }

    private static double ms(long ns) {
        return ns / 1e6;
    }

    private static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) return 0;
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private int report(List<Samples> all, long elapsedNs, int threads, String sign, long measuredErrors) {
        double secs = elapsedNs / 1e9;
        Map<Op, long[]> byOp = new LinkedHashMap<>();
        int total = 0;
        for (Op op : Op.values()) {
            int n = 0;
            for (Samples s : all) n += s.count[op.ordinal()];
            long[] v = new long[n];
            int at = 0;
            for (Samples s : all) {
                System.arraycopy(s.nanos[op.ordinal()], 0, v, at, s.count[op.ordinal()]);
                at += s.count[op.ordinal()];
            }
            Arrays.sort(v);
            byOp.put(op, v);
            total += n;
        }
        long[] every = new long[total];
        int at = 0;
        for (long[] v : byOp.values()) {
            System.arraycopy(v, 0, every, at, v.length);
            at += v.length;
        }
        Arrays.sort(every);

        System.out.printf(Locale.ROOT, "mixed load: %d threads, %d-byte objects, %s signatures, %.1f s measured%n",
                threads, payload.length, sign, secs);
        System.out.printf(Locale.ROOT, "%-7s %9s %10s %9s %9s %9s%n", "op", "count", "ops/s", "p50 ms", "p99 ms", "p99.9 ms");
        var json = new StringBuilder();
        json.append(String.format(Locale.ROOT,
                "{\"threads\":%d,\"size\":%d,\"sign\":\"%s\",\"seconds\":%.3f,\"ops\":%d,\"ops_s\":%.1f,\"errors\":%d,"
                        + "\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"p999_ms\":%.3f,\"by_op\":{",
                threads, payload.length, sign, secs, total, total / secs, measuredErrors,
                ms(percentile(every, 50)), ms(percentile(every, 99)), ms(percentile(every, 99.9))));
        boolean first = true;
        for (var e : byOp.entrySet()) {
            long[] v = e.getValue();
            System.out.printf(Locale.ROOT, "%-7s %9d %10.1f %9.2f %9.2f %9.2f%n", e.getKey(), v.length, v.length / secs,
                    ms(percentile(v, 50)), ms(percentile(v, 99)), ms(percentile(v, 99.9)));
            json.append(first ? "" : ",").append(String.format(Locale.ROOT,
                    "\"%s\":{\"count\":%d,\"ops_s\":%.1f,\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"p999_ms\":%.3f}",
                    e.getKey(), v.length, v.length / secs, ms(percentile(v, 50)), ms(percentile(v, 99)),
                    ms(percentile(v, 99.9))));
            first = false;
        }
        json.append("}}");
        System.out.printf(Locale.ROOT, "%-7s %9d %10.1f %9.2f %9.2f %9.2f%n", "all", total, total / secs,
                ms(percentile(every, 50)), ms(percentile(every, 99)), ms(percentile(every, 99.9)));
        if (measuredErrors > 0) System.out.println("errors: " + measuredErrors + " " + errorKinds);
        System.out.println("MIXED " + json);
        if (total == 0) return 1;
        return measuredErrors > 0 ? 2 : 0;
    }
}
