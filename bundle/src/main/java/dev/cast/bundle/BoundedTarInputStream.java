package dev.cast.bundle;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * A {@link TarArchiveInputStream} that refuses oversized metadata before it is buffered.
 *
 * <p>commons-compress reads a GNU long name or long link ({@code L}/{@code K}) and a PAX header
 * ({@code x}/{@code g}) whole into memory, whatever the size its header claims, and follows a chain
 * of such headers by recursion. A few hundred KB of gzip can so claim hundreds of MiB of name. This
 * stream checks the claimed size on the first read of such an entry, before a byte of it is kept,
 * bounds the chain of headers before one entry, refuses GNU sparse files (whose maps are read
 * without a bound, and which a bundle never needs) and bounds the global PAX headers of the whole
 * archive, which accumulate.
 */
final class BoundedTarInputStream extends TarArchiveInputStream {

  /** The longest accepted path or link target, in bytes. */
  static final int MAX_NAME_BYTES = 4096;

  /** The largest accepted PAX header (the records of one {@code x} or {@code g} entry). */
  static final int MAX_PAX_BYTES = 64 * 1024;

  /** At most this many headers (long names, PAX) may precede one entry. */
  private static final int MAX_HEADER_CHAIN = 8;

  private static final byte[] SPARSE_KEY = "GNU.sparse.".getBytes(StandardCharsets.US_ASCII);

  private TarArchiveEntry checked;
  private String previous;
  private int depth;
  private long globalPaxBytes;
  private ByteArrayOutputStream paxRecords;

  BoundedTarInputStream(InputStream in) {
    super(in, "UTF-8");
  }

  /**
   * Remembers the path of the last entry handed out, so that a refused header can be located.
   *
   * @param path the entry's path in the archive
   */
  void handedOut(String path) {
    previous = path;
  }

  @Override
  public TarArchiveEntry getNextEntry() throws IOException {
    // Called again from inside the superclass after each long name or PAX header.
    refuseSparsePax();
    if (++depth > MAX_HEADER_CHAIN) {
      throw refused(
          "archive",
          "more than "
              + (MAX_HEADER_CHAIN - 1)
              + " long-name or PAX headers in a row "
              + after()
              + "; the tar is malformed or hostile");
    }
    try {
      return super.getNextEntry();
    } finally {
      depth--;
    }
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    TarArchiveEntry entry = getCurrentEntry();
    if (entry != null && entry != checked) {
      checked = entry;
      checkHeader(entry);
    }
    int n = super.read(b, off, len);
    if (n > 0 && paxRecords != null && entry == checked && isPax(entry)) {
      paxRecords.write(b, off, n);
    }
    return n;
  }

  @Override
  protected byte[] readRecord() throws IOException {
    TarArchiveEntry entry = getCurrentEntry();
    if (entry != null && entry.isOldGNUSparse()) {
      // Only the extension headers of an old GNU sparse entry are read while it is current.
      throw refused(
          ArchiveEntries.where(entry.getName()),
          "is a GNU sparse file; sparse files are not supported (only files, directories,"
              + " symlinks and hard links)");
    }
    return super.readRecord();
  }

  private void checkHeader(TarArchiveEntry entry) throws ArchiveReader.Refused {
    long size = entry.getSize();
    if (entry.isGNULongNameEntry() || entry.isGNULongLinkEntry()) {
      if (size > MAX_NAME_BYTES) {
        throw refused(
            ArchiveEntries.where(entry.getName()),
            "is a GNU long "
                + (entry.isGNULongNameEntry() ? "name" : "link target")
                + " of "
                + size
                + " bytes "
                + after()
                + ", over the limit of "
                + MAX_NAME_BYTES
                + " bytes for a name");
      }
    } else if (isPax(entry)) {
      String kind = entry.isGlobalPaxHeader() ? "global PAX header" : "PAX header";
      if (size > MAX_PAX_BYTES) {
        throw refused(
            ArchiveEntries.where(entry.getName()),
            "is a "
                + kind
                + " of "
                + size
                + " bytes "
                + after()
                + ", over the limit of "
                + MAX_PAX_BYTES
                + " bytes");
      }
      if (entry.isGlobalPaxHeader() && (globalPaxBytes += size) > MAX_PAX_BYTES) {
        throw refused(
            ArchiveEntries.where(entry.getName()),
            "global PAX headers add up to more than "
                + MAX_PAX_BYTES
                + " bytes "
                + after()
                + "; that is the limit for the whole archive");
      }
      paxRecords = new ByteArrayOutputStream((int) size);
    }
  }

  /** PAX records that describe a sparse file: refused before the sparse map is read. */
  private void refuseSparsePax() throws ArchiveReader.Refused {
    ByteArrayOutputStream records = paxRecords;
    paxRecords = null;
    if (records != null && contains(records.toByteArray(), SPARSE_KEY)) {
      throw refused(
          "archive",
          "a PAX header "
              + after()
              + " describes a GNU sparse file; sparse files are not supported (only files,"
              + " directories, symlinks and hard links)");
    }
  }

  private static boolean isPax(TarArchiveEntry entry) {
    return entry.isPaxHeader() || entry.isGlobalPaxHeader();
  }

  private String after() {
    return previous == null
        ? "at the start of the archive"
        : "after entry \"" + ArchiveEntries.printable(previous) + "\"";
  }

  private static boolean contains(byte[] data, byte[] key) {
    outer:
    for (int i = 0; i + key.length <= data.length; i++) {
      for (int j = 0; j < key.length; j++) {
        if (data[i + j] != key[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private static ArchiveReader.Refused refused(String where, String problem) {
    return new ArchiveReader.Refused(new BundleException(where, problem));
  }
}
