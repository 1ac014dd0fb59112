package dev.pail.checksum;

import java.util.ArrayList;
import java.util.List;

/** The engines every test runs against: always the Java one, and liblzma when this machine can load it. */
final class Engines {
    private Engines() {}

    static List<Crc64Engine> all() {
        List<Crc64Engine> engines = new ArrayList<>();
        engines.add(JavaCrc64Engine.INSTANCE);
        if (LzmaCrc64Engine.isAvailable()) {
            engines.add(LzmaCrc64Engine.INSTANCE);
        }
        return engines;
    }
}
