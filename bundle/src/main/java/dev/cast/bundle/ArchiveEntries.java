package dev.cast.bundle;

import dev.cast.bundle.ArchiveEntry.Kind;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * The safety rules for the entries of one archive, applied in archive order by {@link
 * #check(TarArchiveEntry)} and, once every entry is known, by {@link #finish()}.
 *
 * <p>No entry may be absolute, contain {@code ..}, appear twice, sit below a symlink or file, or be
 * a device or fifo. Hard links must name an earlier file. Symlinks must not be absolute and, when
 * resolved inside the archive (following the archive's other symlinks), must stay in the release.
 */
final class ArchiveEntries {

  private static final int MAX_LINK_DEPTH = 40;

  private final Map<String, Kind> seen = new HashMap<>();
  private final Map<String, String> symlinks = new LinkedHashMap<>();
  private final Map<String, List<String>> resolved = new HashMap<>();
  private final Set<String> resolving = new HashSet<>();

  /** Checks one entry and returns it normalized; throws when it is unsafe. */
  ArchiveEntry check(TarArchiveEntry tar) throws BundleException {
    String name = tar.getName();
    checkName(name, "name", where(name));
    if (tar.isLink() || tar.isSymbolicLink()) {
      checkName(tar.getLinkName(), "link target", where(name));
    }
    List<String> segments = segments(name);
    String path = String.join("/", segments);
    String where = where(name);
    Kind kind = kind(tar, where);
    int mode = tar.getMode() & 0777;
    if (path.isEmpty()) {
      if (kind != Kind.DIRECTORY) {
        throw new BundleException(where, "the archive root must be a directory");
      }
      return new ArchiveEntry("", kind, null, mode, 0);
    }
    checkParents(segments, where);
    Kind before = seen.get(path);
    if (before != null && !(before == Kind.DIRECTORY && kind == Kind.DIRECTORY)) {
      throw new BundleException(where, "appears more than once in the archive");
    }
    String target = null;
    if (kind == Kind.HARDLINK) {
      target = hardLinkTarget(tar.getLinkName(), where);
    } else if (kind == Kind.SYMLINK) {
      target = tar.getLinkName();
      checkSymlink(segments, target, where);
      symlinks.put(path, target);
    }
    seen.put(path, kind);
    return new ArchiveEntry(path, kind, target, mode, kind == Kind.FILE ? tar.getSize() : 0);
  }

  /** Checks what needs the whole archive: every symlink, resolved through the others. */
  void finish() throws BundleException {
    for (Map.Entry<String, String> link : symlinks.entrySet()) {
      resolveLink(link.getKey());
    }
  }

  static String where(String name) {
    return "archive entry \"" + printable(name) + "\"";
  }

  /** The name with control characters shown as {@code \xNN}, fit for a message. */
  static String printable(String name) {
    StringBuilder out = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (isControl(c)) {
        out.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static boolean isControl(char c) {
    return c < 0x20 || c == 0x7f;
  }

  /** Refuses names longer than {@link BoundedTarInputStream#MAX_NAME_BYTES} or with controls. */
  private static void checkName(String name, String what, String where) throws BundleException {
    if (name == null) {
      return;
    }
    int bytes = name.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > BoundedTarInputStream.MAX_NAME_BYTES) {
      throw new BundleException(
          where.length() > 200 ? where.substring(0, 200) + "...\"" : where,
          "the "
              + what
              + " is "
              + bytes
              + " bytes long, over the limit of "
              + BoundedTarInputStream.MAX_NAME_BYTES
              + " bytes");
    }
    for (int i = 0; i < name.length(); i++) {
      if (isControl(name.charAt(i))) {
        throw new BundleException(
            where,
            "the "
                + what
                + " contains the control character "
                + String.format(Locale.ROOT, "0x%02x", (int) name.charAt(i))
                + "; names must not contain control characters (0x00-0x1f, 0x7f)");
      }
    }
  }

  private static Kind kind(TarArchiveEntry tar, String where) throws BundleException {
    if (tar.isDirectory()) {
      return Kind.DIRECTORY;
    }
    if (tar.isSymbolicLink()) {
      return Kind.SYMLINK;
    }
    if (tar.isLink()) {
      return Kind.HARDLINK;
    }
    String refused =
        tar.isCharacterDevice()
            ? "character devices"
            : tar.isBlockDevice() ? "block devices" : tar.isFIFO() ? "fifos" : null;
    if (refused != null) {
      throw new BundleException(
          where, refused + " are not allowed (only files, directories, symlinks and hard links)");
    }
    byte flag = tar.getLinkFlag();
    if (flag == TarConstants.LF_NORMAL
        || flag == TarConstants.LF_OLDNORM
        || flag == TarConstants.LF_CONTIG) {
      return Kind.FILE;
    }
    throw new BundleException(
        where,
        "has unsupported tar entry type '"
            + (char) flag
            + "' (only files, directories, symlinks and hard links)");
  }

  /** Splits a path inside the archive, dropping empty and "." segments; refuses "/" and "..". */
  private static List<String> segments(String name) throws BundleException {
    if (name.isEmpty()) {
      throw new BundleException(where(name), "has an empty name");
    }
    if (name.startsWith("/")) {
      throw new BundleException(
          where(name), "is an absolute path; only paths relative to the release are allowed");
    }
    List<String> out = new ArrayList<>();
    for (String segment : name.split("/")) {
      if (segment.equals("..")) {
        throw new BundleException(
            where(name), "contains a \"..\" segment, which could escape the release");
      }
      if (!segment.isEmpty() && !segment.equals(".")) {
        out.add(segment);
      }
    }
    return out;
  }

  /** Every parent must be a directory (declared or implied), never a symlink or file. */
  private void checkParents(List<String> segments, String where) throws BundleException {
    for (int i = 1; i < segments.size(); i++) {
      String parent = String.join("/", segments.subList(0, i));
      Kind kind = seen.putIfAbsent(parent, Kind.DIRECTORY);
      if (kind != null && kind != Kind.DIRECTORY) {
        throw new BundleException(
            where,
            "lies below \""
                + parent
                + "\", which is a "
                + (kind == Kind.SYMLINK ? "symlink" : "file")
                + " in the archive");
      }
    }
  }

  private String hardLinkTarget(String target, String where) throws BundleException {
    if (target == null || target.isEmpty()) {
      throw new BundleException(where, "is a hard link without a target");
    }
    if (target.startsWith("/")) {
      throw new BundleException(
          where,
          "hard link target \"" + target + "\" is absolute; it must be a file in the archive");
    }
    List<String> segments = new ArrayList<>();
    for (String segment : target.split("/")) {
      if (segment.equals("..")) {
        throw new BundleException(
            where, "hard link target \"" + target + "\" points outside the release (\"..\")");
      }
      if (!segment.isEmpty() && !segment.equals(".")) {
        segments.add(segment);
      }
    }
    String path = String.join("/", segments);
    Kind kind = seen.get(path);
    if (kind != Kind.FILE && kind != Kind.HARDLINK) {
      throw new BundleException(
          where,
          "hard link target \"" + target + "\" is not a regular file earlier in the archive");
    }
    return path;
  }

  /** The quick check, on the link alone: not empty, not absolute, not above the root. */
  private static void checkSymlink(List<String> segments, String target, String where)
      throws BundleException {
    if (target == null || target.isEmpty()) {
      throw new BundleException(where, "is a symlink without a target");
    }
    if (target.startsWith("/")) {
      throw new BundleException(
          where,
          "symlink target \""
              + target
              + "\" is absolute; use a relative target inside the release");
    }
    int depth = segments.size() - 1;
    for (String segment : target.split("/")) {
      if (segment.equals("..") && --depth < 0) {
        throw new BundleException(
            where, "symlink target \"" + target + "\" points outside the release");
      } else if (!segment.isEmpty() && !segment.equals(".") && !segment.equals("..")) {
        depth++;
      }
    }
  }

  /** The real path (as segments) a symlink in the archive points to, following other symlinks. */
  private List<String> resolveLink(String link) throws BundleException {
    List<String> done = resolved.get(link);
    if (done != null) {
      return done;
    }
    String target = symlinks.get(link);
    if (!resolving.add(link) || resolving.size() > MAX_LINK_DEPTH) {
      throw new BundleException(
          where(link), "symlink target \"" + target + "\" is part of a symlink loop");
    }
    List<String> real = new ArrayList<>(List.of(link.split("/")));
    real.remove(real.size() - 1);
    for (String segment : target.split("/")) {
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (segment.equals("..")) {
        if (real.isEmpty()) {
          throw new BundleException(
              where(link),
              "symlink target \"" + target + "\" points outside the release (through other links)");
        }
        real.remove(real.size() - 1);
        continue;
      }
      real.add(segment);
      String sofar = String.join("/", real);
      if (symlinks.containsKey(sofar)) {
        real = new ArrayList<>(resolveLink(sofar));
      }
    }
    resolving.remove(link);
    resolved.put(link, real);
    return real;
  }
}
