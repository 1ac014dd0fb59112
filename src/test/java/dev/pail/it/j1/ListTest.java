package dev.pail.it.j1;

import dev.pail.it.OssHttp;
import dev.pail.xml.UrlEncoding;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aliyun.oss.OSS;
import com.aliyun.oss.model.ListObjectsRequest;
import com.aliyun.oss.model.ListObjectsV2Request;
import com.aliyun.oss.model.ListObjectsV2Result;
import com.aliyun.oss.model.OSSObjectSummary;
import com.aliyun.oss.model.ObjectListing;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** ListObjects (V1) and ListObjectsV2 (core.md §7.7, §7.8). */
class ListTest extends J1Base {

    /** Keys and contents; sorted by UTF-8 bytes, the listing order. */
    private static final TreeMap<String, byte[]> OBJECTS = new TreeMap<>((x, y) ->
            java.util.Arrays.compareUnsigned(x.getBytes(StandardCharsets.UTF_8), y.getBytes(StandardCharsets.UTF_8)));

    static {
        String[] keys = {"a.txt", "b/1.txt", "b/2.txt", "b/c/3.txt", "b/c/4.txt", "c d+e.txt", "dir/a b+c~!*.txt",
            "dir/sub/x", "dir/ü%20&<x>.txt", "z", "Zebra", "ü-top", "中文/键", "~tilde"};
        int i = 0;
        for (String k : keys) OBJECTS.put(k, random(i * 10 + 1, i++));
    }

    private static final List<String> ALL = List.copyOf(OBJECTS.keySet());

    private String populated(Sig sig) {
        String b = newBucket(sig);
        for (Map.Entry<String, byte[]> e : OBJECTS.entrySet()) oss(sig).putObject(b, e.getKey(), in(e.getValue()));
        return b;
    }

    private static List<String> keys(List<OSSObjectSummary> s) { return s.stream().map(OSSObjectSummary::getKey).toList(); }

    /** A page's keys and common prefixes merged in listing (UTF-8 byte) order. */
    private static List<String> page(List<OSSObjectSummary> objects, List<String> prefixes) {
        List<String> all = new ArrayList<>(keys(objects));
        all.addAll(prefixes);
        all.sort(OBJECTS.comparator());
        return all;
    }

    private static String dec(String s) { return s == null ? null : URLDecoder.decode(s, StandardCharsets.UTF_8); }

