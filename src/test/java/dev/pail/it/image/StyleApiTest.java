package dev.pail.it.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.OSSException;
import com.aliyun.oss.model.GetImageStyleResult;
import com.aliyun.oss.model.PutImageStyleRequest;
import com.aliyun.oss.model.Style;
import com.aliyun.sdk.service.oss2.OperationOutput;
import com.aliyun.sdk.service.oss2.exceptions.ServiceException;
import dev.pail.it.OssHttp;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Put/Get/List/DeleteStyle (features.md §7) through J1's image-style API, the V2 SDK's generic
 * operation call (0.4.0 has no style models) and raw XML.
 */
class StyleApiTest extends ImageBase {

    private void j1Put(String bucket, String name, String content) {
        PutImageStyleRequest r = new PutImageStyleRequest();
        r.SetBucketName(bucket);
        r.SetStyleName(name);
        r.SetStyle(content);
        j1.putImageStyle(r);
    }

    private static void assertRecent(ZonedDateTime t) {
        assertThat(Duration.between(t.toInstant(), java.time.Instant.now()).abs()).isLessThan(Duration.ofMinutes(2));
    }

    @Test
    void j1CrudRoundTrip() {
        String b = newBucket();
        j1Put(b, "imagestyle", "image/resize,p_50");
        j1Put(b, "imagestyle1", "image/resize,w_200");

        GetImageStyleResult got = j1.getImageStyle(b, "imagestyle");
        assertThat(got.GetStyleName()).isEqualTo("imagestyle");
        assertThat(got.GetStyle()).isEqualTo("image/resize,p_50");
        assertThat(got.GetCreationDate()).isNotNull();
        assertThat(got.GetLastModifyTime()).isNotNull();
        assertThat(Duration.between(got.GetCreationDate().toInstant(), java.time.Instant.now()).abs()).isLessThan(Duration.ofMinutes(2));

        List<Style> list = j1.listImageStyle(b);
        assertThat(list).extracting(Style::GetStyleName).containsExactlyInAnyOrder("imagestyle", "imagestyle1");
        assertThat(list).filteredOn(s -> s.GetStyleName().equals("imagestyle1")).extracting(Style::GetStyle)
                .containsExactly("image/resize,w_200");

        j1.deleteImageStyle(b, "imagestyle");
        j1Error("NoSuchStyle", () -> j1.getImageStyle(b, "imagestyle"));
        assertThat(j1.listImageStyle(b)).extracting(Style::GetStyleName).containsExactly("imagestyle1");
    }

    @Test
    void rawXmlHasAllFieldsWithRfc1123Times() {
        String b = newBucket();
        OssHttp.Resp put = rawPutStyle(b, "raw.style-1_A", "image/resize,p_50");
        assertThat(put.status()).as(put.toString()).isEqualTo(200);
        assertThat(put.body()).isEmpty();

        OssHttp.Resp get = rawGetStyle(b, "raw.style-1_A");
        assertThat(get.status()).as(get.toString()).isEqualTo(200);
        assertThat(get.header("content-type")).startsWith("application/xml");
        assertThat(get.text()).startsWith("<?xml");
        StyleXml s = style(get.text());
        assertThat(s.name()).isEqualTo("raw.style-1_A");
        assertThat(s.content()).isEqualTo("image/resize,p_50");
        assertThat(s.category()).isEqualTo("image");
        assertRecent(s.created());
        assertRecent(s.modified());
        assertThat(s.createTime()).endsWith(" GMT");

        OssHttp.Resp list = rawListStyles(b);
        assertThat(list.status()).as(list.toString()).isEqualTo(200);
        assertThat(list.text()).contains("<StyleList>");
        assertThat(styles(list.text())).containsExactly(s);

        OssHttp.Resp del = rawDeleteStyle(b, "raw.style-1_A");
        assertThat(del.status()).as(del.toString()).isEqualTo(204);
        assertThat(styles(rawListStyles(b).text())).isEmpty();
    }

    @Test
    void emptyListIsAnEmptyStyleList() {
        String b = newBucket();
        OssHttp.Resp list = rawListStyles(b);
        assertThat(list.status()).as(list.toString()).isEqualTo(200);
        assertThat(list.text()).containsAnyOf("<StyleList></StyleList>", "<StyleList/>");
        assertThat(j1.listImageStyle(b)).isEmpty();
    }

