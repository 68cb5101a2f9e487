package dev.cast.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Whether this machine and JVM can isolate hosts in network namespaces, and if not, why. */
final class Isolation {
  private Isolation() {}

  /**
   * What keeps hosts from being isolated, or null when nothing obvious does (building the network
   * may still fail; the fleet then falls back with that error as the reason).
   *
   * @param mode the value of {@link Fleet#ISOLATION_PROPERTY}: auto, off or required
   */
  static String obstacle(String mode) {
    switch (mode) {
      case "auto", "required" -> {}
      case "off", "false", "no" -> {
        return "-D" + Fleet.ISOLATION_PROPERTY + "=" + mode;
      }
      default ->
          throw new IllegalArgumentException(
              Fleet.ISOLATION_PROPERTY + " is auto, off or required, not " + mode);
    }
    if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
      return "network namespaces need Linux, this is " + System.getProperty("os.name");
    }
    long uid = effectiveUid();
    if (uid != 0) {
      return "network namespaces need root, this JVM runs as uid " + uid;
    }
    Commands.Result ip = Commands.run(List.of(Commands.ip("-V")));
    if (!ip.ok()) {
      return "the ip command (iproute2) is missing: " + ip.output();
    }
    return null;
  }

  /** The effective uid from /proc/self/status ({@code Uid: real effective saved fs}). */
  private static long effectiveUid() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          return Long.parseLong(line.substring(4).trim().split("\\s+")[1]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not procfs as Linux has it; fall through to the user name.
    }
    return "root".equals(System.getProperty("user.name")) ? 0 : -1;
  }
}
