package dev.pail.it.resumable;

import dev.pail.it.WireProxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.aliyun.oss.model.ObjectMetadata;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pail.it.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ali-oss 6.23.0 {@code multipartUpload} with a checkpoint (features.md §4.8), run with node: the
 * checkpoint handed to the progress callback is saved as JSON, the upload is interrupted (network
 * cut by the proxy, or {@code client.cancel()} from the progress callback), and a second node
 * process resumes with {@code options.checkpoint}. ali-oss resumes from the checkpoint alone
 * (no ListParts), so the server must still hold the parts of the saved upload id.
 *
 * <p>ali-oss is installed into {@code target/node-resumable} on first use. The tests are skipped
 * only when npm cannot reach its registry, and say so on stdout and in the skip reason.
 */
class AliOssResumableTest extends ResumableFixture {
    private static final Path NODE_DIR = Path.of(System.getProperty("user.dir"), "target", "node-resumable").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String SCRIPT = """
            'use strict';
            const OSS = require('ali-oss');
            const fs = require('fs');
            const [mode, port, bucket, key, file, cpFile, ak, sk] = process.argv.slice(2);
            const client = new OSS({ endpoint: `http://localhost:${port}`, sldEnable: true, bucket,
              region: 'oss-cn-hangzhou', accessKeyId: ak, accessKeySecret: sk });
            const partSize = 102400;
            let last = null;
            const save = cpt => { if (cpt) { last = cpt; fs.writeFileSync(cpFile, JSON.stringify(cpt)); } };
            async function main() {
              const out = { progress: [] };
              try {
                let r;
                if (mode === 'cut') {
                  // one part at a time: every part the server accepted is in the checkpoint before the cut one is sent
                  r = await client.multipartUpload(key, file, { partSize, parallel: 1,
                    progress: async (p, cpt) => { out.progress.push(p); save(cpt); } });
                } else if (mode === 'cancel') {
                  r = await client.multipartUpload(key, file, { partSize, parallel: 1,
                    progress: async (p, cpt) => { out.progress.push(p); save(cpt);
                      if (cpt && cpt.doneParts.length >= 4) client.cancel(); } });
                } else {
                  const cpt = JSON.parse(fs.readFileSync(cpFile, 'utf8'));
                  r = await client.multipartUpload(key, file, { checkpoint: cpt, partSize, parallel: 3,
                    progress: async (p, c) => { out.progress.push(p); save(c); } });
                }
                out.ok = true;
                out.status = r.res.status;
                out.etag = r.etag;
              } catch (e) {
                out.ok = false;
                out.name = e.name;
                out.code = e.code;
                out.status = e.status;
                out.message = String(e.message);
              }
              // parts still in flight when a parallel run failed settle before the checkpoint is final
              for (let i = 0; i < 100 && (client.multipartUploadStreams || []).length > 0; i++) {
                await new Promise(res => setTimeout(res, 50));
              }
              await new Promise(res => setTimeout(res, 50));
              if (last) fs.writeFileSync(cpFile, JSON.stringify(last));
              out.doneParts = last ? last.doneParts.map(p => p.number).sort((a, b) => a - b) : [];
              out.uploadId = last ? last.uploadId : null;
              console.log(JSON.stringify(out));
            }
            main();
            """;

    @BeforeAll
    void installAliOss() throws Exception {
        if (Files.exists(NODE_DIR.resolve("node_modules/ali-oss/package.json"))) return;
        Files.createDirectories(NODE_DIR);
        Result install = run(NODE_DIR, 300, "npm", "install", "ali-oss@6.23.0", "--no-audit", "--no-fund");
        if (install.exit == 0 && Files.exists(NODE_DIR.resolve("node_modules/ali-oss/package.json"))) return;
        Result ping = run(NODE_DIR, 60, "npm", "ping");
        if (ping.exit != 0) {
            String why = "SKIPPED: npm cannot reach its registry, ali-oss resumable tests not run: " + ping.output.strip();
            System.out.println(why);
            System.err.println(why);
            Assumptions.abort(why);
        }
        fail("npm install ali-oss@6.23.0 failed although the registry answers:\n" + install.output);
    }

    private record Result(int exit, String output) {}

    private static Result run(Path dir, int timeoutSeconds, String... command) throws IOException, InterruptedException {
        Path log = Files.createTempFile("pail-node-", ".log");
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                return new Result(-1, "timed out after " + timeoutSeconds + " s: " + String.join(" ", command) + "\n"
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
            return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** Runs the script in {@code mode}; returns the JSON line it prints. */
    private JsonNode node(String mode, String bucket, String key, Path file, Path cp) throws Exception {
        Path script = NODE_DIR.resolve("pail-resumable-upload.js");
        Files.writeString(script, SCRIPT, StandardCharsets.UTF_8);
        Result r = run(NODE_DIR, 60, "node", "--dns-result-order=ipv4first", script.toString(), mode, Integer.toString(proxy.port()),
                bucket, key, file.toString(), cp.toString(), TestServer.AK, TestServer.SK);
        assertThat(r.exit).as("node exit status; output:\n%s", r.output).isZero();
        String[] lines = r.output.strip().split("\n");
        return JSON.readTree(lines[lines.length - 1]);
    }

    private static List<Integer> ints(JsonNode array) {
        List<Integer> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asInt()));
        return out;
    }

