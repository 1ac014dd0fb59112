package dev.pail.cli;

import dev.pail.auth.Credential;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything needed to start a server.
 *
 * @param accessKeyId     null to use (or generate) the keys kept in the data directory
 * @param temporaryKeys   extra keys that must present their security token (STS-style)
 * @param buckets         buckets to create at start
 * @param maxObjectSize   largest single upload in bytes
 * @param uploadExpiry    multipart uploads older than this are aborted (abandoned)
 * @param callbackAllow   upload-callback targets allowed (host names, IPs, CIDRs); empty = all but
 *                        link-local and cloud metadata addresses
 * @param imageEngine     auto (libvips when it loads, else Java), vips (required) or java
 * @param imageCacheBytes memory for processed images kept for reuse (0: none)
 * @param objectCacheBytes memory for the bytes of small objects kept for reuse (0: none)
 */
public record ServerConfig(
        String host,
        int port,
        Path dataDir,
        List<String> domains,
        String region,
        boolean fsync,
        String accessKeyId,
        String accessKeySecret,
        List<Credential> temporaryKeys,
        List<String> buckets,
        long maxObjectSize,
        java.time.Duration uploadExpiry,
        List<String> callbackAllow,
        String imageEngine,
        long imageCacheBytes,
        long objectCacheBytes) {

    public ServerConfig withPort(int newPort) {
        return new ServerConfig(host, newPort, dataDir, domains, region, fsync, accessKeyId, accessKeySecret, temporaryKeys, buckets,
                maxObjectSize, uploadExpiry, callbackAllow, imageEngine, imageCacheBytes,
                objectCacheBytes);
    }
}
