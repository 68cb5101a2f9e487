package dev.cast.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Archives whose headers claim huge names or metadata: refused before anything is buffered. */
class HostileHeadersTest {

  private static final long LIMIT = 512L << 20;
  private static final long HUGE = 300L << 20;

  @TempDir Path dir;

  private Path bundle(String name) {
    return dir.resolve(name + ".tar.gz");
  }

  @Test
  void refusesAGnuLongNameOf300MiBWithoutBufferingIt() throws Exception {
    Path file = bundle("longname");
    try (HostileTar tar = new HostileTar(file)) {
      tar.file("cast.yml", TarBuilder.MINIMAL_MANIFEST).longName(HUGE).file("x", "x");
    }
    assertThat(Files.size(file)).isLessThan(1 << 20);

    assertThatThrownBy(() -> BundleInspector.inspect(file, LIMIT))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("archive entry \"././@LongLink\"")
        .hasMessageContaining("GNU long name of " + HUGE + " bytes after entry \"cast.yml\"")
        .hasMessageContaining("over the limit of 4096 bytes");
  }

  @Test
  void refusesAPaxHeaderOf300MiB() throws Exception {
    Path file = bundle("pax");
    try (HostileTar tar = new HostileTar(file)) {
      tar.pax(false, "comment", HUGE).file("cast.yml", TarBuilder.MINIMAL_MANIFEST);
    }

    assertThatThrownBy(() -> BundleInspector.inspect(file, LIMIT))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("is a PAX header of")
        .hasMessageContaining("at the start of the archive")
        .hasMessageContaining("over the limit of 65536 bytes");
  }

  @Test
  void refusesAGlobalPaxHeaderOf300MiB() throws Exception {
    Path file = bundle("gpax");
    try (HostileTar tar = new HostileTar(file)) {
      tar.file("cast.yml", TarBuilder.MINIMAL_MANIFEST).pax(true, "comment", HUGE).file("x", "x");
    }

    assertThatThrownBy(() -> BundleInspector.inspect(file, LIMIT))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("is a global PAX header of")
        .hasMessageContaining("over the limit of 65536 bytes");
  }

  @Test
  void refusesGlobalPaxHeadersThatAddUpPastTheLimit() throws Exception {
    Path file = bundle("gpax-many");
    try (HostileTar tar = new HostileTar(file)) {
      tar.file("cast.yml", TarBuilder.MINIMAL_MANIFEST);
      for (int i = 0; i < 5; i++) {
        tar.pax(true, "k" + i, 20_000).file("f" + i, "x");
      }
    }

    assertThatThrownBy(() -> BundleInspector.inspect(file, LIMIT))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("global PAX headers add up to more than 65536 bytes");
  }

  @Test
  void acceptsASmallPaxHeaderAndLongNameWithinTheLimits() throws Exception {
    Path file = bundle("fine");
    try (HostileTar tar = new HostileTar(file)) {
      tar.file("cast.yml", TarBuilder.MINIMAL_MANIFEST).pax(true, "comment", 1000);
      tar.longName(4000).file("ignored-short-name", "x");
    }

    assertThat(BundleInspector.inspect(file, LIMIT).manifest().name()).isEqualTo("hello");
  }

  @Test
  void refusesANameOverFourKiBGivenInAPaxHeader() throws Exception {
    Path file = bundle("paxpath");
    try (HostileTar tar = new HostileTar(file)) {
      tar.file("cast.yml", TarBuilder.MINIMAL_MANIFEST)
          .paxRecords("path=" + "b".repeat(5000))
          .file("short", "x");
    }

    assertThatThrownBy(() -> BundleInspector.inspect(file, LIMIT))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("the name is 5000 bytes long, over the limit of 4096 bytes");
  }

  @Test
  void refusesALongChainOfHeadersBeforeOneEntry() throws Exception {
    Path file = bundle("chain");
    try (HostileTar tar = new HostileTar(file)) {
      tar.file("cast.yml", TarBuilder.MINIMAL_MANIFEST);
      for (int i = 0; i < 50; i++) {
        tar.longName(10);
      }
      tar.file("x", "x");
    }

    assertThatThrownBy(() -> BundleInspector.inspect(file, LIMIT))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("long-name or PAX headers in a row after entry \"cast.yml\"");
  }

  @Test
  void refusesPaxSparseFilesBeforeReadingTheirMap() throws Exception {
    Path file = bundle("sparse");
    try (HostileTar tar = new HostileTar(file)) {
      tar.file("cast.yml", TarBuilder.MINIMAL_MANIFEST)
          .paxRecords("GNU.sparse.major=1", "GNU.sparse.minor=0", "GNU.sparse.realsize=10")
          .file("s", "1\n0\n10\n");
    }

    assertThatThrownBy(() -> BundleInspector.inspect(file, LIMIT))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("describes a GNU sparse file; sparse files are not supported");
  }

  @Test
  void refusesMoreEntriesThanTheLimit() throws Exception {
    Path file = bundle("many");
    try (HostileTar tar = new HostileTar(file)) {
      tar.file("cast.yml", TarBuilder.MINIMAL_MANIFEST);
      for (int i = 0; i < 100; i++) {
        tar.emptyFile("e" + i);
      }
    }

    assertThat(BundleInspector.inspect(file, LIMIT, 101).manifest().name()).isEqualTo("hello");
    assertThatThrownBy(() -> BundleInspector.inspect(file, LIMIT, 100))
        .isInstanceOf(BundleException.class)
        .hasMessage(
            "archive entry \"e99\": is entry number 101; a bundle may have at most 100 entries"
                + " (files, directories and links)");
  }

  @Test
  void theDefaultEntryLimitIsFiftyThousand() throws Exception {
    Path file = bundle("default-many");
    try (HostileTar tar = new HostileTar(file)) {
      tar.file("cast.yml", TarBuilder.MINIMAL_MANIFEST);
      for (int i = 0; i < 50_000; i++) {
        tar.emptyFile("e" + i);
      }
    }

    assertThatThrownBy(() -> BundleInspector.inspect(file, LIMIT))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("is entry number 50001; a bundle may have at most 50000 entries");
  }

  /**
   * The long-name bomb in a JVM of 64 MiB: before the cap, commons-compress buffered the whole name
   * and the inspection died with an OutOfMemoryError.
   */
  @Test
  void memoryStaysFlatInA64MiBJvm() throws Exception {
    Path file = bundle("longname-child");
    try (HostileTar tar = new HostileTar(file)) {
      tar.file("cast.yml", TarBuilder.MINIMAL_MANIFEST).longName(HUGE).file("x", "x");
    }
    Path log = dir.resolve("child.log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child =
        new ProcessBuilder(
                List.of(
                    java,
                    "-Xmx64m",
                    "-cp",
                    System.getProperty("java.class.path"),
                    InspectMain.class.getName(),
                    file.toString(),
                    String.valueOf(LIMIT)))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    assertThat(child.waitFor(2, TimeUnit.MINUTES)).isTrue();
    String output = Files.readString(log, StandardCharsets.UTF_8);

    assertThat(output).doesNotContain("OutOfMemoryError").contains("REFUSED archive entry");
    assertThat(child.exitValue()).as(output).isEqualTo(2);
  }

  /** Runs one inspection; exit 0 accepted, 2 refused, anything else failed. */
  static final class InspectMain {
    public static void main(String[] args) throws Exception {
      try {
        BundleInspector.inspect(Path.of(args[0]), Long.parseLong(args[1]));
        System.out.println("ACCEPTED");
      } catch (BundleException e) {
        System.out.println("REFUSED " + e.getMessage());
        System.exit(2);
      }
    }
  }
}