    @Test
    void v2CrudWithCategory() {
        String b = newBucket();
        OperationOutput put = v2Style("PutStyle", "PUT", b, "v2style", "document", styleXml("image/resize,w_300"));
        assertThat(put.statusCode()).isEqualTo(200);
        v2Style("PutStyle", "PUT", b, "v2style2", null, styleXml("image/rotate,90"));

        OperationOutput get = v2Style("GetStyle", "GET", b, "v2style", null, null);
        assertThat(get.statusCode()).isEqualTo(200);
        StyleXml s = style(bodyText(get));
        assertThat(s.name()).isEqualTo("v2style");
        assertThat(s.content()).isEqualTo("image/resize,w_300");
        assertThat(s.category()).isEqualTo("document");
        assertThat(style(bodyText(v2Style("GetStyle", "GET", b, "v2style2", null, null))).category()).isEqualTo("image");

        List<StyleXml> all = styles(bodyText(v2Style("ListStyle", "GET", b, null, null, null)));
        assertThat(all).extracting(StyleXml::name).containsExactlyInAnyOrder("v2style", "v2style2");

        OperationOutput del = v2Style("DeleteStyle", "DELETE", b, "v2style", null, null);
        assertThat(del.statusCode()).isEqualTo(204);
        v2Error(404, "NoSuchStyle", () -> v2Style("GetStyle", "GET", b, "v2style", null, null));
        v2Error(404, "NoSuchStyle", () -> v2Style("DeleteStyle", "DELETE", b, "v2style", null, null));
        // and the SDKs agree with each other
        assertThat(j1.getImageStyle(b, "v2style2").GetStyle()).isEqualTo("image/rotate,90");
    }

    @Test
    void invalidCategoryIsRejected() {
        String b = newBucket();
        ServiceException e = v2Error(400, "InvalidArgument",
                () -> v2Style("PutStyle", "PUT", b, "s", "audio", styleXml("image/resize,w_1")));
        assertThat(e.getMessage()).containsIgnoringCase("category");
        assertThat(styles(rawListStyles(b).text())).isEmpty();
    }

    @Test
    void upsertKeepsCreateTimeAndChangesContentAndLastModifyTime() throws Exception {
        String b = newBucket();
        j1Put(b, "up", "image/resize,w_100");
        StyleXml first = style(rawGetStyle(b, "up").text());
        Thread.sleep(1100);
        j1Put(b, "up", "image/resize,w_250");
        StyleXml second = style(rawGetStyle(b, "up").text());

        assertThat(second.content()).isEqualTo("image/resize,w_250");
        assertThat(second.createTime()).isEqualTo(first.createTime());
        assertThat(second.modified()).isAfter(first.modified());
        assertThat(second.modified()).isAfter(second.created());
        assertThat(j1.listImageStyle(b)).hasSize(1);
        GetImageStyleResult j = j1.getImageStyle(b, "up");
        assertThat(j.GetLastModifyTime()).isAfter(j.GetCreationDate());
    }

