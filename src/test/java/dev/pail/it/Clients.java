package dev.pail.it;

import com.aliyun.oss.ClientBuilderConfiguration;
import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import com.aliyun.oss.common.auth.DefaultCredentialProvider;
import com.aliyun.oss.common.comm.SignVersion;
import com.aliyun.sdk.service.oss2.OSSClient;
import com.aliyun.sdk.service.oss2.credentials.StaticCredentialsProvider;

/** Official SDK clients configured against a test server, exactly as a user would (core.md §2.3). */
public final class Clients {
    private Clients() {}

    /** aliyun-sdk-oss 3.x with V1 signatures (its default). */
    public static OSS v1(TestServer s) {
        return v1(s, TestServer.AK, TestServer.SK);
    }

    public static OSS v1(TestServer s, String ak, String sk) {
        ClientBuilderConfiguration conf = new ClientBuilderConfiguration();
        return new OSSClientBuilder().build(s.endpoint(), ak, sk, conf);
    }

    /** aliyun-sdk-oss 3.x with V4 signatures. */
    public static OSS v4(TestServer s) {
        return v4(s, TestServer.AK, TestServer.SK);
    }

    public static OSS v4(TestServer s, String ak, String sk) {
        ClientBuilderConfiguration conf = new ClientBuilderConfiguration();
        conf.setSignatureVersion(SignVersion.V4);
        return OSSClientBuilder.create()
                .endpoint(s.endpoint())
                .credentialsProvider(new DefaultCredentialProvider(ak, sk))
                .clientConfiguration(conf)
                .region("cn-hangzhou")
                .build();
    }

    /** aliyun-sdk-oss 3.x with V4 signatures and a temporary key + security token. */
    public static OSS sts(TestServer s, String token) {
        ClientBuilderConfiguration conf = new ClientBuilderConfiguration();
        conf.setSignatureVersion(SignVersion.V4);
        return OSSClientBuilder.create()
                .endpoint(s.endpoint())
                .credentialsProvider(new DefaultCredentialProvider(TestServer.STS_AK, TestServer.STS_SK, token))
                .clientConfiguration(conf)
                .region("cn-hangzhou")
                .build();
    }

    /** alibabacloud-oss-v2 (V4 by default). */
    public static OSSClient v2(TestServer s) {
        return v2(s, TestServer.AK, TestServer.SK);
    }

    public static OSSClient v2(TestServer s, String ak, String sk) {
        return OSSClient.newBuilder()
                .endpoint(s.endpoint())
                .region("cn-hangzhou")
                .credentialsProvider(new StaticCredentialsProvider(ak, sk))
                .build();
    }
}
