package dev.cast.bundle;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** Builds test archives entry by entry, including unsafe ones. */
final class TarBuilder {

  static final String MINIMAL_MANIFEST =
      "name: hello\nversion: 1.0.0\nservices:\n  web:\n    command: [python3, server.py]\n";

  private record Item(TarArchiveEntry entry, byte[] content) {}

  private final List<Item> items = new ArrayList<>();

  /** A builder that starts with a valid cast.yml. */
  static TarBuilder withManifest() {
    return new TarBuilder().file("cast.yml", MINIMAL_MANIFEST);
  }

  TarBuilder file(String name, String content) {
    return file(name, content, 0644);
  }

  TarBuilder file(String name, String content, int mode) {
    return file(name, content.getBytes(StandardCharsets.UTF_8), mode);
  }

  TarBuilder file(String name, byte[] content, int mode) {
    TarArchiveEntry entry = new TarArchiveEntry(name, true);
    entry.setMode(0100000 | mode);
    entry.setSize(content.length);
    items.add(new Item(entry, content));
    return this;
  }

  TarBuilder dir(String name, int mode) {
    TarArchiveEntry entry = new TarArchiveEntry(name.endsWith("/") ? name : name + "/", true);
    entry.setMode(040000 | mode);
    items.add(new Item(entry, null));
    return this;
  }

  TarBuilder symlink(String name, String target) {
    return link(name, target, TarConstants.LF_SYMLINK);
  }

  TarBuilder hardlink(String name, String target) {
    return link(name, target, TarConstants.LF_LINK);
  }

  TarBuilder charDevice(String name) {
    TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_CHR, true);
    entry.setDevMajor(1);
    entry.setDevMinor(3);
    items.add(new Item(entry, null));
    return this;
  }

  private TarBuilder link(String name, String target, byte flag) {
    TarArchiveEntry entry = new TarArchiveEntry(name, flag, true);
    entry.setLinkName(target);
    items.add(new Item(entry, null));
    return this;
  }

  /** The uncompressed tar. */
  byte[] tar() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Item item : items) {
        tar.putArchiveEntry(item.entry());
        if (item.content() != null) {
          tar.write(item.content());
        }
        tar.closeArchiveEntry();
      }
      tar.finish();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Writes the gzip'd tar to {@code file} and returns it. */
  Path writeTo(Path file) throws IOException {
    Files.write(file, gzip(tar()));
    return file;
  }

  static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(data);
    }
    return bytes.toByteArray();
  }
}
