package dev.pail.it.versioning;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.model.BucketVersioningConfiguration;
import com.aliyun.oss.model.GenericRequest;
import com.aliyun.oss.model.OSSVersionSummary;
import com.aliyun.oss.model.SetBucketVersioningRequest;
import com.aliyun.oss.model.VoidResult;
import dev.pail.it.OssHttp;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bucket versioning configuration (PutBucketVersioning, GetBucketVersioning, GetBucketInfo),
 * buckets that never had versioning, the null version, Suspended semantics, DeleteBucket with
 * versions left, and the blob files previous versions keep on disk. Through J1 (aliyun-sdk-oss
 * 3.18.5) with raw HTTP for exact statuses and headers.
 */
class VersioningJ1Test extends VersioningBase {

    // ---- configuration ------------------------------------------------------------------------

    @Test
    void neverConfiguredBucketHasNoStatus() {
        String b = newBucket();
        BucketVersioningConfiguration c = oss.getBucketVersioning(b);
        // J1 starts from "Off" but then sets getChildText("Status"): with no <Status> element, null
        assertThat(c.getStatus()).isNull();
        OssHttp.Resp raw = bucketSub("GET", b, "versioning", null);
        assertStatus(raw, 200);
        assertThat(raw.text()).contains("<VersioningConfiguration").doesNotContain("<Status>");
        assertThat(oss.getBucketInfo(b).getVersioning()).isNull();
        OssHttp.Resp info = bucketSub("GET", b, "bucketInfo", null);
        assertStatus(info, 200);
        assertThat(info.text()).doesNotContain("<Versioning>");
    }

