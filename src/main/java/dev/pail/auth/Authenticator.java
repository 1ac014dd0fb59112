package dev.pail.auth;

import dev.pail.route.Query;
import dev.pail.xml.OssError;
import dev.pail.xml.OssException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.SortedSet;
import java.util.function.Function;

/**
 * Classifies a request (core.md §3.1), checks its time and verifies its V1 or V4 signature, header or presigned.
 *
 * <p>Checks run in this order: syntax (400 InvalidArgument) → request time (403) → access key (403
 * InvalidAccessKeyId) → security token → signature (403 SignatureDoesNotMatch, with the StringToSign,
 * StringToSignBytes, SignatureProvided and OSSAccessKeyId fields, plus CanonicalRequest for V4).
 *
 * <p>Choices where core.md leaves the behaviour open or unconfirmed:
 * <ul>
 *   <li>Security token (§3.6): a key with a token requires it on the request (V1 header: {@code x-oss-security-token},
 *       or {@code security-token} as pyv2 sends it; V1 presign: query {@code security-token}; V4 header:
 *       {@code x-oss-security-token}; V4 presign: query {@code x-oss-security-token}). A missing or different
 *       token, or a token sent for a key that has none, is 403 InvalidAccessKeyId: the key id and its token
 *       together name a temporary credential, so the pair is unknown.</li>
 *   <li>V4 presigned {@code x-oss-date} more than 15 minutes ahead → 403 RequestTimeTooSkewed (§9.6).</li>
 *   <li>V4 credential-scope date different from the date of {@code x-oss-date} → 400 InvalidArgument.</li>
 *   <li>Missing or unparsable request date (V1 {@code x-oss-date}/{@code Date}, V4 {@code x-oss-date}, V4 presign
 *       {@code x-oss-date} query) and a non-numeric V1 {@code Expires} → 403 AccessDenied. Other missing or
 *       malformed presign parameters → 400 InvalidArgument.</li>
 *   <li>A query with {@code OSSAccessKeyId} or {@code Signature} but not all three V1 presign parameters → 400
 *       InvalidArgument rather than anonymous.</li>
 *   <li>Legacy OSS2 signatures (header or presigned) → 400 InvalidArgument "not supported".</li>
 *   <li>V1 signature mismatch retries once with {@code name=} for empty sub-resources sent with {@code =} (the J1
 *       quirk of §3.2); the error reports the primary string-to-sign.</li>
 * </ul>
 */
public final class Authenticator {
    static final Duration MAX_SKEW = Duration.ofMinutes(15);
    static final long MAX_PRESIGN_SECONDS = 604_800;

    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final HexFormat SPACED_HEX = HexFormat.ofDelimiter(" ");

    private final Function<String, Optional<Credential>> credentials;
    private final Clock clock;

    /** @param credentials looks up a credential by access key id */
    public Authenticator(Function<String, Optional<Credential>> credentials, Clock clock) {
        this.credentials = credentials;
        this.clock = clock;
    }

    /** The verified principal, or an {@link OssException} describing why the request is rejected. */
    public Principal authenticate(SigningInput in) {
        String authorization = in.header("authorization");
        if (authorization != null) {
            if (authorization.startsWith(V4Signer.ALGORITHM + " ")) return v4Header(in, authorization);
            if (authorization.startsWith("OSS ")) return v1Header(in, authorization.substring(4));
            if (authorization.startsWith("OSS2 ")) throw notSupported("OSS2");
            throw OssError.INVALID_ARGUMENT.exception("Unrecognized Authorization header: " + authorization);
        }
        Query q = in.query();
        String version = q.get("x-oss-signature-version");
        if (version != null) {
            if (version.equals(V4Signer.ALGORITHM)) return v4Presigned(in);
            throw notSupported(version);
        }
        if (q.has("OSSAccessKeyId") || q.has("Signature")) return v1Presigned(in);
        return Principal.ANONYMOUS;
    }

    private Principal v1Header(SigningInput in, String credentialAndSignature) {
        int colon = credentialAndSignature.lastIndexOf(':');
        if (colon <= 0 || colon == credentialAndSignature.length() - 1) {
            throw OssError.INVALID_ARGUMENT.exception("Malformed V1 Authorization header, expected OSS <ak>:<sig>.");
        }
        String accessKeyId = credentialAndSignature.substring(0, colon);
        String date = in.header("x-oss-date") != null ? in.header("x-oss-date") : in.header("date");
        checkSkew(parseHttpDate(date));
        Credential credential = credential(accessKeyId);
        String token = in.header("x-oss-security-token");
        checkToken(credential, token != null ? token : in.header("security-token"), StandardCharsets.ISO_8859_1);
        verifyV1(in, credential, date, credentialAndSignature.substring(colon + 1));
        return new Principal.Authenticated(credential);
    }

