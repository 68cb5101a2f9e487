package dev.cast.bundle;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads a bundle archive once, from start to end, checking it as it goes, and hands every checked
 * entry with its content to a {@link Sink}. Shared by {@link BundleInspector} (which discards the
 * content) and {@link BundleUnpacker} (which writes it).
 *
 * <p>Problems with the archive become {@link BundleException}s; failures to read the file itself or
 * of the sink (e.g. a full disk) stay {@link IOException}s.
 */
final class ArchiveReader {

  /** The largest cast.yml accepted. */
  static final int MANIFEST_LIMIT = 1 << 20;

  /** Room for tar headers on top of the content limit. */
  private static final long HEADER_ALLOWANCE = 64L << 20;

  private static final String ARCHIVE = "archive";

  /** Receives each checked entry in archive order. */
  interface Sink {
    /**
     * Handles one entry.
     *
     * @param entry the checked entry
     * @param content its bytes (empty for anything but files); need not be read
     */
    void accept(ArchiveEntry entry, InputStream content) throws IOException, BundleException;
  }

  private ArchiveReader() {}

  /**
   * Reads and checks the whole archive.
   *
   * @param tarGz the {@code .tar.gz}
   * @param maxBytes the largest accepted archive; the content may unpack to 4 times this
   * @param maxEntries the most entries (files, directories, links) accepted
   * @param sink receives the entries
   * @return the manifest, digest and size
   */
  static BundleInfo read(Path tarGz, long maxBytes, int maxEntries, Sink sink)
      throws BundleException, IOException {
    return read(tarGz, maxBytes, maxEntries, true, sink);
  }

