package dev.pail.it.versioning;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.model.CannedAccessControlList;
import com.aliyun.oss.model.DeleteObjectsRequest;
import com.aliyun.oss.model.DeleteObjectsResult;
import com.aliyun.oss.model.DeleteVersionsRequest;
import com.aliyun.oss.model.DeleteVersionsRequest.KeyVersion;
import com.aliyun.oss.model.DeleteVersionsResult;
import com.aliyun.oss.model.DeleteVersionsResult.DeletedVersion;
import com.aliyun.oss.model.GenericRequest;
import com.aliyun.oss.model.GetObjectRequest;
import com.aliyun.oss.model.HeadObjectRequest;
import com.aliyun.oss.model.OSSObject;
import com.aliyun.oss.model.ObjectMetadata;
import com.aliyun.oss.model.SetObjectAclRequest;
import com.aliyun.oss.model.SetObjectTaggingRequest;
import com.aliyun.oss.model.VoidResult;
import dev.pail.it.OssHttp;
import dev.pail.it.TestData;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * DeleteObject with and without a version id, delete markers (what reads of a key, or of a marker
 * by id, answer), Suspended deletes, DeleteMultipleObjects with versions, and the blob files a
 * permanent delete frees. Through J1 with raw HTTP for statuses and headers.
 */
class DeleteMarkerJ1Test extends VersioningBase {

    // ---- DELETE without a version id ---------------------------------------------------------

    @Test
    void deleteWritesAMarkerThatHidesTheObject() {
        String b = versionedBucket();
        String v1 = put(b, "k", bytes("hello"));
        VoidResult del = oss.deleteObject(b, "k");
        assertThat(del.getResponse().getStatusCode()).isEqualTo(204);
        assertThat(header(del, "x-oss-delete-marker")).isEqualTo("true");
        String marker = header(del, "x-oss-version-id");
        assertVersionId(marker);
        assertThat(marker).isNotEqualTo(v1);
        assertThat(entries(b, "")).containsExactly(Entry.marker("k", marker, true), Entry.version("k", v1, false));

        ossError("NoSuchKey", () -> oss.getObject(b, "k"));
        ossError("NoSuchKey", () -> oss.getObjectMetadata(b, "k"));
        ossError("NoSuchKey", () -> oss.getSimplifiedObjectMeta(b, "k"));
        assertThat(oss.doesObjectExist(b, "k")).isFalse();
        for (OssHttp.Resp r : List.of(rawGet(b, "k", null), rawHead(b, "k", null), req("HEAD", b, "k", null).query("objectMeta").send())) {
            assertError(r, 404, "NoSuchKey");
            assertThat(r.header("x-oss-delete-marker")).isEqualTo("true");
            assertThat(r.header("x-oss-version-id")).isEqualTo(marker);
        }
        // the version under the marker is untouched
        assertThat(get(b, "k", v1)).isEqualTo(bytes("hello"));
        assertThat(oss.listObjects(b).getObjectSummaries()).isEmpty();
    }

    @Test
    void rawDeleteHeaders() {
        String b = versionedBucket();
        put(b, "k", bytes("x"));
        OssHttp.Resp r = assertStatus(rawDelete(b, "k", null), 204);
        assertThat(r.header("x-oss-delete-marker")).isEqualTo("true");
        assertVersionId(r.header("x-oss-version-id"));
        assertThat(r.body()).isEmpty();
    }

