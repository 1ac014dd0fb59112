package dev.pail.it.security;

import static dev.pail.it.TestServer.AK;
import static dev.pail.it.TestServer.SK;
import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.OSS;
import com.aliyun.oss.model.CannedAccessControlList;
import com.aliyun.oss.model.CreateBucketRequest;
import dev.pail.it.Clients;
import dev.pail.it.TestServer;
import dev.pail.it.RawHttp;
import dev.pail.it.RawHttp.Resp;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What anonymous requests may do under public ACLs (OSS rules, ops/Dispatcher.java): public-read
 * buckets can be read and listed, public-read-write ones written, an object's own ACL overrides its
 * bucket's, and administration always needs a signature.
 */
class AnonymousAccessTest {
    static TestServer server;
    static OSS oss;
    static int port;

    @BeforeAll
    static void start() {
        server = new TestServer();
        port = server.port();
        oss = Clients.v1(server);
        bucket("anon-private", CannedAccessControlList.Private);
        bucket("anon-read", CannedAccessControlList.PublicRead);
        bucket("anon-write", CannedAccessControlList.PublicReadWrite);
        put("anon-private", "open.txt", "open to all");
        put("anon-private", "closed.txt", "owner only");
        oss.setObjectAcl("anon-private", "open.txt", CannedAccessControlList.PublicRead);
        put("anon-read", "dir/readable.txt", "readable");
        put("anon-read", "locked.txt", "locked");
        oss.setObjectAcl("anon-read", "locked.txt", CannedAccessControlList.Private);
        put("anon-write", "existing.txt", "existing");
    }

    static void bucket(String name, CannedAccessControlList acl) {
        CreateBucketRequest r = new CreateBucketRequest(name);
        r.setCannedACL(acl);
        oss.createBucket(r);
        assertThat(oss.getBucketAcl(name).getCannedACL()).isEqualTo(acl);
    }

