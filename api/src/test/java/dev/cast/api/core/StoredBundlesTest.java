package dev.cast.api.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cast.api.db.ReleaseRow;
import dev.cast.api.errors.ApiException;
import dev.cast.bundle.Digests;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoredBundlesTest {
  @TempDir Path dir;
  private ReleaseRow row;
  private Path file;
  private StoredBundles stored;

  @BeforeEach
  void store() throws Exception {
    Path temp = dir.resolve("temp");
    Files.write(temp, "the bundle bytes".getBytes(StandardCharsets.UTF_8));
    String sha256 = Digests.sha256(temp);
    file = Files.move(temp, dir.resolve(sha256 + ".tar.gz"));
    row = new ReleaseRow("hello", "2.0.0", sha256, Files.size(file), List.of(), 0, null);
    stored = new StoredBundles(sha -> dir.resolve(sha + ".tar.gz"));
  }

  private void flipOneByteKeeping(boolean mtime) throws Exception {
    FileTime before = Files.getLastModifiedTime(file);
    byte[] bytes = Files.readAllBytes(file);
    bytes[3] ^= 0x20;
    Files.write(file, bytes);
    Files.setLastModifiedTime(file, mtime ? before : FileTime.fromMillis(before.toMillis() + 2000));
  }

  @Test
  void anIntactBundlePasses() throws Exception {
    stored.requireIntact(row);
    assertThat(stored.intact(row)).isTrue();
  }

  @Test
  void aChangedByteIsFoundOnTheFirstReadAfterStart() throws Exception {
    flipOneByteKeeping(true);

    assertThatThrownBy(() -> stored.requireIntact(row))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(500);
              assertThat(e.type()).isEqualTo("STORED_BUNDLE_CORRUPT");
            })
        .hasMessageStartingWith("the stored bundle of hello@2.0.0 is corrupt (sha256 ")
        .hasMessageEndingWith(", expected " + row.sha256() + "); push it again");
  }

  @Test
  void theSha256IsComputedOncePerStateOfTheFile() throws Exception {
    stored.requireIntact(row);

    // Same size and mtime: not hashed again, so the change goes unseen (the size check stays).
    flipOneByteKeeping(true);
    stored.requireIntact(row);

    // A new mtime: hashed again (the bytes are back as pushed, then changed once more).
    flipOneByteKeeping(false);
    assertThat(stored.intact(row)).isTrue();
    flipOneByteKeeping(false);
    assertThat(stored.intact(row)).isFalse();
  }

  @Test
  void aShorterOrMissingFileIsRefusedWithoutHashing() throws Exception {
    Files.write(file, new byte[3]);
    assertThatThrownBy(() -> stored.requireIntact(row))
        .hasMessageContaining("(it is 3 bytes, expected " + row.size() + ")");
    Files.delete(file);
    assertThatThrownBy(() -> stored.requireIntact(row)).hasMessageContaining("is missing");
  }
}
