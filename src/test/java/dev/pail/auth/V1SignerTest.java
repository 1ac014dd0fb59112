package dev.pail.auth;

import static dev.pail.auth.Requests.input;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pail.route.Query;
import org.junit.jupiter.api.Test;

/** core.md §3.9 worked examples E1–E3 and the pyv2 V1 vectors of §3.8. */
class V1SignerTest {
    static final String SK = "DemoAccessKeySecret0123456789ab";
    static final String BUCKET = "examplebucket";
    static final String KEY = "dir/exa mple+1.txt";
    static final String DATE = "Sun, 03 Dec 2023 12:00:00 GMT";

    private static String sts(SigningInput in, String date) {
        return new String(V1Signer.stringToSign(in, date, false), UTF_8);
    }

    @Test
    void e1PutObject() {
        SigningInput in = input("PUT", BUCKET, KEY, null,
                "Content-MD5", "XUFAKrxLKna5cZ2REBfFkg==", "Content-Type", "text/plain", "Date", DATE,
                "x-oss-meta-Author", "alice", "x-oss-object-acl", "private");
        byte[] stringToSign = V1Signer.stringToSign(in, DATE, false);
        assertThat(new String(stringToSign, UTF_8)).isEqualTo("""
                PUT
                XUFAKrxLKna5cZ2REBfFkg==
                text/plain
                Sun, 03 Dec 2023 12:00:00 GMT
                x-oss-meta-author:alice
                x-oss-object-acl:private
                /examplebucket/dir/exa mple+1.txt""");
        assertThat(V1Signer.sign(SK, stringToSign)).isEqualTo("ZqFQN0c7bwIv/+lwZhNjvN9bMls=");
    }

    @Test
    void e2GetBucketAclSignsBareSubResource() {
        SigningInput in = input("GET", BUCKET, null, "acl=", "Date", DATE);
        assertThat(sts(in, DATE)).isEqualTo("GET\n\n\nSun, 03 Dec 2023 12:00:00 GMT\n/examplebucket/?acl");
        assertThat(V1Signer.sign(SK, V1Signer.stringToSign(in, DATE, false))).isEqualTo("5ysbaqBygFBvZ/v/IdTwmD8S07Q=");
    }

    @Test
    void e2ListObjectsV2SecondPageSignsOnlyContinuationToken() {
        SigningInput in = input("GET", BUCKET, null, "list-type=2&prefix=dir%2F&continuation-token=abc&max-keys=10",
                "Date", DATE);
        assertThat(sts(in, DATE)).isEqualTo("GET\n\n\nSun, 03 Dec 2023 12:00:00 GMT\n/examplebucket/?continuation-token=abc");
        assertThat(V1Signer.sign(SK, V1Signer.stringToSign(in, DATE, false))).isEqualTo("y8UlKlsndT1llU2gk4Yzh15zH7k=");
    }

    @Test
    void e3PresignedGetUsesExpiresAsDateAndDecodedSubResources() {
        SigningInput in = input("GET", BUCKET, KEY,
                "response-content-disposition=attachment%3B%20filename%3D%22a%20b.txt%22&versionId=CAEQ1"
                        + "&OSSAccessKeyId=LTAI5tDemoAccessKeyId&Expires=1701608400&Signature=OHKoGEmxpS6S7Qc9q0y01cWnZ7Q%3D");
        assertThat(sts(in, "1701608400")).isEqualTo("GET\n\n\n1701608400\n/examplebucket/dir/exa mple+1.txt"
                + "?response-content-disposition=attachment; filename=\"a b.txt\"&versionId=CAEQ1");
        assertThat(V1Signer.sign(SK, V1Signer.stringToSign(in, "1701608400", false)))
                .isEqualTo("OHKoGEmxpS6S7Qc9q0y01cWnZ7Q=");
    }

    @Test
    void e3PresignedWithStsSignsSecurityToken() {
        SigningInput in = input("GET", BUCKET, KEY,
                "OSSAccessKeyId=STS.DemoId&Expires=1701608400&security-token=TOKEN%2Babc%3D");
        assertThat(sts(in, "1701608400"))
                .isEqualTo("GET\n\n\n1701608400\n/examplebucket/dir/exa mple+1.txt?security-token=TOKEN+abc=");
        assertThat(V1Signer.sign(SK, V1Signer.stringToSign(in, "1701608400", false)))
                .isEqualTo("bdsXKjQEkXbTgAJ5vIiUumTgYEs=");
    }

    private static final String[] PYV2_PUT_HEADERS = {
        "Content-MD5", "eB5eJF1ptWaXm4bijSPyxw==", "Content-Type", "text/html", "x-oss-meta-author", "alice",
        "x-oss-meta-magic", "abracadabra", "x-oss-date", "Wed, 28 Dec 2022 10:27:41 GMT"};
    private static final String PYV2_DATE = "Wed, 28 Dec 2022 10:27:41 GMT";

    @Test
    void pyv2PutObject() {
        SigningInput in = input("PUT", BUCKET, "nelson", null, PYV2_PUT_HEADERS);
        assertThat(sts(in, PYV2_DATE)).isEqualTo("PUT\neB5eJF1ptWaXm4bijSPyxw==\ntext/html\n" + PYV2_DATE
                + "\nx-oss-date:" + PYV2_DATE + "\nx-oss-meta-author:alice\nx-oss-meta-magic:abracadabra\n/examplebucket/nelson");
        assertThat(V1Signer.sign("sk", V1Signer.stringToSign(in, PYV2_DATE, false)))
                .isEqualTo("kSHKmLxlyEAKtZPkJhG9bZb5k7M=");
    }