    @Test
    void enableSuspendAndEnableAgain() {
        String b = newBucket();
        VoidResult r = oss.setBucketVersioning(new SetBucketVersioningRequest(b, new BucketVersioningConfiguration("Enabled")));
        assertThat(r.getResponse().getStatusCode()).isEqualTo(200);
        assertThat(oss.getBucketVersioning(b).getStatus()).isEqualTo("Enabled");
        assertThat(oss.getBucketVersioning(new GenericRequest(b)).getStatus()).isEqualTo("Enabled");
        assertThat(OssHttp.element(bucketSub("GET", b, "bucketInfo", null).text(), "Versioning")).isEqualTo("Enabled");
        assertThat(oss.getBucketInfo(b).getVersioning()).isEqualTo("Enabled");

        setVersioning(b, "Suspended");
        assertThat(oss.getBucketVersioning(b).getStatus()).isEqualTo("Suspended");
        assertThat(oss.getBucketInfo(b).getVersioning()).isEqualTo("Suspended");
        OssHttp.Resp raw = bucketSub("GET", b, "versioning", null);
        assertThat(OssHttp.element(raw.text(), "Status")).isEqualTo("Suspended");

        setVersioning(b, "Enabled");
        assertThat(oss.getBucketVersioning(b).getStatus()).isEqualTo("Enabled");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Off", "enabled", "Disabled", "SUSPENDED"})
    void otherStatusIsMalformedXml(String status) {
        String b = versionedBucket();
        ossError("MalformedXML", () -> setVersioning(b, status));
        assertThat(oss.getBucketVersioning(b).getStatus()).as("unchanged").isEqualTo("Enabled");
    }

    @Test
    void rawMalformedConfigurations() {
        String b = newBucket();
        for (String body : List.of(
                "<VersioningConfiguration><Status></Status></VersioningConfiguration>",
                "<VersioningConfiguration></VersioningConfiguration>",
                "<VersioningConfiguration><Status>Off</Status></VersioningConfiguration>",
                "not xml at all")) {
            OssHttp.Resp r = bucketSub("PUT", b, "versioning", body);
            assertError(r, 400, "MalformedXML");
        }
        OssHttp.Resp ok = bucketSub("PUT", b, "versioning",
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><VersioningConfiguration><Status>Suspended</Status></VersioningConfiguration>");
        assertStatus(ok, 200);
        assertThat(oss.getBucketVersioning(b).getStatus()).isEqualTo("Suspended");
    }

    @Test
    void missingBucket() {
        ossError("NoSuchBucket", () -> setVersioning("versioning-no-such-bucket", "Enabled"));
        ossError("NoSuchBucket", () -> oss.getBucketVersioning("versioning-no-such-bucket"));
    }

    // ---- a bucket that never had versioning -------------------------------------------------

    @Test
    void neverVersionedBucketSendsNoVersionIds() {
        String b = newBucket();
        assertThat(put(b, "k", bytes("one"))).isNull();
        assertThat(oss.getObjectMetadata(b, "k").getVersionId()).isNull();
        for (String m : List.of("GET", "HEAD")) {
            OssHttp.Resp r = http.req(m, b, "k").send();
            assertStatus(r, 200);
            assertThat(r.has("x-oss-version-id")).as("%s header", m).isFalse();
        }
        OssHttp.Resp meta = http.req("HEAD", b, "k").query("objectMeta").send();
        assertStatus(meta, 200);
        assertThat(meta.has("x-oss-version-id")).isFalse();
        OssHttp.Resp del = http.req("DELETE", b, "k").send();
        assertStatus(del, 204);
        assertThat(del.has("x-oss-version-id")).isFalse();
        assertThat(del.has("x-oss-delete-marker")).isFalse();
        assertThat(http.req("HEAD", b, "k").send().status()).as("really gone, no marker").isEqualTo(404);
        assertThat(versions(b, "")).isEmpty();
    }

    @Test
    void neverVersionedBucketDeleteByNullIdSendsNoVersionId() {
        String b = newBucket();
        put(b, "k", bytes("one"));
        OssHttp.Resp unknown = assertStatus(rawDelete(b, "k", UNKNOWN_ID), 204);
        assertThat(rawHead(b, "k", null).status()).as("an unknown id deletes nothing").isEqualTo(200);
        OssHttp.Resp del = assertStatus(rawDelete(b, "k", "null"), 204);
        assertThat(rawHead(b, "k", null).status()).as("the null version is the object").isEqualTo(404);
        assertThat(versions(b, "")).isEmpty();
        // a bucket that never had versioning sends no x-oss-version-id at all
        assertThat(List.of(del, unknown)).allSatisfy(r -> assertThat(r.has("x-oss-version-id"))
                .as("x-oss-version-id: %s", r.header("x-oss-version-id")).isFalse());
    }

    @Test
    void neverVersionedBucketListsEachObjectOnceAsNullVersion() {
        String b = newBucket();
        put(b, "a", bytes("a1"));
        put(b, "a", bytes("a2"));
        put(b, "b/c", bytes("bc"));
        List<OSSVersionSummary> v = versions(b, "");
        assertThat(v).extracting(OSSVersionSummary::getKey).containsExactly("a", "b/c");
        assertThat(v).allSatisfy(s -> {
            assertThat(s.getVersionId()).isEqualTo("null");
            assertThat(s.isLatest()).isTrue();
            assertThat(s.isDeleteMarker()).isFalse();
        });
        assertThat(v.getFirst().getSize()).isEqualTo(2);
        assertThat(v.getFirst().getETag()).isEqualTo(dev.pail.it.TestData.md5Hex(bytes("a2")));
    }

    // ---- the null version ---------------------------------------------------------------------

    @Test
    void objectWrittenBeforeEnablingBecomesTheNullVersion() {
        String b = newBucket();
        put(b, "k", bytes("before"));
        setVersioning(b, "Enabled");
        // the pre-existing object is now the null version, and says so
        OssHttp.Resp h = rawHead(b, "k", null);
        assertThat(h.header("x-oss-version-id")).isEqualTo("null");
        String v1 = put(b, "k", bytes("after"));
        assertVersionId(v1);
        assertThat(get(b, "k", null)).isEqualTo(bytes("after"));
        assertThat(get(b, "k", "null")).isEqualTo(bytes("before"));
        OssHttp.Resp g = rawGet(b, "k", "null");
        assertThat(g.header("x-oss-version-id")).isEqualTo("null");
        assertThat(entries(b, "")).containsExactly(Entry.version("k", v1, true), Entry.version("k", "null", false));
    }

    @Test
    void versionIdsAreDistinctBase64Url() {
        String b = versionedBucket();
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (int i = 0; i < 20; i++) {
            String id = put(b, "k" + (i % 3), bytes("v" + i));
            assertVersionId(id);
            ids.add(id);
        }
        assertThat(ids).hasSize(20);
        assertThat(versions(b, "")).hasSize(20);
    }

    // ---- Suspended ---------------------------------------------------------------------------

    @Test
    void suspendedWritesReplaceTheCurrentNullVersionAndKeepOthers() {
        String b = versionedBucket();
        String v1 = put(b, "k", bytes("v1"));
        setVersioning(b, "Suspended");
        long before = storedBlobs();
        assertThat(put(b, "k", bytes("null-1"))).isEqualTo("null");
        assertThat(storedBlobs()).isEqualTo(before + 1);
        assertThat(put(b, "k", bytes("null-2"))).isEqualTo("null");
        assertThat(storedBlobs()).as("the replaced null version's file is gone").isEqualTo(before + 1);
        assertThat(entries(b, "")).containsExactly(Entry.version("k", "null", true), Entry.version("k", v1, false));
        assertThat(get(b, "k", null)).isEqualTo(bytes("null-2"));
        assertThat(get(b, "k", "null")).isEqualTo(bytes("null-2"));
        assertThat(get(b, "k", v1)).isEqualTo(bytes("v1"));
        assertThat(rawGet(b, "k", null).header("x-oss-version-id")).isEqualTo("null");
    }

    @Test
    void suspendedWriteReplacesANonCurrentNullVersion() {
        String b = newBucket();
        setVersioning(b, "Suspended");
        assertThat(put(b, "k", bytes("null-old"))).isEqualTo("null");
        setVersioning(b, "Enabled");
        String v2 = put(b, "k", bytes("v2"));
        assertThat(entries(b, "")).containsExactly(Entry.version("k", v2, true), Entry.version("k", "null", false));
        setVersioning(b, "Suspended");
        long before = storedBlobs();
        assertThat(put(b, "k", bytes("null-new"))).isEqualTo("null");
        assertThat(storedBlobs()).as("one new file, the old null version's removed").isEqualTo(before);
        assertThat(entries(b, "")).containsExactly(Entry.version("k", "null", true), Entry.version("k", v2, false));
        assertThat(get(b, "k", "null")).isEqualTo(bytes("null-new"));
        assertThat(get(b, "k", v2)).isEqualTo(bytes("v2"));
    }

    @Test
    void suspendedAfterEnabledKeepsEveryIdVersion() {
        String b = versionedBucket();
        String v1 = put(b, "k", bytes("v1"));
        String v2 = put(b, "k", bytes("v2"));
        setVersioning(b, "Suspended");
        put(b, "k", bytes("n"));
        setVersioning(b, "Enabled");
        String v3 = put(b, "k", bytes("v3"));
        assertThat(versionIds(b, "k")).containsExactly(v3, "null", v2, v1);
        assertThat(get(b, "k", v1)).isEqualTo(bytes("v1"));
        assertThat(get(b, "k", v2)).isEqualTo(bytes("v2"));
        assertThat(get(b, "k", "null")).isEqualTo(bytes("n"));
        assertThat(get(b, "k", v3)).isEqualTo(bytes("v3"));
    }

    // ---- DeleteBucket ------------------------------------------------------------------------

    @Test
    void deleteBucketRefusedWhilePreviousVersionsRemain() {
        String b = versionedBucket();
        String v1 = put(b, "k", bytes("v1"));
        String v2 = put(b, "k", bytes("v2"));
        oss.deleteVersion(b, "k", v2); // v1 is current again
        oss.deleteObject(b, "k"); // a marker over v1: no current object at all
        assertThat(oss.listObjects(b).getObjectSummaries()).isEmpty();
        ossError("BucketNotEmpty", () -> oss.deleteBucket(b));
        assertError(http.req("DELETE", b, null).send(), 409, "BucketNotEmpty");
        // delete the marker: v1 current again; delete v1: empty
        String marker = versionIds(b, "k").getFirst();
        oss.deleteVersion(b, "k", marker);
        assertThat(get(b, "k", null)).isEqualTo(bytes("v1"));
        oss.deleteVersion(b, "k", v1);
        assertThat(versions(b, "")).isEmpty();
        oss.deleteBucket(b);
        assertThat(oss.doesBucketExist(b)).isFalse();
    }

    @Test
    void deleteBucketRefusedWhileOnlyDeleteMarkersRemain() {
        String b = versionedBucket();
        oss.deleteObject(b, "never-existed");
        List<String> ids = versionIds(b, "never-existed");
        assertThat(ids).hasSize(1);
        ossError("BucketNotEmpty", () -> oss.deleteBucket(b));
        oss.deleteVersion(b, "never-existed", ids.getFirst());
        oss.deleteBucket(b);
        assertThat(oss.doesBucketExist(b)).isFalse();
    }

    // ---- storage -----------------------------------------------------------------------------

    @Test
    void previousVersionsKeepTheirFilesUntilDeletedById() {
        String b = versionedBucket();
        long start = storedBlobs();
        byte[] d1 = random(4096, 1);
        byte[] d2 = random(70_000, 2);
        byte[] d3 = random(1, 3);
        String v1 = put(b, "k", d1);
        String v2 = put(b, "k", d2);
        String v3 = put(b, "k", d3);
        assertThat(storedBlobs()).isEqualTo(start + 3);
        oss.deleteObject(b, "k"); // a marker has no file
        assertThat(storedBlobs()).isEqualTo(start + 3);
        assertThat(get(b, "k", v1)).isEqualTo(d1);
        assertThat(get(b, "k", v2)).isEqualTo(d2);
        assertThat(get(b, "k", v3)).isEqualTo(d3);
        oss.deleteVersion(b, "k", v2);
        assertThat(storedBlobs()).isEqualTo(start + 2);
        assertThat(get(b, "k", v1)).isEqualTo(d1);
        assertThat(get(b, "k", v3)).isEqualTo(d3);
        oss.deleteVersion(b, "k", v3);
        oss.deleteVersion(b, "k", v1);
        assertThat(storedBlobs()).isEqualTo(start);
    }

    @Test
    void unversionedOverwriteRemovesTheOldFile() {
        String b = newBucket();
        long start = storedBlobs();
        put(b, "k", random(1000, 1));
        put(b, "k", random(1000, 2));
        assertThat(storedBlobs()).isEqualTo(start + 1);
        oss.deleteObject(b, "k");
        assertThat(storedBlobs()).isEqualTo(start);
    }

    @Test
    void listObjectsShowsOnlyCurrentVersions() {
        String b = versionedBucket();
        put(b, "a", bytes("a1"));
        put(b, "a", bytes("a22"));
        put(b, "gone", bytes("g"));
        oss.deleteObject(b, "gone");
        oss.deleteObject(b, "never");
        put(b, "z", bytes("z"));
        assertThat(oss.listObjects(b).getObjectSummaries()).extracting(s -> s.getKey() + ":" + s.getSize())
                .containsExactly("a:3", "z:1");
        assertThat(oss.listObjectsV2(b).getObjectSummaries()).extracting(s -> s.getKey() + ":" + s.getSize())
                .containsExactly("a:3", "z:1");
        assertThat(oss.listObjectsV2(b).getKeyCount()).isEqualTo(2);
    }
}
