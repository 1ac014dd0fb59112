package dev.pail.it.j1;

import dev.pail.it.OssHttp;
import dev.pail.xml.UrlEncoding;
import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.OSS;
import com.aliyun.oss.model.DeleteObjectsRequest;
import com.aliyun.oss.model.DeleteObjectsResult;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** DeleteObject and DeleteMultipleObjects (core.md §7.13, §7.14). */
class DeleteTest extends J1Base {
    private static final List<String> ODD_KEYS = List.of("dir/ü%20&<x>.txt", "a b+c", "x~!*'()\"y", "中文/键");

    private List<String> keys(OSS oss, String b) {
        return oss.listObjects(b).getObjectSummaries().stream().map(s -> s.getKey()).toList();
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void deleteObject(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = newBucket(sig);
        oss.putObject(b, "d/one", in(bytes("1")));
        oss.putObject(b, "d/two", in(bytes("2")));
        oss.deleteObject(b, "d/one");
        assertThat(oss.doesObjectExist(b, "d/one")).isFalse();
        ossError("NoSuchKey", () -> oss.getObject(b, "d/one").close());
        assertThat(keys(oss, b)).containsExactly("d/two");

        // deleting a key that does not exist succeeds
        oss.deleteObject(b, "d/one");
        oss.deleteObject(b, "never/existed");
        assertThat(keys(oss, b)).containsExactly("d/two");

        oss.putObject(b, "d/one", in(bytes("again")));
        assertThat(read(oss.getObject(b, "d/one"))).isEqualTo(bytes("again"));

        OssHttp.Resp r = raw.req("DELETE", b, "d/two").send();
        assertThat(r.status()).isEqualTo(204);
        assertThat(r.body()).isEmpty();
        assertThat(r.header("x-oss-request-id")).matches(REQUEST_ID);
        OssHttp.Resp again = raw.req("DELETE", b, "d/two").send();
        assertThat(again.status()).isEqualTo(204);

        ossError("NoSuchBucket", () -> oss.deleteObject("no-such-bucket-del", "k"));
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void deleteOddKeys(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = newBucket(sig);
        for (String k : ODD_KEYS) oss.putObject(b, k, in(bytes(k)));
        for (String k : ODD_KEYS) {
            oss.deleteObject(b, k);
            assertThat(oss.doesObjectExist(b, k)).as(k).isFalse();
        }
        assertThat(keys(oss, b)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void deleteMultipleVerbose(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = newBucket(sig);
        for (String k : List.of("m/1", "m/2", "m/3", "keep")) oss.putObject(b, k, in(bytes(k)));
        DeleteObjectsResult r = oss.deleteObjects(new DeleteObjectsRequest(b).withKeys(List.of("m/1", "m/2", "m/3", "m/missing")));
        // keys that do not exist are reported as deleted too
        assertThat(r.getDeletedObjects()).containsExactlyInAnyOrder("m/1", "m/2", "m/3", "m/missing");
        assertThat(r.getEncodingType()).isNull();
        assertThat(r.getRequestId()).matches(REQUEST_ID);
        assertThat(keys(oss, b)).containsExactly("keep");
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void deleteMultipleQuiet(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = newBucket(sig);
        for (String k : List.of("q/1", "q/2", "keep")) oss.putObject(b, k, in(bytes(k)));
        DeleteObjectsResult r = oss.deleteObjects(new DeleteObjectsRequest(b).withKeys(List.of("q/1", "q/2", "q/x")).withQuiet(true));
        assertThat(r.getDeletedObjects()).isEmpty();
        assertThat(keys(oss, b)).containsExactly("keep");
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void deleteMultipleOddKeysRaw(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = newBucket(sig);
        for (String k : ODD_KEYS) oss.putObject(b, k, in(bytes(k)));
        oss.putObject(b, "keep", in(bytes("k")));
        // without encoding-type the keys come back XML-escaped, which the SDK's parser undoes
        DeleteObjectsResult r = oss.deleteObjects(new DeleteObjectsRequest(b).withKeys(ODD_KEYS));
        assertThat(r.getDeletedObjects()).containsExactlyInAnyOrderElementsOf(ODD_KEYS);
        assertThat(keys(oss, b)).containsExactly("keep");
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void deleteMultipleWithUrlEncoding(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = newBucket(sig);
        for (String k : ODD_KEYS) oss.putObject(b, k, in(bytes(k)));
        oss.putObject(b, "keep", in(bytes("k")));
        // J1 sends encoding-type as a request header and hands the keys back exactly as received (it does not decode)
        DeleteObjectsResult r = oss.deleteObjects(new DeleteObjectsRequest(b).withKeys(ODD_KEYS).withEncodingType("url"));
        assertThat(r.getEncodingType()).isEqualTo("url");
        assertThat(r.getDeletedObjects()).contains("dir%2F%C3%BC%2520%26%3Cx%3E.txt", "a%20b%2Bc");
        List<String> decoded = new ArrayList<>();
        for (String k : r.getDeletedObjects()) {
            assertThat(k).doesNotContain("+", " ", "/", "<", "&");
            decoded.add(URLDecoder.decode(k, StandardCharsets.UTF_8));
        }
        assertThat(decoded).containsExactlyInAnyOrderElementsOf(ODD_KEYS);
        assertThat(keys(oss, b)).containsExactly("keep");
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void deleteMultipleControlCharacterKeys(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = newBucket(sig);
        // J1 escapes only tab, LF, CR, quote, amp, lt, gt in the Delete document; all other characters go raw,
        // including C0/C1 controls, DEL, NEL (U+0085) and LINE SEPARATOR (U+2028)
        List<String> keys = List.of("c0\u0001\u001fx", "del\u007fx", "nel\u0085x", "c1\u0090x", "ls\u2028x",
            "tab\tlf\ncr\rx");
        for (String k : keys) oss.putObject(b, k, in(bytes("x")));
        oss.putObject(b, "keep", in(bytes("k")));
        DeleteObjectsResult r = oss.deleteObjects(new DeleteObjectsRequest(b).withKeys(keys).withEncodingType("url"));
        assertThat(r.getDeletedObjects().stream().map(k -> URLDecoder.decode(k, StandardCharsets.UTF_8)).toList())
                .containsExactlyInAnyOrderElementsOf(keys);
        for (String k : keys) assertThat(oss.doesObjectExist(b, k)).as(k).isFalse();
        assertThat(keys(oss, b)).containsExactly("keep");
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void deleteMultipleWithUrlEncodingInTheQuery(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = newBucket(sig);
        oss.putObject(b, "a b+c", in(bytes("x")));
        // oss2/pyv2/J2 put encoding-type in the query string
        byte[] xml = bytes("<Delete><Quiet>false</Quiet><Object><Key>a b+c</Key></Object></Delete>");
        OssHttp.Resp r = raw.req("POST", b, null).query("delete", "").query("encoding-type", "url")
                .header("Content-MD5", md5B64(xml)).header("Content-Type", "application/xml").body(xml).send();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).contains("<EncodingType>url</EncodingType>").contains("<Key>a%20b%2Bc</Key>");
        assertThat(oss.doesObjectExist(b, "a b+c")).isFalse();
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void deleteMultipleErrors(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = newBucket(sig);
        oss.putObject(b, "k", in(bytes("x")));
        byte[] xml = bytes("<Delete><Object><Key>k</Key></Object></Delete>");

        OssHttp.Resp noMd5 = raw.req("POST", b, null).query("delete", "").body(xml).send();
        assertThat(noMd5.status()).isEqualTo(400);
        assertThat(noMd5.code()).isIn("MissingArgument", "InvalidDigest"); // exact code unconfirmed (core.md §9 q1)

        OssHttp.Resp wrongMd5 = raw.req("POST", b, null).query("delete", "").header("Content-MD5", md5B64(bytes("x"))).body(xml).send();
        assertThat(wrongMd5.status()).isEqualTo(400);
        assertThat(wrongMd5.code()).isEqualTo("InvalidDigest");

        byte[] broken = bytes("<Delete><Object><Key>k</Key></Object>");
        OssHttp.Resp malformed = raw.req("POST", b, null).query("delete", "").header("Content-MD5", md5B64(broken)).body(broken).send();
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.code()).isEqualTo("MalformedXML");

        StringBuilder many = new StringBuilder("<Delete>");
        for (int i = 0; i < 1001; i++) many.append("<Object><Key>k").append(i).append("</Key></Object>");
        byte[] tooMany = bytes(many.append("</Delete>").toString());
        OssHttp.Resp over = raw.req("POST", b, null).query("delete", "").header("Content-MD5", md5B64(tooMany)).body(tooMany).send();
        assertThat(over.status()).isEqualTo(400);
        assertThat(over.code()).isEqualTo("MalformedXML");

        assertThat(oss.doesObjectExist(b, "k")).isTrue();
        ossError("NoSuchBucket", () -> oss.deleteObjects(new DeleteObjectsRequest("no-such-bucket-mdel").withKeys(List.of("k"))));
    }
}
