package dev.cast.activities.supervisor;

import static dev.cast.activities.supervisor.Services.web;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cast.activities.testing.Procs;
import dev.cast.activities.testing.TestHost;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceLogTest {
  static final String STAMP = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z ";

  @TempDir Path root;
  TestHost host;

  @AfterEach
  void tearDown() throws Exception {
    host.close();
  }

  @Test
  void prefixesEveryLineOfStdoutAndStderrWithATimestamp() throws Exception {
    Instant started = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    host = new TestHost(root);
    host.deploy(
        "hello",
        "v1",
        web("[\"sh\", \"-c\", \"echo started; echo oops >&2; printf partial; exec sleep 1000\"]"));
    Path log = host.supervisor().logFile("hello", "web");

    Procs.await(() -> read(log).contains("oops"), Services.WAIT, "output");

    assertThat(log).isEqualTo(host.app("hello").serviceLog("web"));
    List<String> lines = Files.readAllLines(log);
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).matches(STAMP + "started");
    assertThat(lines.get(1)).matches(STAMP + "oops");
    for (String line : lines) {
      assertThat(Instant.parse(line.substring(0, line.indexOf(' '))))
          .as("the time the line was written, in UTC")
          .isBetween(started, Instant.now());
    }
  }

  @Test
  void rotatesAtTheSizeLimitKeepingLogKeepFilesAndGoesOnInTheNewOne() throws Exception {
    host =
        new TestHost(
            root,
            new SupervisorSettings(
                Duration.ofMillis(100),
                Duration.ofSeconds(2),
                Duration.ofSeconds(60),
                5,
                Duration.ofSeconds(60),
                1000,
                2));
    host.deploy(
        "hello",
        "v1",
        web(
            "[\"sh\", \"-c\", \"i=0; while [ $i -lt 200 ]; do echo line $i; i=$((i+1)); done;"
                + " exec sleep 1000\"]"));
    Path log = host.supervisor().logFile("hello", "web");

    Procs.await(() -> read(log).contains("line 199"), Services.WAIT, "the last line");

    Path first = log.resolveSibling("web.log.1");
    Path second = log.resolveSibling("web.log.2");
    assertThat(first).exists();
    assertThat(second).exists();
    assertThat(log.resolveSibling("web.log.3")).as("only logKeep old files").doesNotExist();
    List<Integer> numbers = new ArrayList<>();
    for (Path file : List.of(second, first, log)) {
      assertThat(Files.size(file)).isLessThanOrEqualTo(1000);
      for (String line : Files.readAllLines(file)) {
        assertThat(line).matches(STAMP + "line \\d+");
        numbers.add(Integer.parseInt(line.substring(line.lastIndexOf(' ') + 1)));
      }
    }
    for (int i = 1; i < numbers.size(); i++) {
      assertThat(numbers.get(i)).as("no line lost at a rotation").isEqualTo(numbers.get(i - 1) + 1);
    }
    assertThat(numbers.get(numbers.size() - 1)).isEqualTo(199);
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "";
    }
  }
}
