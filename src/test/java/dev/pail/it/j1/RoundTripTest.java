package dev.pail.it.j1;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.OSS;
import com.aliyun.oss.model.GetObjectRequest;
import com.aliyun.oss.model.OSSObject;
import com.aliyun.oss.model.ObjectMetadata;
import com.aliyun.oss.model.PutObjectResult;
import dev.pail.checksum.Crc64;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Byte-exact PutObject/GetObject round trips of several sizes and body framings (core.md §7.9, §7.10, §6). */
class RoundTripTest extends J1Base {

    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(Sig.class)
    void smallSizesWithAndWithoutContentLength(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = newBucket(sig);
        for (int size : new int[] {1, 0, 1 << 20}) {
            byte[] data = random(size, size + 7);
            // with an explicit length: Content-Length framing
            ObjectMetadata m = new ObjectMetadata();
            m.setContentLength(size);
            String k1 = "sized-" + size;
            PutObjectResult r1 = oss.putObject(b, k1, in(data), m);
            // without: J1 sends Transfer-Encoding: chunked
            String k2 = "chunked-" + size;
            PutObjectResult r2 = oss.putObject(b, k2, in(data));
            for (String k : new String[] {k1, k2}) {
                try (OSSObject o = oss.getObject(b, k)) {
                    assertThat(o.getObjectContent().readAllBytes()).as(k).isEqualTo(data);
                    assertThat(o.getObjectMetadata().getContentLength()).as(k).isEqualTo(size);
                    assertThat(o.getObjectMetadata().getETag()).as(k).isEqualTo(md5Hex(data));
                    assertThat(o.getServerCRC()).as(k).isEqualTo(crc(data));
                    assertThat(o.getResponse().getStatusCode()).isEqualTo(200);
                }
            }
            assertThat(r1.getETag()).isEqualTo(md5Hex(data));
            assertThat(r2.getETag()).isEqualTo(md5Hex(data));
            assertThat(r1.getServerCRC()).isEqualTo(crc(data));
            assertThat(r2.getServerCRC()).isEqualTo(crc(data));
        }
        // the empty object: CRC 0, MD5 of nothing
        assertThat(oss.getObjectMetadata(b, "sized-0").getServerCRC()).isZero();
        assertThat(oss.getObjectMetadata(b, "chunked-0").getETag()).isEqualTo("D41D8CD98F00B204E9800998ECF8427E");
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void sixtyFourMebibytesFromAFile(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = newBucket(sig);
        Path src = tmp.resolve("src-" + sig + ".bin");
        int size = 64 << 20;
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        Crc64 crc = new Crc64();
        try (OutputStream out = Files.newOutputStream(src)) {
            Random rnd = new Random(64);
            byte[] chunk = new byte[1 << 20];
            for (int i = 0; i < 64; i++) {
                rnd.nextBytes(chunk);
                md5.update(chunk);
                crc.update(chunk);
                out.write(chunk);
            }
        }
        String hex = HexFormat.of().withUpperCase().formatHex(md5.digest());
        PutObjectResult put = oss.putObject(b, "big.bin", src.toFile());
        assertThat(put.getETag()).isEqualTo(hex);
        assertThat(put.getServerCRC()).isEqualTo(crc.value());

        // getObject(request, file) makes the SDK verify the CRC of the whole download
        Path dst = tmp.resolve("dst-" + sig + ".bin");
        ObjectMetadata m = oss.getObject(new GetObjectRequest(b, "big.bin"), dst.toFile());
        assertThat(m.getContentLength()).isEqualTo(size);
        assertThat(m.getServerCRC()).isEqualTo(crc.value());
        assertThat(Files.size(dst)).isEqualTo(size);
        assertThat(Files.mismatch(src, dst)).isEqualTo(-1L);

        // and once more through the stream API, digesting on the fly
        MessageDigest again = MessageDigest.getInstance("MD5");
        try (OSSObject o = oss.getObject(b, "big.bin"); InputStream s = new DigestInputStream(o.getObjectContent(), again)) {
            assertThat(s.transferTo(OutputStream.nullOutputStream())).isEqualTo(size);
        }
        assertThat(HexFormat.of().withUpperCase().formatHex(again.digest())).isEqualTo(hex);
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void streamOfUnknownLength(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = newBucket(sig);
        int size = (5 << 20) + 17;
        byte[] expected = random(size, 99);
        // not mark-supporting, no length known up front: J1 uploads it with chunked transfer encoding
        InputStream unknown = new InputStream() {
            private int pos;

            @Override
            public int read() {
                return pos < size ? expected[pos++] & 0xFF : -1;
            }

            @Override
            public int read(byte[] buf, int off, int len) {
                if (pos >= size) return -1;
                int n = Math.min(Math.min(len, 7777), size - pos); // odd-sized reads
                System.arraycopy(expected, pos, buf, off, n);
                pos += n;
                return n;
            }
        };
        PutObjectResult r = oss.putObject(b, "stream.bin", unknown);
        assertThat(r.getETag()).isEqualTo(md5Hex(expected));
        assertThat(r.getServerCRC()).isEqualTo(crc(expected));
        assertThat(read(oss.getObject(b, "stream.bin"))).isEqualTo(expected);
        assertThat(oss.getObjectMetadata(b, "stream.bin").getContentLength()).isEqualTo(size);
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void overwriteReplacesContentAndMetadata(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = newBucket(sig);
        ObjectMetadata m1 = new ObjectMetadata();
        m1.addUserMetadata("gen", "1");
        m1.setCacheControl("no-store");
        oss.putObject(b, "over", in(random(3000, 1)), m1);
        byte[] second = random(10, 2);
        ObjectMetadata m2 = new ObjectMetadata();
        m2.addUserMetadata("other", "2");
        oss.putObject(b, "over", in(second), m2);
        ObjectMetadata h = oss.getObjectMetadata(b, "over");
        assertThat(h.getUserMetadata()).containsExactly(java.util.Map.entry("other", "2"));
        assertThat(h.getCacheControl()).isNull();
        assertThat(h.getContentLength()).isEqualTo(10);
        assertThat(read(oss.getObject(b, "over"))).isEqualTo(second);
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void oddKeysRoundTrip(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = newBucket(sig);
        String[] keys = {"dir/a b+c~!*.txt", "dir/ü%20&<x>.txt", "a//b", "trailing/", "中文/键", "x?y=z#frag", "semi;colon,comma'quote\"",
            "tab\tand\u0001ctrl"};
        for (String k : keys) {
            oss.putObject(b, k, in(bytes("v:" + k)));
        }
        for (String k : keys) {
            assertThat(read(oss.getObject(b, k))).as(k).isEqualTo(bytes("v:" + k));
            assertThat(oss.doesObjectExist(b, k)).as(k).isTrue();
        }
    }
}
