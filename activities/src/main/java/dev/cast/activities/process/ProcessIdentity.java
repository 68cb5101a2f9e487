package dev.cast.activities.process;

import java.time.Instant;
import java.util.Optional;

/**
 * A pid plus the instant its process started. Pids are reused; the pair is not, so a run file never
 * mistakes another process for the service it recorded.
 */
public final class ProcessIdentity {
  private ProcessIdentity() {}

  public static Optional<Instant> startInstant(long pid) {
    return ProcessHandle.of(pid).flatMap(h -> h.info().startInstant());
  }

  /** Whether the process runs (not a zombie) and is the one that started at {@code startedAt}. */
  public static boolean isRunning(long pid, Instant startedAt) {
    boolean running = ProcStat.read(pid).map(ProcStat::running).orElse(false);
    return running && startInstant(pid).map(startedAt::equals).orElse(false);
  }
}
