package dev.pail.it.http;

import dev.pail.it.RawHttp;
import static dev.pail.it.TestServer.AK;
import static dev.pail.it.TestServer.SK;
import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.OSS;
import com.aliyun.oss.model.OSSObjectSummary;
import dev.pail.it.Clients;
import dev.pail.it.TestServer;
import dev.pail.it.RawHttp.Resp;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Host and path addressing (core.md §2): virtual-hosted, node-style, path style, encoded slashes, query decoding. */
class AddressingTest {
    static TestServer server;
    static OSS oss;
    static int port;

    @BeforeAll
    static void start() {
        server = new TestServer();
        port = server.port();
        oss = Clients.v1(server);
    }

    @AfterAll
    static void stop() {
        oss.shutdown();
        server.close();
    }

    private static Resp signed(RawHttp.Req r, String resource) { return r.signV1(AK, SK, resource).send(port); }

    private static String content(String bucket, String key) throws Exception {
        try (var o = oss.getObject(bucket, key)) {
            return new String(o.getObjectContent().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static List<String> keys(String xml) {
        Matcher m = Pattern.compile("<Key>(.*?)</Key>").matcher(xml);
        List<String> out = new java.util.ArrayList<>();
        while (m.find()) out.add(m.group(1));
        return out;
    }

    @Test
    void virtualHostedStyleWithLocalhost() throws Exception {
        String host = "vh-local.localhost:" + port;
        signed(RawHttp.req("PUT", "/").header("Host", host).body(new byte[0]), "/vh-local/").assertOk();
        assertThat(oss.doesBucketExist("vh-local")).isTrue();

        signed(RawHttp.req("PUT", "/dir/a%20b+c.txt").header("Host", host).body("virtual"), "/vh-local/dir/a b+c.txt").assertOk();
        assertThat(content("vh-local", "dir/a b+c.txt")).isEqualTo("virtual");

        Resp get = signed(RawHttp.req("GET", "/dir/a%20b+c.txt").header("Host", host), "/vh-local/dir/a b+c.txt");
        get.assertOk();
        assertThat(get.text()).isEqualTo("virtual");

        Resp list = signed(RawHttp.req("GET", "/?prefix=dir%2F").header("Host", host), "/vh-local/");
        list.assertOk();
        assertThat(list.text()).contains("<Name>vh-local</Name>");
        assertThat(keys(list.text())).containsExactly("dir/a b+c.txt");

        Resp acl = signed(RawHttp.req("GET", "/?acl").header("Host", host), "/vh-local/?acl");
        acl.assertOk();
        assertThat(acl.text()).contains("<Grant>private</Grant>");

        // the signature still covers the bucket: signing without it must fail
        signed(RawHttp.req("GET", "/dir/a%20b+c.txt").header("Host", host), "/dir/a b+c.txt").assertError(403, "SignatureDoesNotMatch");

        // host name matching ignores case; the bare base domain is path style
        Resp upper = signed(RawHttp.req("GET", "/dir/a%20b+c.txt").header("Host", "VH-LOCAL.LOCALHOST:" + port),
                "/vh-local/dir/a b+c.txt");
        assertThat(upper.text()).isEqualTo("virtual");
        Resp bare = signed(RawHttp.req("GET", "/vh-local/dir/a%20b+c.txt").header("Host", "localhost:" + port),
                "/vh-local/dir/a b+c.txt");
        assertThat(bare.text()).isEqualTo("virtual");
    }

    @Test
    void nodeStyleAliyuncsHost() throws Exception {
        oss.createBucket("vh-node");
        String host = "vh-node.oss-cn-hangzhou.aliyuncs.com";
        signed(RawHttp.req("PUT", "/n/k.txt").header("Host", host).body("node"), "/vh-node/n/k.txt").assertOk();
        assertThat(content("vh-node", "n/k.txt")).isEqualTo("node");
        Resp get = signed(RawHttp.req("GET", "/n/k.txt").header("Host", host), "/vh-node/n/k.txt");
        assertThat(get.text()).isEqualTo("node");
        Resp list = signed(RawHttp.req("GET", "/").header("Host", host), "/vh-node/");
        assertThat(keys(list.text())).containsExactly("n/k.txt");
        // service request with an empty bucket label (node with an IP endpoint)
        Resp service = signed(RawHttp.req("GET", "/").header("Host", ".oss-cn-hangzhou.aliyuncs.com"), "/");
        service.assertOk();
        assertThat(service.text()).contains("<ListAllMyBucketsResult>").contains("<Name>vh-node</Name>");
    }

    @Test
    void pathStyleVariants() throws Exception {
        oss.createBucket("path-style");
        oss.putObject("path-style", "x/y/z.txt", new ByteArrayInputStream("slashes".getBytes()));
        // %2F inside the key is the same as /
        Resp enc = signed(RawHttp.req("GET", "/path-style/x%2Fy%2Fz.txt"), "/path-style/x/y/z.txt");
        assertThat(enc.text()).isEqualTo("slashes");
        signed(RawHttp.req("PUT", "/path-style/p%2Fq").body("pq"), "/path-style/p/q").assertOk();
        assertThat(content("path-style", "p/q")).isEqualTo("pq");
        // '+' in a path is a plus, %20 a space
        signed(RawHttp.req("PUT", "/path-style/a+b%20c").body("plus"), "/path-style/a+b c").assertOk();
        assertThat(content("path-style", "a+b c")).isEqualTo("plus");
        // bucket-level request without the trailing slash
        Resp noSlash = signed(RawHttp.req("GET", "/path-style?prefix=x"), "/path-style/");
        noSlash.assertOk();
        assertThat(keys(noSlash.text())).containsExactly("x/y/z.txt");
        // absolute-form request target
        Resp abs = signed(RawHttp.req("GET", "http://127.0.0.1:" + port + "/path-style/p/q"), "/path-style/p/q");
        assertThat(abs.text()).isEqualTo("pq");
        // a double slash belongs to the key
        signed(RawHttp.req("PUT", "/path-style/d//e").body("dd"), "/path-style/d//e").assertOk();
        assertThat(oss.listObjects("path-style", "d/").getObjectSummaries()).extracting(OSSObjectSummary::getKey)
                .containsExactly("d//e");
    }

    @Test
    void aclWithAndWithoutEquals() {
        oss.createBucket("acl-forms");
        oss.putObject("acl-forms", "o", new ByteArrayInputStream("o".getBytes()));
        for (String q : new String[] {"?acl", "?acl="}) {
            Resp b = signed(RawHttp.req("GET", "/acl-forms/" + q), "/acl-forms/?acl");
            b.assertOk();
            assertThat(b.text()).contains("<AccessControlPolicy>").contains("<Grant>private</Grant>");
            Resp o = signed(RawHttp.req("GET", "/acl-forms/o" + q), "/acl-forms/o?acl");
            o.assertOk();
            assertThat(o.text()).contains("<Grant>default</Grant>");
        }
        signed(RawHttp.req("PUT", "/acl-forms/o?acl=").header("x-oss-object-acl", "public-read").body(new byte[0]),
                "/acl-forms/o?acl").assertOk();
        assertThat(oss.getObjectAcl("acl-forms", "o").getPermission().toString()).isEqualTo("public-read");
        signed(RawHttp.req("PUT", "/acl-forms/?acl").header("x-oss-acl", "public-read").body(new byte[0]),
                "/acl-forms/?acl").assertOk();
        assertThat(oss.getBucketAcl("acl-forms").getCannedACL().toString()).isEqualTo("public-read");
    }

    @Test
    void formStylePlusInQueryValues() {
        oss.createBucket("plus-query");
        oss.putObject("plus-query", "a b/1.txt", new ByteArrayInputStream("1".getBytes()));
        oss.putObject("plus-query", "a+b/2.txt", new ByteArrayInputStream("2".getBytes()));
        Resp space = signed(RawHttp.req("GET", "/plus-query/?prefix=a+b"), "/plus-query/");
        assertThat(keys(space.text())).containsExactly("a b/1.txt");
        Resp space20 = signed(RawHttp.req("GET", "/plus-query/?prefix=a%20b"), "/plus-query/");
        assertThat(keys(space20.text())).containsExactly("a b/1.txt");
        Resp plus = signed(RawHttp.req("GET", "/plus-query/?prefix=a%2Bb"), "/plus-query/");
        assertThat(keys(plus.text())).containsExactly("a+b/2.txt");
        // listing V2 and the marker decode the same way
        Resp v2 = signed(RawHttp.req("GET", "/plus-query/?list-type=2&start-after=a+b%2F0"), "/plus-query/");
        assertThat(keys(v2.text())).containsExactly("a b/1.txt", "a+b/2.txt");
        // a signed sub-resource value with '+' meaning space: response-content-type
        Resp rct = signed(RawHttp.req("GET", "/plus-query/a+b/2.txt?response-content-disposition=attachment;+x"),
                "/plus-query/a+b/2.txt?response-content-disposition=attachment; x");
        rct.assertOk();
        assertThat(rct.header("Content-Disposition")).isEqualTo("attachment; x");
    }
}
