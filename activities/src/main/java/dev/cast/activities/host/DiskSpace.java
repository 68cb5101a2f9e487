package dev.cast.activities.host;

import static java.util.stream.Collectors.joining;

import dev.cast.workflows.shared.DeployFailure;
import io.temporal.client.ActivityCanceledException;
import io.temporal.client.ActivityNotExistsException;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Free space for staging: checks before anything is written, and ENOSPC met while writing, both as
 * the permanent {@link DeployFailure#INSUFFICIENT_DISK}. A retry cannot help a full disk; it would
 * only keep it full until the deploy's progress deadline.
 */
public final class DiskSpace {
  /** strerror(ENOSPC), as Java's file I/O and libtorrent word it. */
  static final String ENOSPC = "No space left on device";

  private DiskSpace() {}

  /** One amount of space wanted on the file system of {@code dir}. */
  public record Need(Path dir, long bytes) {}

  /**
   * Fails with INSUFFICIENT_DISK unless every file system holds its needs plus {@code reserve}.
   * Needs on the same file system add up; the message names the first file system short of space.
   *
   * @param what e.g. {@code staging hello@2.0.0}
   * @param reserve bytes left free for the agent's own database and logs
   */
  public static void require(String what, long reserve, Need... needs) throws IOException {
    Map<FileStore, Long> total = new LinkedHashMap<>();
    Map<FileStore, Set<Path>> where = new LinkedHashMap<>();
    for (Need need : needs) {
      FileStore store = Files.getFileStore(existing(need.dir()));
      total.merge(store, Math.max(0, need.bytes()), Long::sum);
      where.computeIfAbsent(store, s -> new LinkedHashSet<>()).add(need.dir());
    }
    for (Map.Entry<FileStore, Long> e : total.entrySet()) {
      long free = e.getKey().getUsableSpace();
      long need = e.getValue();
      if (need + reserve > free) {
        throw ApplicationFailures.permanent(
            DeployFailure.INSUFFICIENT_DISK,
            what
                + " needs "
                + mib(need)
                + " in "
                + where.get(e.getKey()).stream().map(Path::toString).collect(joining(" and "))
                + ", "
                + mib(free)
                + " free"
                + (reserve > 0 ? " (the agent keeps " + mib(reserve) + " of it free)" : ""));
      }
    }
  }

  /** Whether {@code t}, or anything it was caused by, is ENOSPC. */
  public static boolean isFull(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (isFull(c.getMessage())) {
        return true;
      }
    }
    return false;
  }

  /** Whether an error message, e.g. libtorrent's, tells of ENOSPC. */
  public static boolean isFull(String message) {
    return message != null && message.contains(ENOSPC);
  }

  /** ENOSPC met while staging, as the permanent failure; {@code dir} is where it was written. */
  public static ApplicationFailure full(String what, Path dir, Throwable cause) {
    long free;
    try {
      free = Files.getFileStore(existing(dir)).getUsableSpace();
    } catch (IOException e) {
      free = -1;
    }
    return ApplicationFailures.permanent(
        DeployFailure.INSUFFICIENT_DISK,
        what
            + " ran out of space in "
            + dir
            + " ("
            + ENOSPC
            + ")"
            + (free >= 0 ? ", " + mib(free) + " free after cleaning up" : ""),
        cause);
  }

  /**
   * Whether a staging that failed with {@code t} will not be retried as it stands, so its partial
   * files serve no retry: a permanent failure, ENOSPC, or an activity whose heartbeat says it was
   * cancelled or no longer exists. The last is what a cancelled activity sees when its workflow has
   * already ended (workflows do not wait for a cancelled activity), and also what an attempt that
   * timed out sees: its retry then fetches again from the start, the price of not leaving the disk
   * full. Other failures (network, the agent stopping or being killed) keep the partial file for
   * the retry to resume.
   */
  public static boolean ends(Throwable t) {
    return isFull(t)
        || t instanceof ActivityCanceledException
        || t instanceof ActivityNotExistsException
        || (t instanceof ApplicationFailure failure && failure.isNonRetryable());
  }

  /** e.g. {@code 18.3 MiB}. */
  public static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
  }

  /** {@code dir}, or its nearest ancestor that exists: the file system it will be created on. */
  private static Path existing(Path dir) {
    Path p = dir.toAbsolutePath();
    while (p != null && !Files.exists(p)) {
      p = p.getParent();
    }
    return p != null ? p : dir.toAbsolutePath().getRoot();
  }
}
