package dev.cast.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DirectWriterTest {

  @TempDir Path dir;

  private static byte[] random(int size) {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    return bytes;
  }

  /** A stream that hands out at most 1000 bytes per read, as a tar entry may. */
  private static InputStream trickling(byte[] bytes) {
    return new FilterInputStream(new ByteArrayInputStream(bytes)) {
      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        return super.read(b, off, Math.min(len, 1000));
      }
    };
  }

  /** Whether the file system under {@code dir} opens files for O_DIRECT. */
  static boolean acceptsDirectWrites(Path dir) {
    Path probe = dir.resolve("probe");
    try (FileChannel channel = DirectWriter.DIRECT.open(probe)) {
      return true;
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    } finally {
      try {
        Files.deleteIfExists(probe);
      } catch (IOException e) {
        // the temporary directory goes anyway
      }
    }
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {1 << 20, (1 << 20) + 1, 3 * (1 << 20) + 4095, 2 * (1 << 20) + 8192, 4097})
  void writesEveryByteWhateverTheSize(int size) throws Exception {
    byte[] bytes = random(size);
    Path file = dir.resolve("blob");

    boolean direct = new DirectWriter(dir).write(trickling(bytes), file);

    assertThat(direct).as("written directly").isEqualTo(acceptsDirectWrites(dir));
    // Where the file system refuses O_DIRECT the caller writes the file; nothing is left here.
    if (direct) {
      assertThat(Files.readAllBytes(file)).isEqualTo(bytes);
    } else {
      assertThat(file).doesNotExist();
    }
  }

  /** {@code opener}, counting its calls in {@code opens}. */
  private static DirectWriter.Opener counted(AtomicInteger opens, DirectWriter.Opener opener) {
    return file -> {
      opens.incrementAndGet();
      return opener.open(file);
    };
  }

  @Test
  void aRefusingFileSystemLeavesNoFileAndIsNotAskedAgain() throws Exception {
    AtomicInteger opens = new AtomicInteger();
    DirectWriter writer =
        new DirectWriter(
            counted(
                opens,
                file -> {
                  Files.createFile(file); // as Linux does before it refuses O_DIRECT
                  throw new IOException("Invalid argument");
                }),
            4096);

    assertThat(writer.write(trickling(random(1 << 20)), dir.resolve("a"))).isFalse();
    assertThat(writer.write(trickling(random(1 << 20)), dir.resolve("b"))).isFalse();

    assertThat(dir.resolve("a")).doesNotExist();
    assertThat(opens).hasValue(1);
  }

  @Test
  void aFirstWriteRefusedAfterTheOpenGoesThroughThePageCache() throws Exception {
    assumeTrue(acceptsDirectWrites(dir), "the file system under " + dir + " refuses O_DIRECT");
    assumeTrue(
        Files.getFileStore(dir).getBlockSize() > 512,
        "the file system's blocks are 512 bytes: a 512-byte direct write is not refused");
    // Blocks of 512 bytes where the file system wants more: the first direct write is refused.
    DirectWriter writer = new DirectWriter(DirectWriter.DIRECT, 512);
    byte[] bytes = random(700);

    assertThat(writer.write(trickling(bytes), dir.resolve("blob"))).isTrue();
    assertThat(writer.write(trickling(bytes), dir.resolve("next"))).isFalse();

    assertThat(Files.readAllBytes(dir.resolve("blob"))).isEqualTo(bytes);
    assertThat(dir.resolve("next")).doesNotExist();
  }

  @Test
  void anExistingFileIsAnErrorNotARefusal() throws Exception {
    Path file = Files.writeString(dir.resolve("taken"), "already here");

    assertThatThrownBy(() -> new DirectWriter(dir).write(trickling(random(1 << 20)), file))
        .isInstanceOf(FileAlreadyExistsException.class);
    assertThat(file).hasContent("already here");
  }

  @Test
  void writesWholeBlocksThroughTheOpenedChannelAndTheRestBesideIt() throws Exception {
    AtomicInteger opens = new AtomicInteger();
    // Without O_DIRECT, so that this runs on any file system; the split is the same.
    DirectWriter writer =
        new DirectWriter(
            counted(
                opens,
                file ->
                    FileChannel.open(
                        file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)),
            512);
    byte[] bytes = random((1 << 20) * 2 + 700);

    assertThat(writer.write(trickling(bytes), dir.resolve("blob"))).isTrue();
    assertThat(writer.write(trickling(bytes), dir.resolve("blob2"))).isTrue();

    assertThat(Files.readAllBytes(dir.resolve("blob"))).isEqualTo(bytes);
    assertThat(Files.readAllBytes(dir.resolve("blob2"))).isEqualTo(bytes);
    assertThat(opens).hasValue(2);
  }

  @Test
  void aLargeFileOfABundleUnpacksWithItsModeAndLinks() throws Exception {
    byte[] big = random(5 * (1 << 20) + 123);
    Path bundle =
        TarBuilder.withManifest()
            .file("lib/app.jar", big, 0750)
            .hardlink("lib/same.jar", "lib/app.jar")
            .file("lib/small.txt", "small", 0644)
            .writeTo(dir.resolve("b.tar.gz"));
    Path target = dir.resolve("releases/r1");

    BundleUnpacker.unpack(bundle, target, 64L << 20);

    assertThat(Files.readAllBytes(target.resolve("lib/app.jar"))).isEqualTo(big);
    assertThat(Files.getPosixFilePermissions(target.resolve("lib/app.jar")))
        .isEqualTo(PosixFilePermissions.fromString("rwxr-x---"));
    assertThat(Files.isSameFile(target.resolve("lib/same.jar"), target.resolve("lib/app.jar")))
        .isTrue();
    assertThat(target.resolve("lib/small.txt")).hasContent("small");
  }
}
