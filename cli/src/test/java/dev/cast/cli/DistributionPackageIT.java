package dev.cast.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cast.testkit.TempDirs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What the build ships for installing on hosts (after {@code package}): the Debian package, checked
 * with {@code dpkg-deb} and unpacked into a throwaway root where its launcher runs, and the
 * distribution tarball, unpacked and run the same way.
 */
class DistributionPackageIT {
  private static final Path TARGET = Path.of("target");

  private record Run(int code, String out) {}

  private static Run run(Path dir, String... command) throws Exception {
    Process p =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
    return new Run(p.exitValue(), out);
  }

  private static Path one(String glob) throws IOException {
    try (Stream<Path> files = Files.list(TARGET)) {
      List<Path> found =
          files
              .filter(
                  f -> f.getFileSystem().getPathMatcher("glob:" + glob).matches(f.getFileName()))
              .toList();
      assertThat(found).as(glob + " in " + TARGET.toAbsolutePath()).hasSize(1);
      return found.get(0).toAbsolutePath();
    }
  }

  private static boolean has(String tool) throws Exception {
    return new ProcessBuilder("sh", "-c", "command -v " + tool).start().waitFor() == 0;
  }

  @Test
  void theDebianPackageInstallsTheLauncherConfigAndUnitsAndItsLauncherRuns() throws Exception {
    assumeTrue(has("dpkg-deb"), "dpkg-deb is needed (Debian's dpkg)");
    Path deb = one("cast_*_all.deb");
    Path here = Path.of(".").toAbsolutePath();

    Run info = run(here, "dpkg-deb", "--info", deb.toString());
    assertThat(info.code()).as(info.out()).isZero();
    assertThat(info.out())
        .contains("Package: cast")
        .contains("openjdk-17-jre-headless")
        .contains("postinst")
        .contains("conffiles");

    Run contents = run(here, "dpkg-deb", "--contents", deb.toString());
    assertThat(contents.code()).as(contents.out()).isZero();
    assertThat(contents.out())
        .containsPattern("-rwxr-xr-x .* \\./usr/lib/cast/bin/cast\\n")
        .containsPattern("\\./usr/bin/cast -> /usr/lib/cast/bin/cast")
        .contains("./usr/lib/cast/lib/cast.jar")
        .contains("./etc/cast/config.yml")
        .contains("./etc/cast/agent.yml")
        .contains("./lib/systemd/system/cast-server.service")
        .contains("./lib/systemd/system/cast-agent.service");

    Path root = TempDirs.create("cast-deb-root-");
    assertThat(run(here, "dpkg-deb", "--extract", deb.toString(), root.toString()).code()).isZero();
    Path launcher = root.resolve("usr/lib/cast/bin/cast");
    Run help = run(here, launcher.toString(), "--help");
    assertThat(help.code()).as(help.out()).isZero();
    assertThat(help.out()).contains("Cast deploys release bundles");
    Path bundle = root.resolve("hello.tar.gz");
    Run packed =
        run(here, launcher.toString(), "bundle", "../examples/hello", "-o", bundle.toString());
    assertThat(packed.code()).as(packed.out()).isZero();
    assertThat(bundle).isRegularFile();
    String agentUnit = Files.readString(root.resolve("lib/systemd/system/cast-agent.service"));
    assertThat(agentUnit)
        .contains("User=cast")
        .contains("ExecStart=/usr/bin/cast agent /etc/cast/agent.yml")
        .contains("Restart=on-failure")
        .contains("KillMode=process");
  }

  @Test
  void theDistributionTarballRunsWithOnlyAJavaRuntime() throws Exception {
    assumeTrue(has("tar"), "tar is needed");
    Path tarball = one("cast-*.tar.gz");
    Path dir = TempDirs.create("cast-dist-");
    assertThat(run(dir, "tar", "xzf", tarball.toString()).code()).isZero();
    Path home;
    try (Stream<Path> tops = Files.list(dir)) {
      home = tops.filter(Files::isDirectory).findFirst().orElseThrow();
    }
    assertThat(home.getFileName().toString()).startsWith("cast-");
    assertThat(home.resolve("etc/config.yml")).isRegularFile();
    assertThat(home.resolve("etc/agent.yml")).isRegularFile();
    assertThat(home.resolve("systemd/cast-server.service")).isRegularFile();
    assertThat(home.resolve("lib/cast.jar")).isRegularFile();
    Run version = run(dir, home.resolve("bin/cast").toString(), "--version");
    assertThat(version.code()).as(version.out()).isZero();
    assertThat(version.out()).startsWith("cast ");
  }
}
