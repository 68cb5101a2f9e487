package dev.cast.worker;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/** Reads the end of a service's log, including its newest rotated file when that is needed. */
final class LogFiles {
  private static final int BLOCK = 8192;

  private LogFiles() {}

  /** The last {@code lines} lines of {@code log} (and of {@code log.1} before it, if short). */
  static String tail(Path log, int lines) throws IOException {
    Deque<String> found = new ArrayDeque<>();
    collect(log, lines, found);
    Path rotated = log.resolveSibling(log.getFileName() + ".1");
    if (found.size() < lines && Files.exists(rotated)) {
      Deque<String> older = new ArrayDeque<>();
      collect(rotated, lines - found.size(), older);
      while (!older.isEmpty()) {
        found.addFirst(older.removeLast());
      }
    }
    StringBuilder out = new StringBuilder();
    for (String line : found) {
      out.append(line).append('\n');
    }
    return out.toString();
  }

  /** Adds up to {@code lines} last complete lines of {@code file} to {@code into}, oldest first. */
  private static void collect(Path file, int lines, Deque<String> into) throws IOException {
    if (lines <= 0 || !Files.exists(file)) {
      return;
    }
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      long end = raf.length();
      long start = end;
      int newlines = 0;
      byte[] block = new byte[BLOCK];
      // Walk back block by block until there are enough line breaks (one more than lines,
      // because the file normally ends with one).
      while (start > 0 && newlines <= lines) {
        int size = (int) Math.min(BLOCK, start);
        start -= size;
        raf.seek(start);
        raf.readFully(block, 0, size);
        for (int i = 0; i < size; i++) {
          if (block[i] == '\n') {
            newlines++;
          }
        }
      }
      byte[] bytes = new byte[(int) (end - start)];
      raf.seek(start);
      raf.readFully(bytes);
      String[] all = new String(bytes, StandardCharsets.UTF_8).split("\n", -1);
      int last = all.length - 1;
      if (all[last].isEmpty()) {
        last--;
      }
      int first = Math.max(start == 0 ? 0 : 1, last - lines + 1);
      Deque<String> picked = new ArrayDeque<>();
      for (int i = last; i >= first; i--) {
        picked.addFirst(all[i]);
      }
      into.addAll(picked);
    }
  }
}
