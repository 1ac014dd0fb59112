// The PUT-single-stream reference of bench/run.sh: JDK MessageDigest MD5 throughput over the same file's bytes,
// read from the page cache into a 1 MiB heap buffer (the intrinsic path). Run with the single-file source
// launcher, so the JVM's start and this file's compilation are not timed:
//
//   java bench/lib/Md5Rate.java FILE [passes]
//
// Warms the intrinsic up on the first 256 MiB, then times `passes` full passes (default 1) and prints one line:
//   MD5 {"bytes":N,"seconds":S,"mb_s":R,"md5":"HEX"}      (MB = 10^6 bytes; the best pass)
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;

public class Md5Rate {
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int passes = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        byte[] buf = new byte[1 << 20];
        ByteBuffer bb = ByteBuffer.wrap(buf);
        try (FileChannel ch = FileChannel.open(file)) {
            long size = ch.size();
            digest(ch, bb, buf, Math.min(size, 256L << 20)); // warm-up
            double best = Double.MAX_VALUE;
            String hex = "";
            for (int p = 0; p < passes; p++) {
                long t0 = System.nanoTime();
                hex = digest(ch, bb, buf, size);
                best = Math.min(best, (System.nanoTime() - t0) / 1e9);
            }
            System.out.printf(Locale.ROOT, "MD5 {\"bytes\":%d,\"seconds\":%.4f,\"mb_s\":%.1f,\"md5\":\"%s\"}%n",
                    size, best, size / best / 1e6, hex);
        }
    }

    private static String digest(FileChannel ch, ByteBuffer bb, byte[] buf, long limit) throws Exception {
        MessageDigest md = MessageDigest.getInstance("MD5");
        long pos = 0;
        while (pos < limit) {
            bb.clear();
            if (limit - pos < buf.length) bb.limit((int) (limit - pos));
            int n = ch.read(bb, pos);
            if (n < 0) break;
            md.update(buf, 0, n);
            pos += n;
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
