package dev.pail.cli;

/** The start-up text: where the server is, where its keys come from, and how to point an SDK at it. */
final class Banner {
    private Banner() {}

    static String render(PailServer server, ServerConfig config) {
        Keys.Loaded k = server.keys();
        String secretLine = k.generated()
                ? "  AccessKeySecret: " + k.credential().secret() + "   (generated now; shown once, kept in " + k.source() + ")"
                : "  AccessKeySecret: (from " + k.source() + ")";
        return """
                Pail is serving the OSS API at %s   (region %s, data %s, fsync %s, images %s)
                  AccessKeyId:     %s
                %s
                  Health:          %s/-/health

                Java (aliyun-sdk-oss 3.x):
                  OSS oss = new OSSClientBuilder().build("%s", "%s", "<secret>");
                Python (oss2):
                  bucket = oss2.Bucket(oss2.Auth('%s', '<secret>'), '%s', 'my-bucket')
                """.formatted(server.endpoint(), config.region(), config.dataDir().toAbsolutePath(), config.fsync() ? "always" : "never",
                server.imageEngineName(),
                k.credential().accessKeyId(), secretLine, server.endpoint(),
                server.endpoint(), k.credential().accessKeyId(),
                k.credential().accessKeyId(), server.endpoint());
    }
}