    @Test
    void validNameEdgeCases() {
        String b = newBucket();
        String longest = "a".repeat(62) + "Z";
        for (String name : List.of("x", longest, "A-b_c.9", "...", "-_-")) {
            OssHttp.Resp r = rawPutStyle(b, name, "image/resize,w_10");
            assertThat(r.status()).as(name + ": " + r).isEqualTo(200);
            assertThat(style(rawGetStyle(b, name).text()).name()).isEqualTo(name);
        }
        assertThat(styles(rawListStyles(b).text())).hasSize(5);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a b", "a/b", "a+b", "a@b", "sty!le", "中文", "tab\tname", "a%b"})
    void invalidNamesAreRefusedOnEveryOperation(String name) {
        String b = newBucket();
        String message = "The value: " + name + " of parameter: stylename is invalid.";
        OssHttp.Resp put = assertError(rawPutStyle(b, name, "image/resize,w_10"), 400, "InvalidArgument");
        assertThat(put.errorField("Message")).isEqualTo(message);
        assertThat(assertError(rawGetStyle(b, name), 400, "InvalidArgument").errorField("Message")).isEqualTo(message);
        assertThat(assertError(rawDeleteStyle(b, name), 400, "InvalidArgument").errorField("Message")).isEqualTo(message);
        assertThat(styles(rawListStyles(b).text())).isEmpty();
    }

    @Test
    void tooLongNameIsRefused() {
        String b = newBucket();
        String name = "a".repeat(64);
        OssHttp.Resp r = assertError(rawPutStyle(b, name, "image/resize,w_10"), 400, "InvalidArgument");
        assertThat(r.errorField("Message")).isEqualTo("The value: " + name + " of parameter: stylename is invalid.");
        // through J1 and V2 too
        OSSException e = j1Error("InvalidArgument", () -> j1Put(b, name, "image/resize,w_10"));
        assertThat(e.getErrorMessage()).isEqualTo("The value: " + name + " of parameter: stylename is invalid.");
        ServiceException e2 = v2Error(400, "InvalidArgument", () -> v2Style("PutStyle", "PUT", b, "bad name", null, styleXml("image/resize,w_1")));
        assertThat(e2.errorMessage()).isEqualTo("The value: bad name of parameter: stylename is invalid.");
    }

    @Test
    void emptyNameIsRefused() {
        String b = newBucket();
        assertError(raw("PUT", b, null, q("style", "", "styleName", "")).body(styleXml("image/resize,w_10")).send(), 400, "InvalidArgument");
        assertThat(styles(rawListStyles(b).text())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   "})
    void emptyContentIsRefused(String content) {
        String b = newBucket();
        OssHttp.Resp r = rawPutStyle(b, "empty", content);
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.code()).isEqualTo("InvalidArgument");
        assertThat(r.errorField("Message")).isEqualTo("Style content is invalid.");
        assertError(rawGetStyle(b, "empty"), 404, "NoSuchStyle");
    }

    @Test
    void missingContentElementIsRefused() {
        String b = newBucket();
        OssHttp.Resp r = raw("PUT", b, null, q("style", "", "styleName", "none")).body("<Style></Style>").send();
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertError(rawGetStyle(b, "none"), 404, "NoSuchStyle");
    }

    @ParameterizedTest
    @ValueSource(strings = {"image/resize,w_10;", "image/resize(w_10)", "image/resize,w_10)", "image/res'ize", "image/resize,w_*", "image/resize?w_10"})
    void contentWithForbiddenCharactersIsRefused(String content) {
        String b = newBucket();
        OssHttp.Resp r = rawPutStyle(b, "bad", content);
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.errorField("Message")).isEqualTo("Style content is invalid.");
        assertError(rawGetStyle(b, "bad"), 404, "NoSuchStyle");
    }

    @Test
    void contentIsNotDeeplyValidated() {
        String b = newBucket();
        j1Put(b, "odd", "csdar5324");
        assertThat(j1.getImageStyle(b, "odd").GetStyle()).isEqualTo("csdar5324");
    }

    @Test
    void fiftyStylesThenAccessDeniedButUpdatesStillWork() {
        String b = newBucket();
        for (int i = 0; i < 50; i++) {
            OssHttp.Resp r = rawPutStyle(b, "s" + i, "image/resize,w_" + (i + 1));
            assertThat(r.status()).as("style %d: %s", i, r).isEqualTo(200);
        }
        OssHttp.Resp over = assertError(rawPutStyle(b, "s50", "image/resize,w_51"), 403, "AccessDenied");
        assertThat(over.errorField("Message")).isEqualTo("Your style count is exceeded 50.");
        OSSException e = j1Error("AccessDenied", () -> j1Put(b, "another", "image/resize,w_1"));
        assertThat(e.getErrorMessage()).isEqualTo("Your style count is exceeded 50.");
        assertError(rawGetStyle(b, "s50"), 404, "NoSuchStyle");

        // an update at the limit is not a new style
        j1Put(b, "s7", "image/resize,w_777");
        assertThat(j1.getImageStyle(b, "s7").GetStyle()).isEqualTo("image/resize,w_777");
        List<Style> all = j1.listImageStyle(b);
        assertThat(all).hasSize(50);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 50; i++) names.add("s" + i);
        assertThat(all).extracting(Style::GetStyleName).containsExactlyInAnyOrderElementsOf(names);

        // deleting one frees a slot
        j1.deleteImageStyle(b, "s0");
        j1Put(b, "s50", "image/resize,w_51");
        assertThat(j1.listImageStyle(b)).hasSize(50);
        assertError(rawPutStyle(b, "s51", "image/resize,w_52"), 403, "AccessDenied");
    }

    @Test
    void limitIsPerBucket() {
        String a = newBucket();
        String b = newBucket();
        for (int i = 0; i < 50; i++) assertThat(rawPutStyle(a, "s" + i, "image/resize,w_1").status()).isEqualTo(200);
        assertThat(rawPutStyle(b, "s0", "image/resize,w_1").status()).isEqualTo(200);
        assertThat(j1.listImageStyle(b)).hasSize(1);
    }

    @Test
    void missingStyleIsNoSuchStyle() {
        String b = newBucket();
        j1Error("NoSuchStyle", () -> j1.getImageStyle(b, "nope"));
        j1Error("NoSuchStyle", () -> j1.deleteImageStyle(b, "nope"));
        v2Error(404, "NoSuchStyle", () -> v2Style("GetStyle", "GET", b, "nope", null, null));
        assertError(rawGetStyle(b, "nope"), 404, "NoSuchStyle");
        assertError(rawDeleteStyle(b, "nope"), 404, "NoSuchStyle");
    }