  /**
   * {@link #read(Path, long, int, Sink)}, computing the archive's sha256 only when {@code digest}
   * is true: without it, the returned digest is empty and reading stops after the tar's last entry.
   * For a caller that has just checked the file's sha256 itself.
   */
  static BundleInfo read(Path tarGz, long maxBytes, int maxEntries, boolean digest, Sink sink)
      throws BundleException, IOException {
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
    }
    if (maxEntries <= 0) {
      throw new IllegalArgumentException("maxEntries must be positive: " + maxEntries);
    }
    long size = Files.size(tarGz);
    if (size > maxBytes) {
      throw new BundleException(
          ARCHIVE, "bundle is " + size + " bytes, over the limit of " + maxBytes + " bytes");
    }
    TemplateSources templates = new TemplateSources();
    MessageDigest sha = digest ? Digests.newSha256() : null;
    byte[] manifestBytes = pass(tarGz, maxBytes, maxEntries, sha, sink, templates);
    if (manifestBytes == null) {
      throw new BundleException(ARCHIVE, "has no cast.yml at its root");
    }
    Manifest manifest = ManifestParser.parse(manifestBytes);
    Set<String> missed = templates.missing(manifest);
    if (!missed.isEmpty()) {
      // Template sources that came before cast.yml and were too large to keep on the chance.
      Sink keep =
          (entry, content) -> {
            if (missed.contains(entry.path()) && entry.size() <= TemplateSources.TEMPLATE_LIMIT) {
              templates.keep(entry.path(), content.readAllBytes());
            }
          };
      pass(tarGz, maxBytes, maxEntries, null, keep, new TemplateSources());
    }
    templates.check(manifest);
    return new BundleInfo(manifest, digest ? HexFormat.of().formatHex(sha.digest()) : "", size);
  }

  /** One read of the whole archive; returns cast.yml's bytes, or null when it has none. */
  private static byte[] pass(
      Path tarGz,
      long maxBytes,
      int maxEntries,
      MessageDigest sha,
      Sink sink,
      TemplateSources templates)
      throws BundleException, IOException {
    boolean digest = sha != null;
    InputStream source = new Source(Files.newInputStream(tarGz));
    try (InputStream file =
        new BufferedInputStream(digest ? new DigestInputStream(source, sha) : source, 1 << 16)) {
      requireGzip(file);
      return readEntries(file, unpackedLimit(maxBytes), maxEntries, digest, sink, templates);
    } catch (Refused e) {
      throw e.reason;
    } catch (Source.Failure e) {
      throw e.getCause();
    }
  }

  /** Four times the archive limit, without overflowing. */
  static long unpackedLimit(long maxBytes) {
    return maxBytes > Long.MAX_VALUE / 4 ? Long.MAX_VALUE : maxBytes * 4;
  }

  private static void requireGzip(InputStream file) throws IOException, BundleException {
    file.mark(2);
    byte[] magic = file.readNBytes(2);
    file.reset();
    if (magic.length < 2 || (magic[0] & 0xff) != 0x1f || (magic[1] & 0xff) != 0x8b) {
      throw new BundleException(ARCHIVE, "not a gzip file");
    }
  }

  private static byte[] readEntries(
      InputStream file,
      long limit,
      int maxEntries,
      boolean digest,
      Sink sink,
      TemplateSources templates)
      throws IOException, BundleException {
    GZIPInputStream gzip;
    try {
      gzip = new GZIPInputStream(file, 1 << 16);
    } catch (Source.Failure e) {
      throw e;
    } catch (IOException e) {
      throw new BundleException(ARCHIVE, "not a gzip file (" + e.getMessage() + ")");
    }
    long rawLimit = limit > Long.MAX_VALUE - HEADER_ALLOWANCE ? limit : limit + HEADER_ALLOWANCE;
    try (GZIPInputStream closeLater = gzip;
        InputStream data = new BufferedInputStream(new Guard(gzip, rawLimit, limit), 1 << 16)) {
      requireTarHeader(data);
      BoundedTarInputStream tar = new BoundedTarInputStream(data);
      ArchiveEntries rules = new ArchiveEntries();
      byte[] manifest = null;
      long unpacked = 0;
      int entries = 0;
      boolean first = true;
      for (TarArchiveEntry tarEntry = next(tar, true);
          tarEntry != null;
          tarEntry = next(tar, false)) {
        if (++entries > maxEntries) {
          throw new BundleException(
              ArchiveEntries.where(tarEntry.getName()),
              "is entry number "
                  + entries
                  + "; a bundle may have at most "
                  + maxEntries
                  + " entries (files, directories and links)");
        }
        ArchiveEntry entry = rules.check(tarEntry);
        tar.handedOut(entry.path());
        unpacked += entry.size();
        if (unpacked > limit) {
          throw tooLarge(limit);
        }
        InputStream content = new Guard(tar, Long.MAX_VALUE, limit);
        if (entry.path().equals(Manifest.FILE_NAME)) {
          manifest = readManifest(entry, content);
          content = new ByteArrayInputStream(manifest);
          learnTemplates(manifest, templates);
        } else {
          content = templates.entry(entry, content);
        }
        sink.accept(entry, content);
        first = false;
      }
      if (first) {
        throw new BundleException(ARCHIVE, "is an empty tar archive; it has no cast.yml");
      }
      rules.finish();
      if (digest) {
        file.transferTo(OutputStream.nullOutputStream()); // the digest covers the whole file
      }
      return manifest;
    }
  }

  /**
   * Tells the collector which entries are templates. A manifest that does not parse is refused
   * after the archive's own checks, as before templates existed.
   */
  private static void learnTemplates(byte[] manifest, TemplateSources templates) {
    try {
      templates.manifest(ManifestParser.parse(manifest));
    } catch (BundleException e) {
      // Reported once the whole archive has been checked.
    }
  }

  private static void requireTarHeader(InputStream data) throws IOException, BundleException {
    data.mark(512);
    int n = data.readNBytes(512).length;
    data.reset();
    if (n < 512) {
      throw new BundleException(ARCHIVE, "not a tar archive (the gzip content is " + n + " bytes)");
    }
  }

  private static TarArchiveEntry next(TarArchiveInputStream tar, boolean first)
      throws IOException, BundleException {
    try {
      return tar.getNextEntry();
    } catch (Refused | Source.Failure e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw first
          ? new BundleException(ARCHIVE, "not a tar archive (" + e.getMessage() + ")")
          : new BundleException(ARCHIVE, "tar data is corrupt or truncated: " + e.getMessage());
    }
  }

  private static byte[] readManifest(ArchiveEntry entry, InputStream content)
      throws IOException, BundleException {
    String where = ArchiveEntries.where(entry.path());
    if (entry.kind() != ArchiveEntry.Kind.FILE) {
      throw new BundleException(
          where, "must be a regular file, not a " + entry.kind().name().toLowerCase(Locale.ROOT));
    }
    if (entry.size() > MANIFEST_LIMIT) {
      throw new BundleException(
          where, "is " + entry.size() + " bytes, over the limit of " + MANIFEST_LIMIT + " bytes");
    }
    return content.readAllBytes();
  }

  private static BundleException tooLarge(long limit) {
    return new BundleException(
        ARCHIVE,
        "unpacks to more than "
            + limit
            + " bytes (4 times the size limit); it may be a compression bomb");
  }

  /** An archive problem found below a stream API that can only throw IOException. */
  static final class Refused extends IOException {
    private static final long serialVersionUID = 1L;
    final transient BundleException reason;

    Refused(BundleException reason) {
      super(reason.getMessage());
      this.reason = reason;
    }
  }

  /**
   * Counts bytes read from the gzip or tar layer, refuses more than a limit, and turns the layer's
   * errors into {@link Refused} so they are not mistaken for errors of the sink.
   */
  private static final class Guard extends FilterInputStream {
    private final long limit;
    private final long reportedLimit;
    private long count;

    Guard(InputStream in, long limit, long reportedLimit) {
      super(in);
      this.limit = limit;
      this.reportedLimit = reportedLimit;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n;
      try {
        n = super.read(b, off, len);
      } catch (Refused | Source.Failure e) {
        throw e;
      } catch (IOException e) {
        throw new Refused(
            new BundleException(ARCHIVE, "data is corrupt or truncated: " + e.getMessage()));
      }
      if (n > 0 && (count += n) > limit) {
        throw new Refused(tooLarge(reportedLimit));
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      byte[] buffer = new byte[(int) Math.min(n, 8192)];
      int read = read(buffer, 0, buffer.length);
      return Math.max(read, 0);
    }

    @Override
    public boolean markSupported() {
      return false;
    }

    @Override
    public void close() {
      // the owner closes the underlying stream
    }
  }

  /** The file itself; its read errors are tagged so they stay IOExceptions for the caller. */
  private static final class Source extends FilterInputStream {
    Source(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      try {
        return super.read();
      } catch (IOException e) {
        throw new Failure(e);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return super.read(b, off, len);
      } catch (IOException e) {
        throw new Failure(e);
      }
    }

    static final class Failure extends IOException {
      private static final long serialVersionUID = 1L;

      Failure(IOException cause) {
        super(cause);
      }

      @Override
      public synchronized IOException getCause() {
        return (IOException) super.getCause();
      }
    }
  }
}