    @Test
    void repeatedDeletesStackMarkersAndRemovingThemRestores() throws Exception {
        String b = versionedBucket();
        ObjectMetadata m = meta("text/html", Map.of("a", "b"));
        m.setObjectTagging(Map.of("t", "v"));
        String v1 = put(b, "k", bytes("<p>hi</p>"), m);
        String m1 = header(oss.deleteObject(b, "k"), "x-oss-version-id");
        String m2 = header(oss.deleteObject(b, "k"), "x-oss-version-id");
        assertVersionId(m1);
        assertVersionId(m2);
        assertThat(m2).isNotEqualTo(m1);
        assertThat(entries(b, "")).containsExactly(
                Entry.marker("k", m2, true), Entry.marker("k", m1, false), Entry.version("k", v1, false));
        assertThat(rawHead(b, "k", null).header("x-oss-version-id")).isEqualTo(m2);

        // removing the top marker: the one under it is on top now, the key still reads as deleted
        VoidResult r2 = oss.deleteVersion(b, "k", m2);
        assertThat(header(r2, "x-oss-version-id")).isEqualTo(m2);
        assertThat(header(r2, "x-oss-delete-marker")).isEqualTo("true");
        OssHttp.Resp h = assertError(rawHead(b, "k", null), 404, "NoSuchKey");
        assertThat(h.header("x-oss-delete-marker")).isEqualTo("true");
        assertThat(h.header("x-oss-version-id")).isEqualTo(m1);
        assertThat(entries(b, "")).containsExactly(Entry.marker("k", m1, true), Entry.version("k", v1, false));

        // removing the last marker restores v1 with its metadata and tags
        OssHttp.Resp r1 = assertStatus(rawDelete(b, "k", m1), 204);
        assertThat(r1.header("x-oss-version-id")).isEqualTo(m1);
        assertThat(r1.header("x-oss-delete-marker")).isEqualTo("true");
        assertThat(get(b, "k", null)).isEqualTo(bytes("<p>hi</p>"));
        ObjectMetadata now = oss.getObjectMetadata(b, "k");
        assertThat(now.getVersionId()).isEqualTo(v1);
        assertThat(now.getContentType()).isEqualTo("text/html");
        assertThat(now.getUserMetadata()).isEqualTo(Map.of("a", "b"));
        assertThat(oss.getObjectTagging(b, "k").getAllTags()).isEqualTo(Map.of("t", "v"));
        assertThat(entries(b, "")).containsExactly(Entry.version("k", v1, true));
        assertThat(oss.listObjects(b).getObjectSummaries()).extracting(s -> s.getKey()).containsExactly("k");
    }

    @Test
    void deleteOfAKeyThatNeverExistedWritesAMarker() {
        String b = versionedBucket();
        VoidResult r = oss.deleteObject(b, "ghost");
        String marker = header(r, "x-oss-version-id");
        assertVersionId(marker);
        assertThat(header(r, "x-oss-delete-marker")).isEqualTo("true");
        assertThat(entries(b, "")).containsExactly(Entry.marker("ghost", marker, true));
        OssHttp.Resp g = assertError(rawGet(b, "ghost", null), 404, "NoSuchKey");
        assertThat(g.header("x-oss-version-id")).isEqualTo(marker);
    }

    // ---- a delete marker named by its id ------------------------------------------------------

    @Test
    void readingAMarkerByIdIsMethodNotAllowed() {
        String b = versionedBucket();
        String v1 = put(b, "k", bytes("v1"));
        String marker = header(oss.deleteObject(b, "k"), "x-oss-version-id");
        put(b, "k", bytes("v3")); // the marker is no longer current

        ossError("MethodNotAllowed", () -> oss.getObject(new GetObjectRequest(b, "k", marker)));
        ossError("MethodNotAllowed", () -> oss.headObject(new HeadObjectRequest(b, "k", marker)));
        ossError("MethodNotAllowed", () -> oss.getObjectMetadata(new GenericRequest(b, "k", marker)));
        ossError("MethodNotAllowed", () -> oss.getSimplifiedObjectMeta(new GenericRequest(b, "k", marker)));
        ossError("MethodNotAllowed", () -> oss.getObjectAcl(new GenericRequest(b, "k", marker)));
        ossError("MethodNotAllowed", () -> oss.setObjectAcl(new SetObjectAclRequest(b, "k", marker, CannedAccessControlList.PublicRead)));
        for (OssHttp.Resp r : List.of(
                rawGet(b, "k", marker),
                rawHead(b, "k", marker),
                req("HEAD", b, "k", marker).query("objectMeta").send(),
                req("GET", b, "k", marker).query("acl").send(),
                req("PUT", b, "k", marker).query("acl").header("x-oss-object-acl", "private").send(),
                req("GET", b, "k", marker).query("symlink").send())) {
            assertError(r, 405, "MethodNotAllowed");
            assertThat(r.header("x-oss-delete-marker")).as(r.toString()).isEqualTo("true");
        }
        // the versions around it are fine
        assertThat(get(b, "k", v1)).isEqualTo(bytes("v1"));
        assertThat(get(b, "k", null)).isEqualTo(bytes("v3"));
    }

