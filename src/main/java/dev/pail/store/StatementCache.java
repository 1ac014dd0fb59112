package dev.pail.store;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * Keeps a connection's prepared statements open for reuse. Preparing a statement costs SQLite more than
 * running a point query (a third of a small GET's CPU went to {@code sqlite3_prepare}), and the store
 * prepares the same few dozen statements again and again.
 *
 * <p>{@link #wrap} returns the connection seen through a proxy whose {@code prepareStatement(String)} hands
 * out the cached statement for that SQL; closing it (the store's try-with-resources) only clears its
 * parameters, and closing the connection closes them all. The store's code reads as plain JDBC. A
 * connection is used by one thread at a time (the writer thread, or a reader taken from the pool), and no
 * statement is run again while a result set of its own is still open, which is what makes sharing safe.
 * The SQL texts are a fixed set (dynamic parts are only table/column names from code), so the cache is
 * bounded.
 */
final class StatementCache implements InvocationHandler {

    private final Connection connection;
    private final Map<String, PreparedStatement> open = new HashMap<>();

    private StatementCache(Connection connection) {
        this.connection = connection;
    }

    static Connection wrap(Connection connection) {
        return (Connection) Proxy.newProxyInstance(StatementCache.class.getClassLoader(), new Class<?>[] {Connection.class},
                new StatementCache(connection));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        String name = method.getName();
        if (name.equals("prepareStatement") && args.length == 1) return statement((String) args[0]);
        if (name.equals("close")) {
            for (PreparedStatement ps : open.values()) ps.close();
            open.clear();
        }
        return call(connection, method, args);
    }

    private PreparedStatement statement(String sql) throws SQLException {
        PreparedStatement cached = open.get(sql);
        if (cached == null) {
            PreparedStatement real = connection.prepareStatement(sql);
            cached = (PreparedStatement) Proxy.newProxyInstance(StatementCache.class.getClassLoader(),
                    new Class<?>[] {PreparedStatement.class}, (p, m, a) -> m.getName().equals("close") ? clear(real) : call(real, m, a));
            open.put(sql, cached);
        }
        return cached;
    }

    private static Object clear(PreparedStatement real) throws SQLException {
        real.clearParameters();
        return null;
    }

    private static Object call(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