    // ---- V1 -----------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Sig.class)
    void v1ListsEverythingInByteOrderWithDetails(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = populated(sig);
        long now = System.currentTimeMillis();
        ObjectListing l = oss.listObjects(b);
        assertThat(keys(l.getObjectSummaries())).containsExactlyElementsOf(ALL);
        assertThat(l.isTruncated()).isFalse();
        assertThat(l.getNextMarker()).isNull();
        assertThat(l.getMaxKeys()).isEqualTo(100);
        assertThat(l.getBucketName()).isEqualTo(b);
        assertThat(l.getCommonPrefixes()).isEmpty();
        assertThat(l.getRequestId()).matches(REQUEST_ID);
        for (OSSObjectSummary s : l.getObjectSummaries()) {
            byte[] data = OBJECTS.get(s.getKey());
            assertThat(s.getSize()).as(s.getKey()).isEqualTo(data.length);
            assertThat(s.getETag()).as(s.getKey()).isEqualTo(md5Hex(data));
            assertThat(s.getStorageClass()).isEqualTo("Standard");
            assertThat(s.getType()).isEqualTo("Normal");
            assertThat(s.getLastModified()).isBefore(new Date(now + 1000)).isAfter(new Date(now - 120_000));
            // Owner is always present in V1
            assertThat(s.getOwner()).isNotNull();
            assertThat(s.getOwner().getId()).isNotEmpty();
            assertThat(s.getBucketName()).isEqualTo(b);
        }
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void v1PrefixAndDelimiter(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = populated(sig);
        ObjectListing p = oss.listObjects(b, "b/");
        assertThat(keys(p.getObjectSummaries())).containsExactly("b/1.txt", "b/2.txt", "b/c/3.txt", "b/c/4.txt");
        assertThat(p.getPrefix()).isEqualTo("b/");

        ObjectListing d = oss.listObjects(new ListObjectsRequest(b).withDelimiter("/"));
        assertThat(keys(d.getObjectSummaries())).containsExactly("Zebra", "a.txt", "c d+e.txt", "z", "~tilde", "ü-top");
        assertThat(d.getCommonPrefixes()).containsExactly("b/", "dir/", "中文/");
        assertThat(d.getDelimiter()).isEqualTo("/");

        ObjectListing pd = oss.listObjects(new ListObjectsRequest(b).withPrefix("b/").withDelimiter("/"));
        assertThat(keys(pd.getObjectSummaries())).containsExactly("b/1.txt", "b/2.txt");
        assertThat(pd.getCommonPrefixes()).containsExactly("b/c/");

        ObjectListing dir = oss.listObjects(new ListObjectsRequest(b).withPrefix("dir/").withDelimiter("/"));
        assertThat(keys(dir.getObjectSummaries())).containsExactly("dir/a b+c~!*.txt", "dir/ü%20&<x>.txt");
        assertThat(dir.getCommonPrefixes()).containsExactly("dir/sub/");

        // a delimiter other than '/'
        ObjectListing dot = oss.listObjects(new ListObjectsRequest(b).withPrefix("b/").withDelimiter("."));
        assertThat(keys(dot.getObjectSummaries())).isEmpty();
        assertThat(dot.getCommonPrefixes()).containsExactly("b/1.", "b/2.", "b/c/3.", "b/c/4.");

        assertThat(oss.listObjects(b, "nothing-here").getObjectSummaries()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void v1MarkerAndMaxKeysPaginate(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = populated(sig);
        ObjectListing first = oss.listObjects(new ListObjectsRequest(b).withMaxKeys(3));
        assertThat(keys(first.getObjectSummaries())).containsExactlyElementsOf(ALL.subList(0, 3));
        assertThat(first.isTruncated()).isTrue();
        assertThat(first.getNextMarker()).isEqualTo(ALL.get(2));
        assertThat(first.getMaxKeys()).isEqualTo(3);

        // the marker is exclusive, and need not be an existing key
        ObjectListing fromMarker = oss.listObjects(new ListObjectsRequest(b).withMarker("b/2.txt"));
        assertThat(keys(fromMarker.getObjectSummaries())).containsExactlyElementsOf(ALL.subList(ALL.indexOf("b/2.txt") + 1, ALL.size()));
        assertThat(oss.listObjects(new ListObjectsRequest(b).withMarker("b/2")).getObjectSummaries().getFirst().getKey()).isEqualTo("b/2.txt");
        assertThat(fromMarker.getMarker()).isEqualTo("b/2.txt");

        List<String> seen = new ArrayList<>();
        String marker = null;
        int pages = 0;
        do {
            ObjectListing l = oss.listObjects(new ListObjectsRequest(b).withMaxKeys(4).withMarker(marker));
            seen.addAll(keys(l.getObjectSummaries()));
            marker = l.getNextMarker();
            pages++;
            if (!l.isTruncated()) break;
        } while (true);
        assertThat(seen).containsExactlyElementsOf(ALL);
        assertThat(pages).isEqualTo(4);

        // with a delimiter, common prefixes count toward max-keys and are not repeated on later pages
        List<String> entries = new ArrayList<>();
        marker = null;
        do {
            ObjectListing l = oss.listObjects(new ListObjectsRequest(b).withDelimiter("/").withMaxKeys(2).withMarker(marker));
            assertThat(l.getObjectSummaries().size() + l.getCommonPrefixes().size()).isLessThanOrEqualTo(2);
            entries.addAll(page(l.getObjectSummaries(), l.getCommonPrefixes()));
            marker = l.getNextMarker();
            if (!l.isTruncated()) break;
        } while (true);
        assertThat(entries).containsExactly("Zebra", "a.txt", "b/", "c d+e.txt", "dir/", "z", "~tilde", "ü-top", "中文/");
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void oddPrefixMarkerAndStartAfterValues(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = populated(sig);
        assertThat(keys(oss.listObjects(b, "c d+").getObjectSummaries())).containsExactly("c d+e.txt");
        assertThat(keys(oss.listObjects(b, "dir/ü%20&").getObjectSummaries())).containsExactly("dir/ü%20&<x>.txt");
        assertThat(keys(oss.listObjects(b, "dir/a b+c~!*").getObjectSummaries())).containsExactly("dir/a b+c~!*.txt");
        ObjectListing cjk = oss.listObjects(new ListObjectsRequest(b).withPrefix("中文/").withDelimiter("/"));
        assertThat(keys(cjk.getObjectSummaries())).containsExactly("中文/键");
        assertThat(cjk.getPrefix()).isEqualTo("中文/");

        ObjectListing m = oss.listObjects(new ListObjectsRequest(b).withMarker("dir/a b+c~!*.txt").withMaxKeys(2));
        assertThat(keys(m.getObjectSummaries())).containsExactly("dir/sub/x", "dir/ü%20&<x>.txt");
        assertThat(m.getNextMarker()).isEqualTo("dir/ü%20&<x>.txt");
        ObjectListing next = oss.listObjects(new ListObjectsRequest(b).withMarker(m.getNextMarker()).withMaxKeys(1));
        assertThat(keys(next.getObjectSummaries())).containsExactly("z");

        ListObjectsV2Result v2 = oss.listObjectsV2(new ListObjectsV2Request(b).withStartAfter("dir/ü%20&<x>.txt").withMaxKeys(2)
                .withPrefix(""));
        assertThat(keys(v2.getObjectSummaries())).containsExactly("z", "~tilde");
        ListObjectsV2Result v2p = oss.listObjectsV2(new ListObjectsV2Request(b).withPrefix("c d+"));
        assertThat(keys(v2p.getObjectSummaries())).containsExactly("c d+e.txt");
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void v1UrlEncoding(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = populated(sig);
        // J1 does not decode when the caller sets encoding-type itself: the values arrive percent-encoded
        ObjectListing l = oss.listObjects(new ListObjectsRequest(b).withPrefix("dir/").withDelimiter("/").withEncodingType("url"));
        assertThat(l.getEncodingType()).isEqualTo("url");
        assertThat(keys(l.getObjectSummaries())).containsExactly("dir%2Fa%20b%2Bc~%21%2A.txt", "dir%2F%C3%BC%2520%26%3Cx%3E.txt");
        assertThat(l.getCommonPrefixes()).containsExactly("dir%2Fsub%2F");
        assertThat(l.getPrefix()).isEqualTo("dir%2F");
        assertThat(l.getDelimiter()).isEqualTo("%2F");

        ObjectListing all = oss.listObjects(new ListObjectsRequest(b).withEncodingType("url").withMaxKeys(5).withMarker("b/2.txt"));
        assertThat(all.getMarker()).isEqualTo("b%2F2.txt");
        assertThat(all.isTruncated()).isTrue();
        assertThat(all.getNextMarker()).isEqualTo("dir%2Fsub%2Fx").isEqualTo(all.getObjectSummaries().getLast().getKey());
        List<String> decoded = all.getObjectSummaries().stream().map(s -> dec(s.getKey())).toList();
        int from = ALL.indexOf("b/2.txt") + 1;
        assertThat(decoded).containsExactlyElementsOf(ALL.subList(from, from + 5));
        for (OSSObjectSummary s : all.getObjectSummaries()) assertThat(s.getKey()).doesNotContain("+", " ", "/");
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void v1ControlCharactersNeedUrlEncoding(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = newBucket(sig);
        String ctrl = "ctl/\u0001\u001f-x";
        oss.putObject(b, ctrl, in(bytes("c")));
        ObjectListing l = oss.listObjects(new ListObjectsRequest(b).withEncodingType("url"));
        assertThat(keys(l.getObjectSummaries())).containsExactly("ctl%2F%01%1F-x");
        assertThat(dec(l.getObjectSummaries().getFirst().getKey())).isEqualTo(ctrl);
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void v1Errors(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = newBucket(sig);
        ossError("NoSuchBucket", () -> oss.listObjects("no-such-bucket-list"));
        // J1 checks max-keys client-side (0..1000)
        assertThatThrownBy(() -> oss.listObjects(new ListObjectsRequest(b).withMaxKeys(1001))).isInstanceOf(IllegalArgumentException.class);
        for (String bad : new String[] {"abc", "-1", "1001"}) {
            OssHttp.Resp r = raw.req("GET", b, null).query("max-keys", bad).send();
            assertThat(r.status()).as(bad).isEqualTo(400);
            assertThat(r.code()).as(bad).isEqualTo("InvalidArgument");
        }
        OssHttp.Resp enc = raw.req("GET", b, null).query("encoding-type", "base64").send();
        assertThat(enc.status()).isEqualTo(400);
        assertThat(enc.code()).isEqualTo("InvalidArgument");
        OssHttp.Resp ok = raw.req("GET", b, null).send();
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.header("Content-Type")).startsWith("application/xml");
        assertThat(ok.text()).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>").contains("<ListBucketResult>");
    }

    // ---- V2 -----------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Sig.class)
    void v2ListsEverythingAndFetchOwner(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = populated(sig);
        ListObjectsV2Result l = oss.listObjectsV2(b);
        assertThat(keys(l.getObjectSummaries())).containsExactlyElementsOf(ALL);
        assertThat(l.getKeyCount()).isEqualTo(ALL.size());
        assertThat(l.isTruncated()).isFalse();
        assertThat(l.getNextContinuationToken()).isNull();
        assertThat(l.getMaxKeys()).isEqualTo(100);
        // Owner only with fetch-owner=true
        for (OSSObjectSummary s : l.getObjectSummaries()) {
            assertThat(s.getOwner()).isNull();
            assertThat(s.getETag()).isEqualTo(md5Hex(OBJECTS.get(s.getKey())));
            assertThat(s.getSize()).isEqualTo(OBJECTS.get(s.getKey()).length);
        }
        ListObjectsV2Result owned = oss.listObjectsV2(new ListObjectsV2Request(b).withFetchOwner(true));
        for (OSSObjectSummary s : owned.getObjectSummaries()) {
            assertThat(s.getOwner()).isNotNull();
            assertThat(s.getOwner().getId()).isNotEmpty();
        }
        ListObjectsV2Result notOwned = oss.listObjectsV2(new ListObjectsV2Request(b).withFetchOwner(false));
        assertThat(notOwned.getObjectSummaries()).allSatisfy(s -> assertThat(s.getOwner()).isNull());
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void v2PrefixDelimiterStartAfter(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = populated(sig);
        ListObjectsV2Result d = oss.listObjectsV2(new ListObjectsV2Request(b).withDelimiter("/"));
        assertThat(keys(d.getObjectSummaries())).containsExactly("Zebra", "a.txt", "c d+e.txt", "z", "~tilde", "ü-top");
        assertThat(d.getCommonPrefixes()).containsExactly("b/", "dir/", "中文/");
        assertThat(d.getKeyCount()).isEqualTo(9);

        ListObjectsV2Result pd = oss.listObjectsV2(new ListObjectsV2Request(b).withPrefix("b/").withDelimiter("/"));
        assertThat(keys(pd.getObjectSummaries())).containsExactly("b/1.txt", "b/2.txt");
        assertThat(pd.getCommonPrefixes()).containsExactly("b/c/");
        assertThat(pd.getPrefix()).isEqualTo("b/");
        assertThat(pd.getKeyCount()).isEqualTo(3);

        ListObjectsV2Result sa = oss.listObjectsV2(new ListObjectsV2Request(b).withStartAfter("dir/sub/x"));
        assertThat(keys(sa.getObjectSummaries())).containsExactlyElementsOf(ALL.subList(ALL.indexOf("dir/sub/x") + 1, ALL.size()));
        assertThat(sa.getStartAfter()).isEqualTo("dir/sub/x");

        ListObjectsV2Result sap = oss.listObjectsV2(new ListObjectsV2Request(b).withPrefix("b/").withStartAfter("b/1.txt"));
        assertThat(keys(sap.getObjectSummaries())).containsExactly("b/2.txt", "b/c/3.txt", "b/c/4.txt");
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void v2ContinuationTokenPaginates(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = populated(sig);
        List<String> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        while (true) {
            ListObjectsV2Request r = new ListObjectsV2Request(b).withMaxKeys(3);
            if (token != null) r.setContinuationToken(token);
            ListObjectsV2Result l = oss.listObjectsV2(r);
            assertThat(l.getContinuationToken()).isEqualTo(token);
            assertThat(l.getKeyCount()).isEqualTo(l.getObjectSummaries().size());
            assertThat(l.getMaxKeys()).isEqualTo(3);
            seen.addAll(keys(l.getObjectSummaries()));
            pages++;
            if (!l.isTruncated()) {
                assertThat(l.getNextContinuationToken()).isNull();
                break;
            }
            assertThat(l.getNextContinuationToken()).isNotEmpty();
            token = l.getNextContinuationToken();
        }
        assertThat(seen).containsExactlyElementsOf(ALL);
        assertThat(pages).isEqualTo(5);

        // with a delimiter and start-after on the first page
        List<String> entries = new ArrayList<>();
        token = null;
        while (true) {
            ListObjectsV2Request r = new ListObjectsV2Request(b).withDelimiter("/").withMaxKeys(2).withStartAfter("a.txt");
            if (token != null) r.setContinuationToken(token);
            ListObjectsV2Result l = oss.listObjectsV2(r);
            assertThat(l.getKeyCount()).isEqualTo(l.getObjectSummaries().size() + l.getCommonPrefixes().size()).isLessThanOrEqualTo(2);
            entries.addAll(page(l.getObjectSummaries(), l.getCommonPrefixes()));
            if (!l.isTruncated()) break;
            token = l.getNextContinuationToken();
        }
        assertThat(entries).containsExactly("b/", "c d+e.txt", "dir/", "z", "~tilde", "ü-top", "中文/");
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void v2UrlEncoding(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = populated(sig);
        ListObjectsV2Result l = oss.listObjectsV2(new ListObjectsV2Request(b).withPrefix("dir/").withDelimiter("/")
                .withEncodingType("url").withStartAfter("dir/a"));
        assertThat(l.getEncodingType()).isEqualTo("url");
        assertThat(keys(l.getObjectSummaries())).containsExactly("dir%2Fa%20b%2Bc~%21%2A.txt", "dir%2F%C3%BC%2520%26%3Cx%3E.txt");
        assertThat(l.getCommonPrefixes()).containsExactly("dir%2Fsub%2F");
        assertThat(l.getPrefix()).isEqualTo("dir%2F");
        assertThat(l.getDelimiter()).isEqualTo("%2F");
        assertThat(l.getStartAfter()).isEqualTo("dir%2Fa");

        // paginate the whole bucket encoded: decode the keys; the token is passed back as decoded by the caller
        List<String> seen = new ArrayList<>();
        String token = null;
        while (true) {
            ListObjectsV2Request r = new ListObjectsV2Request(b).withMaxKeys(4).withEncodingType("url");
            if (token != null) r.setContinuationToken(token);
            ListObjectsV2Result page = oss.listObjectsV2(r);
            page.getObjectSummaries().forEach(s -> seen.add(dec(s.getKey())));
            if (!page.isTruncated()) break;
            token = dec(page.getNextContinuationToken());
        }
        assertThat(seen).containsExactlyElementsOf(ALL);
    }

    @ParameterizedTest
    @EnumSource(Sig.class)
    void v2Errors(Sig sig) throws Exception {
        OSS oss = oss(sig);
        String b = newBucket(sig);
        ossError("NoSuchBucket", () -> oss.listObjectsV2("no-such-bucket-list2"));
        OssHttp.Resp r = raw.req("GET", b, null).query("list-type", "2").query("max-keys", "x").send();
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.code()).isEqualTo("InvalidArgument");
        OssHttp.Resp empty = raw.req("GET", b, null).query("list-type", "2").send();
        assertThat(empty.status()).isEqualTo(200);
        assertThat(empty.text()).contains("<KeyCount>0</KeyCount>").contains("<IsTruncated>false</IsTruncated>");
    }
}