    @Test
    void taggingOfAMarkerIsNoSuchKey() {
        String b = versionedBucket();
        put(b, "k", bytes("v1"));
        String marker = header(oss.deleteObject(b, "k"), "x-oss-version-id");
        // by id
        ossError("NoSuchKey", () -> oss.getObjectTagging(new GenericRequest(b, "k", marker)));
        SetObjectTaggingRequest set = new SetObjectTaggingRequest(b, "k", Map.of("a", "b"));
        set.setVersionId(marker);
        ossError("NoSuchKey", () -> oss.setObjectTagging(set));
        ossError("NoSuchKey", () -> oss.deleteObjectTagging(new GenericRequest(b, "k", marker)));
        assertError(req("GET", b, "k", marker).query("tagging").send(), 404, "NoSuchKey");
        assertError(req("DELETE", b, "k", marker).query("tagging").send(), 404, "NoSuchKey");
        // as the current version
        ossError("NoSuchKey", () -> oss.getObjectTagging(b, "k"));
        ossError("NoSuchKey", () -> oss.setObjectTagging(b, "k", Map.of("a", "b")));
        assertThat(versionIds(b, "k")).hasSize(2);
    }

    // ---- DELETE with a version id --------------------------------------------------------------

    @Test
    void deletingTheCurrentVersionByIdMakesTheNextNewestCurrent() {
        String b = versionedBucket();
        String v1 = put(b, "k", bytes("one"));
        String v2 = put(b, "k", bytes("two"));
        String v3 = put(b, "k", bytes("three"));
        OssHttp.Resp r = assertStatus(rawDelete(b, "k", v3), 204);
        assertThat(r.header("x-oss-version-id")).isEqualTo(v3);
        assertThat(r.has("x-oss-delete-marker")).as("no marker was involved").isFalse();
        assertThat(get(b, "k", null)).isEqualTo(bytes("two"));
        assertThat(rawHead(b, "k", null).header("x-oss-version-id")).isEqualTo(v2);
        ossError("NoSuchVersion", () -> oss.getObject(new GetObjectRequest(b, "k", v3)));
        // deleting a previous version leaves the current one alone
        oss.deleteVersion(b, "k", v1);
        assertThat(get(b, "k", null)).isEqualTo(bytes("two"));
        assertThat(entries(b, "")).containsExactly(Entry.version("k", v2, true));
        oss.deleteVersion(b, "k", v2);
        assertThat(entries(b, "")).isEmpty();
        ossError("NoSuchKey", () -> oss.getObject(b, "k"));
        OssHttp.Resp h = assertError(rawHead(b, "k", null), 404, "NoSuchKey");
        assertThat(h.has("x-oss-delete-marker")).as("no marker left").isFalse();
    }

    @Test
    void deletingTheCurrentVersionOverAMarkerLeavesTheKeyDeleted() {
        String b = versionedBucket();
        String v1 = put(b, "k", bytes("one"));
        String m = header(oss.deleteObject(b, "k"), "x-oss-version-id");
        String v3 = put(b, "k", bytes("three"));
        oss.deleteVersion(b, "k", v3);
        // the newest remaining entry is the marker: no current version
        OssHttp.Resp h = assertError(rawHead(b, "k", null), 404, "NoSuchKey");
        assertThat(h.header("x-oss-delete-marker")).isEqualTo("true");
        assertThat(h.header("x-oss-version-id")).isEqualTo(m);
        assertThat(entries(b, "")).containsExactly(Entry.marker("k", m, true), Entry.version("k", v1, false));
        assertThat(oss.listObjects(b).getObjectSummaries()).isEmpty();
    }

    @Test
    void deletingAVersionWhileItIsBeingDownloaded() throws Exception {
        String b = versionedBucket();
        byte[] big = random(8 * 1024 * 1024, 77);
        String v1 = put(b, "k", big);
        put(b, "k", bytes("small"));
        try (OSSObject o = oss.getObject(new GetObjectRequest(b, "k", v1)); InputStream s = o.getObjectContent()) {
            byte[] head = s.readNBytes(1000);
            oss.deleteVersion(b, "k", v1);
            assertThat(versionIds(b, "k")).doesNotContain(v1);
            ossError("NoSuchVersion", () -> oss.getObject(new GetObjectRequest(b, "k", v1)));
            byte[] rest = s.readAllBytes();
            assertThat(TestData.concat(head, rest)).as("the download started before the delete completes intact").isEqualTo(big);
        }
    }

