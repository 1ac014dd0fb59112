package dev.pail.it.security;

import static dev.pail.it.TestServer.AK;
import static dev.pail.it.TestServer.SK;
import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.OSS;
import dev.pail.it.Clients;
import dev.pail.it.TestServer;
import dev.pail.it.RawHttp;
import dev.pail.it.RawHttp.Resp;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keys that look like file-system paths are just keys (core.md §8): they are stored and read back
 * byte-exact, never name a file, and nothing is ever written outside the server's data directory.
 * Keys the spec forbids are refused with InvalidObjectName on every operation.
 */
class PathSafetyTest {
    static TestServer server;
    static OSS oss;
    static int port;
    static final String B = "path-safety";
    /** Appears in every escape attempt, so a file created anywhere by one is easy to find. */
    static final String NONCE = "pailesc" + Long.toHexString(new Random().nextLong() & 0xFFFFFFFFL);

    @BeforeAll
    static void start() {
        server = new TestServer();
        port = server.port();
        oss = Clients.v1(server);
        oss.createBucket(B);
    }

    @AfterAll
    static void stop() {
        oss.shutdown();
        server.close();
    }

    static Resp signed(RawHttp.Req r, String resource) { return r.signV1(AK, SK, resource).send(port); }

    /** Request-line path (exactly as sent) → the key the server must see. */
    static Map<String, String> hostileKeys() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("../../" + NONCE + "-1", "../../" + NONCE + "-1");
        m.put("a/../../" + NONCE + "-2", "a/../../" + NONCE + "-2");
        m.put("..", "..");
        m.put(".", ".");
        m.put("./" + NONCE + "-3", "./" + NONCE + "-3");
        m.put("%2e%2e/" + NONCE + "-4", "../" + NONCE + "-4");
        m.put("%2E%2E%2F%2E%2E%2F" + NONCE + "-5", "../../" + NONCE + "-5");
        m.put("../".repeat(20) + "tmp/" + NONCE + "-6", "../".repeat(20) + "tmp/" + NONCE + "-6");
        m.put("..%5C..%5C" + NONCE + "-7", "..\\..\\" + NONCE + "-7");
        m.put("nul%00byte-" + NONCE, "nul\0byte-" + NONCE);
        m.put("%00", "\0");
        m.put("a/./b/../c", "a/./b/../c");
        m.put("dir//double", "dir//double");
        m.put("trailing/", "trailing/");
        m.put("blobs/../meta.db", "blobs/../meta.db");
        m.put("..%2F..%2Fkeys%2Fcredentials.properties", "../../keys/credentials.properties");
        m.put("%E2%80%AE%2E%2E", "\u202E..");
        return m;
    }

    static byte[] contentFor(String key) {
        byte[] b = new byte[97];
        new Random(key.hashCode()).nextBytes(b);
        return b;
    }

    @Test
    void pathLikeKeysAreOrdinaryKeys() throws Exception {
        long blobsBefore = blobCount();
        Map<String, String> keys = hostileKeys();
        for (Map.Entry<String, String> e : keys.entrySet()) {
            String path = "/" + B + "/" + e.getKey();
            String resource = "/" + B + "/" + e.getValue();
            signed(RawHttp.req("PUT", path).body(contentFor(e.getValue())), resource).assertOk();
        }
        // the same traversal through a virtual-hosted request
        String vkey = "../../" + NONCE + "-vhost";
        signed(RawHttp.req("PUT", "/" + vkey).header("Host", B + ".localhost:" + port).body(contentFor(vkey)), "/" + B + "/" + vkey)
                .assertOk();
        // and as a copy destination and a copy source
        String ckey = "../../" + NONCE + "-copy";
        signed(RawHttp.req("PUT", "/" + B + "/" + ckey).header("x-oss-copy-source", "/" + B + "/..%2F..%2F" + NONCE + "-1")
                .body(new byte[0]), "/" + B + "/" + ckey).assertOk();

        // each reads back byte-exact, under exactly its own key
        for (Map.Entry<String, String> e : keys.entrySet()) {
            Resp r = signed(RawHttp.req("GET", "/" + B + "/" + e.getKey()), "/" + B + "/" + e.getValue());
            r.assertOk();
            assertThat(r.body()).as(e.getValue()).isEqualTo(contentFor(e.getValue()));
            Resp enc = signed(RawHttp.req("GET", "/" + B + "/" + RawHttp.encPath(e.getValue())), "/" + B + "/" + e.getValue());
            assertThat(enc.body()).as(e.getValue()).isEqualTo(contentFor(e.getValue()));
        }
        assertThat(signed(RawHttp.req("GET", "/" + B + "/" + ckey), "/" + B + "/" + ckey).body())
                .isEqualTo(contentFor("../../" + NONCE + "-1"));
        List<String> listed = listKeys();
        List<String> expected = new ArrayList<>(keys.values());
        expected.add(vkey);
        expected.add(ckey);
        assertThat(listed).containsExactlyInAnyOrderElementsOf(expected);

        // a copy source that climbs out of the bucket is just a key that does not exist
        signed(RawHttp.req("PUT", "/" + B + "/copied").header("x-oss-copy-source", "/" + B + "/../../../../etc/passwd")
                .body(new byte[0]), "/" + B + "/copied").assertError(404, "NoSuchKey");
        signed(RawHttp.req("PUT", "/" + B + "/copied").header("x-oss-copy-source", "/../../etc/passwd")
                .body(new byte[0]), "/" + B + "/copied").assertEnvelope();
        assertThat(oss.doesObjectExist(B, "copied")).isFalse();

        assertDataDirIsClean();
        assertNothingEscaped();

        // deleting them removes exactly their blobs
        for (String key : listed) {
            signed(RawHttp.req("DELETE", "/" + B + "/" + RawHttp.encPath(key)), "/" + B + "/" + key).assertOk();
        }
        assertThat(listKeys()).isEmpty();
        assertThat(blobCount()).isEqualTo(blobsBefore);
        assertDataDirIsClean();
    }

    @Test
    void keyLengthLimitIsInBytes() throws Exception {
        String ascii1023 = "k".repeat(1023);
        String multi1023 = "é".repeat(511) + "z";           // 511 × 2 + 1 bytes
        String cjk1023 = "中".repeat(341);                   // 341 × 3 bytes
        for (String key : List.of(ascii1023, multi1023, cjk1023)) {
            assertThat(key.getBytes(StandardCharsets.UTF_8)).hasSize(1023);
            String path = "/" + B + "/" + RawHttp.encPath(key);
            signed(RawHttp.req("PUT", path).body(contentFor(key)), "/" + B + "/" + key).assertOk();
            Resp r = signed(RawHttp.req("GET", path), "/" + B + "/" + key);
            assertThat(r.body()).isEqualTo(contentFor(key));
            assertThat(listKeys()).contains(key);
        }
        String ascii1024 = "k".repeat(1024);
        String multi1024 = "é".repeat(512);
        String cjk1024 = "中".repeat(341) + "z";
        for (String key : List.of(ascii1024, multi1024, cjk1024)) {
            assertThat(key.getBytes(StandardCharsets.UTF_8)).hasSize(1024);
            String path = "/" + B + "/" + RawHttp.encPath(key);
            signed(RawHttp.req("PUT", path).body("x"), "/" + B + "/" + key).assertError(400, "InvalidObjectName");
            signed(RawHttp.req("GET", path), "/" + B + "/" + key).assertError(400, "InvalidObjectName");
            signed(RawHttp.req("HEAD", path), "/" + B + "/" + key).assertError(400, "InvalidObjectName");
            signed(RawHttp.req("DELETE", path), "/" + B + "/" + key).assertError(400, "InvalidObjectName");
        }
        assertThat(listKeys()).noneMatch(k -> k.getBytes(StandardCharsets.UTF_8).length > 1023);
        for (String key : List.of(ascii1023, multi1023, cjk1023)) oss.deleteObject(B, key);
    }

    @Test
    void forbiddenKeysAreInvalidObjectNameEverywhere() {
        // request path → the (forbidden) key the server sees
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("%2F" + NONCE, "/" + NONCE);
        bad.put("/" + NONCE + "-slash", "/" + NONCE + "-slash");
        bad.put("%2F%2E%2E%2F" + NONCE, "/../" + NONCE);
        bad.put("%5C" + NONCE, "\\" + NONCE);
        bad.put("%5C..%5C" + NONCE, "\\..\\" + NONCE);
        bad.put("\\" + NONCE + "-raw", "\\" + NONCE + "-raw");
        for (Map.Entry<String, String> e : bad.entrySet()) {
            String path = "/" + B + "/" + e.getKey();
            String res = "/" + B + "/" + e.getValue();
            signed(RawHttp.req("PUT", path).body("x"), res).assertError(400, "InvalidObjectName");
            signed(RawHttp.req("GET", path), res).assertError(400, "InvalidObjectName");
            signed(RawHttp.req("HEAD", path), res).assertError(400, "InvalidObjectName");
            signed(RawHttp.req("HEAD", path + "?objectMeta"), res + "?objectMeta").assertError(400, "InvalidObjectName");
            signed(RawHttp.req("DELETE", path), res).assertError(400, "InvalidObjectName");
            signed(RawHttp.req("PUT", path + "?acl").header("x-oss-object-acl", "public-read").body(new byte[0]), res + "?acl")
                    .assertError(400, "InvalidObjectName");
            signed(RawHttp.req("GET", path + "?acl"), res + "?acl").assertError(400, "InvalidObjectName");
            signed(RawHttp.req("PUT", path).header("x-oss-copy-source", "/" + B + "/whatever").body(new byte[0]), res)
                    .assertError(400, "InvalidObjectName");
        }
        // a forbidden key as copy source, and in a Delete document
        oss.putObject(B, "fine", new java.io.ByteArrayInputStream("f".getBytes()));
        signed(RawHttp.req("PUT", "/" + B + "/dest").header("x-oss-copy-source", "/" + B + "/%2Fetc%2Fpasswd").body(new byte[0]),
                "/" + B + "/dest").assertError(400, "InvalidObjectName");
        byte[] del = ("<Delete><Object><Key>fine</Key></Object><Object><Key>/" + NONCE + "</Key></Object></Delete>").getBytes();
        signed(RawHttp.req("POST", "/" + B + "/?delete").body(del).md5(), "/" + B + "/?delete").assertError(400, "InvalidObjectName");
        assertThat(oss.doesObjectExist(B, "fine")).isTrue();
        assertThat(oss.doesObjectExist(B, "dest")).isFalse();
        // invalid UTF-8 in a key
        signed(RawHttp.req("PUT", "/" + B + "/bad%FFutf8").body("x"), "/" + B + "/bad\uFFFDutf8").assertError(400, "InvalidObjectName");
        assertThat(listKeys()).noneMatch(k -> k.startsWith("/") || k.startsWith("\\"));
        oss.deleteObject(B, "fine");
    }

    // ---- helpers -------------------------------------------------------------------------------------

    static List<String> listKeys() {
        List<String> out = new ArrayList<>();
        String marker = "";
        while (true) {
            Resp r = signed(RawHttp.req("GET", "/" + B + "/?encoding-type=url&max-keys=1000&marker=" + RawHttp.enc(marker)), "/" + B + "/");
            r.assertOk();
            Matcher m = Pattern.compile("<Key>(.*?)</Key>").matcher(r.text());
            while (m.find()) out.add(URLDecoder.decode(m.group(1), StandardCharsets.UTF_8));
            if (!r.text().contains("<IsTruncated>true</IsTruncated>")) return out;
            marker = URLDecoder.decode(RawHttp.element(r.text(), "NextMarker"), StandardCharsets.UTF_8);
        }
    }

    static long blobCount() throws IOException {
        try (Stream<Path> s = Files.walk(server.dataDir().resolve("blobs"))) {
            return s.filter(Files::isRegularFile).count();
        }
    }

    /** Only Pail's own layout: blobs/ab/cd/<32 hex>, an empty tmp/, keys/, the database and the running marker. */
    static void assertDataDirIsClean() throws IOException {
        Path data = server.dataDir();
        Set<String> allowedTop = Set.of("blobs", "tmp", "keys", "meta.db", "meta.db-wal", "meta.db-shm", "meta.db-journal", "running");
        try (Stream<Path> top = Files.list(data)) {
            top.forEach(p -> assertThat(allowedTop).as("unexpected entry %s", p).contains(p.getFileName().toString()));
        }
        try (Stream<Path> tmp = Files.list(data.resolve("tmp"))) {
            assertThat(tmp.toList()).as("tmp/ after the uploads finished").isEmpty();
        }
        Pattern blob = Pattern.compile("blobs(/[0-9a-f]{2}(/[0-9a-f]{2}(/[0-9a-f]{32})?)?)?");
        try (Stream<Path> all = Files.walk(data.resolve("blobs"))) {
            all.forEach(p -> {
                String rel = data.relativize(p).toString();
                assertThat(blob.matcher(rel).matches()).as("unexpected blob path %s", rel).isTrue();
            });
        }
        try (Stream<Path> all = Files.walk(data)) {
            all.forEach(p -> assertThat(p.toString()).doesNotContain(NONCE));
        }
    }

    /** No file named after an escape attempt anywhere near the data directory, nor at the root of the file system. */
    static void assertNothingEscaped() throws IOException {
        Path data = server.dataDir().toAbsolutePath();
        List<Path> roots = new ArrayList<>();
        for (Path p = data.getParent(); p != null; p = p.getParent()) roots.add(p);
        roots.add(data.getParent().resolve("tmp"));
        for (Path dir : roots) {
            if (!Files.isDirectory(dir)) continue;
            try (Stream<Path> s = Files.list(dir)) {
                s.forEach(p -> assertThat(p.getFileName().toString()).as("escaped into %s", dir).doesNotContain(NONCE));
            }
        }
        // and none of the traversal targets resolved against any directory of the server
        for (String key : hostileKeys().values()) {
            if (!key.contains(NONCE) || key.indexOf('\0') >= 0) continue;
            for (Path base : List.of(data, data.resolve("blobs"), data.resolve("tmp"), data.resolve("blobs/00/00"))) {
                Path target = base.resolve(key.replace('\\', '/')).normalize();
                if (!target.startsWith(data)) assertThat(target).as("escape target of %s", key).doesNotExist();
            }
        }
    }
}
