package dev.cast.activities.release;

import static dev.cast.activities.testing.Failures.applicationFailure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cast.activities.bundle.FetchProgress;
import dev.cast.activities.host.AppLayout;
import dev.cast.activities.testing.TestHost;
import dev.cast.bundle.BundleInfo;
import dev.cast.workflows.host.PruneRequest;
import dev.cast.workflows.host.StageRequest;
import dev.cast.workflows.host.StagedRelease;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StagingTest {
  @TempDir Path root;
  TestHost host;
  AppLayout app;

  @BeforeEach
  void setUp() throws Exception {
    host = new TestHost(root);
    app = host.app("hello");
  }

  @AfterEach
  void tearDown() throws Exception {
    host.close();
  }

  StagedRelease stage(BundleInfo info, String version) {
    return host.activities.stageRelease(
        new StageRequest(
            "hello", version, info.sha256(), info.size(), TestHost.bundlePath("hello", version)));
  }

  @Test
  void fetchesVerifiesAndUnpacksTheBundle() throws Exception {
    List<Long> heartbeats = new CopyOnWriteArrayList<>();
    host.env.setActivityHeartbeatListener(FetchProgress.class, p -> heartbeats.add(p.bytes()));
    BundleInfo info =
        host.pack("hello", "v1", ActivationTest.SLEEPER, Map.of("index.html", "hello"));

    StagedRelease staged = stage(info, "v1");

    assertThat(staged).isEqualTo(new StagedRelease("v1", null, true));
    assertThat(app.releaseDir("v1").resolve("index.html")).hasContent("hello");
    assertThat(app.marker("v1")).hasContent(info.sha256());
    assertThat(host.settings.layout().bundle(info.sha256())).exists();
    assertThat(heartbeats).as("bytes fetched").contains(info.size());
  }

  @Test
  void usesTheCachedBundleInsteadOfFetching() throws Exception {
    BundleInfo info = host.pack("hello", "v1", ActivationTest.SLEEPER, Map.of());
    stage(info, "v1");
    host.activities.pruneReleases(new PruneRequest("hello", 0));
    assertThat(app.releaseDir("v1")).doesNotExist();

    StagedRelease again = stage(info, "v1");

    assertThat(again.fetched()).isFalse();
    assertThat(host.fetcher.fetches()).isEqualTo(1);
    assertThat(app.releaseDir("v1").resolve("cast.yml")).exists();
  }

  @Test
  void stagingAnAlreadyStagedReleaseDoesNothing() throws Exception {
    host.deploy("hello", "v1", ActivationTest.SLEEPER);
    BundleInfo info = host.pack("hello", "v1", ActivationTest.SLEEPER, Map.of());

    StagedRelease again = stage(info, "v1");

    assertThat(again).isEqualTo(new StagedRelease("v1", "v1", false));
    assertThat(host.fetcher.fetches()).isEqualTo(1);
  }

  @Test
  void refusesABundleWhoseChecksumDiffersAndUnpacksNothing() throws Exception {
    BundleInfo info = host.pack("hello", "v1", ActivationTest.SLEEPER, Map.of());
    String wrong = "0".repeat(64);

    ApplicationFailure failure =
        applicationFailure(
            () ->
                host.activities.stageRelease(
                    new StageRequest(
                        "hello", "v1", wrong, info.size(), TestHost.bundlePath("hello", "v1"))));

    assertThat(failure.getType()).isEqualTo("BUNDLE_CHECKSUM_MISMATCH");
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).contains(wrong, info.sha256());
    assertThat(app.releasesDir()).doesNotExist();
    try (var files = Files.list(host.settings.layout().bundlesDir())) {
      assertThat(files).as("no part or cached file left").isEmpty();
    }
  }

  @Test
  void aBundleTheApiDoesNotHaveIsReleaseNotFound() {
    ApplicationFailure failure =
        applicationFailure(
            () ->
                host.activities.stageRelease(
                    new StageRequest("hello", "v7", "a".repeat(64), 10, "/v1/apps/hello/nope")));

    assertThat(failure.getType()).isEqualTo("RELEASE_NOT_FOUND");
  }

  @Test
  void refusesTheSameVersionFromAnotherBundle() throws Exception {
    host.stage("hello", "v1", ActivationTest.SLEEPER);
    BundleInfo other = host.pack("hello", "v1", ActivationTest.SLEEPER, Map.of("x", "y"));

    ApplicationFailure failure = applicationFailure(() -> stage(other, "v1"));

    assertThat(failure.getType()).isEqualTo("INVALID_REQUEST");
  }

  @Test
  void refusesABundleOfAnotherVersion() throws Exception {
    BundleInfo info = host.pack("hello", "v1", ActivationTest.SLEEPER, Map.of());
    host.fetcher.serve(TestHost.bundlePath("hello", "v2"), root.resolve("packed/hello-v1.tar.gz"));

    ApplicationFailure failure = applicationFailure(() -> stage(info, "v2"));

    assertThat(failure.getType()).isEqualTo("INVALID_BUNDLE");
    assertThat(app.releaseDir("v2")).doesNotExist();
  }

  @Test
  void refusesAVersionThatWouldLeaveTheReleasesDir() {
    ApplicationFailure failure =
        applicationFailure(
            () ->
                host.activities.stageRelease(
                    new StageRequest("hello", "..", "a".repeat(64), 10, "/x")));

    assertThat(failure.getType()).isEqualTo("INVALID_REQUEST");
  }
}
