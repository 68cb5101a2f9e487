package dev.cast.activities.process;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** The last lines of a log file, for failure messages. */
public final class LogTail {
  public static final int LINES = 10;
  private static final int MAX_BYTES = 16 * 1024;

  private LogTail() {}

  public static String lastLines(Path file) {
    return lastLines(file, 0);
  }

  /** The last {@link #LINES} lines written at or after {@code fromOffset}; "" if none. */
  public static String lastLines(Path file, long fromOffset) {
    try {
      if (!Files.exists(file)) {
        return "";
      }
      try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
        long start = Math.max(fromOffset, in.length() - MAX_BYTES);
        byte[] bytes = new byte[(int) Math.max(0, in.length() - start)];
        in.seek(start);
        in.readFully(bytes);
        List<String> lines = Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\n"));
        return String.join("\n", lines.subList(Math.max(0, lines.size() - LINES), lines.size()))
            .strip();
      }
    } catch (IOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }

  /** The offset new output will be written at. */
  public static long end(Path file) {
    try {
      return Files.exists(file) ? Files.size(file) : 0;
    } catch (IOException e) {
      return 0;
    }
  }
}
