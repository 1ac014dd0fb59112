package dev.pail.it.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pail.it.OssHttp;
import dev.pail.it.TestData;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Image jobs are bounded and never stall plain requests: while more heavy image requests are in
 * flight than there are cores, plain GETs of another object are all served before the image
 * requests have finished (ordering, not timing, is asserted).
 */
class ImageConcurrencyTest extends ImageBase {

    @Test
    void plainGetsAreServedWhileImageJobsQueue() throws Exception {
        String b = newBucket();
        BufferedImage noise = new BufferedImage(1500, 1500, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(11);
        for (int y = 0; y < noise.getHeight(); y++) {
            for (int x = 0; x < noise.getWidth(); x++) noise.setRGB(x, y, random.nextInt(0x1000000));
        }
        put(b, "big.jpg", encode(noise, "jpg"), "image/jpeg");
        byte[] small = TestData.random(1024, 5);
        put(b, "small.bin", small, "application/octet-stream");

        int jobs = 3 * Runtime.getRuntime().availableProcessors();
        AtomicInteger imagesDone = new AtomicInteger();
        ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();
        try {
            List<Future<OssHttp.Resp>> images = new ArrayList<>();
            for (int i = 0; i < jobs; i++) {
                int sigma = 40 + i; // distinct pipelines: no answer comes from the result cache
                images.add(clients.submit(() -> {
                    OssHttp.Resp r = rawProcess(b, "big.jpg", "image/blur,r_50,s_" + sigma + "/resize,w_100");
                    imagesDone.incrementAndGet();
                    return r;
                }));
            }
            Thread.sleep(200); // let the image requests reach the server first
            for (int i = 0; i < 20; i++) assertThat(stored(b, "small.bin")).isEqualTo(small);
            int doneWhenPlainGetsFinished = imagesDone.get();
            for (Future<OssHttp.Resp> f : images) {
                OssHttp.Resp r = f.get();
                assertThat(r.status()).as(r.toString()).isEqualTo(200);
                assertSize(decode(r.body()), 100, 100);
            }
            assertThat(doneWhenPlainGetsFinished).as("image requests finished before the 20 plain GETs").isLessThan(jobs);
        } finally {
            clients.shutdownNow();
        }
    }
}