    static void put(String bucket, String key, String content) {
        oss.putObject(bucket, key, new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)));
    }

    static String content(String bucket, String key) throws Exception {
        try (var o = oss.getObject(bucket, key)) {
            return new String(o.getObjectContent().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @AfterAll
    static void stop() {
        oss.shutdown();
        server.close();
    }

    static Resp anon(String method, String target) { return RawHttp.req(method, target).send(port); }

    static Resp anonPut(String target, String body) { return RawHttp.req("PUT", target).body(body).send(port); }

    static java.util.List<String> keys(String xml) {
        Matcher m = Pattern.compile("<Key>(.*?)</Key>").matcher(xml);
        java.util.List<String> out = new java.util.ArrayList<>();
        while (m.find()) out.add(m.group(1));
        return out;
    }

    @Test
    void publicReadBucketCanBeReadAndListedButNotWritten() throws Exception {
        Resp get = anon("GET", "/anon-read/dir/readable.txt");
        get.assertOk();
        assertThat(get.text()).isEqualTo("readable");
        Resp head = anon("HEAD", "/anon-read/dir/readable.txt");
        head.assertOk();
        assertThat(head.header("Content-Length")).isEqualTo("8");
        assertThat(head.header("ETag")).isNotBlank();
        anon("HEAD", "/anon-read/dir/readable.txt?objectMeta").assertOk();
        Resp range = RawHttp.req("GET", "/anon-read/dir/readable.txt").header("Range", "bytes=0-3").send(port);
        assertThat(range.status()).isEqualTo(206);
        assertThat(range.text()).isEqualTo("read");

        Resp list = anon("GET", "/anon-read/");
        list.assertOk();
        assertThat(keys(list.text())).contains("dir/readable.txt");
        Resp list2 = anon("GET", "/anon-read/?list-type=2&prefix=dir%2F");
        list2.assertOk();
        assertThat(keys(list2.text())).containsExactly("dir/readable.txt");
        // a missing key of a readable bucket is a plain 404
        anon("GET", "/anon-read/missing.txt").assertError(404, "NoSuchKey");

        // writes of any kind are refused, and change nothing
        anonPut("/anon-read/dir/readable.txt", "overwritten").assertError(403, "AccessDenied");
        anonPut("/anon-read/new.txt", "new").assertError(403, "AccessDenied");
        anon("DELETE", "/anon-read/dir/readable.txt").assertError(403, "AccessDenied");
        RawHttp.req("PUT", "/anon-read/copy.txt").header("x-oss-copy-source", "/anon-read/dir/readable.txt").body(new byte[0])
                .send(port).assertError(403, "AccessDenied");
        RawHttp.req("PUT", "/anon-read/dir/readable.txt?acl").header("x-oss-object-acl", "public-read-write").body(new byte[0])
                .send(port).assertError(403, "AccessDenied");
        RawHttp.req("PUT", "/anon-read/?acl").header("x-oss-acl", "public-read-write").body(new byte[0])
                .send(port).assertError(403, "AccessDenied");
        byte[] del = "<Delete><Object><Key>dir/readable.txt</Key></Object></Delete>".getBytes();
        RawHttp.req("POST", "/anon-read/?delete").body(del).md5().send(port).assertError(403, "AccessDenied");
        // bucket administration and listings other than objects stay private
        anon("GET", "/anon-read/?acl").assertError(403, "AccessDenied");
        anon("GET", "/anon-read/?bucketInfo").assertError(403, "AccessDenied");
        anon("GET", "/anon-read/?versions").assertError(403, "AccessDenied");
        anon("GET", "/anon-read/?uploads").assertError(403, "AccessDenied");
        anon("GET", "/anon-read/dir/readable.txt?acl").assertError(403, "AccessDenied");
        anon("DELETE", "/anon-read/").assertError(403, "AccessDenied");
        anon("GET", "/").assertError(403, "AccessDenied");

        assertThat(content("anon-read", "dir/readable.txt")).isEqualTo("readable");
        assertThat(oss.doesObjectExist("anon-read", "new.txt")).isFalse();
        assertThat(oss.doesObjectExist("anon-read", "copy.txt")).isFalse();
        assertThat(oss.getBucketAcl("anon-read").getCannedACL()).isEqualTo(CannedAccessControlList.PublicRead);
        assertThat(oss.getObjectAcl("anon-read", "dir/readable.txt").getPermission().toString()).isEqualTo("default");
        assertThat(oss.doesBucketExist("anon-read")).isTrue();
    }

    @Test
    void privateObjectInPublicReadBucketIsRefused() {
        anon("GET", "/anon-read/locked.txt").assertError(403, "AccessDenied");
        Resp head = anon("HEAD", "/anon-read/locked.txt");
        head.assertError(403, "AccessDenied");
        assertThat(head.body()).isEmpty();
        anon("HEAD", "/anon-read/locked.txt?objectMeta").assertError(403, "AccessDenied");
        assertThat(anon("GET", "/anon-read/locked.txt").errorXml()).doesNotContain("locked\n").doesNotContain(">locked<");
    }

    @Test
    void publicReadObjectInPrivateBucketIsReadable() {
        Resp get = anon("GET", "/anon-private/open.txt");
        get.assertOk();
        assertThat(get.text()).isEqualTo("open to all");
        anon("HEAD", "/anon-private/open.txt").assertOk();
        // its neighbours and the listing are not
        anon("GET", "/anon-private/closed.txt").assertError(403, "AccessDenied");
        anon("GET", "/anon-private/missing.txt").assertError(403, "AccessDenied"); // no existence oracle
        anon("GET", "/anon-private/").assertError(403, "AccessDenied");
        anon("GET", "/anon-private/?list-type=2").assertError(403, "AccessDenied");
        // public-read does not mean writable
        anonPut("/anon-private/open.txt", "changed").assertError(403, "AccessDenied");
        anon("DELETE", "/anon-private/open.txt").assertError(403, "AccessDenied");
        // an anonymous copy cannot smuggle a private object out through a public one either
        RawHttp.req("PUT", "/anon-write/stolen.txt").header("x-oss-copy-source", "/anon-private/closed.txt").body(new byte[0])
                .send(port).assertError(403, "AccessDenied");
        assertThat(oss.doesObjectExist("anon-write", "stolen.txt")).isFalse();
    }

    @Test
    void publicReadWriteBucketAcceptsAnonymousWrites() throws Exception {
        anonPut("/anon-write/dropped.txt", "dropped anonymously").assertOk();
        assertThat(content("anon-write", "dropped.txt")).isEqualTo("dropped anonymously");
        Resp get = anon("GET", "/anon-write/dropped.txt");
        assertThat(get.text()).isEqualTo("dropped anonymously");
        anon("GET", "/anon-write/").assertOk();
        // a copy from a readable source works anonymously
        RawHttp.req("PUT", "/anon-write/copied.txt").header("x-oss-copy-source", "/anon-private/open.txt").body(new byte[0])
                .send(port).assertOk();
        assertThat(content("anon-write", "copied.txt")).isEqualTo("open to all");
        anon("DELETE", "/anon-write/dropped.txt").assertOk();
        assertThat(oss.doesObjectExist("anon-write", "dropped.txt")).isFalse();
        // administration still needs a signature
        RawHttp.req("PUT", "/anon-write/?acl").header("x-oss-acl", "private").body(new byte[0]).send(port).assertError(403, "AccessDenied");
        anon("DELETE", "/anon-write/").assertError(403, "AccessDenied");
        anon("GET", "/anon-write/?acl").assertError(403, "AccessDenied");
        RawHttp.req("PUT", "/anon-write/existing.txt?acl").header("x-oss-object-acl", "public-read").body(new byte[0])
                .send(port).assertError(403, "AccessDenied");
        anon("GET", "/anon-write/existing.txt?acl").assertError(403, "AccessDenied");
        assertThat(oss.getBucketAcl("anon-write").getCannedACL()).isEqualTo(CannedAccessControlList.PublicReadWrite);
        assertThat(oss.getObjectAcl("anon-write", "existing.txt").getPermission().toString()).isEqualTo("default");
        // creating buckets is never anonymous
        RawHttp.req("PUT", "/anon-created/").body(new byte[0]).send(port).assertError(403, "AccessDenied");
        assertThat(oss.doesBucketExist("anon-created")).isFalse();
    }

    @Test
    void objectAclOverridesAPublicReadWriteBucket() throws Exception {
        put("anon-write", "guarded.txt", "guarded");
        oss.setObjectAcl("anon-write", "guarded.txt", CannedAccessControlList.Private);
        anon("GET", "/anon-write/guarded.txt").assertError(403, "AccessDenied");
        anonPut("/anon-write/guarded.txt", "overwritten").assertError(403, "AccessDenied");
        anon("DELETE", "/anon-write/guarded.txt").assertError(403, "AccessDenied");
        RawHttp.req("PUT", "/anon-write/guarded.txt").header("x-oss-copy-source", "/anon-write/existing.txt").body(new byte[0])
                .send(port).assertError(403, "AccessDenied");
        // nor through a multi-object delete, which must not be a way around the object's ACL
        put("anon-write", "free.txt", "free");
        byte[] del = "<Delete><Quiet>false</Quiet><Object><Key>free.txt</Key></Object><Object><Key>guarded.txt</Key></Object></Delete>"
                .getBytes(StandardCharsets.UTF_8);
        Resp r = RawHttp.req("POST", "/anon-write/?delete").body(del).md5().send(port);
        assertThat(r.status()).as(r.text()).isNotEqualTo(500);
        assertThat(oss.doesObjectExist("anon-write", "guarded.txt")).isTrue();
        assertThat(content("anon-write", "guarded.txt")).isEqualTo("guarded");
        if (r.status() == 200) assertThat(keys(r.text())).doesNotContain("guarded.txt");
        else {
            r.assertError(403, "AccessDenied"); // refused as a whole: nothing deleted
            assertThat(oss.doesObjectExist("anon-write", "free.txt")).isTrue();
        }
        // deleting only deletable objects anonymously works
        put("anon-write", "free2.txt", "free");
        byte[] ok = "<Delete><Object><Key>free2.txt</Key></Object></Delete>".getBytes(StandardCharsets.UTF_8);
        RawHttp.req("POST", "/anon-write/?delete").body(ok).md5().send(port).assertOk();
        assertThat(oss.doesObjectExist("anon-write", "free2.txt")).isFalse();
    }

    @Test
    void aclChangesTakeEffectImmediately() {
        put("anon-private", "toggle.txt", "t");
        anon("GET", "/anon-private/toggle.txt").assertError(403, "AccessDenied");
        oss.setObjectAcl("anon-private", "toggle.txt", CannedAccessControlList.PublicRead);
        anon("GET", "/anon-private/toggle.txt").assertOk();
        oss.setObjectAcl("anon-private", "toggle.txt", CannedAccessControlList.Default);
        anon("GET", "/anon-private/toggle.txt").assertError(403, "AccessDenied");
        // a signed request is unaffected by ACLs
        RawHttp.req("GET", "/anon-private/toggle.txt").signV1(AK, SK, "/anon-private/toggle.txt").send(port).assertOk();
        // an anonymous request to a bucket that does not exist
        Resp r = anon("GET", "/anon-nowhere/x");
        assertThat(r.status()).isIn(403, 404);
        r.assertEnvelope();
    }
}
