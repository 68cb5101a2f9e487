package dev.cast.activities.supervisor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The wrapper ({@code bin/cast-run}, bash) and logger ({@code bin/cast-log}, perl) every service
 * runs under, written from the classpath into {@code <dataDir>/bin/}. A changed script replaces the
 * old one by rename: a wrapper that still runs keeps reading the file it opened.
 */
final class Wrapper {
  static final String RUN = "cast-run";
  static final String LOG = "cast-log";

  private final Path bin;
  private final String bash;
  private final String perl;

  Wrapper(Path dataDir) {
    this.bin = dataDir.resolve("bin");
    this.bash = firstExisting("/bin/bash", "/usr/bin/bash", "bash");
    this.perl = firstExisting("/usr/bin/perl", "/bin/perl", "perl");
  }

  void install() throws IOException {
    Files.createDirectories(bin);
    for (String name : List.of(RUN, LOG)) {
      byte[] content = resource(name);
      Path target = bin.resolve(name);
      if (Files.exists(target) && Arrays.equals(Files.readAllBytes(target), content)) {
        continue;
      }
      Path tmp = bin.resolve("." + name + ".tmp");
      Files.write(tmp, content);
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** The argv that runs {@code command} with its output logged to {@code log}. */
  List<String> argv(List<String> command, Path log, long maxBytes, int keep) {
    List<String> argv = new ArrayList<>();
    argv.add(bash);
    argv.add(bin.resolve(RUN).toString());
    argv.add(perl);
    argv.add(bin.resolve(LOG).toString());
    argv.add(log.toAbsolutePath().toString());
    argv.add(Long.toString(maxBytes));
    argv.add(Integer.toString(keep));
    argv.addAll(command);
    return argv;
  }

  private static byte[] resource(String name) {
    try (InputStream in = Wrapper.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("resource " + name + " missing from the classpath");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String firstExisting(String... candidates) {
    for (String candidate : candidates) {
      if (Files.isExecutable(Path.of(candidate))) {
        return candidate;
      }
    }
    return candidates[candidates.length - 1];
  }
}
