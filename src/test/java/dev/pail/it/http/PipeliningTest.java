package dev.pail.it.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.OSS;
import com.aliyun.oss.model.CannedAccessControlList;
import dev.pail.it.Clients;
import dev.pail.it.TestData;
import dev.pail.it.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Requests pipelined on one connection are answered in order, whichever way each is served: reads
 * of cached rows and small objects' bytes on the event loop, the rest (a row not yet cached, a
 * missing key, an upload) on a virtual thread, large objects from their files. Everything is sent in
 * one write, so the server reads several requests before it has answered the first.
 */
class PipeliningTest {
    static TestServer server;
    static OSS oss;
    static final String B = "pipelining";
    static final byte[] SMALL = TestData.random(3000, 1);
    static final byte[] LARGE = TestData.random(300_000, 2);

    @BeforeAll
    static void start() {
        server = new TestServer();
        oss = Clients.v1(server);
        oss.createBucket(B);
        oss.setBucketAcl(B, CannedAccessControlList.PublicReadWrite);
        oss.putObject(B, "small", TestData.in(SMALL));
        oss.putObject(B, "large", TestData.in(LARGE));
    }

    @AfterAll
    static void stop() {
        oss.shutdown();
        server.close();
    }

    /** One request of a pipeline and what its answer must be. */
    private record Step(String method, String key, byte[] body, int status, byte[] expected) {
        String wire(boolean last) {
            StringBuilder b = new StringBuilder(method).append(" /").append(B).append('/').append(key).append(" HTTP/1.1\r\n")
                    .append("Host: 127.0.0.1\r\n");
            if (body != null) b.append("Content-Length: ").append(body.length).append("\r\n");
            if (last) b.append("Connection: close\r\n");
            return b.append("\r\n").toString();
        }
    }

    private record Answer(int status, byte[] body) {}

    @Test
    void answersComeInRequestOrder() throws Exception {
        Random rnd = new Random(7);
        for (int round = 0; round < 25; round++) {
            List<Step> steps = new ArrayList<>();
            int n = 4 + rnd.nextInt(8);
            for (int i = 0; i < n; i++) {
                String fresh = "fresh-" + round + "-" + i;
                steps.add(switch (rnd.nextInt(6)) {
                    case 0 -> new Step("GET", "small", null, 200, SMALL);
                    case 1 -> new Step("HEAD", "small", null, 200, new byte[0]);
                    case 2 -> new Step("GET", "large", null, 200, LARGE);
                    case 3 -> new Step("GET", "missing-" + round + "-" + i, null, 404, null);
                    case 4 -> new Step("PUT", fresh, TestData.bytes(fresh), 200, new byte[0]);
                    default -> new Step("GET", "small", null, 200, SMALL);
                });
                if (steps.getLast().method().equals("PUT")) steps.add(new Step("GET", fresh, null, 200, TestData.bytes(fresh)));
            }
            List<Answer> answers = pipeline(steps);
            assertThat(answers).as("round %d: one answer per request", round).hasSize(steps.size());
            for (int i = 0; i < steps.size(); i++) {
                Step s = steps.get(i);
                Answer a = answers.get(i);
                assertThat(a.status()).as("round %d, request %d: %s %s", round, i, s.method(), s.key()).isEqualTo(s.status());
                if (s.expected() != null) {
                    assertThat(a.body()).as("round %d, request %d: %s %s", round, i, s.method(), s.key()).isEqualTo(s.expected());
                }
            }
        }
    }

    /** Sends every request in one write and reads the answers in turn. */
    private static List<Answer> pipeline(List<Step> steps) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            all.write(s.wire(i == steps.size() - 1).getBytes(StandardCharsets.ISO_8859_1));
            if (s.body() != null) all.write(s.body());
        }
        List<Answer> answers = new ArrayList<>();
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            out.write(all.toByteArray());
            out.flush();
            InputStream in = new java.io.BufferedInputStream(socket.getInputStream());
            for (Step s : steps) {
                String status = line(in);
                if (status == null) break;
                long length = 0;
                for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
                    if (h.toLowerCase(Locale.ROOT).startsWith("content-length:")) length = Long.parseLong(h.substring(15).trim());
                }
                byte[] body = s.method().equals("HEAD") ? new byte[0] : in.readNBytes((int) length);
                answers.add(new Answer(Integer.parseInt(status.split(" ")[1]), body));
            }
        }
        return answers;
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c = in.read(); c != -1; c = in.read()) {
            if (c == '\n') return b.toString().stripTrailing();
            b.append((char) c);
        }
        return b.isEmpty() ? null : b.toString();
    }
}