    @Test
    void deletingAVersionThatDoesNotExistChangesNothing() {
        String b = versionedBucket();
        String v1 = put(b, "k", bytes("one"));
        String other = put(b, "other", bytes("other"));
        long files = storedBlobs();
        for (String id : List.of(UNKNOWN_ID, other, "null")) {
            OssHttp.Resp r = assertStatus(rawDelete(b, "k", id), 204);
            assertThat(r.has("x-oss-delete-marker")).isFalse();
        }
        oss.deleteVersion(b, "nothing-here", UNKNOWN_ID);
        assertThat(entries(b, "")).containsExactly(Entry.version("k", v1, true), Entry.version("other", other, true));
        assertThat(storedBlobs()).isEqualTo(files);
    }

    // ---- Suspended -------------------------------------------------------------------------

    @Test
    void suspendedDeleteWritesANullMarkerInPlaceOfTheNullVersion() {
        String b = versionedBucket();
        String v1 = put(b, "k", bytes("v1"));
        setVersioning(b, "Suspended");
        put(b, "k", bytes("null version"));
        long files = storedBlobs();
        OssHttp.Resp r = assertStatus(rawDelete(b, "k", null), 204);
        assertThat(r.header("x-oss-delete-marker")).isEqualTo("true");
        assertThat(r.header("x-oss-version-id")).isEqualTo("null");
        assertThat(storedBlobs()).as("the null version's file is removed").isEqualTo(files - 1);
        assertThat(entries(b, "")).containsExactly(Entry.marker("k", "null", true), Entry.version("k", v1, false));
        OssHttp.Resp h = assertError(rawHead(b, "k", null), 404, "NoSuchKey");
        assertThat(h.header("x-oss-version-id")).isEqualTo("null");
        assertThat(h.header("x-oss-delete-marker")).isEqualTo("true");
        assertError(rawGet(b, "k", "null"), 405, "MethodNotAllowed");
        // deleting again replaces the null marker with a new null marker
        oss.deleteObject(b, "k");
        assertThat(entries(b, "")).containsExactly(Entry.marker("k", "null", true), Entry.version("k", v1, false));
        // a suspended write replaces the null marker
        put(b, "k", bytes("back"));
        assertThat(entries(b, "")).containsExactly(Entry.version("k", "null", true), Entry.version("k", v1, false));
        assertThat(get(b, "k", "null")).isEqualTo(bytes("back"));
        assertThat(get(b, "k", v1)).isEqualTo(bytes("v1"));
    }

    @Test
    void suspendedDeleteOverAnIdVersionKeepsIt() {
        String b = versionedBucket();
        String v1 = put(b, "k", bytes("v1"));
        setVersioning(b, "Suspended");
        String marker = header(oss.deleteObject(b, "k"), "x-oss-version-id");
        assertThat(marker).isEqualTo("null");
        assertThat(entries(b, "")).containsExactly(Entry.marker("k", "null", true), Entry.version("k", v1, false));
        oss.deleteVersion(b, "k", "null");
        assertThat(get(b, "k", null)).isEqualTo(bytes("v1"));
    }

    @Test
    void suspendedDeleteRemovesANonCurrentNullVersion() {
        String b = newBucket();
        setVersioning(b, "Suspended");
        put(b, "k", bytes("old null"));
        setVersioning(b, "Enabled");
        String v2 = put(b, "k", bytes("v2"));
        setVersioning(b, "Suspended");
        long files = storedBlobs();
        assertThat(header(oss.deleteObject(b, "k"), "x-oss-version-id")).isEqualTo("null");
        assertThat(storedBlobs()).as("the old null version is replaced by the null marker").isEqualTo(files - 1);
        assertThat(entries(b, "")).containsExactly(Entry.marker("k", "null", true), Entry.version("k", v2, false));
        assertThat(get(b, "k", v2)).isEqualTo(bytes("v2"));
    }

