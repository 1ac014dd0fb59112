package dev.pail.image;

import dev.pail.xml.OssError;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The engine contract on the pure-Java engine, plus what only it does: no AVIF or HEIC output. */
class JavaEngineTest extends EngineContract {

    @Override
    protected ImageEngine createEngine() {
        return new JavaEngine();
    }

    @Test
    void avifAndHeicNeedLibvips() throws IOException {
        byte[] png = encode(solid(10, 10, RED), "png");
        assertError(OssError.NOT_IMPLEMENTED, () -> run(png, "format,avif"));
        assertError(OssError.NOT_IMPLEMENTED, () -> run(png, "resize,w_5/format,heic"));
    }
}
