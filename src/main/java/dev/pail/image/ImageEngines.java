package dev.pail.image;

import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Chooses the image engine for {@code --image-engine auto|vips|java}. */
public final class ImageEngines {
    private static final Logger log = LoggerFactory.getLogger(ImageEngines.class);

    private ImageEngines() {}

    /**
     * {@code vips} loads libvips now and fails when it cannot; {@code auto} and {@code java} load
     * on the first image request: initialising libvips costs about 0.6 s and 60 MB, which a server
     * that never processes an image should not pay at start-up.
     */
    public static ImageEngine select(String choice) {
        return switch (choice) {
            case "vips" -> VipsEngine.load().orElseThrow(() -> new IllegalStateException(
                    "--image-engine vips: libvips.so.42 could not be loaded (apt-get install libvips42)"));
            case "java" -> new Lazy("java", JavaEngine::new);
            case "auto" -> new Lazy("auto", () -> VipsEngine.load().<ImageEngine>map(v -> v).orElseGet(JavaEngine::new));
            default -> throw new IllegalArgumentException("--image-engine must be auto, vips or java, not " + choice);
        };
    }

    /** An engine created on first use. */
    private static final class Lazy implements ImageEngine {
        private final String choice;
        private final Supplier<ImageEngine> factory;
        private volatile ImageEngine engine;

        Lazy(String choice, Supplier<ImageEngine> factory) {
            this.choice = choice;
            this.factory = factory;
        }

        private ImageEngine engine() {
            ImageEngine e = engine;
            if (e != null) return e;
            synchronized (this) {
                if (engine == null) {
                    engine = factory.get();
                    log.info("image processing engine: {}", engine.name());
                }
                return engine;
            }
        }

        @Override
        public String name() {
            ImageEngine e = engine;
            return e != null ? e.name() : choice + " (loaded on first use)";
        }

        @Override
        public Probe probe(byte[] source) throws IOException { return engine().probe(source); }

        @Override
        public Output process(byte[] source, List<ImageOp> ops, ObjectLoader objects) throws IOException {
            return engine().process(source, ops, objects);
        }
    }
}
