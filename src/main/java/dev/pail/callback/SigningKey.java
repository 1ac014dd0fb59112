package dev.pail.callback;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * The RSA key pair that signs callback requests, kept as two PEM files in the key directory:
 * {@value #PRIVATE_FILE} (PKCS#8, {@code -----BEGIN PRIVATE KEY-----}, mode 600) and
 * {@value #PUBLIC_FILE} (X.509 SubjectPublicKeyInfo, {@code -----BEGIN PUBLIC KEY-----}, the format
 * of OSS's {@code callback_pub_key_v1.pem}). The private key is the source of truth: the public key
 * is derived from it and its file rewritten when missing. An operator may put their own PKCS#8 RSA
 * key there ({@code openssl pkcs8 -topk8 -nocrypt} converts an {@code RSA PRIVATE KEY}).
 */
final class SigningKey {
    static final String PRIVATE_FILE = "callback_private_key.pem";
    static final String PUBLIC_FILE = "callback_public_key.pem";

    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final String publicPem;

    private SigningKey(PrivateKey privateKey, PublicKey publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        this.publicPem = pem("PUBLIC KEY", publicKey.getEncoded());
    }

    /** Loads the key pair from {@code dir}, creating a new RSA 2048 pair there on first use. */
    /** The key pair kept in {@code dir}, or null when there is none yet (see {@link #loadOrCreate}). */
    static SigningKey existing(Path dir) {
        return Files.exists(dir.resolve(PRIVATE_FILE)) ? loadOrCreate(dir) : null;
    }

    static SigningKey loadOrCreate(Path dir) {
        try {
            Files.createDirectories(dir);
            Path privateFile = dir.resolve(PRIVATE_FILE);
            Path publicFile = dir.resolve(PUBLIC_FILE);
            SigningKey key;
            if (Files.exists(privateFile)) {
                key = load(privateFile);
            } else {
                KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                g.initialize(2048);
                KeyPair pair = g.generateKeyPair();
                key = new SigningKey(pair.getPrivate(), pair.getPublic());
                write(privateFile, pem("PRIVATE KEY", pair.getPrivate().getEncoded()), true);
                Files.deleteIfExists(publicFile);
            }
            if (!Files.exists(publicFile)) write(publicFile, key.publicPem, false);
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot load or create the callback signing key in " + dir, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot load or create the callback signing key in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static SigningKey load(Path privateFile) throws IOException, GeneralSecurityException {
        String text = Files.readString(privateFile, StandardCharsets.US_ASCII);
        if (!text.contains("-----BEGIN PRIVATE KEY-----")) {
            throw new GeneralSecurityException(privateFile + " is not a PKCS#8 PEM private key (-----BEGIN PRIVATE KEY-----);"
                    + " convert it with: openssl pkcs8 -topk8 -nocrypt");
        }
        KeyFactory rsa = KeyFactory.getInstance("RSA");
        PrivateKey priv = rsa.generatePrivate(new PKCS8EncodedKeySpec(unpem(text, "PRIVATE KEY")));
        if (!(priv instanceof RSAPrivateCrtKey crt)) {
            throw new GeneralSecurityException(privateFile + " holds an RSA key without its public exponent (CRT form needed)");
        }
        PublicKey pub = rsa.generatePublic(new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
        return new SigningKey(priv, pub);
    }

    /** Writes {@code text} to {@code file} through a temporary file and an atomic rename. */
    private static void write(Path file, String text, boolean secret) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        if (secret) {
            try {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(tmp); // not a POSIX file system
            } catch (FileAlreadyExistsException e) {
                throw new IOException("Another process is writing " + tmp, e);
            }
        }
        Files.writeString(tmp, text, StandardCharsets.US_ASCII);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    }

    /** {@code base64( MD5withRSA(input) )}: the Authorization header of a callback request. */
    String sign(byte[] input) {
        try {
            Signature s = Signature.getInstance("MD5withRSA");
            s.initSign(privateKey);
            s.update(input);
            return Base64.getEncoder().encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    PublicKey publicKey() { return publicKey; }

    String publicPem() { return publicPem; }

    static String pem(String type, byte[] der) {
        String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + b64 + "\n-----END " + type + "-----\n";
    }

    static byte[] unpem(String text, String type) {
        int start = text.indexOf("-----BEGIN " + type + "-----");
        int end = text.indexOf("-----END " + type + "-----");
        if (start < 0 || end < start) throw new IllegalArgumentException("No " + type + " PEM block");
        String body = text.substring(start + ("-----BEGIN " + type + "-----").length(), end);
        return Base64.getMimeDecoder().decode(body);
    }

    /** Parses a {@code PUBLIC KEY} PEM (for tests and tools). */
    static PublicKey parsePublic(String pem) throws GeneralSecurityException {
        return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(unpem(pem, "PUBLIC KEY")));
    }
}
