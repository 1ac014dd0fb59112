package dev.pail.auth;

import static dev.pail.auth.Requests.input;
import static dev.pail.auth.Requests.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pail.route.Query;
import dev.pail.xml.OssError;
import dev.pail.xml.OssException;
import java.util.HexFormat;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** core.md §3.9 worked examples E4–E7 and the pyv2 V4 vectors of §3.8. */
class V4SignerTest {
    static final String SK = "DemoAccessKeySecret0123456789ab";
    static final String BUCKET = "examplebucket";
    static final String KEY = "dir/exa mple+1.txt";
    static final String NOW = "20231203T120000Z";
    static final V4Signer.Scope SCOPE = new V4Signer.Scope("LTAI5tDemoAccessKeyId", "20231203", "cn-hangzhou", "oss");

    private static String sign(SigningInput in, V4Signer.Scope scope, String dateTime, String additional,
                               boolean presigned, String secret) {
        String canonical = V4Signer.canonicalRequest(in, V4Signer.additionalHeaders(additional), presigned);
        return V4Signer.signature(secret, scope, V4Signer.stringToSign(dateTime, scope, canonical));
    }

    @Test
    void e4PutObject() {
        SigningInput in = input("PUT", BUCKET, KEY, null,
                "Content-MD5", "XUFAKrxLKna5cZ2REBfFkg==", "Content-Type", "text/plain",
                "Date", "Sun, 03 Dec 2023 12:00:00 GMT", "Host", "127.0.0.1:9000",
                "x-oss-meta-Author", "alice", "x-oss-object-acl", "private",
                "x-oss-date", NOW, "x-oss-content-sha256", "UNSIGNED-PAYLOAD");
        assertThat(HexFormat.of().formatHex(V4Signer.signingKey(SK, "20231203", "cn-hangzhou", "oss")))
                .isEqualTo("f325052ef1e78d3dc5639505d29d42ee38ef4982baf6240b076d2cf288bda499");
        String canonical = V4Signer.canonicalRequest(in, new TreeSet<>(), false);
        assertThat(canonical).isEqualTo("""
                PUT
                /examplebucket/dir/exa%20mple%2B1.txt

                content-md5:XUFAKrxLKna5cZ2REBfFkg==
                content-type:text/plain
                x-oss-content-sha256:UNSIGNED-PAYLOAD
                x-oss-date:20231203T120000Z
                x-oss-meta-author:alice
                x-oss-object-acl:private


                UNSIGNED-PAYLOAD""");
        String stringToSign = V4Signer.stringToSign(NOW, SCOPE, canonical);
        assertThat(stringToSign).isEqualTo("""
                OSS4-HMAC-SHA256
                20231203T120000Z
                20231203/cn-hangzhou/oss/aliyun_v4_request
                4d6b9b0e42c5991e9bc0549c36e30fa306614493eb9a9ee2af0c0d7036f01801""");
        assertThat(V4Signer.signature(SK, SCOPE, stringToSign))
                .isEqualTo("99f1531434d57f00b66206595210f4cf61a062b293a592b0a48c2e2e3e4420f6");
    }

