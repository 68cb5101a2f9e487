package dev.cast.bundle;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** Packs a directory into a bundle archive. */
public final class BundlePacker {

  /** Every entry gets this modification time (2000-01-01T00:00:00Z), for reproducible output. */
  static final FileTime FIXED_MTIME = FileTime.fromMillis(946_684_800_000L);

  private static final Pattern VERSION_LINE =
      Pattern.compile(
          "^(?<key>([\"']?)version\\2[ \\t]*:)(?<value>[^\\r\\n]*?)(?<comment>[ \\t]+#[^\\r\\n]*)?$",
          Pattern.MULTILINE);

  private BundlePacker() {}

  /**
   * Packs every file, directory and symlink below {@code sourceDir} into a reproducible {@code
   * .tar.gz} (sorted entries, fixed times and owners, modes kept, symlinks kept as symlinks), then
   * checks the result with {@link BundleInspector}. The archive is written beside {@code outTarGz}
   * and renamed into place only once it is valid; an archive at {@code outTarGz} is replaced.
   *
   * @param sourceDir the directory to pack; must hold {@code cast.yml}
   * @param outTarGz where to write the archive (skipped if it lies inside {@code sourceDir})
   * @param versionOverride when non-null, the top-level {@code version:} written into the archived
   *     cast.yml (the rest of the file, comments included, is kept)
   * @return the archive's manifest, SHA-256 and size
   * @throws BundleException when cast.yml or the override is invalid or the result is not a safe
   *     bundle (e.g. a symlink leaving the directory)
   * @throws IOException when reading the directory or writing the archive fails
   */
  public static BundleInfo pack(Path sourceDir, Path outTarGz, String versionOverride)
      throws BundleException, IOException {
    Path source = sourceDir.toAbsolutePath().normalize();
    Path out = outTarGz.toAbsolutePath().normalize();
    Path manifestFile = source.resolve(Manifest.FILE_NAME);
    if (!Files.isRegularFile(manifestFile, LinkOption.NOFOLLOW_LINKS)) {
      throw new BundleException(source.toString(), "has no cast.yml file at its root");
    }
    byte[] manifest = Files.readAllBytes(manifestFile);
    ManifestParser.parse(manifest);
    if (versionOverride != null) {
      manifest = withVersion(manifest, versionOverride);
    }
    Map<String, Path> entries = collect(source, out);
    Files.createDirectories(out.getParent());
    Path temp = Files.createTempFile(out.getParent(), "." + out.getFileName() + ".tmp-", "");
    try {
      write(temp, entries, manifest);
      BundleInfo info = BundleInspector.inspect(temp, Long.MAX_VALUE);
      Files.move(temp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return info;
    } catch (Throwable failure) {
      Files.deleteIfExists(temp);
      throw failure;
    }
  }

  /**
   * Returns cast.yml with its top-level {@code version:} line set to {@code version}, keeping
   * everything else (including a trailing comment on that line).
   */
  static byte[] withVersion(byte[] yaml, String version) throws BundleException {
    Optional<String> problem = NameRules.versionProblem(version);
    if (problem.isPresent()) {
      throw new BundleException("version override", problem.get());
    }
    String text = new String(yaml, StandardCharsets.UTF_8);
    Matcher m = VERSION_LINE.matcher(text);
    List<MatchResult> found = new ArrayList<>();
    while (m.find()) {
      found.add(new MatchResult(m.start(), m.end(), m.group("key"), m.group("comment")));
    }
    String cannot = "cannot set the version to \"" + version + "\": ";
    if (found.size() != 1) {
      throw new BundleException(
          Manifest.FILE_NAME,
          cannot + "expected one top-level \"version:\" line, found " + found.size());
    }
    MatchResult line = found.get(0);
    String replaced =
        text.substring(0, line.start())
            + line.key()
            + " \""
            + version
            + "\""
            + (line.comment() == null ? "" : line.comment())
            + text.substring(line.end());
    byte[] result = replaced.getBytes(StandardCharsets.UTF_8);
    if (!ManifestParser.parse(result).version().equals(version)) {
      throw new BundleException(
          Manifest.FILE_NAME, cannot + "write the top-level version on a single plain line");
    }
    return result;
  }

  private record MatchResult(int start, int end, String key, String comment) {}

  /** Archive names ("a/b", directories ending in "/") to files, sorted. */
  private static Map<String, Path> collect(Path source, Path out)
      throws IOException, BundleException {
    Map<String, Path> entries = new TreeMap<>();
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(source)) {
      paths = walk.filter(p -> !p.equals(source) && !p.equals(out)).toList();
    }
    for (Path path : paths) {
      String name =
          source.relativize(path).toString().replace(path.getFileSystem().getSeparator(), "/");
      if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
        name += "/";
      } else if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)
          && !Files.isSymbolicLink(path)) {
        throw new BundleException(path.toString(), "is not a file, directory or symlink");
      }
      entries.put(name, path);
    }
    return entries;
  }

  private static void write(Path temp, Map<String, Path> entries, byte[] manifest)
      throws IOException {
    try (OutputStream file = Files.newOutputStream(temp);
        GZIPOutputStream gzip = new GZIPOutputStream(new BufferedOutputStream(file), 1 << 16);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(gzip, "UTF-8")) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      tar.setAddPaxHeadersForNonAsciiNames(true);
      for (Map.Entry<String, Path> e : entries.entrySet()) {
        writeEntry(tar, e.getKey(), e.getValue(), manifest);
      }
      tar.finish();
    }
  }

  private static void writeEntry(
      TarArchiveOutputStream tar, String name, Path path, byte[] manifest) throws IOException {
    TarArchiveEntry entry;
    boolean regularFile = false;
    if (Files.isSymbolicLink(path)) {
      entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
      entry.setLinkName(Files.readSymbolicLink(path).toString());
      entry.setMode(0120777);
    } else {
      int mode =
          BundleUnpacker.mode(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
      entry = new TarArchiveEntry(name);
      if (name.endsWith("/")) {
        entry.setMode(040000 | mode);
      } else {
        regularFile = true;
        entry.setMode(0100000 | mode);
        entry.setSize(name.equals(Manifest.FILE_NAME) ? manifest.length : Files.size(path));
      }
    }
    entry.setModTime(FIXED_MTIME);
    entry.setUserId(0);
    entry.setGroupId(0);
    entry.setUserName("");
    entry.setGroupName("");
    tar.putArchiveEntry(entry);
    if (regularFile && name.equals(Manifest.FILE_NAME)) {
      tar.write(manifest);
    } else if (regularFile) {
      Files.copy(path, tar);
    }
    tar.closeArchiveEntry();
  }
}
