package dev.pail.it.j1;

import dev.pail.it.OssHttp;
import dev.pail.it.TestData;

import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSException;
import com.aliyun.oss.model.OSSObject;
import dev.pail.it.Clients;
import dev.pail.it.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * Shared fixture of the J1 ({@code aliyun-sdk-oss} 3.18.5) integration tests: one in-process
 * server per test class, one client per signature version, a raw V1-signing HTTP client for what
 * the SDK cannot send or does not expose (HTTP status of errors, exact wire headers), and helpers.
 * Tests are parameterized over {@link Sig} so that every operation runs with V1 and V4 signatures.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class J1Base {

    /** The signature version the SDK client uses. */
    enum Sig { V1, V4 }

    static final Pattern REQUEST_ID = Pattern.compile("[0-9A-F]{24}");
    static final Pattern UPPER_MD5 = Pattern.compile("[0-9A-F]{32}");

    private static final AtomicInteger BUCKETS = new AtomicInteger();

    TestServer server;
    OSS v1;
    OSS v4;
    OssHttp raw;

    @BeforeAll
    void startServer() {
        server = new TestServer();
        v1 = Clients.v1(server);
        v4 = Clients.v4(server);
        raw = new OssHttp(server);
    }

    @AfterAll
    void stopServer() {
        if (v1 != null) v1.shutdown();
        if (v4 != null) v4.shutdown();
        if (server != null) server.close();
    }

    OSS oss(Sig sig) { return sig == Sig.V1 ? v1 : v4; }

    /** Creates a bucket with a name unique in this JVM run and returns its name. */
    String newBucket(Sig sig) {
        String name = getClass().getSimpleName().toLowerCase(Locale.ROOT).replace("test", "")
                + "-" + sig.name().toLowerCase(Locale.ROOT) + "-" + BUCKETS.incrementAndGet() + "-" + (System.nanoTime() % 100000);
        oss(sig).createBucket(name);
        return name;
    }

    // ---- data and digests ------------------------------------------------------------------

    static byte[] bytes(String s) { return TestData.bytes(s); }

    static byte[] random(int n, long seed) { return TestData.random(n, seed); }

    static InputStream in(byte[] b) { return TestData.in(b); }

    static byte[] md5(byte[] b) { return TestData.md5(b); }

    static String md5Hex(byte[] b) { return TestData.md5Hex(b); }

    static String md5B64(byte[] b) { return TestData.md5B64(b); }

    static long crc(byte[] b) { return TestData.crc64(b); }

    static byte[] read(OSSObject o) throws IOException { return TestData.read(o); }

    /** Runs {@code call}, which must fail with an {@link OSSException} of {@code code}, and returns it. */
    static OSSException ossError(String code, ThrowingCallable call) { return TestData.ossError(code, call); }
}
