package dev.cast.api.core;

import dev.cast.api.db.ReleaseRow;
import dev.cast.api.errors.ApiException;
import dev.cast.bundle.Digests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Checks that a stored bundle still has the bytes that were pushed before the api hands it out. The
 * size is checked on every call; the sha256 once per version of the file (its size and modification
 * time), so a bundle is hashed once after start or after it changed on disk, not on every read. A
 * damaged bundle is refused with {@code STORED_BUNDLE_CORRUPT} instead of being sent to hosts,
 * which would only find out after downloading it.
 */
final class StoredBundles {
  /** What was found for one version of a stored file. */
  private record Check(long size, long modified, String problem) {}

  private final Function<String, Path> files;
  private final Map<String, Check> checked = new ConcurrentHashMap<>();
  private final Map<String, Object> locks = new ConcurrentHashMap<>();

  StoredBundles(Function<String, Path> files) {
    this.files = files;
  }

  /** Records that the file of {@code sha256} was just written from checked bytes. */
  void verified(String sha256) throws IOException {
    BasicFileAttributes now = Files.readAttributes(files.apply(sha256), BasicFileAttributes.class);
    checked.put(sha256, new Check(now.size(), now.lastModifiedTime().toMillis(), null));
  }

  /** True when the stored file is there with the release's size and sha256. */
  boolean intact(ReleaseRow row) throws IOException {
    return problem(row) == null;
  }

  /** Throws {@code STORED_BUNDLE_CORRUPT} (500) unless the stored file is intact. */
  void requireIntact(ReleaseRow row) throws IOException {
    String problem = problem(row);
    if (problem != null) {
      throw ApiException.serverError(
          500,
          "STORED_BUNDLE_CORRUPT",
          "Stored bundle corrupt",
          "the stored bundle of "
              + row.app()
              + "@"
              + row.version()
              + " is corrupt ("
              + problem
              + "); push it again");
    }
  }

  private String problem(ReleaseRow row) throws IOException {
    String sha256 = row.sha256();
    Path file = files.apply(sha256);
    BasicFileAttributes now;
    try {
      now = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      return "the file " + file + " is missing";
    }
    if (now.size() != row.size()) {
      return "it is " + now.size() + " bytes, expected " + row.size();
    }
    long modified = now.lastModifiedTime().toMillis();
    Check known = checked.get(sha256);
    if (known != null && known.size() == now.size() && known.modified() == modified) {
      return known.problem();
    }
    synchronized (locks.computeIfAbsent(sha256, k -> new Object())) {
      known = checked.get(sha256);
      if (known != null && known.size() == now.size() && known.modified() == modified) {
        return known.problem();
      }
      String actual = Digests.sha256(file);
      String problem = actual.equals(sha256) ? null : "sha256 " + actual + ", expected " + sha256;
      checked.put(sha256, new Check(now.size(), modified, problem));
      return problem;
    }
  }
}
