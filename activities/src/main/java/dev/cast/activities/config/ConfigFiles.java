package dev.cast.activities.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/** Writes rendered files into a release dir, each atomically (temp file, then rename). */
final class ConfigFiles {
  private ConfigFiles() {}

  /**
   * Writes {@code text} to {@code dest} under {@code releaseDir} with {@code mode}, replacing what
   * is there.
   *
   * @throws IOException also when {@code dest} would land outside the release (through a link)
   */
  static void write(Path releaseDir, String dest, String text, int mode) throws IOException {
    Path root = releaseDir.toRealPath();
    Path target = root.resolve(dest).normalize();
    Path parent = target.getParent();
    if (!target.startsWith(root) || parent == null) {
      throw new IOException(dest + " is outside the release dir " + root);
    }
    Files.createDirectories(parent);
    if (!parent.toRealPath().startsWith(root)) {
      throw new IOException(dest + " leads outside the release dir " + root + " through a link");
    }
    if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(dest + " is a directory in the release");
    }
    Path temp = Files.createTempFile(parent, "." + target.getFileName() + ".", ".tmp");
    try {
      Files.writeString(temp, text, StandardCharsets.UTF_8);
      Files.setPosixFilePermissions(temp, permissions(mode));
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** The mode bits of a set of permissions. */
  static int mode(Set<PosixFilePermission> perms) {
    int mode = 0;
    PosixFilePermission[] bits = PosixFilePermission.values();
    for (int i = 0; i < bits.length; i++) {
      if (perms.contains(bits[i])) {
        mode |= 0400 >> i;
      }
    }
    return mode;
  }

  static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> out = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] bits = PosixFilePermission.values(); // OWNER_READ ... OTHERS_EXECUTE
    for (int i = 0; i < bits.length; i++) {
      if ((mode & (0400 >> i)) != 0) {
        out.add(bits[i]);
      }
    }
    return out;
  }
}