    private void assertStored(String bucket, String key, byte[] data) throws Exception {
        assertThat(read(direct.getObject(bucket, key))).isEqualTo(data);
        ObjectMetadata md = direct.getObjectMetadata(bucket, key);
        assertThat(md.getServerCRC()).isEqualTo(crc(data));
        assertThat(md.getObjectType()).isEqualTo("Multipart");
        assertThat(md.getContentType()).as("ali-oss sets the type from the file extension at Initiate").isEqualTo("text/plain");
    }

    private void assertResumed(JsonNode second, String uploadId, List<Integer> doneFirst, int parts) {
        List<WireProxy.Request> wire = proxy.requests();
        assertThat(second.get("ok").asBoolean()).as("resumed run: %s", second).isTrue();
        assertThat(second.get("status").asInt()).isEqualTo(200);
        assertThat(wire).allMatch(WireProxy.Request::forwarded);
        assertThat(wire.stream().filter(WireProxy.Request::isInitiate)).as("no new upload").isEmpty();
        List<Integer> expected = new ArrayList<>(range(1, parts));
        expected.removeAll(doneFirst);
        assertThat(forwardedParts(wire)).as("parts sent by the resumed run").containsExactlyElementsOf(expected);
        assertThat(wire.stream().filter(WireProxy.Request::isUploadPart)).allMatch(r -> r.query().get("uploadId").equals(uploadId));
        assertThat(wire.stream().filter(WireProxy.Request::isComplete)).hasSize(1)
                .allMatch(r -> r.query().get("uploadId").equals(uploadId));
        assertThat(ints(second.get("doneParts"))).containsExactlyElementsOf(range(1, parts));
    }

    @Test
    void multipartUploadCutOnTheWireResumesFromTheSavedCheckpoint() throws Exception {
        String bucket = newBucket();
        byte[] data = random(11 * (int) PART + 4096, 41); // 12 parts of 100 KiB
        Path file = writeFile("resume-cut.txt", data);
        Path cp = tmp.resolve("resume-cut.checkpoint.json");

        proxy.killAfter(WireProxy.Request::isUploadPart, 4);
        JsonNode first = node("cut", bucket, "node/resume-cut.txt", file, cp);
        assertThat(first.get("ok").asBoolean()).as("first run must fail: %s", first).isFalse();
        List<Integer> sent = forwardedParts(proxy.requests());
        List<Integer> done = ints(first.get("doneParts"));
        assertThat(sent).hasSize(4);
        assertThat(done).as("checkpoint records every part the server accepted").containsExactlyElementsOf(sent);
        String uploadId = first.get("uploadId").asText();
        assertThat(proxy.requests(WireProxy.Request::isInitiate)).hasSize(1);

        proxy.heal();
        proxy.clear();
        JsonNode second = node("resume", bucket, "node/resume-cut.txt", file, cp);
        assertResumed(second, uploadId, done, 12);
        assertStored(bucket, "node/resume-cut.txt", data);
    }

    @Test
    void multipartUploadCancelledFromProgressResumesFromTheSavedCheckpoint() throws Exception {
        String bucket = newBucket();
        byte[] data = random(9 * (int) PART + 1, 42); // 10 parts
        Path file = writeFile("resume-cancel.txt", data);
        Path cp = tmp.resolve("resume-cancel.checkpoint.json");

        JsonNode first = node("cancel", bucket, "node/resume-cancel.txt", file, cp);
        assertThat(first.get("ok").asBoolean()).as("first run must be cancelled: %s", first).isFalse();
        assertThat(first.get("name").asText()).isEqualTo("cancel");
        assertThat(ints(first.get("doneParts"))).containsExactly(1, 2, 3, 4);
        assertThat(forwardedParts(proxy.requests())).containsExactly(1, 2, 3, 4);
        String uploadId = first.get("uploadId").asText();

        proxy.clear();
        JsonNode second = node("resume", bucket, "node/resume-cancel.txt", file, cp);
        assertResumed(second, uploadId, List.of(1, 2, 3, 4), 10);
        // resumed progress starts past the checkpointed parts and ends at 100 % after Complete
        assertThat(second.get("progress").get(0).asDouble()).isEqualTo(5.0 / 11);
        assertThat(second.get("progress").get(second.get("progress").size() - 1).asDouble()).isEqualTo(1.0);
        assertStored(bucket, "node/resume-cancel.txt", data);
    }
}
