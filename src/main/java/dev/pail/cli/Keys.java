package dev.pail.cli;

import dev.pail.auth.Credential;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Properties;

/**
 * The server's main access key: from the configuration when given, else generated once and kept in
 * {@code keys/credentials.properties} (mode 600) in the data directory.
 */
final class Keys {
    private Keys() {}

    /** The key and where it came from (for the banner), and whether it was made just now. */
    record Loaded(Credential credential, String source, boolean generated) {}

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    static Loaded load(ServerConfig config) throws IOException {
        if (config.accessKeyId() != null && config.accessKeySecret() != null) {
            return new Loaded(new Credential(config.accessKeyId(), config.accessKeySecret(), null), "configuration", false);
        }
        Path file = config.dataDir().resolve("keys").resolve("credentials.properties");
        Properties p = new Properties();
        if (Files.exists(file)) {
            try (Reader r = Files.newBufferedReader(file)) {
                p.load(r);
            }
            return new Loaded(new Credential(p.getProperty("accessKeyId"), p.getProperty("accessKeySecret"), null), file.toString(), false);
        }
        SecureRandom random = new SecureRandom();
        Credential c = new Credential("LTAI" + random(random, 20), random(random, 30), null);
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling("credentials.properties.tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        p.setProperty("accessKeyId", c.accessKeyId());
        p.setProperty("accessKeySecret", c.secret());
        try (Writer w = Files.newBufferedWriter(tmp)) {
            p.store(w, "Pail access key, generated on first start");
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return new Loaded(c, file.toString(), true);
    }

    private static String random(SecureRandom r, int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) b.append(ALPHABET.charAt(r.nextInt(ALPHABET.length())));
        return b.toString();
    }
}