    @Test
    void e5ListObjectsV2WithAdditionalHost() {
        SigningInput in = input("GET", BUCKET, null, "list-type=2&prefix=dir%2F&max-keys=10&encoding-type=url&delimiter=%2F",
                "Host", "examplebucket.oss-cn-hangzhou.aliyuncs.com",
                "x-oss-date", NOW, "x-oss-content-sha256", "UNSIGNED-PAYLOAD");
        var additional = V4Signer.additionalHeaders("host");
        assertThat(V4Signer.canonicalUri(BUCKET, null)).isEqualTo("/examplebucket/");
        assertThat(V4Signer.canonicalQuery(in.query(), false))
                .isEqualTo("delimiter=%2F&encoding-type=url&list-type=2&max-keys=10&prefix=dir%2F");
        assertThat(V4Signer.canonicalHeaders(in.headers(), additional)).isEqualTo(
                "host:examplebucket.oss-cn-hangzhou.aliyuncs.com\nx-oss-content-sha256:UNSIGNED-PAYLOAD\nx-oss-date:"
                        + NOW + "\n");
        String canonical = V4Signer.canonicalRequest(in, additional, false);
        assertThat(canonical).contains("\n\nhost\nUNSIGNED-PAYLOAD");
        assertThat(V4Signer.sha256Hex(canonical))
                .isEqualTo("17c1d293999a5413fe90e4b495b92916452411f086d13fb84e5949d6901d9dae");
        assertThat(sign(in, SCOPE, NOW, "host", false, SK))
                .isEqualTo("9a6f309bedca21fb4c3de247bd97caaad539b0936440fbf415915ea3027af8e3");
    }

    @Test
    void e6ListBucketsWithSts() {
        SigningInput in = input("GET", null, null, null,
                "x-oss-date", NOW, "x-oss-content-sha256", "UNSIGNED-PAYLOAD", "x-oss-security-token", "TOKEN+abc=");
        assertThat(V4Signer.canonicalRequest(in, new TreeSet<>(), false)).isEqualTo(
                "GET\n/\n\nx-oss-content-sha256:UNSIGNED-PAYLOAD\nx-oss-date:" + NOW
                        + "\nx-oss-security-token:TOKEN+abc=\n\n\nUNSIGNED-PAYLOAD");
        assertThat(sign(in, SCOPE, NOW, null, false, SK))
                .isEqualTo("77b0a490c75b572d3e84c7d3c52fbf50b95e30b1121c7324f76c40aa6f12bb8b");
    }

    @Test
    void e7PresignedGetExcludesSignatureFromQuery() {
        SigningInput in = input("GET", BUCKET, KEY, "response-content-type=text%2Fhtml"
                + "&x-oss-signature-version=OSS4-HMAC-SHA256&x-oss-date=20231203T120000Z&x-oss-expires=3600"
                + "&x-oss-credential=LTAI5tDemoAccessKeyId%2F20231203%2Fcn-hangzhou%2Foss%2Faliyun_v4_request"
                + "&x-oss-signature=04d89bceae7e477ce9d205c1b6c2120ee7cdb1469b994663960578c3d2f48284",
                "Host", "127.0.0.1:9000");
        assertThat(V4Signer.canonicalQuery(in.query(), true)).isEqualTo("response-content-type=text%2Fhtml"
                + "&x-oss-credential=LTAI5tDemoAccessKeyId%2F20231203%2Fcn-hangzhou%2Foss%2Faliyun_v4_request"
                + "&x-oss-date=20231203T120000Z&x-oss-expires=3600&x-oss-signature-version=OSS4-HMAC-SHA256");
        String canonical = V4Signer.canonicalRequest(in, new TreeSet<>(), true);
        assertThat(canonical).endsWith("\n\n\nUNSIGNED-PAYLOAD");
        assertThat(V4Signer.sha256Hex(canonical))
                .isEqualTo("8d618d1695b73a640805718638492d8bc758bba7c6c50364ef1ce7d4cb0689fc");
        assertThat(sign(in, SCOPE, NOW, null, true, SK))
                .isEqualTo("04d89bceae7e477ce9d205c1b6c2120ee7cdb1469b994663960578c3d2f48284");
    }

    // pyv2 tests/unit/signer/test_v4.py: ak/sk, bucket "bucket", key "1234+-/123/1.txt", region cn-hangzhou
    private static final String PYV2_QUERY = "param1=value1&%2Bparam1=value3&%7Cparam1=value4&%2Bparam2&%7Cparam2&param2";
    private static final String[] PYV2_HEADERS = {
        "x-oss-head1", "value", "abc", "value", "ZAbc", "value", "XYZ", "value",
        "content-type", "text/plain", "x-oss-content-sha256", "UNSIGNED-PAYLOAD"};
    private static final String[] PYV2_PRESIGN_HEADERS = {
        "x-oss-head1", "value", "abc", "value", "ZAbc", "value", "XYZ", "value",
        "content-type", "application/octet-stream"};