    @Test
    void stylesBelongToTheirBucket() {
        String a = newBucket();
        String b = newBucket();
        j1Put(a, "mine", "image/resize,w_10");
        j1Error("NoSuchStyle", () -> j1.getImageStyle(b, "mine"));
        assertThat(j1.listImageStyle(b)).isEmpty();
        j1Put(b, "mine", "image/resize,w_20");
        assertThat(j1.getImageStyle(a, "mine").GetStyle()).isEqualTo("image/resize,w_10");
        assertThat(j1.getImageStyle(b, "mine").GetStyle()).isEqualTo("image/resize,w_20");
    }

    @Test
    void missingBucketIsNoSuchBucket() {
        String missing = "no-such-bucket-" + System.nanoTime() % 100000;
        assertError(rawPutStyle(missing, "s", "image/resize,w_10"), 404, "NoSuchBucket");
        assertError(rawGetStyle(missing, "s"), 404, "NoSuchBucket");
        assertError(rawListStyles(missing), 404, "NoSuchBucket");
        assertError(rawDeleteStyle(missing, "s"), 404, "NoSuchBucket");
    }

    @Test
    void stylesVanishWithTheirBucket() {
        String b = newBucket();
        j1Put(b, "gone", "image/resize,w_10");
        j1Put(b, "gone2", "image/resize,w_20");
        j1.deleteBucket(b);
        j1.createBucket(b);
        assertThat(j1.listImageStyle(b)).isEmpty();
        j1Error("NoSuchStyle", () -> j1.getImageStyle(b, "gone"));
        // and the count starts from zero again
        for (int i = 0; i < 50; i++) assertThat(rawPutStyle(b, "n" + i, "image/resize,w_1").status()).isEqualTo(200);
    }

    @Test
    void anonymousCannotManageStyles() {
        String b = newBucket();
        j1.setBucketAcl(b, com.aliyun.oss.model.CannedAccessControlList.PublicReadWrite);
        j1Put(b, "s", "image/resize,w_10");
        assertError(http.req("GET", b, null).query("style").query("styleName", "s").anonymous().send(), 403, "AccessDenied");
        assertError(http.req("GET", b, null).query("style").anonymous().send(), 403, "AccessDenied");
        assertError(http.req("PUT", b, null).query("style").query("styleName", "t").body(styleXml("image/resize,w_1")).anonymous().send(),
                403, "AccessDenied");
        assertError(http.req("DELETE", b, null).query("style").query("styleName", "s").anonymous().send(), 403, "AccessDenied");
        assertThat(j1.listImageStyle(b)).extracting(Style::GetStyleName).containsExactly("s");
    }

    @Test
    void concurrentPutsNeverExceedTheLimit() throws Exception {
        String b = newBucket();
        for (int i = 0; i < 45; i++) assertThat(rawPutStyle(b, "s" + i, "image/resize,w_1").status()).isEqualTo(200);
        List<java.util.concurrent.Future<Integer>> results = new ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < 16; i++) {
                String name = "c" + i;
                results.add(pool.submit(() -> rawPutStyle(b, name, "image/resize,w_2").status()));
            }
        }
        int ok = 0;
        for (var f : results) {
            int st = f.get();
            assertThat(st).isIn(200, 403);
            if (st == 200) ok++;
        }
        assertThat(ok).isEqualTo(5);
        assertThat(j1.listImageStyle(b)).hasSize(50);
    }

    @Test
    void namesAreCaseSensitive() {
        String b = newBucket();
        j1Put(b, "Thumb", "image/resize,w_10");
        j1Put(b, "thumb", "image/resize,w_20");
        assertThat(j1.getImageStyle(b, "Thumb").GetStyle()).isEqualTo("image/resize,w_10");
        assertThat(j1.getImageStyle(b, "thumb").GetStyle()).isEqualTo("image/resize,w_20");
        assertThat(j1.listImageStyle(b)).hasSize(2);
    }

    @Test
    void xmlSpecialCharactersRoundTripEscaped() {
        String b = newBucket();
        // '&' and '<' are not among the refused characters; the XML must carry them escaped
        OssHttp.Resp put = rawPutStyle(b, "esc", "image/resize,w_10&amp;x&lt;y");
        assertThat(put.status()).as(put.toString()).isEqualTo(200);
        String xml = rawGetStyle(b, "esc").text();
        assertThat(xml).contains("<Content>image/resize,w_10&amp;x&lt;y</Content>");
        assertThat(style(xml).content()).isEqualTo("image/resize,w_10&x<y");
        assertThat(j1.getImageStyle(b, "esc").GetStyle()).isEqualTo("image/resize,w_10&x<y");
    }

    @Test
    void malformedBodyIsRefused() {
        String b = newBucket();
        OssHttp.Resp r = raw("PUT", b, null, q("style", "", "styleName", "m")).body("<Style><Content>image/resize,w_1</Style>").send();
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.code()).isEqualTo("MalformedXML");
        assertError(rawGetStyle(b, "m"), 404, "NoSuchStyle");
    }
}
