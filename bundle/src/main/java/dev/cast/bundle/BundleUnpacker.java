package dev.cast.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Unpacks a checked bundle atomically into a release directory. */
public final class BundleUnpacker {

  private static final int DEFAULT_DIR_MODE = 0755;

  /**
   * The most a release's file or directory may allow: no group or world write (setuid, setgid and
   * sticky never get past {@link ArchiveEntries}).
   */
  static final int MAX_MODE = 0755;

  private static final List<PosixFilePermission> BITS =
      List.of(
          PosixFilePermission.OTHERS_EXECUTE,
          PosixFilePermission.OTHERS_WRITE,
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.GROUP_EXECUTE,
          PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.OWNER_EXECUTE,
          PosixFilePermission.OWNER_WRITE,
          PosixFilePermission.OWNER_READ);

  private BundleUnpacker() {}

  /**
   * Checks the archive exactly as {@link BundleInspector#inspect} does while extracting it into a
   * fresh temporary directory beside {@code targetDir}, then renames that directory to {@code
   * targetDir} atomically. File modes (at most 0755: never group or world writable), directories,
   * symlinks and hard links are recreated. Files of a MiB or more are written past the page cache
   * and are on disk when this returns ({@link DirectWriter}). On any failure the temporary
   * directory is removed and {@code targetDir} is not created.
   *
   * @param tarGz the {@code .tar.gz} to unpack
   * @param targetDir the release directory to create; its parent is created if missing
   * @param maxBytes the largest accepted archive size in bytes
   * @return the bundle's manifest
   * @throws IllegalStateException if {@code targetDir} already exists
   * @throws BundleException when the archive or its manifest is not acceptable
   * @throws IOException when reading the archive or writing the files fails
   */
  public static Manifest unpack(Path tarGz, Path targetDir, long maxBytes)
      throws BundleException, IOException {
    return unpack(tarGz, targetDir, maxBytes, BundleInspector.DEFAULT_MAX_ENTRIES, true, true);
  }

  /**
   * {@link #unpack(Path, Path, long)} for a bundle whose sha256 the caller has just checked: the
   * archive is read once, up to its last entry, without computing its digest again. Unless {@code
   * directWrites}, every file goes through the page cache.
   */
  public static Manifest unpackChecked(
      Path tarGz, Path targetDir, long maxBytes, boolean directWrites)
      throws BundleException, IOException {
    return unpackChecked(
        tarGz, targetDir, maxBytes, BundleInspector.DEFAULT_MAX_ENTRIES, directWrites);
  }

  /**
   * {@link #unpackChecked(Path, Path, long, boolean)} accepting at most {@code maxEntries} entries
   * (files, directories and links).
   */
  public static Manifest unpackChecked(
      Path tarGz, Path targetDir, long maxBytes, int maxEntries, boolean directWrites)
      throws BundleException, IOException {
    return unpack(tarGz, targetDir, maxBytes, maxEntries, false, directWrites);
  }

  /**
   * About how many bytes {@code tarGz} unpacks to, without reading it: the uncompressed length the
   * gzip trailer records (ISIZE, its last 4 bytes), which for a tar is the files' contents plus 512
   * bytes of header per entry, padding and end blocks: a little more than the files take. It is
   * exact for a single gzip member under 4 GiB, which is what {@link BundlePacker} and {@code tar
   * czf} write. ISIZE counts only the last member of a multi-member gzip and wraps past 4 GiB, so
   * the estimate is never taken below the compressed size; a bundle that still unpacks to more
   * fails with ENOSPC in the unpack, which removes what it wrote.
   *
   * <p>Reading every tar header instead would be exact for any gzip, but means inflating the whole
   * archive once more before unpacking it (seconds for a large bundle, on the host that is about to
   * serve it); the trailer costs one 4-byte read.
   */
  public static long estimatedUnpackedBytes(Path tarGz) throws IOException {
    try (var channel = Files.newByteChannel(tarGz)) {
      long size = channel.size();
      if (size < 18) {
        return size;
      }
      ByteBuffer trailer = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
      channel.position(size - 4);
      while (trailer.hasRemaining() && channel.read(trailer) >= 0) {
        // read the 4 bytes
      }
      trailer.flip();
      long isize = trailer.remaining() == 4 ? Integer.toUnsignedLong(trailer.getInt()) : 0;
      return Math.max(isize, size);
    }
  }