    @Test
    void pyv2PutObjectAcl() {
        SigningInput in = input("PUT", BUCKET, "nelson", "acl", PYV2_PUT_HEADERS);
        assertThat(sts(in, PYV2_DATE)).endsWith("\n/examplebucket/nelson?acl");
        assertThat(V1Signer.sign("sk", V1Signer.stringToSign(in, PYV2_DATE, false)))
                .isEqualTo("/afkugFbmWDQ967j1vr6zygBLQk=");
    }

    @Test
    void pyv2BucketSubResourcesIgnoreOtherParams() {
        SigningInput in = input("GET", BUCKET, null, "resourceGroup&non-resousce=null", "x-oss-date", PYV2_DATE);
        assertThat(sts(in, PYV2_DATE))
                .isEqualTo("GET\n\n\n" + PYV2_DATE + "\nx-oss-date:" + PYV2_DATE + "\n/examplebucket/?resourceGroup");
        assertThat(V1Signer.sign("sk", V1Signer.stringToSign(in, PYV2_DATE, false)))
                .isEqualTo("vkQmfuUDyi1uDi3bKt67oemssIs=");

        SigningInput two = input("GET", BUCKET, null, "resourceGroup&acl", "x-oss-date", PYV2_DATE);
        assertThat(sts(two, PYV2_DATE)).endsWith("\n/examplebucket/?acl&resourceGroup");
        assertThat(V1Signer.sign("sk", V1Signer.stringToSign(two, PYV2_DATE, false)))
                .isEqualTo("x3E5TgOvl/i7PN618s5mEvpJDYk=");
    }

    @Test
    void pyv2PresignedVectors() {
        SigningInput plain = input("GET", "bucket", "key", "versionId=versionId");
        assertThat(V1Signer.sign("sk", V1Signer.stringToSign(plain, "1699807420", false)))
                .isEqualTo("dcLTea+Yh9ApirQ8o8dOPqtvJXQ=");

        SigningInput token = input("GET", "bucket", "key+123", "versionId=versionId&security-token=token");
        assertThat(sts(token, "1699808204"))
                .isEqualTo("GET\n\n\n1699808204\n/bucket/key+123?security-token=token&versionId=versionId");
        assertThat(V1Signer.sign("sk", V1Signer.stringToSign(token, "1699808204", false)))
                .isEqualTo("jzKYRrM5y6Br0dRFPaTGOsbrDhY=");

        // the pyv2 test appends "?" + params to a URL that already has "?versionId=versionId", so on the wire
        // the first parameter is versionId with the value "versionId?param1=value1"
        SigningInput params = input("GET", "bucket", "key",
                "versionId=versionId?param1=value1&%2Bparam1=value3&%7Cparam1=value4&%2Bparam2&%7Cparam2&param2"
                        + "&response-content-disposition=attachment%3B%20filename%3Dexample.txt&security-token=token",
                "x-oss-head1", "value", "abc", "value", "ZAbc", "value", "XYZ", "value",
                "content-type", "application/octet-stream");
        assertThat(sts(params, "1699808204")).isEqualTo("GET\n\napplication/octet-stream\n1699808204\n"
                + "x-oss-head1:value\n/bucket/key?response-content-disposition=attachment; filename=example.txt"
                + "&security-token=token&versionId=versionId?param1=value1");
        assertThat(V1Signer.sign("sk", V1Signer.stringToSign(params, "1699808204", false)))
                .isEqualTo("3GJoEOv5LX2ASp0HJk/hAk+qLJc=");
    }

    @Test
    void j1QuirkRendersEqualsOnlyForEmptyValuesSentWithEquals() {
        Query query = Query.parse("acl=&uploads&versionId=v1");
        assertThat(V1Signer.canonicalizedResource(BUCKET, KEY, query, false))
                .isEqualTo("/examplebucket/dir/exa mple+1.txt?acl&uploads&versionId=v1");
        assertThat(V1Signer.canonicalizedResource(BUCKET, KEY, query, true))
                .isEqualTo("/examplebucket/dir/exa mple+1.txt?acl=&uploads&versionId=v1");
    }

    @Test
    void serviceResourceIsSlash() {
        assertThat(V1Signer.canonicalizedResource(null, null, Query.parse("prefix=&marker=&max-keys=100"), false))
                .isEqualTo("/");
    }

    @Test
    void headerValuesAreRawBytesAndResourceIsUtf8() {
        // J1 puts the UTF-8 bytes of "中" on the wire; each byte arrives as one ISO-8859-1 char
        String wire = new String("中".getBytes(UTF_8), java.nio.charset.StandardCharsets.ISO_8859_1);
        SigningInput in = input("PUT", "b", "中", null, "x-oss-meta-n", "  " + wire + " ");
        byte[] bytes = V1Signer.stringToSign(in, "d", false);
        assertThat(new String(bytes, UTF_8)).isEqualTo("PUT\n\n\nd\nx-oss-meta-n:中\n/b/中");
    }
}
