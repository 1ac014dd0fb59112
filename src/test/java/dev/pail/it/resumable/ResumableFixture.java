package dev.pail.it.resumable;

import dev.pail.it.TestData;
import dev.pail.it.WireProxy;

import com.aliyun.oss.ClientBuilderConfiguration;
import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import com.aliyun.oss.event.ProgressEvent;
import com.aliyun.oss.event.ProgressEventType;
import com.aliyun.oss.event.ProgressListener;
import com.aliyun.oss.model.OSSObject;
import com.aliyun.sdk.service.oss2.OSSClient;
import com.aliyun.sdk.service.oss2.credentials.StaticCredentialsProvider;
import dev.pail.it.Clients;
import dev.pail.it.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * One in-process server per test class with a {@link WireProxy} in front of it. "Direct" clients
 * talk to the server (to set up and verify); "wire" clients go through the proxy with client-side
 * retries off, so that a cut connection fails the transfer at once and every request is counted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ResumableFixture {
    static final long PART = 100 * 1024;
    private static final AtomicInteger BUCKETS = new AtomicInteger();

    TestServer server;
    WireProxy proxy;
    OSS direct;
    OSS wire;
    OSSClient v2Direct;
    OSSClient v2Wire;

    @TempDir
    Path tmp;

    @BeforeAll
    void startServer() throws IOException {
        server = new TestServer();
        proxy = new WireProxy(server.port());
        direct = Clients.v1(server);
        ClientBuilderConfiguration conf = new ClientBuilderConfiguration();
        conf.setMaxErrorRetry(0);
        wire = new OSSClientBuilder().build(proxy.endpoint(), TestServer.AK, TestServer.SK, conf);
        v2Direct = Clients.v2(server);
        v2Wire = OSSClient.newBuilder()
                .endpoint(proxy.endpoint())
                .region("cn-hangzhou")
                .credentialsProvider(new StaticCredentialsProvider(TestServer.AK, TestServer.SK))
                .retryMaxAttempts(1)
                .build();
    }

    @AfterAll
    void stopServer() throws Exception {
        if (direct != null) direct.shutdown();
        if (wire != null) wire.shutdown();
        if (v2Direct != null) v2Direct.close();
        if (v2Wire != null) v2Wire.close();
        if (proxy != null) proxy.close();
        if (server != null) server.close();
    }

    @BeforeEach
    void resetProxy() {
        proxy.heal();
        proxy.clear();
    }

    String newBucket() {
        String name = getClass().getSimpleName().toLowerCase(Locale.ROOT).replace("test", "") + "-" + BUCKETS.incrementAndGet()
                + "-" + (System.nanoTime() % 100000);
        direct.createBucket(name);
        return name;
    }

    static byte[] random(int n, long seed) { return TestData.random(n, seed); }

    /** CRC-64/ECMA as the J1 SDK computes it (independent of the server's implementation). */
    static long crc(byte[] b) { return TestData.crc64(b); }

    static String crcDecimal(byte[] b) { return Long.toUnsignedString(crc(b)); }

    Path writeFile(String name, byte[] data) throws IOException {
        Path p = tmp.resolve(name);
        Files.write(p, data);
        return p;
    }

    static byte[] read(OSSObject o) throws IOException { return TestData.read(o); }

    /** Part numbers of the UploadPart requests the proxy forwarded. */
    static List<Integer> forwardedParts(List<WireProxy.Request> rs) {
        return rs.stream().filter(WireProxy.Request::isUploadPart).filter(WireProxy.Request::forwarded)
                .map(WireProxy.Request::partNumber).sorted().toList();
    }

    static List<Integer> range(int from, int toInclusive) {
        List<Integer> out = new ArrayList<>();
        for (int i = from; i <= toInclusive; i++) out.add(i);
        return out;
    }

    /** Collects J1 progress events (thread-safe: multi-threaded transfers publish from workers). */
    static final class Events implements ProgressListener {
        final List<ProgressEvent> all = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void progressChanged(ProgressEvent e) { all.add(e); }

        List<ProgressEventType> types() {
            synchronized (all) {
                return all.stream().map(ProgressEvent::getEventType).toList();
            }
        }

        long sum(ProgressEventType t) {
            synchronized (all) {
                return all.stream().filter(e -> e.getEventType() == t).mapToLong(ProgressEvent::getBytes).sum();
            }
        }

        long count(ProgressEventType t) {
            synchronized (all) {
                return all.stream().filter(e -> e.getEventType() == t).count();
            }
        }
    }
}