    private static V4Signer.Scope pyv2Scope(String date) { return new V4Signer.Scope("ak", date, "cn-hangzhou", "oss"); }

    @Test
    void pyv2HeaderVector() {
        SigningInput in = input("PUT", "bucket", "1234+-/123/1.txt", PYV2_QUERY,
                with(PYV2_HEADERS, "x-oss-date", "20231216T162057Z"));
        assertThat(V4Signer.canonicalUri("bucket", "1234+-/123/1.txt")).isEqualTo("/bucket/1234%2B-/123/1.txt");
        assertThat(V4Signer.canonicalQuery(in.query(), false))
                .isEqualTo("%2Bparam1=value3&%2Bparam2&%7Cparam1=value4&%7Cparam2&param1=value1&param2");
        assertThat(sign(in, pyv2Scope("20231216"), "20231216T162057Z", null, false, "sk"))
                .isEqualTo("e21d18daa82167720f9b1047ae7e7f1ce7cb77a31e8203a7d5f4624fa0284afe");
    }

    @Test
    void pyv2HeaderVectorWithToken() {
        SigningInput in = input("PUT", "bucket", "1234+-/123/1.txt", PYV2_QUERY,
                with(PYV2_HEADERS, "x-oss-date", "20231217T034736Z", "x-oss-security-token", "token"));
        assertThat(sign(in, pyv2Scope("20231217"), "20231217T034736Z", null, false, "sk"))
                .isEqualTo("b94a3f999cf85bcdc00d332fbd3734ba03e48382c36fa4d5af5df817395bd9ea");
    }

    @Test
    void pyv2HeaderVectorWithAdditionalHeaders() {
        SigningInput in = input("PUT", "bucket", "1234+-/123/1.txt", PYV2_QUERY,
                with(PYV2_HEADERS, "x-oss-date", "20231216T172512Z"));
        assertThat(sign(in, pyv2Scope("20231216"), "20231216T172512Z", "abc;zabc", false, "sk"))
                .isEqualTo("4a4183c187c07c8947db7620deb0a6b38d9fbdd34187b6dbaccb316fa251212f");
    }

    @Test
    void pyv2HeaderVectorCloudBox() {
        SigningInput in = input("PUT", "bucket", "1234+-/123/1.txt", PYV2_QUERY,
                with(PYV2_HEADERS, "x-oss-date", "20231216T162057Z"));
        var scope = new V4Signer.Scope("ak", "20231216", "cb-123", "oss-cloudbox");
        assertThat(sign(in, scope, "20231216T162057Z", null, false, "sk"))
                .isEqualTo("94ce1f12c17d148ea681030275a94449d3357f5b5b21133996eec80af3e08a43");
    }

    private static String pyv2PresignQuery(String dateTime, String extra) {
        return PYV2_QUERY + "&x-oss-signature-version=OSS4-HMAC-SHA256&x-oss-date=" + dateTime
                + "&x-oss-expires=599&x-oss-credential=ak%2F20231217%2Fcn-hangzhou%2Foss%2Faliyun_v4_request" + extra
                + "&x-oss-signature=0000";
    }

    @Test
    void pyv2PresignedVector() {
        SigningInput in = input("PUT", "bucket", "1234+-/123/1.txt", pyv2PresignQuery("20231217T025437Z", ""),
                PYV2_PRESIGN_HEADERS);
        assertThat(sign(in, pyv2Scope("20231217"), "20231217T025437Z", null, true, "sk"))
                .isEqualTo("a39966c61718be0d5b14e668088b3fa07601033f6518ac7b523100014269c0fe");
    }