    @Test
    void deletingTheCurrentNullVersionByIdPromotesTheNextNewest() {
        String b = versionedBucket();
        String v1 = put(b, "k", bytes("v1"));
        setVersioning(b, "Suspended");
        put(b, "k", bytes("null"));
        OssHttp.Resp r = assertStatus(rawDelete(b, "k", "null"), 204);
        assertThat(r.header("x-oss-version-id")).isEqualTo("null");
        assertThat(r.has("x-oss-delete-marker")).isFalse();
        assertThat(get(b, "k", null)).isEqualTo(bytes("v1"));
        assertThat(rawHead(b, "k", null).header("x-oss-version-id")).isEqualTo(v1);
        assertThat(entries(b, "")).containsExactly(Entry.version("k", v1, true));
    }

    // ---- DeleteMultipleObjects --------------------------------------------------------------

    @Test
    void deleteVersionsReportsVersionsAndMarkers() {
        String b = versionedBucket();
        String a1 = put(b, "a", bytes("a1"));
        String a2 = put(b, "a", bytes("a2"));
        put(b, "b", bytes("b1"));
        put(b, "c", bytes("c1"));
        String cMarker = header(oss.deleteObject(b, "c"), "x-oss-version-id");
        long files = storedBlobs();

        DeleteVersionsResult r = oss.deleteVersions(new DeleteVersionsRequest(b).withKeys(List.of(
                new KeyVersion("a", a1),          // a previous version, for good
                new KeyVersion("b"),              // no version: a new marker
                new KeyVersion("c", cMarker),     // a marker, removed: c is back
                new KeyVersion("d", UNKNOWN_ID)))); // nothing there
        Map<String, DeletedVersion> byKey = r.getDeletedVersions().stream()
                .collect(Collectors.toMap(DeletedVersion::getKey, Function.identity()));
        assertThat(byKey).containsOnlyKeys("a", "b", "c", "d");
        assertThat(byKey.get("a").getVersionId()).isEqualTo(a1);
        assertThat(byKey.get("a").isDeleteMarker()).isFalse();
        assertThat(byKey.get("b").isDeleteMarker()).isTrue();
        String bMarker = byKey.get("b").getDeleteMarkerVersionId();
        assertVersionId(bMarker);
        assertThat(byKey.get("c").getVersionId()).isEqualTo(cMarker);
        assertThat(byKey.get("c").isDeleteMarker()).isTrue();
        assertThat(byKey.get("c").getDeleteMarkerVersionId()).isEqualTo(cMarker);
        assertThat(byKey.get("d").getVersionId()).isEqualTo(UNKNOWN_ID);
        assertThat(byKey.get("d").isDeleteMarker()).isFalse();

        assertThat(storedBlobs()).as("a1's file is removed").isEqualTo(files - 1);
        assertThat(versionIds(b, "a")).containsExactly(a2);
        assertThat(versionIds(b, "b")).hasSize(2).first().isEqualTo(bMarker);
        assertThat(get(b, "c", null)).isEqualTo(bytes("c1"));
        ossError("NoSuchKey", () -> oss.getObject(b, "b"));
    }

    @Test
    void deleteVersionsRawXml() {
        String b = versionedBucket();
        String v1 = put(b, "k", bytes("x"));
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Delete><Quiet>false</Quiet>"
                + "<Object><Key>k</Key></Object>"
                + "<Object><Key>k2</Key><VersionId>" + UNKNOWN_ID + "</VersionId></Object></Delete>";
        OssHttp.Resp r = assertStatus(http.req("POST", b, null).query("delete").body(xml).md5().send(), 200);
        String text = r.text();
        String first = text.substring(text.indexOf("<Deleted>"), text.indexOf("</Deleted>"));
        assertThat(OssHttp.element(first, "Key")).isEqualTo("k");
        assertThat(OssHttp.element(first, "DeleteMarker")).isEqualTo("true");
        String marker = OssHttp.element(first, "DeleteMarkerVersionId");
        assertVersionId(marker);
        assertThat(versionIds(b, "k")).containsExactly(marker, v1);
        String second = text.substring(text.lastIndexOf("<Deleted>"));
        assertThat(OssHttp.element(second, "Key")).isEqualTo("k2");
        assertThat(OssHttp.element(second, "VersionId")).isEqualTo(UNKNOWN_ID);
        assertThat(second).doesNotContain("<DeleteMarker>");
        // removing the marker by id in a batch: DeleteMarker true, DeleteMarkerVersionId is its id
        String xml2 = "<Delete><Object><Key>k</Key><VersionId>" + marker + "</VersionId></Object></Delete>";
        OssHttp.Resp r2 = assertStatus(http.req("POST", b, null).query("delete").body(xml2).md5().send(), 200);
        assertThat(OssHttp.element(r2.text(), "VersionId")).isEqualTo(marker);
        assertThat(OssHttp.element(r2.text(), "DeleteMarker")).isEqualTo("true");
        assertThat(OssHttp.element(r2.text(), "DeleteMarkerVersionId")).isEqualTo(marker);
        assertThat(get(b, "k", null)).isEqualTo(bytes("x"));
    }

