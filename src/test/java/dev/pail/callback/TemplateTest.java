package dev.pail.callback;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateTest {
    static final Map<String, String> SYSTEM = Map.ofEntries(
            Map.entry("bucket", "bkt"),
            Map.entry("object", "dir/a b+\"q\"\\中.txt"),
            Map.entry("etag", "\"5EB63BBBE01EEED093CB22BB8F5ACDC3\""),
            Map.entry("size", "11"),
            Map.entry("mimeType", "text/plain"),
            Map.entry("imageInfo.height", ""),
            Map.entry("imageInfo.width", ""),
            Map.entry("imageInfo.format", ""),
            Map.entry("crc64", "18446744073709551615"),
            Map.entry("clientIp", "127.0.0.1"),
            Map.entry("reqId", "RID"),
            Map.entry("operation", "PutObject"));
    static final Map<String, String> CUSTOM = Map.of("x:var1", "v&1=2", "x:tab", "a\tb\u0001");

    @Test
    void formValuesArePercentEncoded() {
        String out = Template.render("bucket=${bucket}&object=${object}&size=${size}&v=${x:var1}&none=${x:none}&vpc=${vpcId}"
                + "&keep=${unknown}&open=${bucket", Callback.BodyType.FORM, SYSTEM, CUSTOM);
        assertThat(out).isEqualTo("bucket=bkt&object=dir%2Fa%20b%2B%22q%22%5C%E4%B8%AD.txt&size=11&v=v%261%3D2&none=&vpc="
                + "&keep=${unknown}&open=${bucket");
    }

    @Test
    void jsonValuesOutsideStringsAreJsonValues() throws Exception {
        String out = Template.render("{\"bucket\":${bucket},\"object\":${object},\"etag\":${etag},\"size\":${size},"
                + "\"imageInfo\":{\"height\":${imageInfo.height},\"width\":${imageInfo.width},\"format\":${imageInfo.format}},"
                + "\"crc64\":${crc64},\"contentMd5\":${contentMd5},\"v\":${x:var1},\"t\":${x:tab},\"none\":${x:none}}",
                Callback.BodyType.JSON, SYSTEM, CUSTOM);
        assertThat(out).isEqualTo("{\"bucket\":\"bkt\",\"object\":\"dir/a b+\\\"q\\\"\\\\中.txt\",\"etag\":\"\\\"5EB63BBBE01EEED093CB22BB8F5ACDC3\\\"\","
                + "\"size\":11,\"imageInfo\":{\"height\":\"\",\"width\":\"\",\"format\":\"\"},"
                + "\"crc64\":18446744073709551615,\"contentMd5\":\"\",\"v\":\"v&1=2\",\"t\":\"a\\tb\\u0001\",\"none\":\"\"}");
        JsonNode n = new ObjectMapper().readTree(out);
        assertThat(n.get("object").asText()).isEqualTo(SYSTEM.get("object"));
        assertThat(n.get("size").isNumber()).isTrue();
        assertThat(n.get("crc64").bigIntegerValue().toString()).isEqualTo("18446744073709551615");
    }

    @Test
    void jsonValuesInsideStringsAreEscapedWithoutQuotes() throws Exception {
        String out = Template.render("{\"path\":\"/b/${bucket}/${object}\",\"size\":\"${size}\",\"esc\":\"q\\\"${x:var1}\\\\\",\"n\":${size}}",
                Callback.BodyType.JSON, SYSTEM, CUSTOM);
        assertThat(out).isEqualTo("{\"path\":\"/b/bkt/dir/a b+\\\"q\\\"\\\\中.txt\",\"size\":\"11\",\"esc\":\"q\\\"v&1=2\\\\\",\"n\":11}");
        JsonNode n = new ObjectMapper().readTree(out);
        assertThat(n.get("path").asText()).isEqualTo("/b/bkt/" + SYSTEM.get("object"));
        assertThat(n.get("esc").asText()).isEqualTo("q\"v&1=2\\");
    }
}