    @Test
    void pyv2PresignedVectorsWithTokenAndAdditionalHeaders() {
        SigningInput token = input("PUT", "bucket", "1234+-/123/1.txt",
                pyv2PresignQuery("20231217T035628Z", "&x-oss-security-token=token"), PYV2_PRESIGN_HEADERS);
        assertThat(sign(token, pyv2Scope("20231217"), "20231217T035628Z", null, true, "sk"))
                .isEqualTo("3817ac9d206cd6dfc90f1c09c00be45005602e55898f26f5ddb06d7892e1f8b5");

        SigningInput additional = input("PUT", "bucket", "1234+-/123/1.txt",
                pyv2PresignQuery("20231217T033009Z", "&x-oss-additional-headers=abc%3Bzabc"), PYV2_PRESIGN_HEADERS);
        assertThat(sign(additional, pyv2Scope("20231217"), "20231217T033009Z", "abc;zabc", true, "sk"))
                .isEqualTo("6bd984bfe531afb6db1f7550983a741b103a8c58e5e14f83ea474c2322dfa2b7");
    }

    @Test
    void payloadHashDefaultsToUnsignedAndIsAlwaysUnsignedWhenPresigned() {
        String sha = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        assertThat(V4Signer.payloadHash(input("GET", null, null, null), false)).isEqualTo("UNSIGNED-PAYLOAD");
        assertThat(V4Signer.payloadHash(input("GET", null, null, null, "x-oss-content-sha256", sha), false))
                .isEqualTo(sha);
        assertThat(V4Signer.payloadHash(input("GET", null, null, null, "x-oss-content-sha256", sha), true))
                .isEqualTo("UNSIGNED-PAYLOAD");
    }

    @Test
    void parsesBothAuthorizationLayouts() {
        var compact = V4Signer.Authorization.parse("OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/"
                + "aliyun_v4_request,AdditionalHeaders=zabc;abc,Signature=4a41");
        assertThat(compact.scope()).isEqualTo(new V4Signer.Scope("ak", "20231216", "cn-hangzhou", "oss"));
        assertThat(compact.additionalHeaders()).containsExactly("abc", "zabc");
        assertThat(compact.signature()).isEqualTo("4a41");

        var oss2Style = V4Signer.Authorization.parse("OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/"
                + "aliyun_v4_request, Signature=4a41, AdditionalHeaders=ZAbc;abc");
        assertThat(oss2Style).isEqualTo(compact);

        var minimal = V4Signer.Authorization.parse("OSS4-HMAC-SHA256 Signature=ff, Credential=ak/20231216/r/oss/aliyun_v4_request");
        assertThat(minimal.additionalHeaders()).isEmpty();
        assertThat(minimal.scope().region()).isEqualTo("r");
    }

    @Test
    void rejectsMalformedAuthorization() {
        for (String bad : new String[] {
            "OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request",          // no Signature
            "OSS4-HMAC-SHA256 Signature=ff",                                                        // no Credential
            "OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/wrong,Signature=ff",           // bad terminator
            "OSS4-HMAC-SHA256 Credential=ak/2023/cn-hangzhou/oss/aliyun_v4_request,Signature=ff",   // bad date
            "OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,Signature=ff,Foo=1",
            "OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,Signature=ff,Signature=ee",
            "OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request;Signature=ff",
        }) {
            assertThatThrownBy(() -> V4Signer.Authorization.parse(bad)).as(bad)
                    .isInstanceOfSatisfying(OssException.class,
                            e -> assertThat(e.error()).isEqualTo(OssError.INVALID_ARGUMENT));
        }
    }

    @Test
    void canonicalQueryKeepsEmptyNamesBareAndEncodesReservedChars() {
        assertThat(V4Signer.canonicalQuery(Query.parse("b=x%20y%2Bz~&a&acl=&c=%E4%B8%AD"), false))
                .isEqualTo("a&acl&b=x%20y%2Bz~&c=%E4%B8%AD");
    }
}