    private Principal v1Presigned(SigningInput in) {
        Query q = in.query();
        String accessKeyId = q.get("OSSAccessKeyId");
        String expires = q.get("Expires");
        String signature = q.get("Signature");
        if (accessKeyId == null || expires == null || signature == null || accessKeyId.isEmpty() || signature.isEmpty()) {
            throw OssError.INVALID_ARGUMENT.exception("A presigned URL needs OSSAccessKeyId, Expires and Signature.");
        }
        long expiry;
        try {
            expiry = Long.parseLong(expires);
        } catch (NumberFormatException e) {
            throw OssError.ACCESS_DENIED.exception("Invalid Expires: " + expires);
        }
        Instant now = clock.instant();
        if (now.getEpochSecond() > expiry) throw expired(Instant.ofEpochSecond(expiry), now);
        Credential credential = credential(accessKeyId);
        checkToken(credential, q.get("security-token"), StandardCharsets.UTF_8);
        verifyV1(in, credential, expires, signature);
        return new Principal.Authenticated(credential);
    }

    private Principal v4Header(SigningInput in, String header) {
        V4Signer.Authorization auth = V4Signer.Authorization.parse(header);
        String dateTime = in.header("x-oss-date");
        Instant requestTime = parseIsoBasic(dateTime);
        checkScopeDate(auth.scope(), dateTime);
        checkSkew(requestTime);
        Credential credential = credential(auth.scope().accessKeyId());
        checkToken(credential, in.header("x-oss-security-token"), StandardCharsets.ISO_8859_1);
        verifyV4(in, credential, auth.scope(), dateTime, auth.additionalHeaders(), false, auth.signature());
        return new Principal.Authenticated(credential);
    }

    private Principal v4Presigned(SigningInput in) {
        Query q = in.query();
        String credentialValue = q.get("x-oss-credential");
        String signature = q.get("x-oss-signature");
        if (credentialValue == null || signature == null || signature.isEmpty()) {
            throw OssError.INVALID_ARGUMENT.exception("A V4 presigned URL needs x-oss-credential and x-oss-signature.");
        }
        V4Signer.Scope scope = V4Signer.Scope.parse(credentialValue);
        long expires = parseExpires(q.get("x-oss-expires"));
        String dateTime = q.get("x-oss-date");
        Instant signedAt = parseIsoBasic(dateTime);
        checkScopeDate(scope, dateTime);
        Instant now = clock.instant();
        if (signedAt.isAfter(now.plus(MAX_SKEW))) throw skewed(signedAt, now);
        if (now.isAfter(signedAt.plusSeconds(expires))) throw expired(signedAt.plusSeconds(expires), now);
        Credential credential = credential(scope.accessKeyId());
        checkToken(credential, q.get("x-oss-security-token"), StandardCharsets.UTF_8);
        verifyV4(in, credential, scope, dateTime, V4Signer.additionalHeaders(q.get("x-oss-additional-headers")),
                true, signature);
        return new Principal.Authenticated(credential);
    }

    private static void verifyV1(SigningInput in, Credential credential, String date, String provided) {
        byte[] stringToSign = V1Signer.stringToSign(in, date, false);
        if (constantTimeEquals(V1Signer.sign(credential.secret(), stringToSign), provided)) return;
        byte[] quirk = V1Signer.stringToSign(in, date, true);
        if (!Arrays.equals(quirk, stringToSign)
                && constantTimeEquals(V1Signer.sign(credential.secret(), quirk), provided)) return;
        throw mismatch(new String(stringToSign, StandardCharsets.UTF_8), stringToSign, provided, credential);
    }

    private static void verifyV4(SigningInput in, Credential credential, V4Signer.Scope scope, String dateTime,
                                 SortedSet<String> additionalHeaders, boolean presigned, String provided) {
        String canonicalRequest = V4Signer.canonicalRequest(in, additionalHeaders, presigned);
        String stringToSign = V4Signer.stringToSign(dateTime, scope, canonicalRequest);
        if (constantTimeEquals(V4Signer.signature(credential.secret(), scope, stringToSign), provided)) return;
        throw mismatch(stringToSign, stringToSign.getBytes(StandardCharsets.ISO_8859_1), provided, credential)
                .with("CanonicalRequest", canonicalRequest);
    }

    private Credential credential(String accessKeyId) {
        return credentials.apply(accessKeyId).orElseThrow(
                () -> OssError.INVALID_ACCESS_KEY_ID.exception().with("OSSAccessKeyId", accessKeyId));
    }

