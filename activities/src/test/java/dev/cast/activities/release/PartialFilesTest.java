package dev.cast.activities.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cast.activities.bundle.BundleCache;
import dev.cast.activities.bundle.BundleFetcher;
import dev.cast.activities.bundle.FetchProgress;
import dev.cast.activities.host.HostLayout;
import dev.cast.activities.testing.TestHost;
import dev.cast.bundle.BundleInfo;
import dev.cast.workflows.host.StageRequest;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.CanceledFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a fetch leaves half-written: the {@code .part} file goes on any failure, the BitTorrent
 * partial file (which a retry resumes) only when no retry will come, e.g. on cancellation.
 */
class PartialFilesTest {
  @TempDir Path root;
  TestHost host;
  HalfFetcher fetcher;
  BundleInfo info;
  HostLayout layout;

  @BeforeEach
  void setUp() throws Exception {
    fetcher = new HalfFetcher();
    host = new TestHost(root, s -> new BundleCache(s.layout(), fetcher));
    layout = host.settings.layout();
    info = host.pack("hello", "v1", ActivationTest.SLEEPER, Map.of());
    fetcher.partial = layout.partialBundle(info.sha256());
  }

  @AfterEach
  void tearDown() throws Exception {
    host.close();
  }

  @Test
  void aTransientFailureKeepsTheTorrentPartialForTheRetryButNotThePartFile() {
    fetcher.failWith = new IOException("Connection reset by peer");

    assertThatThrownBy(this::stage).isInstanceOf(ActivityFailure.class);

    assertThat(fetcher.partial).as("kept for the retry to resume").exists();
    assertThat(part()).doesNotExist();
  }

  @Test
  void aCancelledStagingRemovesEveryPartialFile() throws Exception {
    CompletableFuture<Void> staging = CompletableFuture.runAsync(this::stage);
    assertThat(fetcher.started.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(fetcher.partial).exists();
    assertThat(part()).exists();

    host.env.requestCancelActivity();

    assertThatThrownBy(() -> staging.get(30, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasRootCauseInstanceOf(CanceledFailure.class);
    // The test environment answers the caller once cancellation is requested; the activity
    // learns of it at its next heartbeat and cleans up then.
    assertThat(fetcher.done.await(30, TimeUnit.SECONDS)).isTrue();
    awaitGone(fetcher.partial);
    awaitGone(part());
    assertThat(host.app("hello").releasesDir().resolve("v1")).doesNotExist();
  }

  private static void awaitGone(Path file) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (Files.exists(file) && System.nanoTime() < end) {
      Thread.sleep(20);
    }
    assertThat(file).doesNotExist();
  }

  private Path part() {
    Path cached = layout.bundle(info.sha256());
    return cached.resolveSibling(cached.getFileName() + ".part");
  }

  private void stage() {
    host.activities.stageRelease(
        new StageRequest(
            "hello", "v1", info.sha256(), info.size(), TestHost.bundlePath("hello", "v1")));
  }

  /**
   * Plays a download that got half-way, as BitTorrent leaves one: the partial file, and some of the
   * target; then fails, or heartbeats until the activity is cancelled.
   */
  static final class HalfFetcher implements BundleFetcher {
    final CountDownLatch started = new CountDownLatch(1);
    final CountDownLatch done = new CountDownLatch(1);
    volatile Path partial;
    volatile IOException failWith;

    @Override
    public void fetch(String bundlePath, Path target, Consumer<FetchProgress> progress)
        throws IOException {
      try {
        fetchHalf(target, progress);
      } finally {
        done.countDown();
      }
    }

    private void fetchHalf(Path target, Consumer<FetchProgress> progress) throws IOException {
      Files.createDirectories(partial.getParent());
      Files.write(partial, new byte[4096]);
      Files.write(target, new byte[1024]);
      started.countDown();
      if (failWith != null) {
        throw failWith;
      }
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < end) {
        progress.accept(FetchProgress.http(1024, 8192, 0));
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException(e);
        }
      }
      throw new IOException("never cancelled");
    }
  }
}
