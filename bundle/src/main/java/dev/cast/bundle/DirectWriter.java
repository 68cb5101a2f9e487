package dev.cast.bundle;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the large files of a bundle with {@code O_DIRECT}: their bytes go to the disk without
 * passing through the page cache, and are there when {@link #write} returns.
 *
 * <p>Why: a release is staged while the version before it serves. Through the page cache, a large
 * release would first evict the serving version's cached files, then leave the kernel to write it
 * back later. Direct writes cost the disk's time and little CPU: eight hosts on one 2-core machine
 * unpacking a 64 MiB file at once took 0.25–0.5 s this way, with a fifth of the CPU or less,
 * against up to 1 s through the page cache of a VM whose fresh memory is slow to touch.
 *
 * <p>Whole blocks of the file system go through an aligned buffer; the last partial block is
 * written through the page cache, then the file is forced to disk. Where the file system refuses to
 * open a file for {@code O_DIRECT} (an old tmpfs, some FUSE file systems), {@link #write} returns
 * false and the caller writes the file as usual; where it opens the file but refuses the first
 * write, this writer writes that file through the page cache itself. Either way every later file of
 * the same unpack goes through the page cache.
 */
final class DirectWriter {
  private static final Logger LOG = LoggerFactory.getLogger(DirectWriter.class);

  /** Files smaller than this go through the page cache: they are cheap and often read soon. */
  static final long MIN_SIZE = 1 << 20;

  private static final int CHUNK = 1 << 20;
  private static final int FALLBACK_BLOCK = 4096;

  /** Opens a new file for direct writes; a seam for tests of the refusal. */
  interface Opener {
    FileChannel open(Path file) throws IOException;
  }

  /** Creates a file and opens it for {@code O_DIRECT} writes. */
  static final Opener DIRECT =
      file ->
          FileChannel.open(
              file,
              StandardOpenOption.CREATE_NEW,
              StandardOpenOption.WRITE,
              ExtendedOpenOption.DIRECT);

  private final Opener opener;
  private final int block;
  private byte[] chunk;
  private ByteBuffer aligned;
  private boolean refused;

  /** A writer for files under {@code dir}, aligned to its file system's block size. */
  DirectWriter(Path dir) {
    this(DIRECT, blockSize(dir));
  }

  DirectWriter(Opener opener, int block) {
    if (block <= 0 || CHUNK % block != 0) {
      throw new IllegalArgumentException("unusable block size " + block);
    }
    this.opener = opener;
    this.block = block;
  }

  /** Whether a file of {@code size} bytes is worth a direct write. */
  static boolean wants(long size) {
    return size >= MIN_SIZE;
  }

  /**
   * Writes all of {@code content} to the new file {@code dest} and forces it to disk.
   *
   * @return false, having written nothing and left no file, if the file system refuses to open
   *     files for {@code O_DIRECT}; a file system that opens them and refuses the first write gets
   *     this file through the page cache (true) and later ones not at all (false)
   * @throws FileAlreadyExistsException if {@code dest} exists
   * @throws IOException if reading {@code content} or writing fails
   */
  boolean write(InputStream content, Path dest) throws IOException {
    if (refused) {
      return false;
    }
    FileChannel channel;
    try {
      channel = opener.open(dest);
    } catch (FileAlreadyExistsException e) {
      throw e;
    } catch (IOException | UnsupportedOperationException e) {
      // Linux creates the file before it refuses O_DIRECT: it is ours (CREATE_NEW), so remove it.
      Files.deleteIfExists(dest);
      refuse(dest, e);
      return false;
    }
    if (chunk == null) {
      chunk = new byte[CHUNK];
      aligned = ByteBuffer.allocateDirect(CHUNK + block).alignedSlice(block);
    }
    try (FileChannel direct = channel) {
      long written = 0;
      int n;
      do {
        n = fill(content, chunk);
        int whole = n - n % block;
        if (whole > 0) {
          aligned.clear();
          aligned.put(chunk, 0, whole).flip();
          try {
            while (aligned.hasRemaining()) {
              written += direct.write(aligned);
            }
          } catch (IOException e) {
            if (written > 0) {
              throw e;
            }
            // Some file systems open for O_DIRECT and refuse the first write (EINVAL).
            refuse(dest, e);
            writeThrough(dest, n, content);
            return true;
          }
        }
        if (whole < n) {
          // Only the last read can end inside a block: CHUNK is a multiple of the block size.
          try (FileChannel rest = FileChannel.open(dest, StandardOpenOption.WRITE)) {
            ByteBuffer tail = ByteBuffer.wrap(chunk, whole, n - whole);
            while (tail.hasRemaining()) {
              written += rest.write(tail, written);
            }
            rest.force(true);
          }
          return true;
        }
      } while (n == CHUNK);
      direct.force(true);
      return true;
    }
  }

  private void refuse(Path dest, Exception why) {
    refused = true;
    LOG.info(
        "{} refuses direct writes ({}); writing through the page cache",
        dest.getParent(),
        why.toString());
  }

  /**
   * Writes the file anew through the page cache: {@code chunk}'s first {@code n} bytes, then the
   * rest.
   */
  private void writeThrough(Path dest, int n, InputStream content) throws IOException {
    try (FileChannel out =
        FileChannel.open(dest, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      int len = n;
      while (len > 0) {
        ByteBuffer bytes = ByteBuffer.wrap(chunk, 0, len);
        while (bytes.hasRemaining()) {
          out.write(bytes);
        }
        len = fill(content, chunk);
      }
      out.force(true);
    }
  }

  /** Reads until {@code buffer} is full or the stream ends, however short each read is. */
  private static int fill(InputStream in, byte[] buffer) throws IOException {
    int n = 0;
    for (int r; n < buffer.length && (r = in.read(buffer, n, buffer.length - n)) >= 0; ) {
      n += r;
    }
    return n;
  }

  private static int blockSize(Path dir) {
    try {
      long size = Files.getFileStore(dir).getBlockSize();
      return size > 0 && size <= CHUNK && CHUNK % size == 0 ? (int) size : FALLBACK_BLOCK;
    } catch (IOException | UnsupportedOperationException e) {
      return FALLBACK_BLOCK;
    }
  }
}
