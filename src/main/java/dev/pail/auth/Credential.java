package dev.pail.auth;

/**
 * An access key pair. {@code securityToken} is non-null for temporary (STS-style) keys: requests
 * signed with such a key must carry that exact token.
 */
public record Credential(String accessKeyId, String secret, String securityToken) {
    public Credential {
        if (accessKeyId == null || accessKeyId.isEmpty()) throw new IllegalArgumentException("access key id is empty");
        if (secret == null || secret.isEmpty()) throw new IllegalArgumentException("secret is empty");
    }

    @Override
    public String toString() { return "Credential[" + accessKeyId + "]"; }
}
