package dev.pail.callback;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A parsed upload-callback configuration (features.md §9): what {@link CallbackService#parse} makes
 * of {@code x-oss-callback} / {@code x-oss-callback-var} (or the {@code callback} /
 * {@code callback-var} query parameters of a presigned URL), checked before anything is stored.
 *
 * @param targets   the {@code callbackUrl} list, 1 to 5 entries, tried in order
 * @param host      {@code callbackHost}: the Host header to send; null means "the URL's host"
 *                  (with {@code :port} when the URL names a port)
 * @param body      {@code callbackBody}: the template, never empty
 * @param bodyType  {@code callbackBodyType}
 * @param sni       {@code callbackSNI}: send a TLS server name (the Host name) to https targets
 * @param variables the custom variables ({@code callback-var}), keys including the {@code x:} prefix
 */
public record Callback(List<Target> targets, String host, String body, BodyType bodyType, boolean sni,
                       Map<String, String> variables) {

    public Callback {
        targets = List.copyOf(targets);
        if (targets.isEmpty() || targets.size() > MAX_URLS) throw new IllegalArgumentException("1 to " + MAX_URLS + " targets");
        Objects.requireNonNull(body);
        Objects.requireNonNull(bodyType);
        variables = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(variables));
    }

    /** At most this many {@code ;}-separated URLs in {@code callbackUrl}. */
    public static final int MAX_URLS = 5;

    /** {@code callbackBodyType}: the Content-Type sent and how variables are substituted. */
    public enum BodyType {
        /** Values are percent-encoded (RFC 3986, UTF-8; only {@code A-Za-z0-9-_.~} left as is). */
        FORM("application/x-www-form-urlencoded"),
        /** Values are inserted JSON-encoded (see {@link CallbackService} for the exact rule). */
        JSON("application/json");

        private final String contentType;

        BodyType(String contentType) { this.contentType = contentType; }

        public String contentType() { return contentType; }
    }

    /**
     * One callback URL, already split up. {@code path} and {@code query} are raw (percent-encoded)
     * exactly as they will appear on the request line; characters outside printable ASCII were
     * percent-encoded as UTF-8 while parsing.
     *
     * @param https whether the scheme is https (http when the URL named none)
     * @param host  the host as written (a DNS name or an IPv4 literal; IPv6 is not supported, as in OSS)
     * @param port  the port, the scheme's default when the URL named none
     * @param explicitPort whether the URL named the port
     * @param path  raw path, starting with {@code /}
     * @param query raw query without {@code ?}, or null when the URL has none
     */
    public record Target(boolean https, String host, int port, boolean explicitPort, String path, String query) {

        /** The Host header value for this URL: host, plus {@code :port} when the URL named one. */
        public String hostHeader() { return explicitPort ? host + ":" + port : host; }

        /** The request target: raw path plus {@code ?query} when there is one. */
        public String requestTarget() { return query == null ? path : path + "?" + query; }

        @Override
        public String toString() { return (https ? "https://" : "http://") + hostHeader() + requestTarget(); }
    }
}
