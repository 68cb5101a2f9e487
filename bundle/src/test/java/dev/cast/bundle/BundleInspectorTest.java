package dev.cast.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BundleInspectorTest {

  private static final long LIMIT = 10L << 20;

  @TempDir Path dir;

  private AbstractThrowableAssert<?, ?> refused(TarBuilder archive) throws Exception {
    return refused(archive.writeTo(dir.resolve("bundle.tar.gz")), LIMIT);
  }

  private static AbstractThrowableAssert<?, ?> refused(Path file, long limit) {
    return assertThatThrownBy(() -> BundleInspector.inspect(file, limit))
        .isInstanceOf(BundleException.class);
  }

  @Test
  void inspectsAValidBundle() throws Exception {
    Path file =
        TarBuilder.withManifest()
            .dir("bin", 0755)
            .file("bin/run", "#!/bin/sh\n", 0755)
            .file("server.py", "print(1)\n")
            .symlink("start", "bin/run")
            .hardlink("run2", "bin/run")
            .writeTo(dir.resolve("b.tar.gz"));

    BundleInfo info = BundleInspector.inspect(file, LIMIT);

    assertThat(info.manifest().name()).isEqualTo("hello");
    assertThat(info.size()).isEqualTo(Files.size(file));
    assertThat(info.sha256()).isEqualTo(Digests.sha256(file)).hasSize(64).isLowerCase();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "pax-path-"
            + "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"
            + "\u0000b",
        "x/\u001b[31mred",
        "del\u007f",
        "tab\tname"
      })
  void refusesControlCharactersInNames(String name) throws Exception {
    refused(TarBuilder.withManifest().file(name, "x"))
        .hasMessageContaining("the name contains the control character 0x")
        .hasMessageNotContaining("\u001b");
  }

  @Test
  void refusesControlCharactersInLinkTargets() throws Exception {
    refused(TarBuilder.withManifest().symlink("l", "target\u0007"))
        .hasMessage(
            "archive entry \"l\": the link target contains the control character 0x07;"
                + " names must not contain control characters (0x00-0x1f, 0x7f)");
  }

  @Test
  void acceptsDotSlashNamesAndInternalSymlinks() throws Exception {
    Path file =
        new TarBuilder()
            .dir("./", 0755)
            .file("./cast.yml", TarBuilder.MINIMAL_MANIFEST)
            .dir("./app/lib", 0755)
            .symlink("./app/lib/current", "../../cast.yml")
            .symlink("./here", ".")
            .writeTo(dir.resolve("b.tar.gz"));

    assertThat(BundleInspector.inspect(file, LIMIT).manifest().version()).isEqualTo("1.0.0");
  }

  @Test
  void refusesAFileThatIsNotGzip() throws Exception {
    Path file = Files.writeString(dir.resolve("b.tar.gz"), "just text, not a bundle");

    refused(file, LIMIT).hasMessage("archive: not a gzip file");
  }

  @Test
  void refusesGzipThatIsNotTar() throws Exception {
    Path file = dir.resolve("b.tar.gz");
    Files.write(
        file, TarBuilder.gzip("hello world\n".repeat(200).getBytes(StandardCharsets.UTF_8)));

    refused(file, LIMIT).hasMessageStartingWith("archive: not a tar archive");
  }

  @Test
  void refusesGzipTooShortForATarHeader() throws Exception {
    Path file = dir.resolve("b.tar.gz");
    Files.write(file, TarBuilder.gzip("hello".getBytes(StandardCharsets.UTF_8)));

    refused(file, LIMIT).hasMessage("archive: not a tar archive (the gzip content is 5 bytes)");
  }

  @Test
  void refusesTruncatedGzip() throws Exception {
    byte[] whole =
        TarBuilder.gzip(TarBuilder.withManifest().file("big", "x".repeat(100_000)).tar());
    Path file = Files.write(dir.resolve("b.tar.gz"), Arrays.copyOf(whole, whole.length / 2));

    refused(file, LIMIT).hasMessageStartingWith("archive: data is corrupt or truncated");
  }

  @Test
  void refusesArchiveWithoutManifest() throws Exception {
    refused(new TarBuilder().file("app/cast.yml", TarBuilder.MINIMAL_MANIFEST))
        .hasMessage("archive: has no cast.yml at its root");
  }

  @Test
  void refusesEmptyTar() throws Exception {
    refused(new TarBuilder()).hasMessage("archive: is an empty tar archive; it has no cast.yml");
  }

  @Test
  void refusesManifestThatIsNotAFile() throws Exception {
    refused(
            new TarBuilder()
                .file("real.yml", TarBuilder.MINIMAL_MANIFEST)
                .symlink("cast.yml", "real.yml"))
        .hasMessage("archive entry \"cast.yml\": must be a regular file, not a symlink");
  }

  @Test
  void reportsManifestProblemsWithTheirPath() throws Exception {
    refused(new TarBuilder().file("cast.yml", "name: hello\nversion: 1\nservices: {}\n"))
        .hasMessage("cast.yml: services: must declare at least one service");
  }

  @Test
  void refusesAbsolutePathEntry() throws Exception {
    refused(TarBuilder.withManifest().file("/etc/cron.d/evil", "x"))
        .hasMessage(
            "archive entry \"/etc/cron.d/evil\": is an absolute path; only paths relative to the release are allowed");
  }

  @ParameterizedTest
  @ValueSource(strings = {"../evil", "a/../../evil", "./a/../b"})
  void refusesDotDotEntry(String name) throws Exception {
    refused(TarBuilder.withManifest().file(name, "x"))
        .hasMessage(
            "archive entry \""
                + name
                + "\": contains a \"..\" segment, which could escape the release");
  }

  @ParameterizedTest
  @ValueSource(strings = {"../../etc/passwd", "..", "a/../../x"})
  void refusesSymlinkThatLeavesTheRelease(String target) throws Exception {
    refused(TarBuilder.withManifest().dir("app", 0755).symlink("app/link", "../" + target))
        .hasMessage(
            "archive entry \"app/link\": symlink target \"../"
                + target
                + "\" points outside the release");
  }

  @Test
  void refusesSymlinkWithAbsoluteTarget() throws Exception {
    refused(TarBuilder.withManifest().symlink("passwd", "/etc/passwd"))
        .hasMessage(
            "archive entry \"passwd\": symlink target \"/etc/passwd\" is absolute; use a relative target inside the release");
  }

  @Test
  void refusesSymlinkThatLeavesTheReleaseThroughAnotherSymlink() throws Exception {
    refused(TarBuilder.withManifest().symlink("up", "d/..").dir("d0", 0755).symlink("d", "d0/.."))
        .hasMessage(
            "archive entry \"up\": symlink target \"d/..\" points outside the release (through other links)");
  }

  @Test
  void refusesSymlinkLoop() throws Exception {
    refused(TarBuilder.withManifest().symlink("a", "b/x").symlink("b", "a/y"))
        .hasMessageEndingWith("is part of a symlink loop");
  }

  @Test
  void refusesEntryBelowASymlink() throws Exception {
    refused(TarBuilder.withManifest().symlink("etc", "lib").file("etc/passwd", "x"))
        .hasMessage(
            "archive entry \"etc/passwd\": lies below \"etc\", which is a symlink in the archive");
  }

  @ParameterizedTest
  @ValueSource(strings = {"../../etc/passwd", "/etc/passwd"})
  void refusesHardlinkToOutside(String target) throws Exception {
    refused(TarBuilder.withManifest().hardlink("passwd", target))
        .hasMessageStartingWith("archive entry \"passwd\": hard link target \"" + target + "\" ");
  }

  @Test
  void refusesHardlinkToSomethingThatIsNotAnEarlierFile() throws Exception {
    refused(TarBuilder.withManifest().hardlink("copy", "later").file("later", "x"))
        .hasMessage(
            "archive entry \"copy\": hard link target \"later\" is not a regular file earlier in the archive");
    refused(TarBuilder.withManifest().dir("d", 0755).hardlink("copy", "d"))
        .hasMessageContaining("is not a regular file earlier in the archive");
  }

  @Test
  void refusesCharDeviceEntry() throws Exception {
    refused(TarBuilder.withManifest().charDevice("null"))
        .hasMessage(
            "archive entry \"null\": character devices are not allowed (only files, directories, symlinks and hard links)");
  }

  @Test
  void refusesDuplicateEntries() throws Exception {
    refused(TarBuilder.withManifest().file("a", "1").symlink("a", "cast.yml"))
        .hasMessage("archive entry \"a\": appears more than once in the archive");
  }

  @Test
  void refusesArchiveOverTheSizeLimit() throws Exception {
    Path file = TarBuilder.withManifest().writeTo(dir.resolve("b.tar.gz"));
    long size = Files.size(file);

    refused(file, size - 1)
        .hasMessage(
            "archive: bundle is " + size + " bytes, over the limit of " + (size - 1) + " bytes");
    assertThat(BundleInspector.inspect(file, size).size()).isEqualTo(size);
  }

  @Test
  void refusesArchiveThatUnpacksTooLarge() throws Exception {
    Path file =
        TarBuilder.withManifest()
            .file("zeros", new byte[1 << 20], 0644)
            .writeTo(dir.resolve("b.tar.gz"));
    long limit = 10_000;
    assertThat(Files.size(file)).isLessThan(limit);

    refused(file, limit)
        .hasMessage(
            "archive: unpacks to more than 40000 bytes (4 times the size limit); it may be a compression bomb");
  }
}
