package dev.cast.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Kills the services agents left running. Agents start each service detached, in a process group of
 * its own, under a wrapper whose command line names the agent's data dir; stopping or killing the
 * agent leaves them serving. So a fleet finds them by their command lines and kills their whole
 * groups (the wrapper, the service, its logger). Stop the agents first, or their supervisors
 * restart what is killed here.
 */
final class ServiceReaper {
  private ServiceReaper() {}

  /**
   * Sends SIGKILL to the process group of every process whose command line names {@code dir} (or a
   * path under it). This JVM and its own group are spared.
   *
   * @return the number of groups signalled
   */
  static int killUnder(Path dir) {
    String marker = dir.toAbsolutePath().normalize().toString();
    long self = ProcessHandle.current().pid();
    long ownGroup = processGroup(self);
    Set<Long> groups = new TreeSet<>();
    for (long pid : pids()) {
      if (pid == self || !names(commandLine(pid), marker)) {
        continue;
      }
      long group = processGroup(pid);
      if (group > 1 && group != ownGroup) {
        groups.add(group);
      } else {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
    if (!groups.isEmpty()) {
      List<String> kill = new ArrayList<>(List.of("kill", "-KILL", "--"));
      groups.forEach(g -> kill.add("-" + g));
      // A group may have ended meanwhile; kill still signals the others, so its exit is moot.
      Commands.run(kill);
    }
    return groups.size();
  }

  private static boolean names(String commandLine, String marker) {
    int at = commandLine.indexOf(marker);
    while (at >= 0) {
      int end = at + marker.length();
      if (end == commandLine.length()
          || commandLine.charAt(end) == '/'
          || commandLine.charAt(end) == ' ') {
        return true;
      }
      at = commandLine.indexOf(marker, at + 1);
    }
    return false;
  }

  private static List<Long> pids() {
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      return procs
          .map(p -> p.getFileName().toString())
          .filter(n -> n.matches("\\d+"))
          .map(Long::parseLong)
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  private static String commandLine(long pid) {
    try {
      byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
      return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').strip();
    } catch (IOException gone) {
      return "";
    }
  }

  /** The process group of a process (field 5 of /proc/pid/stat), or -1 when it is gone. */
  static long processGroup(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // The command name in parentheses may hold spaces; the fields after it are plain.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[2]);
    } catch (IOException | RuntimeException gone) {
      return -1;
    }
  }
}
