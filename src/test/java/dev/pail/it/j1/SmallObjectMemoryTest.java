package dev.pail.it.j1;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.OSS;
import com.aliyun.oss.model.AppendObjectRequest;
import com.aliyun.oss.model.GetObjectRequest;
import com.aliyun.oss.model.OSSObject;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Small objects (up to 64 KiB) are served from memory once read, and their current versions from the
 * metadata cache. Every change that makes new bytes current — overwrite, append, delete and re-create,
 * copy over, restore — must be what the next read returns, whole or ranged, with the matching CRC.
 */
class SmallObjectMemoryTest extends J1Base {

    private byte[] get(OSS oss, String b, String k) throws Exception {
        try (OSSObject o = oss.getObject(b, k)) {
            byte[] body = read(o);
            assertThat(o.getServerCRC()).isEqualTo(crc(body));
            return body;
        }
    }

    private byte[] getRange(OSS oss, String b, String k, long first, long last) throws Exception {
        GetObjectRequest r = new GetObjectRequest(b, k);
        r.setRange(first, last);
        try (OSSObject o = oss.getObject(r)) {
            return read(o);
        }
    }

    @Test
    void overwriteDeleteAndRecreateAreSeenAtOnce() throws Exception {
        String b = newBucket(Sig.V1);
        for (int round = 0; round < 20; round++) {
            byte[] data = random(100 + round * 997, round);
            v1.putObject(b, "k", in(data));
            assertThat(get(v1, b, "k")).isEqualTo(data);
            assertThat(get(v1, b, "k")).isEqualTo(data); // from memory now
            assertThat(getRange(v1, b, "k", 10, 59)).isEqualTo(Arrays.copyOfRange(data, 10, 60));
            if (round % 3 == 0) {
                v1.deleteObject(b, "k");
                assertThat(v1.doesObjectExist(b, "k")).isFalse();
            }
        }
    }

    @Test
    void appendsGrowWhatIsServed() throws Exception {
        String b = newBucket(Sig.V1);
        byte[] all = new byte[0];
        for (int i = 0; i < 12; i++) {
            byte[] chunk = random(1000 + i, 100 + i);
            AppendObjectRequest r = new AppendObjectRequest(b, "log", in(chunk));
            r.setPosition((long) all.length);
            v1.appendObject(r);
            all = concat(all, chunk);
            assertThat(get(v1, b, "log")).isEqualTo(all);
            assertThat(getRange(v1, b, "log", all.length - 10, all.length - 1))
                    .isEqualTo(Arrays.copyOfRange(all, all.length - 10, all.length));
        }
        // past the in-memory limit: from the file, still whole
        byte[] big = random(70_000, 7);
        AppendObjectRequest r = new AppendObjectRequest(b, "log", in(big));
        r.setPosition((long) all.length);
        v1.appendObject(r);
        assertThat(get(v1, b, "log")).isEqualTo(concat(all, big));
    }

    @Test
    void copiesAndTheSizeLimitRoundTrip() throws Exception {
        String b = newBucket(Sig.V1);
        byte[] atLimit = random(64 * 1024, 1);
        byte[] overLimit = random(64 * 1024 + 1, 2);
        v1.putObject(b, "at", in(atLimit));
        v1.putObject(b, "over", in(overLimit));
        for (int i = 0; i < 2; i++) {
            assertThat(get(v1, b, "at")).isEqualTo(atLimit);
            assertThat(get(v1, b, "over")).isEqualTo(overLimit);
        }
        v1.copyObject(b, "over", b, "at"); // copy over a small object that is in memory
        assertThat(get(v1, b, "at")).isEqualTo(overLimit);
        byte[] small = random(500, 3);
        v1.putObject(b, "small", in(small));
        assertThat(get(v1, b, "small")).isEqualTo(small);
        v1.copyObject(b, "small", b, "at"); // a small object in memory over another one
        assertThat(get(v1, b, "at")).isEqualTo(small);
        v1.createSymlink(b, "link", "at");
        assertThat(get(v1, b, "link")).isEqualTo(small);
        v1.putObject(b, "at", in(atLimit)); // the link's target changes: the link follows
        assertThat(get(v1, b, "link")).isEqualTo(atLimit);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
