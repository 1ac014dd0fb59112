package dev.pail.auth;

import static dev.pail.auth.Requests.input;
import static dev.pail.auth.Requests.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.pail.xml.OssError;
import dev.pail.xml.OssException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AuthenticatorTest {
    static final String AK = "LTAI5tDemoAccessKeyId";
    static final String SK = "DemoAccessKeySecret0123456789ab";
    static final String BUCKET = "examplebucket";
    static final String KEY = "dir/exa mple+1.txt";
    static final String DATE = "Sun, 03 Dec 2023 12:00:00 GMT";
    static final Instant T0 = Instant.parse("2023-12-03T12:00:00Z");

    static final Credential DEMO = new Credential(AK, SK, null);
    static final Credential STS = new Credential("STS.DemoId", SK, "TOKEN+abc=");

    private static Authenticator authenticator(Instant now, Credential... known) {
        Map<String, Credential> byId = new java.util.HashMap<>();
        for (Credential c : known) byId.put(c.accessKeyId(), c);
        return new Authenticator(id -> Optional.ofNullable(byId.get(id)), Clock.fixed(now, ZoneOffset.UTC));
    }

    private static Authenticator at(Instant now) { return authenticator(now, DEMO, STS); }

    private static OssException failure(Authenticator auth, SigningInput in, OssError expected) {
        OssException e = catchThrowableOfType(OssException.class, () -> auth.authenticate(in));
        assertThat(e).as("expected %s", expected.code()).isNotNull();
        assertThat(e.error()).isEqualTo(expected);
        return e;
    }

    private static final String[] E1_HEADERS = {
        "Content-MD5", "XUFAKrxLKna5cZ2REBfFkg==", "Content-Type", "text/plain", "Date", DATE,
        "x-oss-meta-Author", "alice", "x-oss-object-acl", "private"};

    private static SigningInput e1(String authorization) {
        return input("PUT", BUCKET, KEY, null, with(E1_HEADERS, "Authorization", authorization));
    }

    /** A V1 header-signed request, signed by {@link V1Signer} itself (verified against the vectors elsewhere). */
    private static SigningInput v1Signed(Credential c, String method, String query, boolean keepEmptyEquals,
                                         String... headers) {
        SigningInput unsigned = input(method, BUCKET, KEY, query, headers);
        String date = unsigned.header("x-oss-date") != null ? unsigned.header("x-oss-date") : unsigned.header("date");
        String sig = V1Signer.sign(c.secret(), V1Signer.stringToSign(unsigned, date, keepEmptyEquals));
        return input(method, BUCKET, KEY, query, with(headers, "Authorization", "OSS " + c.accessKeyId() + ":" + sig));
    }

    @Test
    void noCredentialsIsAnonymous() {
        assertThat(at(T0).authenticate(input("GET", BUCKET, null, "prefix=a&Expires=1", "Date", DATE)))
                .isEqualTo(Principal.ANONYMOUS);
    }

    // ---- V1 header

    @Test
    void v1HeaderE1Passes() {
        assertThat(at(T0).authenticate(e1("OSS " + AK + ":ZqFQN0c7bwIv/+lwZhNjvN9bMls=")))
                .isEqualTo(new Principal.Authenticated(DEMO));
    }

    @Test
    void v1HeaderE2BucketAclPasses() {
        SigningInput in = input("GET", BUCKET, null, "acl=", "Date", DATE,
                "Authorization", "OSS " + AK + ":5ysbaqBygFBvZ/v/IdTwmD8S07Q=");
        assertThat(at(T0).authenticate(in)).isEqualTo(new Principal.Authenticated(DEMO));
    }

    @Test
    void v1AcceptsSingleDigitDayAndPrefersXOssDate() {
        SigningInput j2 = v1Signed(DEMO, "GET", null, false, "Date", "Sun, 3 Dec 2023 12:00:00 GMT");
        assertThat(at(T0).authenticate(j2)).isEqualTo(new Principal.Authenticated(DEMO));

        SigningInput node = v1Signed(DEMO, "GET", null, false, "x-oss-date", DATE, "Date", "garbage");
        assertThat(at(T0).authenticate(node)).isEqualTo(new Principal.Authenticated(DEMO));
    }

    @Test
    void v1FallsBackToJ1EmptyValueQuirk() {
        SigningInput in = v1Signed(DEMO, "GET", "x-oss-process=&versionId=v", true, "Date", DATE);
        assertThat(at(T0).authenticate(in)).isEqualTo(new Principal.Authenticated(DEMO));
    }

    @Test
    void v1WrongSecretIsSignatureDoesNotMatchWithDiagnostics() {
        SigningInput in = v1Signed(new Credential(AK, "wrong-secret", null), "PUT", null, false, E1_HEADERS);
        String provided = in.header("authorization").substring(("OSS " + AK + ":").length());
        OssException e = failure(at(T0), in, OssError.SIGNATURE_DOES_NOT_MATCH);
        assertThat(e.error().status()).isEqualTo(403);
        assertThat(e.fields())
                .containsEntry("StringToSign", "PUT\nXUFAKrxLKna5cZ2REBfFkg==\ntext/plain\n" + DATE
                        + "\nx-oss-meta-author:alice\nx-oss-object-acl:private\n/examplebucket/dir/exa mple+1.txt")
                .containsEntry("SignatureProvided", provided)
                .containsEntry("OSSAccessKeyId", AK);
        assertThat(e.fields().get("StringToSignBytes")).startsWith("50 55 54 0a 58 55 46").endsWith("74 78 74");
    }

    @Test
    void v1UnknownKeyIsInvalidAccessKeyId() {
        OssException e = failure(at(T0), v1Signed(new Credential("nobody", SK, null), "GET", null, false, "Date", DATE),
                OssError.INVALID_ACCESS_KEY_ID);
        assertThat(e.fields()).containsEntry("OSSAccessKeyId", "nobody");
    }

    @Test
    void v1SkewBeyondFifteenMinutesIsRequestTimeTooSkewed() {
        SigningInput in = e1("OSS " + AK + ":ZqFQN0c7bwIv/+lwZhNjvN9bMls=");
        assertThat(at(T0.plusSeconds(900)).authenticate(in)).isEqualTo(new Principal.Authenticated(DEMO));
        assertThat(at(T0.minusSeconds(900)).authenticate(in)).isEqualTo(new Principal.Authenticated(DEMO));

        OssException e = failure(at(T0.plusSeconds(901)), in, OssError.REQUEST_TIME_TOO_SKEWED);
        assertThat(e.error().status()).isEqualTo(403);
        assertThat(e.fields())
                .containsEntry("RequestTime", "2023-12-03T12:00:00.000Z")
                .containsEntry("ServerTime", "2023-12-03T12:15:01.000Z")
                .containsEntry("MaxAllowedSkewMilliseconds", "900000");
        failure(at(T0.minusSeconds(901)), in, OssError.REQUEST_TIME_TOO_SKEWED);
    }

    @Test
    void v1MissingOrUnparsableDateIsAccessDenied() {
        SigningInput missing = input("GET", BUCKET, null, null, "Authorization", "OSS " + AK + ":abc=");
        assertThat(failure(at(T0), missing, OssError.ACCESS_DENIED).error().status()).isEqualTo(403);
        SigningInput bad = input("GET", BUCKET, null, null, "Date", "2023-12-03 12:00", "Authorization", "OSS " + AK + ":abc=");
        failure(at(T0), bad, OssError.ACCESS_DENIED);
    }

    @Test
    void badAuthorizationSyntaxIsInvalidArgument() {
        for (String bad : new String[] {"OSS nocolon", "OSS :sig", "OSS ak:", "Bearer x", "OSS2 AccessKeyId:ak,Signature:x",
                "OSS4-HMAC-SHA256 Credential=" + AK + "/20231203/cn-hangzhou/oss/aliyun_v4_request"}) {
            OssException e = failure(at(T0), input("GET", BUCKET, null, null, "Date", DATE, "Authorization", bad),
                    OssError.INVALID_ARGUMENT);
            assertThat(e.error().status()).as(bad).isEqualTo(400);
        }
    }

    // ---- V1 presigned

    private static final String E3_QUERY = "response-content-disposition=attachment%3B%20filename%3D%22a%20b.txt%22"
            + "&versionId=CAEQ1&OSSAccessKeyId=" + AK + "&Expires=1701608400&Signature=OHKoGEmxpS6S7Qc9q0y01cWnZ7Q%3D";

    @Test
    void v1PresignedE3PassesUntilExpires() {
        SigningInput in = input("GET", BUCKET, KEY, E3_QUERY);
        assertThat(at(T0).authenticate(in)).isEqualTo(new Principal.Authenticated(DEMO));
        assertThat(at(Instant.ofEpochSecond(1701608400)).authenticate(in)).isEqualTo(new Principal.Authenticated(DEMO));

        OssException e = failure(at(Instant.ofEpochSecond(1701608401)), in, OssError.ACCESS_DENIED);
        assertThat(e.getMessage()).isEqualTo("Request has expired.");
        assertThat(e.fields()).containsEntry("Expires", "2023-12-03T13:00:00.000Z")
                .containsEntry("ServerTime", "2023-12-03T13:00:01.000Z");
    }

    @Test
    void v1PresignedTamperedResourceIsSignatureDoesNotMatch() {
        SigningInput in = input("GET", BUCKET, KEY, E3_QUERY.replace("CAEQ1", "CAEQ2"));
        OssException e = failure(at(T0), in, OssError.SIGNATURE_DOES_NOT_MATCH);
        assertThat(e.fields()).containsEntry("SignatureProvided", "OHKoGEmxpS6S7Qc9q0y01cWnZ7Q=")
                .containsEntry("StringToSign", "GET\n\n\n1701608400\n/examplebucket/dir/exa mple+1.txt"
                        + "?response-content-disposition=attachment; filename=\"a b.txt\"&versionId=CAEQ2");
    }

    @Test
    void v1PresignedWithStsTokenPasses() {
        SigningInput in = input("GET", BUCKET, KEY,
                "OSSAccessKeyId=STS.DemoId&Expires=1701608400&security-token=TOKEN%2Babc%3D"
                        + "&Signature=bdsXKjQEkXbTgAJ5vIiUumTgYEs%3D");
        assertThat(at(T0).authenticate(in)).isEqualTo(new Principal.Authenticated(STS));
    }

    @Test
    void v1PresignedWithIncompleteParametersIsInvalidArgument() {
        failure(at(T0), input("GET", BUCKET, KEY, "OSSAccessKeyId=" + AK + "&Signature=abc"), OssError.INVALID_ARGUMENT);
        failure(at(T0), input("GET", BUCKET, KEY, "Signature=abc&Expires=1701608400"), OssError.INVALID_ARGUMENT);
    }

    // ---- V4 header

    private static final String E4_AUTH = "OSS4-HMAC-SHA256 Credential=" + AK + "/20231203/cn-hangzhou/oss/aliyun_v4_request,"
            + "Signature=99f1531434d57f00b66206595210f4cf61a062b293a592b0a48c2e2e3e4420f6";
    private static final String[] E4_HEADERS = {
        "Content-MD5", "XUFAKrxLKna5cZ2REBfFkg==", "Content-Type", "text/plain", "Date", DATE, "Host", "127.0.0.1:9000",
        "x-oss-meta-Author", "alice", "x-oss-object-acl", "private",
        "x-oss-date", "20231203T120000Z", "x-oss-content-sha256", "UNSIGNED-PAYLOAD"};

    @Test
    void v4HeaderE4Passes() {
        SigningInput in = input("PUT", BUCKET, KEY, null, with(E4_HEADERS, "Authorization", E4_AUTH));
        assertThat(at(T0).authenticate(in)).isEqualTo(new Principal.Authenticated(DEMO));
    }

    @Test
    void v4HeaderE5WithAdditionalHeadersPasses() {
        SigningInput in = input("GET", BUCKET, null, "list-type=2&prefix=dir%2F&max-keys=10&encoding-type=url&delimiter=%2F",
                "Host", "examplebucket.oss-cn-hangzhou.aliyuncs.com", "x-oss-date", "20231203T120000Z",
                "x-oss-content-sha256", "UNSIGNED-PAYLOAD",
                "Authorization", "OSS4-HMAC-SHA256 Credential=" + AK + "/20231203/cn-hangzhou/oss/aliyun_v4_request, "
                        + "Signature=9a6f309bedca21fb4c3de247bd97caaad539b0936440fbf415915ea3027af8e3, AdditionalHeaders=host");
        assertThat(at(T0).authenticate(in)).isEqualTo(new Principal.Authenticated(DEMO));
    }

    private static SigningInput e6() {
        return input("GET", null, null, null, "x-oss-date", "20231203T120000Z", "x-oss-content-sha256", "UNSIGNED-PAYLOAD",
                "x-oss-security-token", "TOKEN+abc=",
                "Authorization", "OSS4-HMAC-SHA256 Credential=" + AK + "/20231203/cn-hangzhou/oss/aliyun_v4_request,"
                        + "Signature=77b0a490c75b572d3e84c7d3c52fbf50b95e30b1121c7324f76c40aa6f12bb8b");
    }

    @Test
    void v4HeaderE6SecurityTokenMustMatch() {
        Credential sts = new Credential(AK, SK, "TOKEN+abc=");
        assertThat(authenticator(T0, sts).authenticate(e6())).isEqualTo(new Principal.Authenticated(sts));

        OssException wrong = failure(authenticator(T0, new Credential(AK, SK, "TOKEN+abd=")), e6(),
                OssError.INVALID_ACCESS_KEY_ID);
        assertThat(wrong.fields()).containsEntry("OSSAccessKeyId", AK);
        // a token sent for a permanent key
        failure(authenticator(T0, DEMO), e6(), OssError.INVALID_ACCESS_KEY_ID);
    }

    @Test
    void v4WrongSecretReportsCanonicalRequest() {
        SigningInput in = input("PUT", BUCKET, KEY, null, with(E4_HEADERS, "Authorization", E4_AUTH));
        OssException e = failure(authenticator(T0, new Credential(AK, "other", null)), in, OssError.SIGNATURE_DOES_NOT_MATCH);
        assertThat(e.fields())
                .containsEntry("StringToSign", "OSS4-HMAC-SHA256\n20231203T120000Z\n20231203/cn-hangzhou/oss/aliyun_v4_request\n"
                        + "4d6b9b0e42c5991e9bc0549c36e30fa306614493eb9a9ee2af0c0d7036f01801")
                .containsEntry("SignatureProvided", "99f1531434d57f00b66206595210f4cf61a062b293a592b0a48c2e2e3e4420f6")
                .containsEntry("OSSAccessKeyId", AK);
        assertThat(e.fields().get("CanonicalRequest")).startsWith("PUT\n/examplebucket/dir/exa%20mple%2B1.txt\n\n");
        assertThat(e.fields().get("StringToSignBytes")).startsWith("4f 53 53 34 2d");
    }

    @Test
    void v4HeaderTimeChecks() {
        SigningInput in = input("PUT", BUCKET, KEY, null, with(E4_HEADERS, "Authorization", E4_AUTH));
        OssException skew = failure(at(T0.minusSeconds(901)), in, OssError.REQUEST_TIME_TOO_SKEWED);
        assertThat(skew.fields()).containsEntry("ServerTime", "2023-12-03T11:44:59.000Z");

        SigningInput otherDay = input("PUT", BUCKET, KEY, null,
                with(E4_HEADERS, "Authorization", E4_AUTH.replace("/20231203/", "/20231204/")));
        failure(at(T0), otherDay, OssError.INVALID_ARGUMENT);

        SigningInput noDate = input("GET", null, null, null, "Date", DATE, "Authorization", E4_AUTH);
        failure(at(T0), noDate, OssError.ACCESS_DENIED);
    }

    @Test
    void v4UnknownKeyIsInvalidAccessKeyId() {
        SigningInput in = input("PUT", BUCKET, KEY, null, with(E4_HEADERS, "Authorization", E4_AUTH));
        OssException e = failure(authenticator(T0, STS), in, OssError.INVALID_ACCESS_KEY_ID);
        assertThat(e.fields()).containsEntry("OSSAccessKeyId", AK);
    }

    // ---- V4 presigned

    private static String e7Query(String expires) {
        return "response-content-type=text%2Fhtml&x-oss-signature-version=OSS4-HMAC-SHA256&x-oss-date=20231203T120000Z"
                + "&x-oss-expires=" + expires + "&x-oss-credential=" + AK + "%2F20231203%2Fcn-hangzhou%2Foss%2Faliyun_v4_request"
                + "&x-oss-signature=04d89bceae7e477ce9d205c1b6c2120ee7cdb1469b994663960578c3d2f48284";
    }

    private static SigningInput e7(String expires) {
        return input("GET", BUCKET, KEY, e7Query(expires), "Host", "127.0.0.1:9000");
    }

    @Test
    void v4PresignedE7PassesWithinItsWindow() {
        assertThat(at(T0).authenticate(e7("3600"))).isEqualTo(new Principal.Authenticated(DEMO));
        assertThat(at(T0.plusSeconds(3600)).authenticate(e7("3600"))).isEqualTo(new Principal.Authenticated(DEMO));
        assertThat(at(T0.minusSeconds(900)).authenticate(e7("3600"))).isEqualTo(new Principal.Authenticated(DEMO));
    }

    @Test
    void v4PresignedExpiredIsAccessDenied() {
        OssException e = failure(at(T0.plusSeconds(3601)), e7("3600"), OssError.ACCESS_DENIED);
        assertThat(e.getMessage()).isEqualTo("Request has expired.");
        assertThat(e.fields()).containsEntry("Expires", "2023-12-03T13:00:00.000Z");
    }

    @Test
    void v4PresignedSignedInTheFutureIsRequestTimeTooSkewed() {
        OssException e = failure(at(T0.minusSeconds(901)), e7("3600"), OssError.REQUEST_TIME_TOO_SKEWED);
        assertThat(e.fields()).containsEntry("RequestTime", "2023-12-03T12:00:00.000Z")
                .containsEntry("MaxAllowedSkewMilliseconds", "900000");
    }

    @Test
    void v4PresignedExpiresOutOfRangeIsInvalidArgument() {
        for (String expires : new String[] {"0", "604801", "-1", "soon"}) {
            OssException e = failure(at(T0), e7(expires), OssError.INVALID_ARGUMENT);
            assertThat(e.fields()).as(expires).containsEntry("ArgumentValue", expires);
        }
    }

    @Test
    void v4PresignedWrongSignatureIsSignatureDoesNotMatch() {
        SigningInput tampered = input("GET", BUCKET, KEY, e7Query("3600").replace("text%2Fhtml", "text%2Fplain"));
        OssException e = failure(at(T0), tampered, OssError.SIGNATURE_DOES_NOT_MATCH);
        assertThat(e.fields().get("CanonicalRequest")).contains("response-content-type=text%2Fplain&x-oss-credential=");
    }

    /** pyv2 test_auth_query_with_token: x-oss-security-token travels in the (signed) query. */
    private static SigningInput pyv2PresignWithToken() {
        return input("PUT", "bucket", "1234+-/123/1.txt",
                "param1=value1&%2Bparam1=value3&%7Cparam1=value4&%2Bparam2&%7Cparam2&param2"
                        + "&x-oss-signature-version=OSS4-HMAC-SHA256&x-oss-date=20231217T035628Z&x-oss-expires=599"
                        + "&x-oss-credential=ak%2F20231217%2Fcn-hangzhou%2Foss%2Faliyun_v4_request&x-oss-security-token=token"
                        + "&x-oss-signature=3817ac9d206cd6dfc90f1c09c00be45005602e55898f26f5ddb06d7892e1f8b5",
                "x-oss-head1", "value", "abc", "value", "ZAbc", "value", "XYZ", "value",
                "content-type", "application/octet-stream");
    }

    @Test
    void v4PresignedSecurityToken() {
        Instant signedAt = Instant.parse("2023-12-17T03:56:28Z");
        Credential sts = new Credential("ak", "sk", "token");
        assertThat(authenticator(signedAt, sts).authenticate(pyv2PresignWithToken()))
                .isEqualTo(new Principal.Authenticated(sts));
        failure(authenticator(signedAt, new Credential("ak", "sk", "other")), pyv2PresignWithToken(),
                OssError.INVALID_ACCESS_KEY_ID);
        failure(authenticator(signedAt, new Credential("ak", "sk", null)), pyv2PresignWithToken(),
                OssError.INVALID_ACCESS_KEY_ID);
    }

    // ---- security token with V1 header auth

    @Test
    void v1HeaderTokenAcceptedAsXOssOrPyv2SecurityTokenHeader() {
        SigningInput xOss = v1Signed(STS, "GET", null, false, "Date", DATE, "x-oss-security-token", "TOKEN+abc=");
        assertThat(at(T0).authenticate(xOss)).isEqualTo(new Principal.Authenticated(STS));
        SigningInput pyv2 = v1Signed(STS, "GET", null, false, "Date", DATE, "security-token", "TOKEN+abc=");
        assertThat(at(T0).authenticate(pyv2)).isEqualTo(new Principal.Authenticated(STS));
    }

    @Test
    void v1HeaderMissingOrWrongTokenIsInvalidAccessKeyId() {
        failure(at(T0), v1Signed(STS, "GET", null, false, "Date", DATE), OssError.INVALID_ACCESS_KEY_ID);
        failure(at(T0), v1Signed(STS, "GET", null, false, "Date", DATE, "x-oss-security-token", "TOKEN"),
                OssError.INVALID_ACCESS_KEY_ID);
        failure(at(T0), v1Signed(DEMO, "GET", null, false, "Date", DATE, "x-oss-security-token", "TOKEN+abc="),
                OssError.INVALID_ACCESS_KEY_ID);
    }

    @Test
    void legacyOss2PresignIsRejected() {
        failure(at(T0), input("GET", BUCKET, KEY, "x-oss-signature-version=OSS2&x-oss-access-key-id=" + AK),
                OssError.INVALID_ARGUMENT);
    }
}
