package dev.cast.activities.process;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code kill(2)} from the C library, through JNA. Java can neither signal a process group nor ask
 * whether one exists; without this, every signal forks the {@code kill} command and every liveness
 * check reads the {@code stat} of every process on the machine.
 *
 * <p>Only on Linux x86-64 and aarch64 (where the agent's natives exist), whose signal numbers are
 * the ones below. Elsewhere, or when JNA cannot load its native part, {@link #AVAILABLE} is false
 * and callers fall back to the {@code kill} command and {@code /proc}.
 */
final class Libc {
  private static final Logger log = LoggerFactory.getLogger(Libc.class);

  /** {@code errno} when no process matches: the group is gone. */
  private static final int ESRCH = 3;

  /** The stop signals a manifest may name (see ManifestParser), and KILL. */
  private static final Map<String, Integer> SIGNALS =
      Map.of("HUP", 1, "INT", 2, "QUIT", 3, "KILL", 9, "USR1", 10, "USR2", 12, "TERM", 15);

  static final boolean AVAILABLE = load();

  private Libc() {}

  private static boolean load() {
    try {
      if (!Platform.isLinux()
          || !(Platform.ARCH.equals("x86-64") || Platform.ARCH.equals("aarch64"))) {
        return false;
      }
      Native.register(Libc.class, Platform.C_LIBRARY_NAME);
      return true;
    } catch (LinkageError | RuntimeException e) {
      log.warn(
          "cannot call the C library through JNA ({}); process groups are signalled with the kill"
              + " command and looked up in /proc",
          e.toString());
      return false;
    }
  }

  private static native int kill(int pid, int signal);

  /**
   * Sends {@code signal} (a name without SIG) to every process of the group.
   *
   * @return false when the group does not exist
   * @throws IllegalArgumentException for a signal name not in the table
   */
  static boolean signalGroup(long pgid, String signal) {
    Integer number = SIGNALS.get(signal);
    if (number == null) {
      throw new IllegalArgumentException("unknown signal " + signal);
    }
    return send(pgid, number);
  }

  /**
   * Whether the group has any process, zombies included (signal 0 checks without sending). False
   * means the group is gone for certain.
   */
  static boolean groupExists(long pgid) {
    return send(pgid, 0);
  }

  /** kill(-pgid): true unless no process is in the group (EPERM means there is one). */
  private static boolean send(long pgid, int signal) {
    if (pgid <= 1 || pgid > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("not a process group: " + pgid);
    }
    return kill((int) -pgid, signal) == 0 || Native.getLastError() != ESRCH;
  }
}
