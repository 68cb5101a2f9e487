package dev.cast.activities.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The fields of {@code /proc/<pid>/stat} the agent needs.
 *
 * @param state the one-letter state; {@code Z} (zombie) and {@code X} (dead) no longer run
 */
public record ProcStat(long pid, char state, long pgrp) {

  public boolean running() {
    return state != 'Z' && state != 'X';
  }

  public static Optional<ProcStat> read(long pid) {
    return read(Path.of("/proc", Long.toString(pid), "stat"));
  }

  static Optional<ProcStat> read(Path statFile) {
    String text;
    try {
      text = Files.readString(statFile);
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // The process is gone, or was never there.
    }
    // The command name in parentheses may contain spaces and ')' so parse from the last ')'.
    int close = text.lastIndexOf(')');
    if (close < 0) {
      return Optional.empty();
    }
    String[] fields = text.substring(close + 2).split(" ");
    long pid = Long.parseLong(text.substring(0, text.indexOf(' ')));
    return Optional.of(new ProcStat(pid, fields[0].charAt(0), Long.parseLong(fields[2])));
  }
}
