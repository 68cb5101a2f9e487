package dev.cast.bundle;

/**
 * One checked entry of a bundle archive.
 *
 * @param path the normalized path relative to the release root ({@code ""} for the root itself),
 *     without {@code ./}, trailing slashes or empty segments
 * @param kind what the entry is
 * @param linkTarget for a symlink its target as written; for a hard link the normalized path of the
 *     earlier file it links to; otherwise {@code null}
 * @param mode the permission bits ({@code 0777} at most)
 * @param size the content size in bytes (0 for anything but files)
 */
record ArchiveEntry(String path, Kind kind, String linkTarget, int mode, long size) {

  /** The entry types a bundle may contain. */
  enum Kind {
    FILE,
    DIRECTORY,
    SYMLINK,
    HARDLINK
  }
}
