package dev.cast.activities.process;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.TreeMap;

/** Reads and writes run files ({@code run/<service>.json}); writes are atomic renames. */
public final class RunFiles {
  // A newer agent may add fields; an older one reading its files must not fail on them.
  private static final ObjectMapper JSON =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private static final String SUFFIX = ".json";

  private RunFiles() {}

  public static Optional<RunRecord> read(Path file) throws IOException {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    return Optional.of(JSON.readValue(file.toFile(), RunRecord.class));
  }

  public static void write(Path file, RunRecord record) throws IOException {
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    JSON.writeValue(tmp.toFile(), record);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Every run file in {@code runDir}, by service name. */
  public static TreeMap<String, RunRecord> list(Path runDir) throws IOException {
    TreeMap<String, RunRecord> records = new TreeMap<>();
    if (!Files.isDirectory(runDir)) {
      return records;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(runDir, "[!.]*" + SUFFIX)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        read(file).ifPresent(r -> records.put(name.substring(0, name.length() - 5), r));
      }
    }
    return records;
  }
}
