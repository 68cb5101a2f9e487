package dev.cast.activities.process;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds a command the way {@code execvp} would. Commands run behind {@code setsid}, which reports a
 * missing command only through its exit code, so the agent looks before it starts one.
 */
public final class Executables {
  private Executables() {}

  public static Optional<Path> find(String command, Path workDir, String pathVariable) {
    if (command.contains("/")) {
      Path candidate = workDir.resolve(command);
      return Files.isExecutable(candidate) && !Files.isDirectory(candidate)
          ? Optional.of(candidate)
          : Optional.empty();
    }
    String path = pathVariable == null ? "/usr/local/bin:/usr/bin:/bin" : pathVariable;
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir).resolve(command);
      if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