    @Test
    void quietDeleteVersionsReportsNothingButDeletes() {
        String b = versionedBucket();
        String v1 = put(b, "k", bytes("x"));
        DeleteVersionsResult r = oss.deleteVersions(new DeleteVersionsRequest(b).withQuiet(true)
                .withKeys(List.of(new KeyVersion("k", v1))));
        assertThat(r.getDeletedVersions()).isEmpty();
        assertThat(entries(b, "")).isEmpty();
    }

    @Test
    void deleteObjectsWithoutVersionsWritesMarkers() {
        String b = versionedBucket();
        String v1 = put(b, "x", bytes("x"));
        String v2 = put(b, "y", bytes("y"));
        DeleteObjectsResult r = oss.deleteObjects(new DeleteObjectsRequest(b).withKeys(List.of("x", "y")));
        assertThat(r.getDeletedObjects()).containsExactlyInAnyOrder("x", "y");
        List<Entry> e = entries(b, "");
        assertThat(e).hasSize(4);
        assertThat(e.get(0).key()).isEqualTo("x");
        assertThat(e.get(0).deleteMarker()).isTrue();
        assertThat(e.get(0).latest()).isTrue();
        assertThat(e.get(1)).isEqualTo(Entry.version("x", v1, false));
        assertThat(e.get(2).key()).isEqualTo("y");
        assertThat(e.get(2).deleteMarker()).isTrue();
        assertThat(e.get(3)).isEqualTo(Entry.version("y", v2, false));
        assertThat(oss.listObjects(b).getObjectSummaries()).isEmpty();
    }

    // ---- storage -----------------------------------------------------------------------------

    @Test
    void permanentDeletesRemoveFilesAndMarkersOwnNone() {
        String b = versionedBucket();
        long start = storedBlobs();
        String v1 = put(b, "k", random(20_000, 1));
        String v2 = put(b, "k", random(20_000, 2));
        String m = header(oss.deleteObject(b, "k"), "x-oss-version-id");
        assertThat(storedBlobs()).isEqualTo(start + 2);
        oss.deleteVersion(b, "k", m);
        assertThat(storedBlobs()).as("removing a marker frees nothing").isEqualTo(start + 2);
        oss.deleteVersion(b, "k", v2);
        assertThat(storedBlobs()).isEqualTo(start + 1);
        assertThat(get(b, "k", null)).isEqualTo(random(20_000, 1));
        oss.deleteVersion(b, "k", v1);
        assertThat(storedBlobs()).isEqualTo(start);
    }

    @Test
    void copiedVersionsOwnTheirFiles() {
        String b = versionedBucket();
        long start = storedBlobs();
        byte[] d = random(30_000, 9);
        String v1 = put(b, "src", d);
        String c1 = oss.copyObject(b, "src", b, "dst").getVersionId();
        assertThat(storedBlobs()).isEqualTo(start + 2);
        // removing the source version leaves the copy readable, and vice versa
        oss.deleteVersion(b, "src", v1);
        assertThat(storedBlobs()).isEqualTo(start + 1);
        assertThat(get(b, "dst", c1)).isEqualTo(d);
        oss.deleteVersion(b, "dst", c1);
        assertThat(storedBlobs()).isEqualTo(start);
    }
}
