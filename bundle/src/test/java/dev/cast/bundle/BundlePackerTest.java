package dev.cast.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundlePackerTest {

  private static final String CAST_YML =
      """
      # the hello app
      name: hello
      version: 1.0.0   # bumped by CI
      services:
        web:
          command: [./bin/run]
          env: {version: "not the top-level one"}
      """;

  @TempDir Path dir;
  private Path source;

  @BeforeEach
  void createSource() throws Exception {
    source = Files.createDirectories(dir.resolve("src"));
    Files.writeString(source.resolve("cast.yml"), CAST_YML);
    Path bin = Files.createDirectories(source.resolve("bin"));
    Files.writeString(bin.resolve("run"), "#!/bin/sh\necho hi\n");
    Files.setPosixFilePermissions(bin.resolve("run"), PosixFilePermissions.fromString("rwxr-x---"));
    Files.writeString(source.resolve("notes.txt"), "notes");
    Files.createSymbolicLink(source.resolve("start"), Path.of("bin/run"));
    Files.createDirectories(source.resolve("empty"));
  }

  private static String[] list(Path directory) throws Exception {
    try (Stream<Path> files = Files.list(directory)) {
      return files.map(p -> p.getFileName().toString()).sorted().toArray(String[]::new);
    }
  }

  @Test
  void packThenInspectRoundTripsWithVersionOverride() throws Exception {
    Path out = dir.resolve("out/hello.tar.gz");

    BundleInfo info = BundlePacker.pack(source, out, "2.0.0-rc.1");

    assertThat(info.manifest().version()).isEqualTo("2.0.0-rc.1");
    assertThat(info.sha256()).isEqualTo(Digests.sha256(out));
    assertThat(info.size()).isEqualTo(Files.size(out));
    assertThat(BundleInspector.inspect(out, Long.MAX_VALUE)).isEqualTo(info);
    assertThat(list(out.getParent())).containsExactly("hello.tar.gz");

    Path release = dir.resolve("release");
    BundleUnpacker.unpack(out, release, Long.MAX_VALUE);
    assertThat(Files.readString(release.resolve("cast.yml")))
        .isEqualTo(
            CAST_YML.replace("version: 1.0.0   # bumped", "version: \"2.0.0-rc.1\"   # bumped"));
    assertThat(Files.getPosixFilePermissions(release.resolve("bin/run")))
        .isEqualTo(PosixFilePermissions.fromString("rwxr-x---"));
    assertThat(Files.readSymbolicLink(release.resolve("start"))).isEqualTo(Path.of("bin/run"));
    assertThat(release.resolve("empty")).isEmptyDirectory();
    assertThat(release.resolve("notes.txt")).hasContent("notes");
    assertThat(source.resolve("cast.yml")).hasContent(CAST_YML.strip());
  }

  @Test
  void keepsCastYmlAsIsWithoutOverride() throws Exception {
    Path out = dir.resolve("hello.tar.gz");

    BundleInfo info = BundlePacker.pack(source, out, null);

    assertThat(info.manifest().version()).isEqualTo("1.0.0");
    Path release = dir.resolve("release");
    BundleUnpacker.unpack(out, release, Long.MAX_VALUE);
    assertThat(Files.readString(release.resolve("cast.yml"))).isEqualTo(CAST_YML);
  }

  @Test
  void packsDeterministically() throws Exception {
    BundleInfo first = BundlePacker.pack(source, dir.resolve("a.tar.gz"), "3");
    Files.setLastModifiedTime(source.resolve("notes.txt"), FileTime.fromMillis(0));
    BundleInfo second = BundlePacker.pack(source, dir.resolve("b.tar.gz"), "3");

    assertThat(second.sha256()).isEqualTo(first.sha256());
  }

  @Test
  void skipsTheOutputFileWhenItLiesInsideTheSource() throws Exception {
    Path out = source.resolve("hello.tar.gz");
    BundlePacker.pack(source, out, null);

    BundlePacker.pack(source, out, null);

    Path release = dir.resolve("release");
    BundleUnpacker.unpack(out, release, Long.MAX_VALUE);
    assertThat(release.resolve("hello.tar.gz")).doesNotExist();
  }

  @Test
  void refusesAnInvalidVersionOverride() {
    assertThatThrownBy(() -> BundlePacker.pack(source, dir.resolve("o.tar.gz"), "1.0 beta"))
        .isInstanceOf(BundleException.class)
        .hasMessageStartingWith("version override: \"1.0 beta\" is not a valid version");
    assertThat(dir.resolve("o.tar.gz")).doesNotExist();
  }

  @Test
  void refusesAManifestWithoutATopLevelVersionLine() throws Exception {
    Files.writeString(
        source.resolve("cast.yml"), "{name: hello, version: '1', services: {web: {command: [x]}}}");

    assertThatThrownBy(() -> BundlePacker.pack(source, dir.resolve("o.tar.gz"), "2"))
        .isInstanceOf(BundleException.class)
        .hasMessage(
            "cast.yml: cannot set the version to \"2\": expected one top-level \"version:\" line, found 0");
  }

  @Test
  void refusesASymlinkLeavingTheSourceAndWritesNothing() throws Exception {
    Files.createSymbolicLink(source.resolve("passwd"), Path.of("../../etc/passwd"));
    Path out = Files.createDirectories(dir.resolve("out")).resolve("hello.tar.gz");

    assertThatThrownBy(() -> BundlePacker.pack(source, out, null))
        .isInstanceOf(BundleException.class)
        .hasMessage(
            "archive entry \"passwd\": symlink target \"../../etc/passwd\" points outside the release");
    assertThat(list(out.getParent())).isEmpty();
  }

  @Test
  void refusesASourceWithoutManifest() throws Exception {
    Files.delete(source.resolve("cast.yml"));

    assertThatThrownBy(() -> BundlePacker.pack(source, dir.resolve("o.tar.gz"), null))
        .isInstanceOf(BundleException.class)
        .hasMessage(source + ": has no cast.yml file at its root");
  }

  @Test
  void hashesFiles() throws Exception {
    Path file = Files.writeString(dir.resolve("abc"), "abc");

    assertThat(Digests.sha256(file))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }
}
