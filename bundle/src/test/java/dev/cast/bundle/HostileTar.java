package dev.cast.bundle;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes tars with headers no well-behaved tool writes, streamed straight into gzip so that a
 * header claiming hundreds of MiB costs neither memory nor much disk (a run of one byte compresses
 * about a thousand times).
 */
final class HostileTar implements AutoCloseable {

  private final OutputStream out;

  HostileTar(Path file) throws IOException {
    out = new GZIPOutputStream(Files.newOutputStream(file), 1 << 16);
  }

  /** A GNU long name ({@code L}) of {@code length} bytes of 'a', before the next header. */
  HostileTar longName(long length) throws IOException {
    header("././@LongLink", TarConstants.LF_GNUTYPE_LONGNAME, length);
    repeat((byte) 'a', length);
    return pad(length);
  }

  /** A PAX header ({@code x}, or {@code g} when global) holding one record of about this size. */
  HostileTar pax(boolean global, String key, long valueLength) throws IOException {
    long fixed = 1 + key.length() + 1 + valueLength + 1; // " key=value\n" without the length
    long length = fixed + String.valueOf(fixed).length();
    if (String.valueOf(length).length() != String.valueOf(fixed).length()) {
      length++;
    }
    header(
        "./PaxHeaders/x",
        global
            ? TarConstants.LF_PAX_GLOBAL_EXTENDED_HEADER
            : TarConstants.LF_PAX_EXTENDED_HEADER_LC,
        length);
    out.write((length + " " + key + "=").getBytes(StandardCharsets.US_ASCII));
    repeat((byte) 'a', valueLength);
    out.write('\n');
    return pad(length);
  }

  /** A small PAX header with exactly these records, e.g. {@code "GNU.sparse.major=1"}. */
  HostileTar paxRecords(String... records) throws IOException {
    StringBuilder data = new StringBuilder();
    for (String record : records) {
      int fixed = 1 + record.length() + 1;
      int length = fixed + String.valueOf(fixed).length();
      if (String.valueOf(length).length() != String.valueOf(fixed).length()) {
        length++;
      }
      data.append(length).append(' ').append(record).append('\n');
    }
    byte[] bytes = data.toString().getBytes(StandardCharsets.UTF_8);
    header("./PaxHeaders/x", TarConstants.LF_PAX_EXTENDED_HEADER_LC, bytes.length);
    out.write(bytes);
    return pad(bytes.length);
  }

  /** A regular file. */
  HostileTar file(String name, String content) throws IOException {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    header(name, TarConstants.LF_NORMAL, bytes.length);
    out.write(bytes);
    return pad(bytes.length);
  }

  /** An empty regular file, the cheapest entry there is. */
  HostileTar emptyFile(String name) throws IOException {
    header(name, TarConstants.LF_NORMAL, 0);
    return this;
  }

  private void header(String name, byte type, long size) throws IOException {
    TarArchiveEntry entry = new TarArchiveEntry(name, type, true);
    entry.setMode(type == TarConstants.LF_NORMAL ? 0100644 : 0644);
    entry.setSize(size);
    byte[] block = new byte[512];
    entry.writeEntryHeader(block);
    out.write(block);
  }

  private void repeat(byte b, long count) throws IOException {
    byte[] chunk = new byte[1 << 20];
    Arrays.fill(chunk, b);
    for (long left = count; left > 0; left -= chunk.length) {
      out.write(chunk, 0, (int) Math.min(chunk.length, left));
    }
  }

  private HostileTar pad(long length) throws IOException {
    int rest = (int) (length % 512);
    if (rest != 0) {
      out.write(new byte[512 - rest]);
    }
    return this;
  }

  @Override
  public void close() throws IOException {
    out.write(new byte[1024]);
    out.close();
  }
}
