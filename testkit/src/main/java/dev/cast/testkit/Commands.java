package dev.cast.testkit;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the short system commands the fleet needs ({@code ip}, {@code tc}, {@code kill}). */
final class Commands {
  private static final long TIMEOUT_SECONDS = 30;

  private Commands() {}

  /** What a command printed (stdout and stderr together) and how it exited. */
  record Result(int exit, String output) {
    boolean ok() {
      return exit == 0;
    }
  }

  /** Runs a command to its end; a command that cannot start exits 127 with the reason. */
  static Result run(List<String> command) {
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start();
      byte[] out = process.getInputStream().readAllBytes();
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return new Result(124, String.join(" ", command) + " timed out");
      }
      return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8).strip());
    } catch (IOException e) {
      return new Result(127, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(130, "interrupted");
    }
  }

  /** Runs a command and returns its output; fails with the command and its output otherwise. */
  static String check(String... command) throws IOException {
    Result result = run(List.of(command));
    if (!result.ok()) {
      throw new IOException(
          String.join(" ", command) + " exited " + result.exit() + ": " + result.output());
    }
    return result.output();
  }

  /** {@code ip} with its arguments, found where distributions put it (sbin may be off PATH). */
  static String[] ip(String... args) {
    return withTool("ip", args);
  }

  /** {@code tc} with its arguments. */
  static String[] tc(String... args) {
    return withTool("tc", args);
  }

  private static String[] withTool(String tool, String... args) {
    List<String> command = new ArrayList<>();
    command.add(locate(tool));
    command.addAll(List.of(args));
    return command.toArray(String[]::new);
  }

  private static String locate(String tool) {
    for (String dir : List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin")) {
      Path candidate = Path.of(dir, tool);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return tool;
  }
}
