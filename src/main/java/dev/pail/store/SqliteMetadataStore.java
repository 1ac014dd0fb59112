package dev.pail.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.pail.xml.OssError;
import dev.pail.xml.OssException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * {@link MetadataStore} on SQLite in WAL mode.
 *
 * <p>All writes go through one writer thread that drains its queue and commits up to
 * {@value #GROUP} operations in one transaction (group commit): with {@code synchronous=FULL} a
 * commit is one fsync however many writers it serves. Each operation runs inside its own savepoint,
 * so one failing operation does not fail the others in its group. Reads use a small pool of
 * read-only connections, which WAL lets run beside the writer.
 *
 * <p>Current versions read by key ({@link #object}) are cached, absent ones included: a small GET or
 * HEAD then costs SQLite nothing. The writer thread drops a key's entry after the commit that changes
 * it and before that write is acknowledged, so an acknowledged write is never followed by a stale read;
 * per-stripe generation counters stop a read that raced a commit from caching what it read.
 *
 * <p>Keys are stored as BLOBs of their UTF-8 bytes so that SQLite orders and compares them by
 * {@code memcmp}, which is the order OSS lists in, and so that a listing can seek past a common
 * prefix by binding {@code prefix + 0xFF}, a byte string no valid key can start with.
 */
public final class SqliteMetadataStore implements MetadataStore {
    private static final int GROUP = 256;
    private static final int READERS = 4;
    /** Current-version rows kept in memory (about 1 KiB each). */
    private static final int CACHED_OBJECTS = 16_384;
    private static final int STRIPES = 64;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {};

    /** The columns of a version, the same in objects (current versions) and versions (the others): rows move between them. */
    private static final String VERSION_COLUMNS_DDL = """
            bucket TEXT NOT NULL, key BLOB NOT NULL, segments TEXT NOT NULL, size INTEGER NOT NULL, etag TEXT NOT NULL,
            crc64 INTEGER NOT NULL, content_md5 TEXT, mtime_ms INTEGER NOT NULL, type TEXT NOT NULL, storage_class TEXT NOT NULL,
            acl TEXT NOT NULL, content_type TEXT NOT NULL, headers TEXT NOT NULL, meta TEXT NOT NULL, tags TEXT NOT NULL,
            version_id TEXT, seq INTEGER NOT NULL DEFAULT 0""";

    @FunctionalInterface
    private interface Sql<T> {
        T run(Connection c) throws SQLException;
    }

    /** The current version of one key; a null key stands for every key of every bucket. */
    private record ObjectKey(String bucket, String key) {
        static final ObjectKey ALL = new ObjectKey("", null);
    }

    /** A queued write; {@code touches}: whose cached current version it may change (null: none). */
    private record Task<T>(Sql<T> body, CompletableFuture<T> result, ObjectKey touches) {}

    /** Queued by {@link #close()}: the writer commits what came before it and stops. */
    private static final Task<Void> STOP = new Task<>(c -> null, new CompletableFuture<>(), null);

    private final Connection writer;
    private final BlockingQueue<Task<?>> queue = new LinkedBlockingQueue<>();
    private final BlockingQueue<Connection> readers = new ArrayBlockingQueue<>(READERS);
    private final Thread writerThread;
    private volatile boolean closed;
    /**
     * Buckets read so far: every request reads its bucket, and bucket rows change rarely. Changes
     * go through {@link #bucketChanged}; the generation stops a read racing a change from caching what it read.
     */
    private final java.util.concurrent.ConcurrentHashMap<String, BucketRecord> bucketCache = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong bucketGeneration = new java.util.concurrent.atomic.AtomicLong();
    /** Current versions by key, see the class comment; Optional.empty() caches "no such key". */
    private final Cache<ObjectKey, Optional<ObjectRecord>> currentVersions =
            Caffeine.newBuilder().maximumSize(CACHED_OBJECTS).executor(Runnable::run).build();
    /** Bumped by the writer, per stripe of keys, before it drops a changed key from {@link #currentVersions}. */
    private final AtomicLongArray objectGenerations = new AtomicLongArray(STRIPES);
    /**
     * The last inline blob number handed out, restarting from the largest stored one: a number handed
     * out again after a restart was never committed, or its row was deleted, so nothing refers to it.
     */
    private final AtomicLong lastInlineId = new AtomicLong();
    /** The last version sequence number handed out; used by the writer thread only. */
    private long lastSeq;

    public SqliteMetadataStore(Path file, boolean fsync) {
        try {
            String url = "jdbc:sqlite:" + file.toAbsolutePath();
            writer = StatementCache.wrap(DriverManager.getConnection(url));
            try (Statement s = writer.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=" + (fsync ? "FULL" : "OFF"));
                s.execute("PRAGMA busy_timeout=10000");
                s.execute("""
                        CREATE TABLE IF NOT EXISTS buckets(
                          name TEXT PRIMARY KEY,
                          created_ms INTEGER NOT NULL,
                          acl TEXT NOT NULL,
                          storage_class TEXT NOT NULL,
                          redundancy TEXT NOT NULL,
                          versioning TEXT) WITHOUT ROWID""");
                s.execute("CREATE TABLE IF NOT EXISTS objects(" + VERSION_COLUMNS_DDL + ", PRIMARY KEY(bucket, key)) WITHOUT ROWID");
                addColumnIfMissing(s, "buckets", "versioning", "TEXT");
                addColumnIfMissing(s, "objects", "version_id", "TEXT");
                addColumnIfMissing(s, "objects", "seq", "INTEGER NOT NULL DEFAULT 0");
                // previous versions and delete markers; the current version stays in objects
                s.execute("CREATE TABLE IF NOT EXISTS versions(" + VERSION_COLUMNS_DDL + ", PRIMARY KEY(bucket, key, seq DESC)) WITHOUT ROWID");
                s.execute("""
                        CREATE TABLE IF NOT EXISTS uploads(
                          upload_id TEXT PRIMARY KEY,
                          bucket TEXT NOT NULL,
                          key BLOB NOT NULL,
                          initiated_ms INTEGER NOT NULL,
                          content_type TEXT NOT NULL,
                          storage_class TEXT NOT NULL,
                          acl TEXT NOT NULL,
                          forbid_overwrite INTEGER NOT NULL,
                          headers TEXT NOT NULL,
                          meta TEXT NOT NULL,
                          tags TEXT NOT NULL) WITHOUT ROWID""");
                s.execute("""
                        CREATE TABLE IF NOT EXISTS styles(
                          bucket TEXT NOT NULL,
                          name TEXT NOT NULL,
                          content TEXT NOT NULL,
                          category TEXT NOT NULL,
                          created_ms INTEGER NOT NULL,
                          modified_ms INTEGER NOT NULL,
                          PRIMARY KEY(bucket, name)) WITHOUT ROWID""");
                s.execute("CREATE INDEX IF NOT EXISTS uploads_by_key ON uploads(bucket, key, upload_id)");
                // small objects' bytes (InlineBlobs), apart from objects so that listings stay compact
                // ids grow, so new blobs append to the end of the table rather than land on random pages
                s.execute("CREATE TABLE IF NOT EXISTS inline_blobs(id INTEGER PRIMARY KEY, data BLOB NOT NULL)");
                s.execute("""
                        CREATE TABLE IF NOT EXISTS parts(
                          upload_id TEXT NOT NULL,
                          part_number INTEGER NOT NULL,
                          blob TEXT,
                          size INTEGER NOT NULL,
                          etag TEXT NOT NULL,
                          crc64 INTEGER NOT NULL,
                          mtime_ms INTEGER NOT NULL,
                          PRIMARY KEY(upload_id, part_number)) WITHOUT ROWID""");
            }
            writer.setAutoCommit(false);
            writer.commit();
            try (Statement s = writer.createStatement();
                    ResultSet rs = s.executeQuery("SELECT max(coalesce((SELECT max(seq) FROM objects), 0), coalesce((SELECT max(seq) FROM versions), 0))")) {
                lastSeq = rs.next() ? rs.getLong(1) : 0;
            }
            try (Statement s = writer.createStatement(); ResultSet rs = s.executeQuery("SELECT coalesce(max(id), 0) FROM inline_blobs")) {
                lastInlineId.set(rs.next() ? rs.getLong(1) : 0);
            }
            writer.commit();
            for (int i = 0; i < READERS; i++) {
                Connection r = StatementCache.wrap(DriverManager.getConnection(url));
                try (Statement s = r.createStatement()) {
                    s.execute("PRAGMA busy_timeout=10000");
                    s.execute("PRAGMA query_only=1");
                }
                readers.add(r);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open metadata database " + file, e);
        }
        writerThread = Thread.ofPlatform().name("pail-metadata-writer").daemon().start(this::writeLoop);
    }

    private static void addColumnIfMissing(Statement s, String table, String column, String type) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT 1 FROM pragma_table_info('" + table + "') WHERE name='" + column + "'")) {
            if (rs.next()) return;
        }
        s.execute("ALTER TABLE " + table + " ADD COLUMN " + column + " " + type);
    }

    /**
     * The next version sequence number: microseconds since the epoch, kept increasing, so ids
     * sort by age across restarts.
     */
    private long nextSeq() {
        lastSeq = Math.max(System.currentTimeMillis() * 1000, lastSeq + 1);
        return lastSeq;
    }

    // ---- plumbing -------------------------------------------------------------------------

    private <T> T write(Sql<T> body) {
        return write(null, body);
    }

    /** A write that may change the current version of {@code touches} (see {@link #objectChanged}). */
    private <T> T write(ObjectKey touches, Sql<T> body) {
        NonBlocking.mayBlock();
        if (closed) throw new IllegalStateException("metadata store is closed");
        CompletableFuture<T> f = new CompletableFuture<>();
        queue.add(new Task<>(body, f, touches));
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IllegalStateException(e.getCause());
        }
    }

    private void writeLoop() {
        List<Task<?>> batch = new ArrayList<>(GROUP);
        List<Object> results = new ArrayList<>(GROUP);
        while (true) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(batch, GROUP - 1);
            boolean stop = batch.remove(STOP);
            results.clear();
            for (Task<?> t : batch) results.add(runInSavepoint(t.body()));
            Throwable commitFailure = null;
            try {
                writer.commit();
            } catch (SQLException e) {
                commitFailure = e;
                try {
                    writer.rollback();
                } catch (SQLException ignored) {
                    // the commit failure is what gets reported
                }
            }
            for (Task<?> t : batch) if (t.touches() != null) objectChanged(t.touches());
            for (int i = 0; i < batch.size(); i++) complete(batch.get(i), results.get(i), commitFailure);
            batch.clear();
            if (stop) return;
        }
    }

    private record Failure(Throwable cause) {}

    /** On the writer thread, after a commit and before it is acknowledged: see {@link #object}. */
    private void objectChanged(ObjectKey k) {
        if (k == ObjectKey.ALL) {
            for (int i = 0; i < STRIPES; i++) objectGenerations.incrementAndGet(i);
            currentVersions.invalidateAll();
        } else {
            objectGenerations.incrementAndGet(stripe(k));
            currentVersions.invalidate(k);
        }
    }

    private static int stripe(ObjectKey k) {
        return (k.hashCode() & 0x7fffffff) % STRIPES;
    }

    /**
     * Runs one queued write inside a savepoint. The savepoint statements are prepared once; the
     * driver's own setSavepoint parses its SQL on every call, twice per small PUT on the one writer thread.
     */
    private Object runInSavepoint(Sql<?> body) {
        boolean open = false;
        try {
            execute("SAVEPOINT task");
            open = true;
            Object r = body.run(writer);
            execute("RELEASE task");
            return r;
        } catch (Throwable t) {
            if (open) {
                try {
                    execute("ROLLBACK TO task");
                    execute("RELEASE task");
                } catch (SQLException ignored) {
                    // reported through t
                }
            }
            return new Failure(t);
        }
    }

    private void execute(String sql) throws SQLException {
        try (PreparedStatement ps = writer.prepareStatement(sql)) {
            ps.execute();
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> void complete(Task<T> task, Object result, Throwable commitFailure) {
        if (commitFailure != null) task.result().completeExceptionally(new IllegalStateException("commit failed", commitFailure));
        else if (result instanceof Failure(Throwable cause)) task.result().completeExceptionally(cause);
        else task.result().complete((T) result);
    }

    private <T> T read(Sql<T> body) {
        NonBlocking.mayBlock();
        Connection c;
        try {
            c = readers.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        try {
            return body.run(c);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        } finally {
            readers.add(c);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        queue.add(STOP); // writes queued before this still commit
        try {
            writerThread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            writer.close();
            for (Connection c : readers) c.close();
        } catch (SQLException ignored) {
            // closing on shutdown
        }
    }

    // ---- buckets --------------------------------------------------------------------------

    @Override
    public boolean createBucket(BucketRecord b) {
        return write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO buckets(name, created_ms, acl, storage_class, redundancy) VALUES(?,?,?,?,?) ON CONFLICT(name) DO NOTHING")) {
                ps.setString(1, b.name());
                ps.setLong(2, b.createdMillis());
                ps.setString(3, b.acl());
                ps.setString(4, b.storageClass());
                ps.setString(5, b.redundancy());
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public Optional<BucketRecord> bucket(String name) {
        BucketRecord cached = bucketCache.get(name);
        if (cached != null) return Optional.of(cached);
        long generation = bucketGeneration.get();
        Optional<BucketRecord> b = read(c -> bucket(c, name));
        // cached only if no change was committed since the read began (checked atomically with the put);
        // a change committed after this put drops it in bucketChanged, before it is acknowledged
        b.ifPresent(fresh -> bucketCache.compute(name, (n, old) -> bucketGeneration.get() == generation ? fresh : old));
        return b;
    }

    /** After a committed change to a bucket's row: drop the cached copy (see {@link #bucket(String)}). */
    private void bucketChanged(String name) {
        bucketGeneration.incrementAndGet();
        bucketCache.remove(name);
    }

    private static Optional<BucketRecord> bucket(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT name, created_ms, acl, storage_class, redundancy, versioning FROM buckets WHERE name=?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(bucketRow(rs)) : Optional.empty();
            }
        }
    }

    private static BucketRecord bucketRow(ResultSet rs) throws SQLException {
        return new BucketRecord(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6));
    }

    @Override
    public List<BucketRecord> listBuckets(String prefix, String marker, int limit) {
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT name, created_ms, acl, storage_class, redundancy, versioning FROM buckets WHERE name > ? AND substr(name, 1, ?) = ? ORDER BY name LIMIT ?")) {
                ps.setString(1, marker == null ? "" : marker);
                ps.setInt(2, prefix.length());
                ps.setString(3, prefix);
                ps.setInt(4, limit);
                List<BucketRecord> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(bucketRow(rs));
                }
                return out;
            }
        });
    }

    @Override
    public void deleteBucket(String name) {
        try {
            deleteBucketRow(name);
        } finally {
            bucketChanged(name);
        }
    }

    private void deleteBucketRow(String name) {
        write(c -> {
            if (bucket(c, name).isEmpty()) throw noSuchBucket(name);
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT 1 FROM objects WHERE bucket=? UNION ALL SELECT 1 FROM versions WHERE bucket=? "
                            + "UNION ALL SELECT 1 FROM uploads WHERE bucket=? LIMIT 1")) {
                ps.setString(1, name);
                ps.setString(2, name);
                ps.setString(3, name);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) throw OssError.BUCKET_NOT_EMPTY.exception().with("BucketName", name);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM styles WHERE bucket=?")) {
                ps.setString(1, name);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM buckets WHERE name=?")) {
                ps.setString(1, name);
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public void setBucketAcl(String name, String acl) {
        updateBucket(name, "acl", acl);
    }

    @Override
    public void setBucketVersioning(String name, String status) {
        updateBucket(name, "versioning", status);
    }

    private void updateBucket(String name, String column, String value) {
        try {
            // versioning changes how every version of the bucket reads (its version id): rare, so drop all
            write(column.equals("versioning") ? ObjectKey.ALL : null, c -> {
                try (PreparedStatement ps = c.prepareStatement("UPDATE buckets SET " + column + "=? WHERE name=?")) {
                    ps.setString(1, value);
                    ps.setString(2, name);
                    if (ps.executeUpdate() == 0) throw noSuchBucket(name);
                }
                return null;
            });
        } finally {
            bucketChanged(name);
        }
    }

    @Override
    public BucketStats bucketStats(String name) {
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT storage_class, count(*), sum(size), max(mtime_ms) FROM objects WHERE bucket=? GROUP BY storage_class")) {
                ps.setString(1, name);
                long count = 0, bytes = 0, last = 0;
                Map<String, ClassStats> byClass = new java.util.TreeMap<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        byClass.put(rs.getString(1), new ClassStats(rs.getLong(2), rs.getLong(3)));
                        count += rs.getLong(2);
                        bytes += rs.getLong(3);
                        last = Math.max(last, rs.getLong(4));
                    }
                }
                return new BucketStats(count, bytes, last, byClass, count(c, "SELECT count(*) FROM uploads WHERE bucket=?", name));
            }
        });
    }

    private static long count(Connection c, String sql, String arg) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static OssException noSuchBucket(String name) {
        return OssError.NO_SUCH_BUCKET.exception().with("BucketName", name);
    }

    // ---- objects --------------------------------------------------------------------------

    /** The columns of objects and versions, in the same order (rows move between the tables). */
    private static final String COLUMNS = "bucket, key, segments, size, etag, crc64, content_md5, mtime_ms, type, storage_class, acl, "
            + "content_type, headers, meta, tags, version_id, seq";

    /**
     * {@link #COLUMNS} and whether the row's bucket has versioning, so that one lookup tells
     * whether a null version id is shown as "null" or not at all.
     */
    private static final String LOOKUP_COLUMNS = COLUMNS + ", (SELECT versioning IS NOT NULL FROM buckets WHERE name = bucket)";

    /** A stored version with its sequence number (newer versions of a key have larger ones). */
    private record Row(ObjectRecord record, long seq) {}

    @Override
    public Optional<ObjectRecord> object(String bucket, String key) {
        ObjectKey k = new ObjectKey(bucket, key);
        Optional<ObjectRecord> cached = currentVersions.getIfPresent(k);
        if (cached != null) return cached;
        int stripe = stripe(k);
        long generation = objectGenerations.get(stripe);
        Optional<ObjectRecord> o = read(c -> current(c, bucket, key).map(Row::record));
        // cached only if the writer has not bumped the stripe since the read began, checked atomically with
        // the put: the writer bumps before it drops the key, so a commit the read may predate either stops
        // this put or drops what it put, before that commit is acknowledged
        currentVersions.asMap().compute(k, (unused, old) -> objectGenerations.get(stripe) == generation ? o : old);
        return o;
    }

    @Override
    public Optional<ObjectRecord> version(String bucket, String key, String versionId) {
        return read(c -> version(c, bucket, key, versionId).map(Row::record));
    }

    @Override
    public Optional<ObjectRecord> newestVersion(String bucket, String key) {
        return read(c -> {
            Optional<Row> current = current(c, bucket, key);
            return current.isPresent() ? current.map(Row::record) : newestPrevious(c, bucket, key).map(Row::record);
        });
    }

    private static Optional<Row> current(Connection c, String bucket, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + LOOKUP_COLUMNS + " FROM objects WHERE bucket=? AND key=?")) {
            ps.setString(1, bucket);
            ps.setBytes(2, utf8(key));
            return one(ps);
        }
    }

    private static Optional<Row> newestPrevious(Connection c, String bucket, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT " + LOOKUP_COLUMNS + " FROM versions WHERE bucket=? AND key=? ORDER BY seq DESC LIMIT 1")) {
            ps.setString(1, bucket);
            ps.setBytes(2, utf8(key));
            return one(ps);
        }
    }

    private static Optional<Row> version(Connection c, String bucket, String key, String versionId) throws SQLException {
        String raw = ObjectRecord.NULL_VERSION.equals(versionId) ? null : versionId;
        if (raw != null && VersionIds.seq(raw) < 0) return Optional.empty();
        Optional<Row> current = current(c, bucket, key);
        if (current.isPresent() && Objects.equals(raw(current.get().record()), raw)) return current;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT " + LOOKUP_COLUMNS + " FROM versions WHERE bucket=? AND key=? AND version_id IS ?")) {
            ps.setString(1, bucket);
            ps.setBytes(2, utf8(key));
            ps.setString(3, raw);
            return one(ps);
        }
    }

    /** The one row of a query over {@link #LOOKUP_COLUMNS}, if any. */
    private static Optional<Row> one(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(row(rs, rs.getBoolean(18))) : Optional.empty();
        }
    }

    /** @param versioned whether the bucket has versioning, which makes a null version id "null" rather than absent */
    private static Row row(ResultSet rs, boolean versioned) throws SQLException {
        String versionId = rs.getString(16);
        if (versionId == null && versioned) versionId = ObjectRecord.NULL_VERSION;
        ObjectRecord o = new ObjectRecord(
                rs.getString(1),
                new String(rs.getBytes(2), StandardCharsets.UTF_8),
                Segment.decode(rs.getString(3)),
                rs.getLong(4),
                rs.getString(5),
                rs.getLong(6),
                rs.getString(7),
                rs.getLong(8),
                rs.getString(9),
                rs.getString(10),
                rs.getString(11),
                rs.getString(12),
                fromJson(rs.getString(13)),
                fromJson(rs.getString(14)),
                fromJson(rs.getString(15)),
                versionId);
        return new Row(o, rs.getLong(17));
    }

    /** The stored form of a record's version id: null for the null version. */
    private static String raw(ObjectRecord o) {
        return ObjectRecord.NULL_VERSION.equals(o.versionId()) ? null : o.versionId();
    }

    private static void insert(Connection c, String table, ObjectRecord o, String rawVersionId, long seq) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + "(" + COLUMNS + ") VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
            ps.setString(1, o.bucket());
            ps.setBytes(2, utf8(o.key()));
            ps.setString(3, Segment.encode(o.segments()));
            ps.setLong(4, o.size());
            ps.setString(5, o.etag());
            ps.setLong(6, o.crc64());
            ps.setString(7, o.contentMd5());
            ps.setLong(8, o.modifiedMillis());
            ps.setString(9, o.type());
            ps.setString(10, o.storageClass());
            ps.setString(11, o.acl());
            ps.setString(12, o.contentType());
            ps.setString(13, toJson(o.headers()));
            ps.setString(14, toJson(o.userMeta()));
            ps.setString(15, toJson(o.tags()));
            ps.setString(16, rawVersionId);
            ps.setLong(17, seq);
            ps.executeUpdate();
        }
    }

    private static void deleteCurrent(Connection c, String bucket, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM objects WHERE bucket=? AND key=?")) {
            ps.setString(1, bucket);
            ps.setBytes(2, utf8(key));
            ps.executeUpdate();
        }
    }

    private static void deletePrevious(Connection c, String bucket, String key, long seq) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM versions WHERE bucket=? AND key=? AND seq=?")) {
            ps.setString(1, bucket);
            ps.setBytes(2, utf8(key));
            ps.setLong(3, seq);
            ps.executeUpdate();
        }
    }

    /** Moves the current version of a key to the previous versions, keeping its id, sequence and blobs. */
    private static void demote(Connection c, String bucket, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO versions(" + COLUMNS + ") SELECT " + COLUMNS + " FROM objects WHERE bucket=? AND key=?")) {
            ps.setString(1, bucket);
            ps.setBytes(2, utf8(key));
            ps.executeUpdate();
        }
        deleteCurrent(c, bucket, key);
    }

    /** After a version was removed: the newest remaining version becomes current unless it is a delete marker. */
    private static void promote(Connection c, String bucket, String key) throws SQLException {
        if (current(c, bucket, key).isPresent()) return;
        Optional<Row> newest = newestPrevious(c, bucket, key);
        if (newest.isEmpty() || newest.get().record().isDeleteMarker()) return;
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO objects(" + COLUMNS + ") SELECT " + COLUMNS + " FROM versions WHERE bucket=? AND key=? AND seq=?")) {
            ps.setString(1, bucket);
            ps.setBytes(2, utf8(key));
            ps.setLong(3, newest.get().seq());
            ps.executeUpdate();
        }
        deletePrevious(c, bucket, key, newest.get().seq());
    }

    /**
     * Suspended versioning: the key's null version, wherever it is, makes way for a new one.
     * Returns the blobs it held.
     */
    private static List<String> removeNullVersion(Connection c, String bucket, String key) throws SQLException {
        List<String> freed = new ArrayList<>();
        Optional<Row> current = current(c, bucket, key);
        if (current.isPresent() && raw(current.get().record()) == null) {
            freed.addAll(current.get().record().blobIds());
            deleteCurrent(c, bucket, key);
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM versions WHERE bucket=? AND key=? AND version_id IS NULL")) {
            ps.setString(1, bucket);
            ps.setBytes(2, utf8(key));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Row r = row(rs, true);
                    freed.addAll(r.record().blobIds());
                    deletePrevious(c, bucket, key, r.seq());
                }
            }
        }
        return freed;
    }

    @Override
    public Commit putObject(ObjectRecord o, Precondition precondition, List<InlineBlob> newBlobs) {
        return write(new ObjectKey(o.bucket(), o.key()), c -> {
            for (InlineBlob blob : newBlobs) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO inline_blobs(id, data) VALUES(?,?)")) {
                    ps.setLong(1, inlineNumber(blob.id()));
                    ps.setBytes(2, blob.data());
                    ps.executeUpdate();
                }
            }
            return putObject(c, o, precondition); // a refusal rolls the blobs back with the savepoint
        });
    }

    private Commit putObject(Connection c, ObjectRecord o, Precondition precondition) throws SQLException {
        BucketRecord b = bucket(c, o.bucket()).orElseThrow(() -> noSuchBucket(o.bucket()));
        Optional<ObjectRecord> previous = current(c, o.bucket(), o.key()).map(Row::record);
        switch (precondition) {
            case Precondition.None n -> { }
            case Precondition.Absent a -> {
                if (previous.isPresent() && !b.versioned()) throw OssError.FILE_ALREADY_EXISTS.exception().with("Key", o.key());
            }
            case Precondition.Unchanged u -> {
                boolean same = u.segments() == null
                        ? previous.isEmpty()
                        : previous.isPresent() && previous.get().segments().equals(u.segments()) && previous.get().size() == u.size();
                if (!same) throw new ConcurrentChangeException();
                if (u.segments() != null) return grow(c, o, previous.get());
            }
        }
        List<String> freed = new ArrayList<>();
        long seq = nextSeq();
        String versionId = null;
        if (b.versioning() == null) {
            previous.ifPresent(p -> freed.addAll(p.blobIds()));
            deleteCurrent(c, o.bucket(), o.key());
        } else if (b.versioning().equals("Enabled")) {
            versionId = VersionIds.create(seq);
            demote(c, o.bucket(), o.key());
        } else { // Suspended: the write is the null version
            freed.addAll(removeNullVersion(c, o.bucket(), o.key()));
            demote(c, o.bucket(), o.key());
        }
        insert(c, "objects", o, versionId, seq);
        freed.removeAll(o.blobIds());
        return new Commit(o.withVersionId(versionId != null ? versionId : b.versioned() ? ObjectRecord.NULL_VERSION : null), freed);
    }

    /**
     * An append: the current version itself is rewritten (it grows, or an empty appendable object
     * gets its first bytes and headers), keeping its id; OSS makes no previous version.
     */
    private static Commit grow(Connection c, ObjectRecord o, ObjectRecord previous) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE objects SET segments=?, size=?, etag=?, crc64=?, content_md5=?, mtime_ms=?, "
                + "type=?, storage_class=?, acl=?, content_type=?, headers=?, meta=?, tags=? WHERE bucket=? AND key=?")) {
            ps.setString(1, Segment.encode(o.segments()));
            ps.setLong(2, o.size());
            ps.setString(3, o.etag());
            ps.setLong(4, o.crc64());
            ps.setString(5, o.contentMd5());
            ps.setLong(6, o.modifiedMillis());
            ps.setString(7, o.type());
            ps.setString(8, o.storageClass());
            ps.setString(9, o.acl());
            ps.setString(10, o.contentType());
            ps.setString(11, toJson(o.headers()));
            ps.setString(12, toJson(o.userMeta()));
            ps.setString(13, toJson(o.tags()));
            ps.setString(14, o.bucket());
            ps.setBytes(15, utf8(o.key()));
            ps.executeUpdate();
        }
        List<String> freed = new ArrayList<>(previous.blobIds());
        freed.removeAll(o.blobIds());
        return new Commit(o.withVersionId(previous.versionId()), freed);
    }

    @Override
    public Deletion deleteObject(String bucket, String key, String versionId) {
        return write(new ObjectKey(bucket, key), c -> {
            BucketRecord b = bucket(c, bucket).orElseThrow(() -> noSuchBucket(bucket));
            Optional<Row> current = current(c, bucket, key);
            if (versionId != null) {
                Deletion d = deleteVersion(c, bucket, key, versionId);
                // a bucket that never had versioning names no versions in its answers
                return b.versioned() ? d : new Deletion(null, false, d.freedBlobs());
            }
            if (b.versioning() == null) {
                deleteCurrent(c, bucket, key);
                return new Deletion(null, false, current.map(r -> r.record().blobIds()).orElse(List.of()));
            }
            long seq = nextSeq();
            List<String> freed = new ArrayList<>();
            String markerId = null;
            if (b.versioning().equals("Enabled")) markerId = VersionIds.create(seq);
            else freed.addAll(removeNullVersion(c, bucket, key));
            demote(c, bucket, key);
            insert(c, "versions", ObjectRecord.deleteMarker(bucket, key, System.currentTimeMillis()), markerId, seq);
            return new Deletion(markerId == null ? ObjectRecord.NULL_VERSION : markerId, true, freed);
        });
    }

    private static Deletion deleteVersion(Connection c, String bucket, String key, String versionId) throws SQLException {
        Optional<Row> found = version(c, bucket, key, versionId);
        if (found.isEmpty()) return new Deletion(versionId, false, List.of());
        ObjectRecord v = found.get().record();
        Optional<Row> current = current(c, bucket, key);
        if (current.isPresent() && current.get().seq() == found.get().seq()) deleteCurrent(c, bucket, key);
        else deletePrevious(c, bucket, key, found.get().seq());
        promote(c, bucket, key);
        return new Deletion(versionId, v.isDeleteMarker(), v.blobIds());
    }

    @Override
    public boolean setObjectTags(String bucket, String key, String versionId, Map<String, String> tags) {
        return updateVersion(bucket, key, versionId, "tags", toJson(tags));
    }

    @Override
    public boolean setObjectAcl(String bucket, String key, String versionId, String acl) {
        return updateVersion(bucket, key, versionId, "acl", acl);
    }

    /** Sets one column of a version that is not a delete marker; false when there is none. */
    private boolean updateVersion(String bucket, String key, String versionId, String column, String value) {
        return write(new ObjectKey(bucket, key), c -> {
            Optional<Row> v = versionId == null ? current(c, bucket, key) : version(c, bucket, key, versionId);
            if (v.isEmpty() || v.get().record().isDeleteMarker()) return false;
            boolean isCurrent = current(c, bucket, key).map(r -> r.seq() == v.get().seq()).orElse(false);
            String sql = isCurrent
                    ? "UPDATE objects SET " + column + "=? WHERE bucket=? AND key=?"
                    : "UPDATE versions SET " + column + "=? WHERE bucket=? AND key=? AND seq=?";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, value);
                ps.setString(2, bucket);
                ps.setBytes(3, utf8(key));
                if (!isCurrent) ps.setLong(4, v.get().seq());
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public ListPage list(String bucket, String prefix, String marker, String delimiter, int maxKeys) {
        return read(c -> {
            byte[] prefixBytes = utf8(prefix);
            byte[] end = successor(prefixBytes);
            byte[] markerBytes = marker == null ? null : utf8(marker);
            // seek position: strictly after the marker, and at least the prefix
            byte[] from = prefixBytes;
            boolean inclusive = true;
            if (markerBytes != null && Arrays.compareUnsigned(markerBytes, prefixBytes) >= 0) {
                from = markerBytes;
                inclusive = false;
            }
            List<ObjectRecord> objects = new ArrayList<>();
            List<String> prefixes = new ArrayList<>();
            String last = null;
            boolean truncated = false;
            boolean useDelimiter = delimiter != null && !delimiter.isEmpty();
            scan:
            while (true) {
                int want = maxKeys - objects.size() - prefixes.size() + 1;
                List<ObjectRecord> rows = rangeQuery(c, bucket, from, inclusive, end, Math.min(want, 1001));
                if (rows.isEmpty()) break;
                for (ObjectRecord row : rows) {
                    String common = useDelimiter ? commonPrefix(row.key(), prefix, delimiter) : null;
                    if (common != null && markerBytes != null && Arrays.compareUnsigned(utf8(common), markerBytes) <= 0) {
                        // this prefix was returned on an earlier page: skip everything under it
                        from = seekPast(common);
                        inclusive = true;
                        continue scan;
                    }
                    if (objects.size() + prefixes.size() == maxKeys) {
                        truncated = true;
                        break scan;
                    }
                    if (common != null) {
                        prefixes.add(common);
                        last = common;
                        from = seekPast(common);
                        inclusive = true;
                        continue scan;
                    }
                    objects.add(row);
                    last = row.key();
                    from = utf8(row.key());
                    inclusive = false;
                }
                if (rows.size() < Math.min(want, 1001)) break;
            }
            return new ListPage(objects, prefixes, truncated, truncated ? last : null);
        });
    }

    private static List<ObjectRecord> rangeQuery(Connection c, String bucket, byte[] from, boolean inclusive, byte[] end, int limit)
            throws SQLException {
        String sql = "SELECT " + COLUMNS + " FROM objects WHERE bucket=? AND key " + (inclusive ? ">=" : ">") + " ?"
                + (end == null ? "" : " AND key < ?") + " ORDER BY key LIMIT ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setString(i++, bucket);
            ps.setBytes(i++, from);
            if (end != null) ps.setBytes(i++, end);
            ps.setInt(i, limit);
            List<ObjectRecord> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(row(rs, false).record());
            }
            return out;
        }
    }

    @Override
    public VersionPage listVersions(String bucket, String prefix, String keyMarker, String versionIdMarker, String delimiter, int max) {
        return read(c -> {
            byte[] prefixBytes = utf8(prefix);
            byte[] end = successor(prefixBytes);
            // position: (from, inclusive) on keys, and within key `from` only versions older than seqBelow
            byte[] from = prefixBytes;
            boolean inclusive = true;
            Long seqBelow = null;
            String previousKey = null; // a key whose newest version came before this page
            if (keyMarker != null && Arrays.compareUnsigned(utf8(keyMarker), prefixBytes) >= 0) {
                from = utf8(keyMarker);
                if (versionIdMarker == null) {
                    inclusive = false;
                } else {
                    seqBelow = markerSeq(c, bucket, keyMarker, versionIdMarker);
                    previousKey = keyMarker;
                }
            }
            List<VersionEntry> entries = new ArrayList<>();
            List<String> prefixes = new ArrayList<>();
            boolean truncated = false;
            String lastKey = null, lastVersion = null;
            boolean useDelimiter = delimiter != null && !delimiter.isEmpty();
            scan:
            while (true) {
                int want = Math.min(max - entries.size() - prefixes.size() + 1, 1001);
                List<Row> rows = versionRange(c, bucket, from, inclusive, seqBelow, end, want);
                if (rows.isEmpty()) break;
                for (Row r : rows) {
                    String key = r.record().key();
                    String common = useDelimiter ? commonPrefix(key, prefix, delimiter) : null;
                    if (common != null && keyMarker != null && Arrays.compareUnsigned(utf8(common), utf8(keyMarker)) <= 0) {
                        from = seekPast(common); // returned on an earlier page
                        inclusive = true;
                        seqBelow = null;
                        continue scan;
                    }
                    if (entries.size() + prefixes.size() == max) {
                        truncated = true;
                        break scan;
                    }
                    if (common != null) {
                        prefixes.add(common);
                        lastKey = common;
                        lastVersion = null;
                        from = seekPast(common);
                        inclusive = true;
                        seqBelow = null;
                        continue scan;
                    }
                    entries.add(new VersionEntry(r.record(), !key.equals(previousKey)));
                    previousKey = key;
                    lastKey = key;
                    lastVersion = r.record().versionId();
                    from = utf8(key);
                    inclusive = true;
                    seqBelow = r.seq();
                }
                if (rows.size() < want) break;
            }
            return new VersionPage(entries, prefixes, truncated, truncated ? lastKey : null,
                    truncated ? (lastVersion == null ? "" : lastVersion) : null);
        });
    }

    /**
     * Where a version-id-marker points: its sequence number, read from the id itself so the
     * position holds even if that version was deleted. A null version that no longer exists
     * restarts the key from its newest version (entries may repeat, none are skipped).
     */
    private static long markerSeq(Connection c, String bucket, String key, String versionIdMarker) throws SQLException {
        if (!ObjectRecord.NULL_VERSION.equals(versionIdMarker)) {
            long seq = VersionIds.seq(versionIdMarker);
            return seq < 0 ? Long.MAX_VALUE : seq;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT seq FROM objects WHERE bucket=? AND key=? AND version_id IS NULL "
                + "UNION ALL SELECT seq FROM versions WHERE bucket=? AND key=? AND version_id IS NULL")) {
            ps.setString(1, bucket);
            ps.setBytes(2, utf8(key));
            ps.setString(3, bucket);
            ps.setBytes(4, utf8(key));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : Long.MAX_VALUE;
            }
        }
    }

    /** Versions (current ones from objects, the rest from versions) in (key, newest first) order, merged by SQLite. */
    private static List<Row> versionRange(Connection c, String bucket, byte[] from, boolean inclusive, Long seqBelow, byte[] end, int limit)
            throws SQLException {
        String where = " WHERE bucket=? AND key " + (inclusive ? ">=" : ">") + " ?" + (end == null ? "" : " AND key < ?")
                + (seqBelow == null ? "" : " AND NOT (key = ? AND seq >= ?)");
        String sql = "SELECT " + COLUMNS + " FROM objects" + where + " UNION ALL SELECT " + COLUMNS + " FROM versions" + where
                + " ORDER BY key, seq DESC LIMIT ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            for (int branch = 0; branch < 2; branch++) {
                ps.setString(i++, bucket);
                ps.setBytes(i++, from);
                if (end != null) ps.setBytes(i++, end);
                if (seqBelow != null) {
                    ps.setBytes(i++, from);
                    ps.setLong(i++, seqBelow);
                }
            }
            ps.setInt(i, limit);
            List<Row> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(row(rs, true));
            }
            return out;
        }
    }

    /** The key's common prefix under {@code prefix} and {@code delimiter}, or null when it has none. */
    static String commonPrefix(String key, String prefix, String delimiter) {
        int i = key.indexOf(delimiter, prefix.length());
        return i < 0 ? null : key.substring(0, i + delimiter.length());
    }

    /** The smallest byte string greater than every key that starts with {@code prefix}. */
    private static byte[] seekPast(String prefix) {
        byte[] p = utf8(prefix);
        byte[] out = Arrays.copyOf(p, p.length + 1);
        out[p.length] = (byte) 0xFF; // 0xFF never occurs in UTF-8
        return out;
    }

    /** The exclusive upper bound of keys starting with {@code prefix}; null when unbounded. */
    private static byte[] successor(byte[] prefix) {
        if (prefix.length == 0) return null;
        return seekPast(new String(prefix, StandardCharsets.UTF_8));
    }

    @Override
    public Set<String> referencedBlobs() {
        return read(c -> {
            Set<String> out = new HashSet<>();
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT segments FROM objects UNION ALL SELECT segments FROM versions")) {
                while (rs.next()) out.addAll(Segment.blobIds(Segment.decode(rs.getString(1))));
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT blob FROM parts WHERE blob IS NOT NULL")) {
                while (rs.next()) out.add(rs.getString(1));
            }
            return out;
        });
    }

    // ---- inline blobs -----------------------------------------------------------------------

    /** Inline blob ids are {@link #ID_PREFIX} and a decimal number, the row's key. */
    private static long inlineNumber(String id) {
        if (!InlineBlobs.isInlineId(id)) throw new IllegalArgumentException("not an inline blob id: " + id);
        return Long.parseLong(id.substring(ID_PREFIX.length()));
    }

    @Override
    public String newInlineBlobId() {
        return ID_PREFIX + lastInlineId.incrementAndGet();
    }

    @Override
    public byte[] inlineBlob(String id) {
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT data FROM inline_blobs WHERE id=?")) {
                ps.setLong(1, inlineNumber(id));
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getBytes(1) : null;
                }
            }
        });
    }

    @Override
    public void copyInlineBlob(String from, String to) {
        write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO inline_blobs(id, data) SELECT ?, data FROM inline_blobs WHERE id=?")) {
                ps.setLong(1, inlineNumber(to));
                ps.setLong(2, inlineNumber(from));
                if (ps.executeUpdate() != 1) throw new IllegalStateException("no inline blob " + from);
            }
            return null;
        });
    }

    @Override
    public void dropInlineBlobs(Collection<String> ids) {
        if (ids.isEmpty() || closed) return; // after close: left to the sweep of an unclean start
        List<String> copy = List.copyOf(ids);
        queue.add(new Task<Void>(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM inline_blobs WHERE id=?")) {
                for (String id : copy) {
                    ps.setLong(1, inlineNumber(id));
                    ps.executeUpdate();
                }
            }
            return null;
        }, new CompletableFuture<>(), null));
    }

    @Override
    public Set<String> inlineBlobIds() {
        return read(c -> {
            Set<String> out = new HashSet<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id FROM inline_blobs")) {
                while (rs.next()) out.add(ID_PREFIX + rs.getLong(1));
            }
            return out;
        });
    }

    // ---- multipart uploads ----------------------------------------------------------------

    private static final String UPLOAD_COLUMNS =
            "upload_id, bucket, key, initiated_ms, content_type, storage_class, acl, forbid_overwrite, headers, meta, tags";

    @Override
    public void createUpload(UploadRecord u) {
        write(c -> {
            if (bucket(c, u.bucket()).isEmpty()) throw noSuchBucket(u.bucket());
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO uploads(" + UPLOAD_COLUMNS + ") VALUES(?,?,?,?,?,?,?,?,?,?,?)")) {
                ps.setString(1, u.uploadId());
                ps.setString(2, u.bucket());
                ps.setBytes(3, utf8(u.key()));
                ps.setLong(4, u.initiatedMillis());
                ps.setString(5, u.contentType());
                ps.setString(6, u.storageClass());
                ps.setString(7, u.acl());
                ps.setInt(8, u.forbidOverwrite() ? 1 : 0);
                ps.setString(9, toJson(u.headers()));
                ps.setString(10, toJson(u.userMeta()));
                ps.setString(11, toJson(u.tags()));
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Optional<UploadRecord> upload(String bucket, String key, String uploadId) {
        return read(c -> upload(c, bucket, key, uploadId));
    }

    private static Optional<UploadRecord> upload(Connection c, String bucket, String key, String uploadId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + UPLOAD_COLUMNS + " FROM uploads WHERE upload_id=? AND bucket=? AND key=?")) {
            ps.setString(1, uploadId);
            ps.setString(2, bucket);
            ps.setBytes(3, utf8(key));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(uploadRow(rs)) : Optional.empty();
            }
        }
    }

    private static UploadRecord uploadRow(ResultSet rs) throws SQLException {
        return new UploadRecord(rs.getString(1), rs.getString(2), new String(rs.getBytes(3), StandardCharsets.UTF_8), rs.getLong(4),
                rs.getString(5), rs.getString(6), rs.getString(7), rs.getInt(8) != 0, fromJson(rs.getString(9)), fromJson(rs.getString(10)),
                fromJson(rs.getString(11)));
    }

    private static OssException noSuchUpload(String uploadId) {
        return OssError.NO_SUCH_UPLOAD.exception().with("UploadId", uploadId);
    }

    @Override
    public Optional<PartRecord> putPart(PartRecord p) {
        return write(c -> {
            if (!uploadExists(c, p.uploadId())) throw noSuchUpload(p.uploadId());
            Optional<PartRecord> previous = part(c, p.uploadId(), p.partNumber());
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO parts(upload_id, part_number, blob, size, etag, crc64, mtime_ms) "
                    + "VALUES(?,?,?,?,?,?,?) ON CONFLICT(upload_id, part_number) DO UPDATE SET blob=excluded.blob, size=excluded.size, "
                    + "etag=excluded.etag, crc64=excluded.crc64, mtime_ms=excluded.mtime_ms")) {
                ps.setString(1, p.uploadId());
                ps.setInt(2, p.partNumber());
                ps.setString(3, p.blobId());
                ps.setLong(4, p.size());
                ps.setString(5, p.etag());
                ps.setLong(6, p.crc64());
                ps.setLong(7, p.modifiedMillis());
                ps.executeUpdate();
            }
            return previous;
        });
    }

    private static boolean uploadExists(Connection c, String uploadId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM uploads WHERE upload_id=?")) {
            ps.setString(1, uploadId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static Optional<PartRecord> part(Connection c, String uploadId, int number) throws SQLException {
        List<PartRecord> one = parts(c, uploadId, number - 1, 1);
        return one.isEmpty() || one.getFirst().partNumber() != number ? Optional.empty() : Optional.of(one.getFirst());
    }

    @Override
    public List<PartRecord> parts(String uploadId, int afterPartNumber, int limit) {
        return read(c -> parts(c, uploadId, afterPartNumber, limit));
    }

    private static List<PartRecord> parts(Connection c, String uploadId, int after, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT upload_id, part_number, blob, size, etag, crc64, mtime_ms FROM parts "
                + "WHERE upload_id=? AND part_number>? ORDER BY part_number LIMIT ?")) {
            ps.setString(1, uploadId);
            ps.setInt(2, after);
            ps.setInt(3, limit);
            List<PartRecord> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new PartRecord(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getLong(4), rs.getString(5),
                            rs.getLong(6), rs.getLong(7)));
                }
            }
            return out;
        }
    }

    @Override
    public Completion completeUpload(String bucket, String key, String uploadId, Precondition precondition,
            java.util.function.BiFunction<UploadRecord, List<PartRecord>, ObjectRecord> build) {
        return write(new ObjectKey(bucket, key), c -> {
            UploadRecord u = upload(c, bucket, key, uploadId).orElseThrow(() -> noSuchUpload(uploadId));
            List<PartRecord> all = parts(c, uploadId, 0, Integer.MAX_VALUE);
            ObjectRecord object = build.apply(u, all);
            Commit commit = putObject(c, object, precondition);
            List<String> unused = new ArrayList<>(commit.freedBlobs());
            for (PartRecord p : all) if (p.blobId() != null) unused.add(p.blobId());
            unused.removeAll(object.blobIds());
            deleteUpload(c, uploadId);
            return new Completion(commit.object(), unused);
        });
    }

    @Override
    public List<String> abortUpload(String bucket, String key, String uploadId) {
        return write(c -> {
            if (upload(c, bucket, key, uploadId).isEmpty()) throw noSuchUpload(uploadId);
            List<String> blobs = new ArrayList<>();
            for (PartRecord p : parts(c, uploadId, 0, Integer.MAX_VALUE)) if (p.blobId() != null) blobs.add(p.blobId());
            deleteUpload(c, uploadId);
            return blobs;
        });
    }

    private static void deleteUpload(Connection c, String uploadId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM parts WHERE upload_id=?")) {
            ps.setString(1, uploadId);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM uploads WHERE upload_id=?")) {
            ps.setString(1, uploadId);
            ps.executeUpdate();
        }
    }

    @Override
    public UploadPage listUploads(String bucket, String prefix, String keyMarker, String uploadIdMarker, String delimiter, int max) {
        return read(c -> {
            byte[] prefixBytes = utf8(prefix);
            byte[] end = successor(prefixBytes);
            // position: after (keyMarker, uploadIdMarker), or after every upload of keyMarker when no id marker is given
            byte[] fromKey = prefixBytes;
            String fromId = "";
            boolean sameKeyAfterId = false;
            if (keyMarker != null && Arrays.compareUnsigned(utf8(keyMarker), prefixBytes) >= 0) {
                fromKey = utf8(keyMarker);
                if (uploadIdMarker != null) {
                    fromId = uploadIdMarker;
                    sameKeyAfterId = true;
                } else {
                    fromKey = Arrays.copyOf(utf8(keyMarker), utf8(keyMarker).length + 1); // keyMarker + 0x00
                }
            }
            List<UploadRecord> uploads = new ArrayList<>();
            List<String> prefixes = new ArrayList<>();
            boolean truncated = false;
            String lastKey = null, lastId = null;
            boolean useDelimiter = delimiter != null && !delimiter.isEmpty();
            scan:
            while (true) {
                String sql = "SELECT " + UPLOAD_COLUMNS + " FROM uploads WHERE bucket=? AND "
                        + (sameKeyAfterId ? "((key=? AND upload_id>?) OR key>?)" : "key>=?")
                        + (end == null ? "" : " AND key<?") + " ORDER BY key, upload_id LIMIT ?";
                List<UploadRecord> rows = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    int i = 1;
                    ps.setString(i++, bucket);
                    ps.setBytes(i++, fromKey);
                    if (sameKeyAfterId) {
                        ps.setString(i++, fromId);
                        ps.setBytes(i++, fromKey);
                    }
                    if (end != null) ps.setBytes(i++, end);
                    ps.setInt(i, max + 1);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) rows.add(uploadRow(rs));
                    }
                }
                if (rows.isEmpty()) break;
                for (UploadRecord u : rows) {
                    String common = useDelimiter ? commonPrefix(u.key(), prefix, delimiter) : null;
                    if (common != null && keyMarker != null && Arrays.compareUnsigned(utf8(common), utf8(keyMarker)) <= 0) {
                        fromKey = seekPast(common);
                        sameKeyAfterId = false;
                        continue scan;
                    }
                    if (uploads.size() + prefixes.size() == max) {
                        truncated = true;
                        break scan;
                    }
                    if (common != null) {
                        prefixes.add(common);
                        lastKey = common;
                        lastId = null;
                        fromKey = seekPast(common);
                        sameKeyAfterId = false;
                        continue scan;
                    }
                    uploads.add(u);
                    lastKey = u.key();
                    lastId = u.uploadId();
                    fromKey = utf8(u.key());
                    fromId = u.uploadId();
                    sameKeyAfterId = true;
                }
                if (rows.size() < max + 1) break;
            }
            return new UploadPage(uploads, prefixes, truncated, truncated ? lastKey : null, truncated ? lastId : null);
        });
    }

    @Override
    public List<UploadRecord> uploadsInitiatedBefore(long beforeMillis) {
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + UPLOAD_COLUMNS + " FROM uploads WHERE initiated_ms<?")) {
                ps.setLong(1, beforeMillis);
                List<UploadRecord> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(uploadRow(rs));
                }
                return out;
            }
        });
    }

    // ---- image styles ------------------------------------------------------------------------

    private static final String STYLE_COLUMNS = "bucket, name, content, category, created_ms, modified_ms";

    @Override
    public boolean putStyle(StyleRecord st, int maxPerBucket) {
        return write(c -> {
            if (bucket(c, st.bucket()).isEmpty()) throw noSuchBucket(st.bucket());
            if (style(c, st.bucket(), st.name()).isEmpty()
                    && count(c, "SELECT count(*) FROM styles WHERE bucket=?", st.bucket()) >= maxPerBucket) {
                return false;
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO styles(" + STYLE_COLUMNS + ") VALUES(?,?,?,?,?,?) "
                    + "ON CONFLICT(bucket, name) DO UPDATE SET content=excluded.content, category=excluded.category, "
                    + "modified_ms=excluded.modified_ms")) {
                ps.setString(1, st.bucket());
                ps.setString(2, st.name());
                ps.setString(3, st.content());
                ps.setString(4, st.category());
                ps.setLong(5, st.createdMillis());
                ps.setLong(6, st.modifiedMillis());
                ps.executeUpdate();
            }
            return true;
        });
    }

    @Override
    public Optional<StyleRecord> style(String bucket, String name) {
        return read(c -> style(c, bucket, name));
    }

    private static Optional<StyleRecord> style(Connection c, String bucket, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + STYLE_COLUMNS + " FROM styles WHERE bucket=? AND name=?")) {
            ps.setString(1, bucket);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(styleRow(rs)) : Optional.empty();
            }
        }
    }

    private static StyleRecord styleRow(ResultSet rs) throws SQLException {
        return new StyleRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5), rs.getLong(6));
    }

    @Override
    public List<StyleRecord> listStyles(String bucket) {
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + STYLE_COLUMNS + " FROM styles WHERE bucket=? ORDER BY name")) {
                ps.setString(1, bucket);
                List<StyleRecord> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(styleRow(rs));
                }
                return out;
            }
        });
    }

    @Override
    public boolean deleteStyle(String bucket, String name) {
        return write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM styles WHERE bucket=? AND name=?")) {
                ps.setString(1, bucket);
                ps.setString(2, name);
                return ps.executeUpdate() == 1;
            }
        });
    }

    // ---- encoding -------------------------------------------------------------------------

    private static byte[] utf8(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    private static String toJson(Map<String, String> map) {
        try {
            return JSON.writeValueAsString(map);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> fromJson(String json) {
        try {
            return JSON.readValue(json, STRING_MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