  private static Manifest unpack(
      Path tarGz,
      Path targetDir,
      long maxBytes,
      int maxEntries,
      boolean digest,
      boolean directWrites)
      throws BundleException, IOException {
    Path target = targetDir.toAbsolutePath().normalize();
    requireAbsent(target);
    Path parent = target.getParent();
    Files.createDirectories(parent);
    Path temp = Files.createTempDirectory(parent, "." + target.getFileName() + ".tmp-");
    try {
      Map<Path, Integer> dirModes = new LinkedHashMap<>();
      dirModes.put(temp, DEFAULT_DIR_MODE);
      DirectWriter large = directWrites ? new DirectWriter(temp) : null;
      Manifest manifest =
          ArchiveReader.read(
                  tarGz,
                  maxBytes,
                  maxEntries,
                  digest,
                  (entry, content) -> extract(temp, entry, content, dirModes, large))
              .manifest();
      // Deepest first, so a read-only directory is closed only once its children exist.
      List<Path> dirs = List.copyOf(dirModes.keySet());
      for (int i = dirs.size() - 1; i >= 0; i--) {
        Files.setPosixFilePermissions(dirs.get(i), permissions(dirModes.get(dirs.get(i))));
      }
      requireAbsent(target);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      return manifest;
    } catch (Throwable failure) {
      try {
        deleteTree(temp);
      } catch (IOException | RuntimeException cleanup) {
        failure.addSuppressed(cleanup);
      }
      throw failure;
    }
  }

  private static void requireAbsent(Path target) {
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new IllegalStateException("release directory already exists: " + target);
    }
  }

  private static void extract(
      Path root,
      ArchiveEntry entry,
      InputStream content,
      Map<Path, Integer> dirModes,
      DirectWriter large)
      throws IOException {
    Path dest = root;
    String[] segments = entry.path().isEmpty() ? new String[0] : entry.path().split("/");
    for (int i = 0; i < segments.length; i++) {
      dest = dest.resolve(segments[i]);
      boolean last = i == segments.length - 1;
      if (!last || entry.kind() == ArchiveEntry.Kind.DIRECTORY) {
        ensureDirectory(dest);
        dirModes.putIfAbsent(dest, DEFAULT_DIR_MODE);
      }
    }
    switch (entry.kind()) {
      case DIRECTORY -> dirModes.put(dest, entry.mode() & MAX_MODE);
      case FILE -> {
        if (large == null || !DirectWriter.wants(entry.size()) || !large.write(content, dest)) {
          copy(content, dest);
        }
        Files.setPosixFilePermissions(dest, permissions(entry.mode() & MAX_MODE));
      }
      case SYMLINK ->
          Files.createSymbolicLink(dest, dest.getFileSystem().getPath(entry.linkTarget()));
      case HARDLINK -> Files.createLink(dest, root.resolve(entry.linkTarget()));
    }
  }

  /** Writes a new file, in 64 KiB reads rather than {@link Files#copy}'s 8 KiB. */
  private static void copy(InputStream content, Path dest) throws IOException {
    byte[] buffer = new byte[1 << 16];
    try (OutputStream out = Files.newOutputStream(dest, StandardOpenOption.CREATE_NEW)) {
      int n;
      while ((n = content.read(buffer)) > 0) {
        out.write(buffer, 0, n);
      }
    }
  }

  /** Creates a directory, or accepts an existing real one; never follows a symlink. */
  private static void ensureDirectory(Path dir) throws IOException {
    if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      throw new FileAlreadyExistsException(dir.toString(), null, "exists and is not a directory");
    }
    Files.createDirectory(dir);
  }

  static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> out = EnumSet.noneOf(PosixFilePermission.class);
    for (int bit = 0; bit < BITS.size(); bit++) {
      if ((mode & (1 << bit)) != 0) {
        out.add(BITS.get(bit));
      }
    }
    return out;
  }

  static int mode(Set<PosixFilePermission> permissions) {
    int mode = 0;
    for (PosixFilePermission p : permissions) {
      mode |= 1 << BITS.indexOf(p);
    }
    return mode;
  }

  /** Removes a tree without following symlinks, making directories writable first. */
  static void deleteTree(Path root) throws IOException {
    FileTrees.deleteRecursively(root);
  }
}
