package dev.cast.activities.release;

import static dev.cast.activities.testing.Failures.applicationFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cast.activities.host.AppLayout;
import dev.cast.activities.testing.TestHost;
import dev.cast.bundle.BundleInfo;
import dev.cast.bundle.Digests;
import dev.cast.workflows.host.StageRequest;
import io.temporal.failure.ApplicationFailure;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Staging onto a data dir on a real 20 MiB file system (tmpfs, mounted as root): a release that
 * does not fit fails at once, not retried, and leaves nothing half-written behind.
 */
class DiskFullStagingTest {
  private static final long MIB = 1024 * 1024;

  @TempDir Path root;
  Path data;
  boolean mounted;
  TestHost host;
  AppLayout app;

  @BeforeEach
  void setUp() throws Exception {
    data = root.resolve("data");
    Files.createDirectories(data);
    assumeTrue(
        "root".equals(System.getProperty("user.name")),
        "mounting a small tmpfs as the data dir needs root");
    int exit = run("mount", "-t", "tmpfs", "-o", "size=20m", "tmpfs", data.toString());
    assumeTrue(exit == 0, "mount -t tmpfs failed (exit " + exit + "); no small file system");
    mounted = true;
    host = new TestHost(root);
    app = host.app("hello");
  }

  @AfterEach
  void tearDown() throws Exception {
    if (host != null) {
      host.close();
    }
    if (mounted) {
      if (run("umount", data.toString()) != 0) {
        run("umount", "-l", data.toString());
      }
    }
  }

  @Test
  void aReleaseLargerThanTheDiskFailsAtOnceNamingNeedAndFreeSpace() throws Exception {
    BundleInfo info = packWith("2.0.0", "blob.bin", random(25 * MIB));
    long start = System.nanoTime();

    ApplicationFailure failure = applicationFailure(() -> stage(info, "2.0.0"));

    assertThat(failure.getType()).isEqualTo("INSUFFICIENT_DISK");
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .startsWith(
            "staging hello@2.0.0 needs 50.0 MiB in "
                + host.settings.layout().bundlesDir()
                + " and "
                + app.releasesDir()
                + ", ")
        .containsPattern(", (19|20)\\.\\d MiB free");
    assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(5));
    assertThat(host.fetcher.fetches()).as("nothing downloaded").isZero();
    assertNothingHalfWritten(info.sha256());
  }

  @Test
  void thePartialDownloadOfAReleaseThatCannotFitIsRemovedAndCountedAsHeld() throws Exception {
    BundleInfo info = packWith("2.0.0", "blob.bin", random(25 * MIB));
    // What an earlier attempt's BitTorrent download left, kept for a resume.
    Path partial = host.settings.layout().partialBundle(info.sha256());
    Files.createDirectories(partial.getParent());
    Files.write(partial, random(MIB));

    ApplicationFailure failure = applicationFailure(() -> stage(info, "2.0.0"));

    assertThat(failure.getType()).isEqualTo("INSUFFICIENT_DISK");
    assertThat(failure.getOriginalMessage()).contains("needs 49.0 MiB in ");
    assertThat(partial).doesNotExist();
    assertNothingHalfWritten(info.sha256());
  }

  @Test
  void aReleaseThatUnpacksBeyondTheDiskFailsBeforeUnpacking() throws Exception {
    // 24 MiB of zeros: a bundle of some 25 KiB that passes the check before the fetch.
    BundleInfo info = packWith("2.0.0", "zeros.bin", new byte[(int) (24 * MIB)]);
    assertThat(info.size()).isLessThan(MIB);

    ApplicationFailure failure = applicationFailure(() -> stage(info, "2.0.0"));

    assertThat(failure.getType()).isEqualTo("INSUFFICIENT_DISK");
    assertThat(failure.getOriginalMessage())
        .contains(app.releasesDir().toString())
        .containsPattern("needs 24\\.\\d MiB in ");
    assertThat(host.fetcher.fetches()).isEqualTo(1);
    assertNothingHalfWritten(info.sha256());
  }

  @Test
  void runningOutOfSpaceWhileUnpackingIsInsufficientDiskAndRemovesTheTempDir() throws Exception {
    // A gzip of two members: its trailer tells only of the last (the tar's end blocks), so the
    // estimate of the unpacked size is no more than the bundle's size, and the unpack is what
    // meets the full disk.
    packWith("2.0.0", "zeros.bin", new byte[(int) (24 * MIB)]);
    Path twoMembers = root.resolve("two-members.tar.gz");
    byte[] tar;
    try (InputStream in =
        new GZIPInputStream(
            Files.newInputStream(root.resolve("packed").resolve("hello-2.0.0.tar.gz")))) {
      tar = in.readAllBytes();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(gzip(tar, 0, tar.length - 1024));
    out.write(gzip(tar, tar.length - 1024, 1024));
    Files.write(twoMembers, out.toByteArray());
    host.fetcher.serve(TestHost.bundlePath("hello", "2.0.0"), twoMembers);
    String sha256 = Digests.sha256(twoMembers);
    long free = Files.getFileStore(data).getUsableSpace();

    ApplicationFailure failure =
        applicationFailure(
            () ->
                host.activities.stageRelease(
                    new StageRequest(
                        "hello",
                        "2.0.0",
                        sha256,
                        Files.size(twoMembers),
                        TestHost.bundlePath("hello", "2.0.0"))));

    assertThat(failure.getType()).isEqualTo("INSUFFICIENT_DISK");
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .contains("staging hello@2.0.0 ran out of space in " + app.releaseDir("2.0.0"))
        .contains("No space left on device");
    assertNothingHalfWritten(sha256);
    assertThat(Files.getFileStore(data).getUsableSpace())
        .as("the disk is free again, but for the cached bundle")
        .isGreaterThan(free - MIB);
  }

  private void assertNothingHalfWritten(String sha256) throws IOException {
    Path bundles = host.settings.layout().bundlesDir();
    assertThat(list(bundles))
        .as("no .part file in %s", bundles)
        .noneMatch(p -> p.getFileName().toString().contains(".part"));
    assertThat(list(host.settings.layout().partialBundlesDir())).isEmpty();
    assertThat(host.settings.layout().partialBundle(sha256)).doesNotExist();
    assertThat(list(app.releasesDir())).as("no release and no temp unpack dir").isEmpty();
  }

  private BundleInfo packWith(String version, String name, byte[] content) throws Exception {
    Path source = root.resolve("src").resolve("hello-" + version);
    Files.createDirectories(source);
    Files.write(source.resolve(name), content);
    return host.pack("hello", version, ActivationTest.SLEEPER, Map.of());
  }

  private void stage(BundleInfo info, String version) {
    host.activities.stageRelease(
        new StageRequest(
            "hello", version, info.sha256(), info.size(), TestHost.bundlePath("hello", version)));
  }

  private static byte[] random(long size) {
    byte[] bytes = new byte[(int) size];
    new Random(42).nextBytes(bytes);
    return bytes;
  }

  private static byte[] gzip(byte[] bytes, int from, int length) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes, from, length);
    }
    return out.toByteArray();
  }

  private static List<Path> list(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.toList();
    }
  }

  private static int run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor();
  }
}