    /** {@code sent} is compared as bytes in {@code wire}: ISO-8859-1 for raw header chars, UTF-8 for decoded query. */
    private static void checkToken(Credential credential, String sent, Charset wire) {
        String expected = credential.securityToken();
        boolean expects = expected != null && !expected.isEmpty();
        boolean carries = sent != null && !sent.isEmpty();
        if (!expects && !carries) return;
        if (expects && carries
                && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), sent.getBytes(wire))) return;
        String message = expects ? "The security token you provided is missing or invalid."
                : "A security token was sent for an access key that does not use one.";
        throw OssError.INVALID_ACCESS_KEY_ID.exception(message).with("OSSAccessKeyId", credential.accessKeyId());
    }

    private void checkSkew(Instant requestTime) {
        Instant now = clock.instant();
        if (Duration.between(requestTime, now).abs().compareTo(MAX_SKEW) > 0) throw skewed(requestTime, now);
    }

    private static void checkScopeDate(V4Signer.Scope scope, String dateTime) {
        if (!dateTime.startsWith(scope.date())) {
            throw OssError.INVALID_ARGUMENT.exception(
                    "The credential date " + scope.date() + " does not match x-oss-date " + dateTime + ".");
        }
    }

    /** RFC 1123; Java's parser also takes the single-digit day J2 sends and ignores letter case. */
    /** The last Date parsed: clients sign with the current second, so most requests repeat it. */
    private record ParsedDate(String text, Instant at) {}

    private static volatile ParsedDate lastDate = new ParsedDate("", Instant.EPOCH);

    private static Instant parseHttpDate(String date) {
        if (date == null) throw OssError.ACCESS_DENIED.exception("The request must carry a Date or x-oss-date header.");
        ParsedDate last = lastDate;
        if (last.text().equals(date)) return last.at();
        try {
            Instant at = ZonedDateTime.parse(date.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            lastDate = new ParsedDate(date, at);
            return at;
        } catch (DateTimeParseException e) {
            throw OssError.ACCESS_DENIED.exception("Invalid date: " + date);
        }
    }

    /** {@code yyyyMMdd'T'HHmmss'Z'}, read digit by digit (a DateTimeFormatter costs a sixth of a signed small GET). */
    private static Instant parseIsoBasic(String dateTime) {
        if (dateTime == null) throw OssError.ACCESS_DENIED.exception("The request must carry x-oss-date.");
        if (dateTime.length() == 16 && dateTime.charAt(8) == 'T' && dateTime.charAt(15) == 'Z') {
            try {
                return LocalDateTime.of(digits(dateTime, 0, 4), digits(dateTime, 4, 6), digits(dateTime, 6, 8),
                        digits(dateTime, 9, 11), digits(dateTime, 11, 13), digits(dateTime, 13, 15)).toInstant(ZoneOffset.UTC);
            } catch (DateTimeException | NumberFormatException e) {
                // reported below
            }
        }
        throw OssError.ACCESS_DENIED.exception("Invalid x-oss-date: " + dateTime);
    }

    private static int digits(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') throw new NumberFormatException(s);
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static long parseExpires(String value) {
        try {
            long expires = Long.parseLong(value);
            if (expires >= 1 && expires <= MAX_PRESIGN_SECONDS) return expires;
        } catch (NumberFormatException e) {
            // reported below, like an out-of-range value
        }
        throw OssError.INVALID_ARGUMENT.exception("x-oss-expires must be an integer in 1.." + MAX_PRESIGN_SECONDS + ".")
                .with("ArgumentName", "x-oss-expires").with("ArgumentValue", value);
    }

    private static boolean constantTimeEquals(String expected, String provided) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.ISO_8859_1),
                provided.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static OssException mismatch(String stringToSign, byte[] bytes, String provided, Credential credential) {
        return OssError.SIGNATURE_DOES_NOT_MATCH.exception()
                .with("StringToSign", stringToSign)
                .with("StringToSignBytes", SPACED_HEX.formatHex(bytes))
                .with("SignatureProvided", provided)
                .with("OSSAccessKeyId", credential.accessKeyId());
    }

    private static OssException skewed(Instant requestTime, Instant now) {
        return OssError.REQUEST_TIME_TOO_SKEWED.exception()
                .with("RequestTime", iso(requestTime))
                .with("ServerTime", iso(now))
                .with("MaxAllowedSkewMilliseconds", Long.toString(MAX_SKEW.toMillis()));
    }

    private static OssException expired(Instant expiry, Instant now) {
        return OssError.ACCESS_DENIED.exception("Request has expired.")
                .with("Expires", iso(expiry))
                .with("ServerTime", iso(now));
    }

    private static OssException notSupported(String version) {
        return OssError.INVALID_ARGUMENT.exception("Signature version " + version + " is not supported.");
    }

    /** ISO 8601 with {@code .000Z}, the format every SDK parses. */
    private static String iso(Instant t) { return ISO_MILLIS.format(t.truncatedTo(ChronoUnit.SECONDS)); }
}
