package dev.cast.activities.supervisor;

import dev.cast.activities.process.GroupCommand;
import dev.cast.activities.process.LogTail;
import dev.cast.bundle.Durations;
import dev.cast.bundle.HealthSpec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** Runs one health check of a service: http (2xx), tcp (connect) or command (exit 0). */
final class HealthChecker {
  private static final String LOOPBACK = "127.0.0.1";

  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(2))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  /**
   * @param ports the service's named ports
   * @param workDir the release dir, where a command check runs
   * @param env the service's environment, for a command check
   */
  CheckResult check(
      HealthSpec spec,
      Map<String, Integer> ports,
      Path workDir,
      Map<String, String> env,
      Runnable tick)
      throws IOException {
    if (spec.http() != null) {
      return withPort(spec.http().port(), ports, p -> http(p, spec.http().path(), spec.timeout()));
    }
    if (spec.tcp() != null) {
      return withPort(spec.tcp().port(), ports, p -> tcp(p, spec.timeout()));
    }
    return command(spec, workDir, env, tick);
  }

  private interface PortCheck {
    CheckResult run(int port) throws IOException;
  }

  private static CheckResult withPort(String name, Map<String, Integer> ports, PortCheck check)
      throws IOException {
    Integer port = ports.get(name);
    return port == null
        ? new CheckResult(false, "the service has no port named " + name)
        : check.run(port);
  }

  private CheckResult http(int port, String path, Duration timeout) throws IOException {
    String url = "http://" + LOOPBACK + ":" + port + (path.startsWith("/") ? path : "/" + path);
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build();
    try {
      int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      return new CheckResult(status / 100 == 2, "GET " + url + " answered " + status);
    } catch (HttpTimeoutException e) {
      return new CheckResult(
          false, "GET " + url + " timed out after " + Durations.seconds(timeout));
    } catch (IOException e) {
      return new CheckResult(false, "GET " + url + " failed: " + describe(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted during a health check", e);
    }
  }

  private static CheckResult tcp(int port, Duration timeout) {
    String target = "TCP " + LOOPBACK + ":" + port;
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(LOOPBACK, port), (int) timeout.toMillis());
      return new CheckResult(true, target + " accepted a connection");
    } catch (IOException e) {
      return new CheckResult(false, target + " failed: " + describe(e));
    }
  }

  private static CheckResult command(
      HealthSpec spec, Path workDir, Map<String, String> env, Runnable tick) throws IOException {
    Path output = Files.createTempFile("cast-health", ".out");
    try {
      GroupCommand.Result result =
          GroupCommand.run(spec.command(), workDir, env, output, spec.timeout(), tick);
      String what = "command " + spec.command();
      if (result.timedOut()) {
        return new CheckResult(
            false, what + " timed out after " + Durations.seconds(spec.timeout()));
      }
      String tail = LogTail.lastLines(output);
      String said = tail.isEmpty() ? "" : ": " + tail;
      return new CheckResult(
          result.exitCode() == 0, what + " exited with code " + result.exitCode() + said);
    } finally {
      Files.deleteIfExists(output);
    }
  }

  private static String describe(IOException e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
