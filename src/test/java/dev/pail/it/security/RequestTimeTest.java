package dev.pail.it.security;

import static dev.pail.it.TestServer.AK;
import static dev.pail.it.TestServer.SK;
import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.OSS;
import dev.pail.it.Clients;
import dev.pail.it.TestServer;
import dev.pail.it.RawHttp;
import dev.pail.it.V1Signature;
import dev.pail.it.RawHttp.Resp;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Request time checks (core.md §3.7): ±15 minutes, the x-oss-date precedence, missing and unparsable dates. */
class RequestTimeTest {
    static TestServer server;
    static OSS oss;
    static int port;
    static final String R = "/skew-bkt/k";

    @BeforeAll
    static void start() {
        server = new TestServer();
        port = server.port();
        oss = Clients.v1(server);
        oss.createBucket("skew-bkt");
        oss.putObject("skew-bkt", "k", new java.io.ByteArrayInputStream("v".getBytes()));
    }

    @AfterAll
    static void stop() {
        oss.shutdown();
        server.close();
    }

    static Resp at(Instant t) { return RawHttp.req("GET", R).signV1(AK, SK, R, t).send(port); }

    @Test
    void skewBeyondFifteenMinutesIsRequestTimeTooSkewed() {
        for (long minutes : new long[] {-20, 20, -24 * 60, 365 * 24 * 60}) {
            Instant sent = Instant.now().plus(Duration.ofMinutes(minutes));
            Instant before = Instant.now();
            Resp r = at(sent);
            r.assertError(403, "RequestTimeTooSkewed");
            Instant serverTime = Instant.parse(r.field("ServerTime"));
            assertThat(serverTime).isBetween(before.minusSeconds(2), Instant.now().plusSeconds(2));
            assertThat(r.field("ServerTime")).endsWith(".000Z");
            assertThat(Instant.parse(r.field("RequestTime"))).isBetween(sent.minusSeconds(1), sent.plusSeconds(1));
            assertThat(r.field("MaxAllowedSkewMilliseconds")).isEqualTo("900000");
        }
        // HEAD carries the same document in x-oss-err, where J1's clock-skew correction finds ServerTime
        Resp head = RawHttp.req("HEAD", R).signV1(AK, SK, R, Instant.now().minusSeconds(1200)).send(port);
        head.assertError(403, "RequestTimeTooSkewed");
        assertThat(head.field("ServerTime")).isNotBlank();
    }

    @Test
    void skewWithinFifteenMinutesIsAccepted() {
        at(Instant.now().minus(Duration.ofMinutes(14))).assertOk();
        at(Instant.now().plus(Duration.ofMinutes(14))).assertOk();
    }

    @Test
    void xOssDateTakesPrecedenceOverDate() {
        String now = V1Signature.httpDate(Instant.now());
        String old = V1Signature.httpDate(Instant.now().minusSeconds(1200));
        // a fresh Date does not rescue a stale x-oss-date (which is the signed one)
        RawHttp.req("GET", R).header("Date", now).header("x-oss-date", old).signV1(AK, SK, R).send(port)
                .assertError(403, "RequestTimeTooSkewed");
        // a stale Date is irrelevant when x-oss-date is fresh
        RawHttp.req("GET", R).header("Date", old).header("x-oss-date", now).signV1(AK, SK, R).send(port).assertOk();
    }

    @Test
    void missingOrUnparsableDateIsAccessDenied() {
        String sig = V1Signature.sign(SK, "GET", java.util.Map.of(), "", R);
        RawHttp.req("GET", R).header("Authorization", "OSS " + AK + ":" + sig).send(port).assertError(403, "AccessDenied");
        RawHttp.req("GET", R).header("Date", "yesterday at noon").signV1(AK, SK, R).send(port).assertError(403, "AccessDenied");
        // a malformed Authorization header is a 400
        RawHttp.req("GET", R).header("Date", V1Signature.httpDate(Instant.now())).header("Authorization", "OSS no-colon").send(port)
                .assertError(400, "InvalidArgument");
    }

    @Test
    void timeIsCheckedBeforeTheKeyAndTheSignature() {
        // a skewed request with an unknown key or a wrong secret reports the time, as OSS does
        RawHttp.req("GET", R).signV1("LTAI5tNoSuchAccessKey", SK, R, Instant.now().minusSeconds(3600)).send(port)
                .assertError(403, "RequestTimeTooSkewed");
        RawHttp.req("GET", R).signV1(AK, "wrong", R, Instant.now().minusSeconds(3600)).send(port)
                .assertError(403, "RequestTimeTooSkewed");
    }
}
