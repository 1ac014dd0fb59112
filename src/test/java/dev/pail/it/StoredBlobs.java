package dev.pail.it;

import com.aliyun.oss.OSS;
import com.aliyun.oss.model.CannedAccessControlList;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Stream;

/**
 * What a running test server stores: blob files under {@code blobs/} and inline blobs in the
 * metadata database (read beside the server, read-only). Inline blobs a write freed are dropped by
 * a write queued behind it and not waited for; the metadata writer commits in queue order, so once
 * a later write is acknowledged they are gone. {@link #flush} makes such a write.
 */
public final class StoredBlobs {
    private static final String FLUSH_BUCKET = "stored-blobs-flush";

    private StoredBlobs() {}

    /** Files plus inline blobs, after {@link #flush}. */
    public static long count(TestServer server, OSS oss) {
        flush(oss);
        return files(server) + inline(server);
    }

    /** Returns once every write queued before it has committed. */
    public static void flush(OSS oss) {
        if (!oss.doesBucketExist(FLUSH_BUCKET)) oss.createBucket(FLUSH_BUCKET);
        oss.setBucketAcl(FLUSH_BUCKET, CannedAccessControlList.Private);
    }

    public static long files(TestServer server) {
        Path blobs = server.dataDir().resolve("blobs");
        if (!Files.exists(blobs)) return 0;
        try (Stream<Path> s = Files.walk(blobs)) {
            return s.filter(Files::isRegularFile).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static long inline(TestServer server) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + server.dataDir().resolve("meta.db"));
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM inline_blobs")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
