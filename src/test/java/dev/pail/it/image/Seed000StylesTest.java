package dev.pail.it.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.model.GetImageStyleResult;
import com.aliyun.oss.model.GetObjectRequest;
import com.aliyun.oss.model.OSSObject;
import com.aliyun.oss.model.PutImageStyleRequest;
import com.aliyun.oss.model.Style;
import com.aliyun.oss.model.VoidResult;
import com.aliyun.sdk.service.oss2.OperationOutput;
import com.aliyun.sdk.service.oss2.models.GetObjectResult;
import dev.pail.it.OssHttp;
import dev.pail.it.TestData;
import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Seed 000 (oss2 image styles): {@code put_bucket_style('imagestyle', 'image/resize,w_200')},
 * get, list, apply the style to an image, {@code delete_bucket_style}, end to end with J1, V2 and
 * raw HTTP (the oss2 wire form).
 */
class Seed000StylesTest extends ImageBase {
    static final String STYLE = "imagestyle";
    static final String CONTENT = "image/resize,w_200";

    /** 400×267 resized to width 200: height 133.5 rounds to 133 or 134 depending on the engine. */
    private static void assertHalfSize(BufferedImage img) {
        assertThat(img.getWidth()).isEqualTo(200);
        assertThat(img.getHeight()).isBetween(133, 134);
        assertQuadrants(img, TL, TR, BL, BR, 40);
    }

    @Test
    void j1Flow() throws Exception {
        String b = newBucket();
        byte[] src = jpeg(W, H);
        put(b, "example.jpg", src, "image/jpeg");

        PutImageStyleRequest put = new PutImageStyleRequest();
        put.SetBucketName(b);
        put.SetStyleName(STYLE);
        put.SetStyle(CONTENT);
        VoidResult created = j1.putImageStyle(put);
        assertThat(created.getResponse().getStatusCode()).isEqualTo(200);

        GetImageStyleResult got = j1.getImageStyle(b, STYLE);
        assertThat(got.GetStyleName()).isEqualTo(STYLE);
        assertThat(got.GetStyle()).isEqualTo(CONTENT);

        List<Style> list = j1.listImageStyle(b);
        assertThat(list).extracting(Style::GetStyleName).containsExactly(STYLE);
        assertThat(list).extracting(Style::GetStyle).containsExactly(CONTENT);

        GetObjectRequest req = new GetObjectRequest(b, "example.jpg");
        req.setProcess("style/" + STYLE);
        byte[] out;
        String contentType;
        try (OSSObject o = j1.getObject(req)) {
            contentType = o.getObjectMetadata().getContentType();
            out = TestData.read(o);
        }
        assertThat(contentType).isEqualTo("image/jpeg");
        assertThat(formatOf(out)).isEqualTo("jpeg");
        assertHalfSize(decode(out));
        // the source is untouched
        assertThat(stored(b, "example.jpg")).isEqualTo(src);

        VoidResult deleted = j1.deleteImageStyle(b, STYLE);
        assertThat(deleted.getResponse().getStatusCode()).isEqualTo(204);
        assertThat(j1.listImageStyle(b)).isEmpty();
        j1Error("NoSuchStyle", () -> j1.getImageStyle(b, STYLE));
        j1Error("NoSuchStyle", () -> j1.getObject(req).close());
    }

    @Test
    void v2Flow() throws Exception {
        String b = newBucket();
        put(b, "example.jpg", jpeg(W, H), "image/jpeg");

        OperationOutput created = v2Style("PutStyle", "PUT", b, STYLE, "image", styleXml(CONTENT));
        assertThat(created.statusCode()).isEqualTo(200);
        StyleXml got = style(bodyText(v2Style("GetStyle", "GET", b, STYLE, null, null)));
        assertThat(got.name()).isEqualTo(STYLE);
        assertThat(got.content()).isEqualTo(CONTENT);
        assertThat(got.category()).isEqualTo("image");
        assertThat(styles(bodyText(v2Style("ListStyle", "GET", b, null, null, null)))).extracting(StyleXml::name).containsExactly(STYLE);

        byte[] out;
        try (GetObjectResult r = v2.getObject(com.aliyun.sdk.service.oss2.models.GetObjectRequest.newBuilder()
                .bucket(b).key("example.jpg").process("style/" + STYLE).build()); InputStream in = r.body()) {
            out = in.readAllBytes();
            assertThat(r.contentType()).isEqualTo("image/jpeg");
            assertThat(r.contentLength()).isEqualTo(out.length);
        }
        assertHalfSize(decode(out));

        assertThat(v2Style("DeleteStyle", "DELETE", b, STYLE, null, null).statusCode()).isEqualTo(204);
        assertThat(styles(bodyText(v2Style("ListStyle", "GET", b, null, null, null)))).isEmpty();
        v2Error(404, "NoSuchStyle", () -> v2.getObject(com.aliyun.sdk.service.oss2.models.GetObjectRequest.newBuilder()
                .bucket(b).key("example.jpg").process("style/" + STYLE).build()).close());
    }

    /** The oss2 wire form: V1 signature, process value encoded as requests does (%2F for /). */
    @Test
    void rawFlowAsOss2SendsIt() {
        String b = newBucket();
        put(b, "example.jpg", jpeg(W, H), "image/jpeg");
        assertThat(rawPutStyle(b, STYLE, CONTENT).status()).isEqualTo(200);
        assertThat(style(rawGetStyle(b, STYLE).text()).content()).isEqualTo(CONTENT);

        OssHttp.Resp r = rawProcess(b, "example.jpg", "style/" + STYLE);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.header("content-type")).isEqualTo("image/jpeg");
        assertThat(r.header("content-length")).isEqualTo(Integer.toString(r.body().length));
        assertHalfSize(decode(r.body()));

        assertThat(rawDeleteStyle(b, STYLE).status()).isEqualTo(204);
        assertError(rawProcess(b, "example.jpg", "style/" + STYLE), 404, "NoSuchStyle");
    }

    /** Re-putting the style changes what applying it does (no stale cached result). */
    @Test
    void updatedStyleAppliesNewContent() {
        String b = newBucket();
        put(b, "example.jpg", jpeg(W, H), "image/jpeg");
        assertThat(rawPutStyle(b, STYLE, CONTENT).status()).isEqualTo(200);
        assertThat(decode(rawProcess(b, "example.jpg", "style/" + STYLE).body()).getWidth()).isEqualTo(200);
        assertThat(rawPutStyle(b, STYLE, "image/resize,w_100").status()).isEqualTo(200);
        BufferedImage img = decode(rawProcess(b, "example.jpg", "style/" + STYLE).body());
        assertSize(img, 100, 67);
    }
}
