package dev.cast.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleUnpackerTest {

  private static final long LIMIT = 10L << 20;

  @TempDir Path dir;

  private Path releases() throws Exception {
    return Files.createDirectories(dir.resolve("releases"));
  }

  private static String[] list(Path directory) throws Exception {
    try (Stream<Path> files = Files.list(directory)) {
      return files.map(p -> p.getFileName().toString()).toArray(String[]::new);
    }
  }

  @Test
  void unpacksFilesModesAndLinks() throws Exception {
    Path bundle =
        TarBuilder.withManifest()
            .dir("bin", 0750)
            .file("bin/run", "#!/bin/sh\necho hi\n", 0755)
            .file("data/readme.txt", "hello", 0640)
            .symlink("start", "bin/run")
            .hardlink("run-copy", "bin/run")
            .writeTo(dir.resolve("b.tar.gz"));
    Path target = releases().resolve("r1");

    Manifest manifest = BundleUnpacker.unpack(bundle, target, LIMIT);

    assertThat(manifest.name()).isEqualTo("hello");
    assertThat(target.resolve("cast.yml")).hasContent(TarBuilder.MINIMAL_MANIFEST.strip());
    assertThat(Files.getPosixFilePermissions(target.resolve("bin/run")))
        .isEqualTo(PosixFilePermissions.fromString("rwxr-xr-x"));
    assertThat(Files.getPosixFilePermissions(target.resolve("data/readme.txt")))
        .isEqualTo(PosixFilePermissions.fromString("rw-r-----"));
    assertThat(Files.getPosixFilePermissions(target.resolve("bin")))
        .isEqualTo(PosixFilePermissions.fromString("rwxr-x---"));
    assertThat(Files.isSymbolicLink(target.resolve("start"))).isTrue();
    assertThat(Files.readSymbolicLink(target.resolve("start"))).isEqualTo(Path.of("bin/run"));
    assertThat(target.resolve("start")).hasContent("#!/bin/sh\necho hi");
    assertThat(Files.isSameFile(target.resolve("run-copy"), target.resolve("bin/run"))).isTrue();
    assertThat(list(target.getParent())).containsExactly("r1");
  }

  @Test
  void aCheckedBundleUnpacksTheSameWithoutBeingHashedAgain() throws Exception {
    byte[] big = new byte[300_000];
    new Random(5).nextBytes(big);
    Path bundle =
        TarBuilder.withManifest()
            .file("bin/run", "#!/bin/sh\necho hi\n", 0755)
            .file("data/blob", big, 0644)
            .writeTo(dir.resolve("b.tar.gz"));
    Path full = releases().resolve("full");
    Path checked = releases().resolve("checked");

    BundleUnpacker.unpack(bundle, full, LIMIT);
    Manifest manifest = BundleUnpacker.unpackChecked(bundle, checked, LIMIT, true);

    assertThat(manifest.name()).isEqualTo("hello");
    for (String file : List.of("cast.yml", "bin/run", "data/blob")) {
      assertThat(Files.mismatch(full.resolve(file), checked.resolve(file))).isEqualTo(-1L);
      assertThat(Files.getPosixFilePermissions(checked.resolve(file)))
          .isEqualTo(Files.getPosixFilePermissions(full.resolve(file)));
    }
    assertThat(Files.size(checked.resolve("data/blob"))).isEqualTo(big.length);
  }

  @Test
  void dropsSetuidSetgidStickyAndGroupOrWorldWriteBits() throws Exception {
    Path bundle =
        TarBuilder.withManifest()
            .dir("shared", 01777)
            .file("shared/suid", "#!/bin/sh\n", 04777)
            .file("sgid", "#!/bin/sh\n", 02775)
            .file("open.txt", "n", 0666)
            .file("private.txt", "n", 0600)
            .writeTo(dir.resolve("b.tar.gz"));
    Path target = releases().resolve("r1");

    BundleUnpacker.unpack(bundle, target, LIMIT);

    assertThat(mode(target.resolve("shared"))).isEqualTo("rwxr-xr-x");
    assertThat(mode(target.resolve("shared/suid"))).isEqualTo("rwxr-xr-x");
    assertThat(mode(target.resolve("sgid"))).isEqualTo("rwxr-xr-x");
    assertThat(mode(target.resolve("open.txt"))).isEqualTo("rw-r--r--");
    assertThat(mode(target.resolve("private.txt"))).isEqualTo("rw-------");
    assertThat(Files.getAttribute(target.resolve("shared/suid"), "unix:mode")).isEqualTo(0100755);
    assertThat(Files.getAttribute(target.resolve("shared"), "unix:mode")).isEqualTo(040755);
  }

  private static String mode(Path path) throws Exception {
    return PosixFilePermissions.toString(
        Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void refusesControlCharactersInNamesBeforeWritingAnything() throws Exception {
    Path bundle =
        TarBuilder.withManifest()
            .file("ok.txt", "n")
            .file("bad\nname", "n")
            .writeTo(dir.resolve("b.tar.gz"));
    Path releases = releases();

    assertThatThrownBy(() -> BundleUnpacker.unpack(bundle, releases.resolve("r1"), LIMIT))
        .isInstanceOf(BundleException.class)
        .hasMessage(
            "archive entry \"bad\\x0aname\": the name contains the control character 0x0a;"
                + " names must not contain control characters (0x00-0x1f, 0x7f)");
    assertThat(list(releases)).isEmpty();
  }

  @Test
  void refusesMoreEntriesThanTheAgentsLimit() throws Exception {
    TarBuilder archive = TarBuilder.withManifest();
    for (int i = 0; i < 20; i++) {
      archive.file("f" + i, "");
    }
    Path bundle = archive.writeTo(dir.resolve("b.tar.gz"));
    Path releases = releases();

    assertThatThrownBy(
            () -> BundleUnpacker.unpackChecked(bundle, releases.resolve("r1"), LIMIT, 20, true))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("a bundle may have at most 20 entries");
    assertThat(list(releases)).isEmpty();
  }

  @Test
  void estimatesTheUnpackedSizeFromTheGzipTrailerWithoutReadingTheArchive() throws Exception {
    Path bundle =
        TarBuilder.withManifest()
            .file("data/zeros", new byte[3_000_000], 0644)
            .file("data/more", new byte[1_000_000], 0644)
            .writeTo(dir.resolve("b.tar.gz"));
    assertThat(Files.size(bundle)).isLessThan(100_000);

    long estimate = BundleUnpacker.estimatedUnpackedBytes(bundle);

    // The tar: contents, a 512-byte header per entry, padding, end blocks.
    assertThat(estimate).isBetween(4_000_000L, 4_000_000L + 8 * 1024);
  }

  @Test
  void theEstimateIsNeverBelowTheBundlesSize() throws Exception {
    byte[] random = new byte[200_000];
    new Random(9).nextBytes(random);
    // A second gzip member appended: the trailer tells of that member alone (5 bytes).
    Path bundle = dir.resolve("two.tar.gz");
    Files.write(bundle, TarBuilder.gzip(random));
    Files.write(bundle, TarBuilder.gzip(new byte[5]), StandardOpenOption.APPEND);

    assertThat(BundleUnpacker.estimatedUnpackedBytes(bundle)).isEqualTo(Files.size(bundle));
  }

  @Test
  void keepsExecutableBitOnlyWhereSet() throws Exception {
    Path bundle =
        TarBuilder.withManifest()
            .file("run.sh", "#!/bin/sh\n", 0700)
            .file("notes", "n", 0600)
            .writeTo(dir.resolve("b.tar.gz"));
    Path target = releases().resolve("r1");

    BundleUnpacker.unpack(bundle, target, LIMIT);

    assertThat(Files.getPosixFilePermissions(target.resolve("run.sh")))
        .contains(PosixFilePermission.OWNER_EXECUTE);
    assertThat(Files.getPosixFilePermissions(target.resolve("notes")))
        .doesNotContain(PosixFilePermission.OWNER_EXECUTE);
    assertThat(Files.isExecutable(target.resolve("run.sh"))).isTrue();
  }

  @Test
  void failedUnpackLeavesNothingBehind() throws Exception {
    Path bundle =
        TarBuilder.withManifest()
            .dir("ro", 0555)
            .file("ro/file", "x")
            .file("app/server.py", "print(1)")
            .symlink("app/evil", "../../outside")
            .writeTo(dir.resolve("b.tar.gz"));
    Path releases = releases();
    Path target = releases.resolve("r1");

    assertThatThrownBy(() -> BundleUnpacker.unpack(bundle, target, LIMIT))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("points outside the release");

    assertThat(target).doesNotExist();
    assertThat(list(releases)).isEmpty();
  }

  @Test
  void failedManifestLeavesNothingBehind() throws Exception {
    Path bundle =
        new TarBuilder()
            .file("app/server.py", "print(1)")
            .file(
                "cast.yml",
                "name: hello\nversion: 1\nservices: {web: {command: [x], restart: maybe}}")
            .writeTo(dir.resolve("b.tar.gz"));
    Path releases = releases();

    assertThatThrownBy(() -> BundleUnpacker.unpack(bundle, releases.resolve("r1"), LIMIT))
        .isInstanceOf(BundleException.class)
        .hasMessageStartingWith("cast.yml: services.web.restart: \"maybe\"");

    assertThat(list(releases)).isEmpty();
  }

  @Test
  void refusesAnExistingTarget() throws Exception {
    Path bundle = TarBuilder.withManifest().writeTo(dir.resolve("b.tar.gz"));
    Path target = Files.createDirectories(releases().resolve("r1"));
    Files.writeString(target.resolve("keep"), "mine");

    assertThatThrownBy(() -> BundleUnpacker.unpack(bundle, target, LIMIT))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already exists");

    assertThat(list(target)).containsExactly("keep");
    assertThat(list(target.getParent())).containsExactly("r1");
  }

  @Test
  void neverWritesThroughAnExistingSymlink() throws Exception {
    Path outside = Files.createDirectories(dir.resolve("outside"));
    Path bundle = TarBuilder.withManifest().writeTo(dir.resolve("b.tar.gz"));
    Path target = releases().resolve("r1");
    Files.createSymbolicLink(target, outside);

    assertThatThrownBy(() -> BundleUnpacker.unpack(bundle, target, LIMIT))
        .isInstanceOf(IllegalStateException.class);

    assertThat(list(outside)).isEmpty();
    assertThat(Files.isSymbolicLink(target)).isTrue();
    assertThat(Files.exists(target.resolve("cast.yml"), LinkOption.NOFOLLOW_LINKS)).isFalse();
  }

  /** How many of a file's pages are in the page cache, from util-linux's {@code fincore}. */
  private static long cachedPages(Path file) throws Exception {
    Process p;
    try {
      p = new ProcessBuilder("fincore", "-n", "-o", "PAGES", file.toString()).start();
    } catch (IOException e) {
      assumeTrue(false, "fincore (Debian: util-linux-extra) is not installed: " + e.getMessage());
      throw e;
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(p.waitFor()).as("fincore " + file).isZero();
    return Long.parseLong(out);
  }

  @Test
  void largeFilesSkipThePageCacheUnlessDirectWritesAreOff() throws Exception {
    assumeTrue(
        DirectWriterTest.acceptsDirectWrites(dir),
        "the file system under " + dir + " refuses O_DIRECT");
    assumeTrue(
        !Files.getFileStore(dir).type().equals("tmpfs"),
        "the files of a tmpfs live in the page cache however they are written");
    byte[] big = new byte[4 << 20];
    new Random(4).nextBytes(big);
    Path bundle =
        TarBuilder.withManifest().file("lib/app.bin", big, 0644).writeTo(dir.resolve("b.tar.gz"));

    BundleUnpacker.unpackChecked(bundle, releases().resolve("direct"), LIMIT, true);
    BundleUnpacker.unpackChecked(bundle, releases().resolve("cached"), LIMIT, false);

    long pages = big.length / 4096;
    Path direct = releases().resolve("direct/lib/app.bin");
    Path cached = releases().resolve("cached/lib/app.bin");
    assertThat(cachedPages(cached))
        .as("pages cached when written through it")
        .isGreaterThan(pages / 2);
    assertThat(cachedPages(direct)).as("pages cached when written directly").isLessThan(pages / 10);
    // Read only now: reading puts the pages in the cache.
    assertThat(Files.readAllBytes(cached)).isEqualTo(big);
    assertThat(Files.readAllBytes(direct)).isEqualTo(big);
  }
}
