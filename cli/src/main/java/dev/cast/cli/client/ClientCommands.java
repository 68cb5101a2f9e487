package dev.cast.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cast.bundle.BundleInfo;
import dev.cast.bundle.BundleInspector;
import dev.cast.bundle.BundlePacker;
import dev.cast.cli.ApiClient;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The client side of {@code cast}: commands that drive a Cast api over its REST API, nothing
 * private. Every one takes {@code --api} and {@code --token} (see {@link Connection}); read
 * commands take {@code --output json}. Exit codes: 0 done (a deployment SUCCEEDED), 1 a deployment
 * failed or was rolled back, 2 the request was refused, 3 cancelled, 4 the api is unreachable.
 */
public final class ClientCommands {
  private ClientCommands() {}

  /** The client commands, for {@code cast}'s list of subcommands. */
  public static final Class<?>[] ALL = {
    Login.class,
    Push.class,
    Deploy.class,
    ConfigRollout.class,
    Status.class,
    Watch.class,
    Promote.class,
    Pause.class,
    Resume.class,
    Cancel.class,
    Rollback.class,
    History.class,
    Apps.class,
    Releases.class,
    Hosts.class,
    Services.class,
    Restart.class,
    Logs.class,
    Kv.class,
    Tokens.class
  };

  /** What every client command shares: the connection, the output, following a deployment. */
  public abstract static class Base implements Callable<Integer> {
    @Mixin Connection api;

    @Spec CommandSpec spec;

    @Option(
        names = {"-h", "--help"},
        usageHelp = true,
        description = "Show this help message and exit.")
    boolean help;

    PrintWriter out() {
      return spec.commandLine().getOut();
    }

    /** Prints the JSON as it came (--output json) or the text. */
    int print(JsonNode body, String text) {
      out().println(api.json() ? api.pretty(body) : text);
      out().flush();
      return 0;
    }

    int follow(String id, boolean detach) {
      if (detach) {
        out().println(id);
        out().flush();
        return 0;
      }
      return new Follower(api, out(), System.console() != null, 500).follow(id);
    }

    static String path(String segment) {
      return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
  }

  /** Options of a rollout: batches, canary, gates, deadlines, targets. */
  static final class RolloutOptions {
    @Option(names = "--canary", paramLabel = "N", description = "hosts switched first")
    Integer canary;

    @Option(
        names = "--max-parallel",
        paramLabel = "N",
        description = "hosts switched at once after the canaries")
    Integer maxParallel;

    @Option(
        names = "--promote",
        paramLabel = "MODE",
        description = "manual: the canaries wait for `cast promote ID`")
    String promote;

    @Option(
        names = "--min-healthy",
        paramLabel = "DURATION",
        description = "how long each batch must stay healthy, e.g. 10s")
    String minHealthy;

    @Option(
        names = "--healthy-deadline",
        paramLabel = "DURATION",
        description = "how long services may take to pass their checks, e.g. 30s")
    String healthyDeadline;

    @Option(
        names = "--selector",
        paramLabel = "KEY=VALUE",
        split = ",",
        description = "hosts whose labels match, e.g. role=web")
    Map<String, String> selector;

    @Option(
        names = "--hosts",
        paramLabel = "HOST",
        split = ",",
        description = "these hosts, e.g. web-1,web-2")
    List<String> hosts;

    @Option(names = "--reason", description = "why, for the record")
    String reason;

    Map<String, Object> body() {
      Map<String, Object> body = new LinkedHashMap<>();
      Map<String, Object> strategy = new LinkedHashMap<>();
      putIf(strategy, "canary", canary);
      putIf(strategy, "maxParallel", maxParallel);
      putIf(strategy, "promote", promote);
      putIf(strategy, "minHealthyTime", minHealthy);
      if (!strategy.isEmpty()) {
        body.put("strategy", strategy);
      }
      putIf(body, "healthyDeadline", healthyDeadline);
      putIf(body, "selector", selector);
      putIf(body, "hosts", hosts);
      putIf(body, "reason", reason);
      return body;
    }
  }

  static void putIf(Map<String, Object> map, String key, Object value) {
    if (value != null) {
      map.put(key, value);
    }
  }

  @Command(
      name = "login",
      description = "Saves the api's URL and a token for the commands that follow.",
      footer = {"", "Example:", "  cast login --api https://cast.example.com --token cast_…"})
  static final class Login extends Base {
    @Override
    public Integer call() throws Exception {
      String token = api.token();
      if (token == null) {
        throw new CliFailure(
            CliFailure.BAD_INPUT,
            "no token: give --token, set CAST_TOKEN, or run this where the server's"
                + " data/admin-token is");
      }
      api.token = token;
      api.get("/v1/apps"); // refused (401) when the token is not one the api knows
      Path file = Connection.save(api.api(), token);
      out().println("logged in to " + api.api() + "; saved in " + file);
      return 0;
    }
  }

  @Command(
      name = "push",
      description =
          "Uploads a release: a bundle (.tar.gz) or a directory with a cast.yml, packed on the fly.",
      footer = {"", "Examples:", "  cast push examples/hello", "  cast push hello-2.0.0.tar.gz"})
  static final class Push extends Base {
    @Parameters(paramLabel = "DIR|FILE")
    Path source;

    @Option(names = "--version", description = "override cast.yml's version (a directory only)")
    String version;

    @Override
    public Integer call() throws Exception {
      Path bundle = source;
      if (Files.isDirectory(source)) {
        bundle = Files.createTempFile("cast-push-", ".tar.gz");
        BundlePacker.pack(source, bundle, version);
      } else if (!Files.isRegularFile(source)) {
        throw new CliFailure(CliFailure.BAD_INPUT, source + " is neither a directory nor a file");
      }
      try {
        BundleInfo info = BundleInspector.inspect(bundle, Long.MAX_VALUE);
        String app = info.manifest().name();
        Path upload = bundle;
        JsonNode release = api.call(c -> c.pushBundle(app, upload)).body();
        return print(
            release,
            "pushed "
                + app
                + " "
                + release.path("version").asText()
                + " ("
                + release.path("size").asLong()
                + " bytes, sha256 "
                + release.path("sha256").asText()
                + ")");
      } finally {
        if (bundle != source) {
          Files.deleteIfExists(bundle);
        }
      }
    }
  }

  @Command(
      name = "deploy",
      description = "Deploys a release and follows it until it ends.",
      footer = {
        "",
        "Examples:",
        "  cast deploy hello 2.0.0",
        "  cast deploy hello 2.0.0 --canary 1 --promote manual --max-parallel 5 --selector role=web"
      })
  static final class Deploy extends Base {
    @Parameters(index = "0", paramLabel = "APP")
    String app;

    @Parameters(index = "1", paramLabel = "VERSION")
    String version;

    @Mixin RolloutOptions rollout;

    @Option(names = "--detach", description = "print the deployment's id and return at once")
    boolean detach;

    @Override
    public Integer call() {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("version", version);
      body.putAll(rollout.body());
      JsonNode started =
          api.call(c -> c.postJson("/v1/apps/" + path(app) + "/deployments", body)).body();
      return follow(started.path("id").asText(), detach);
    }
  }

  @Command(
      name = "config-rollout",
      description =
          "Re-renders the app's config templates from the registry on every host and rolls out"
              + " what changed, as a deploy does.",
      footer = {"", "Example:", "  cast config-rollout hello --canary 1"})
  static final class ConfigRollout extends Base {
    @Parameters(paramLabel = "APP")
    String app;

    @Mixin RolloutOptions rollout;

    @Option(names = "--detach", description = "print the deployment's id and return at once")
    boolean detach;

    @Override
    public Integer call() {
      JsonNode started =
          api.call(c -> c.postJson("/v1/apps/" + path(app) + "/config-rollouts", rollout.body()))
              .body();
      return follow(started.path("id").asText(), detach);
    }
  }

  @Command(
      name = "rollback",
      description =
          "Rolls an app back: every host to its own previous release, or all to VERSION; follows it.",
      footer = {
        "",
        "Examples:",
        "  cast rollback hello",
        "  cast rollback hello 1.0.0 --hosts web-1"
      })
  static final class Rollback extends Base {
    @Parameters(index = "0", paramLabel = "APP")
    String app;

    @Parameters(index = "1", paramLabel = "VERSION", arity = "0..1")
    String version;

    @Option(names = "--hosts", paramLabel = "HOST", split = ",", description = "these hosts only")
    List<String> hosts;

    @Option(
        names = "--rerender",
        description = "render the release's config with today's registry values")
    boolean rerender;

    @Option(names = "--reason", description = "why, for the record")
    String reason;

    @Option(names = "--detach", description = "print the deployment's id and return at once")
    boolean detach;

    @Override
    public Integer call() {
      Map<String, Object> body = new LinkedHashMap<>();
      putIf(body, "version", version);
      putIf(body, "hosts", hosts);
      putIf(body, "reason", reason);
      if (rerender) {
        body.put("rerender", true);
      }
      JsonNode started =
          api.call(c -> c.postJson("/v1/apps/" + path(app) + "/rollback", body)).body();
      return follow(started.path("id").asText(), detach);
    }
  }

  @Command(
      name = "watch",
      description = "Follows a deployment until it ends; the exit code says how it ended.",
      footer = {"", "Example:", "  cast watch d-abcdefghjk"})
  static final class Watch extends Base {
    @Parameters(paramLabel = "ID")
    String id;

    @Override
    public Integer call() {
      return follow(id, false);
    }
  }

  @Command(
      name = "status",
      description =
          "A deployment (ID), or an app: where each version runs and its last deployment.",
      footer = {"", "Examples:", "  cast status d-abcdefghjk", "  cast status hello"})
  static final class Status extends Base {
    @Parameters(paramLabel = "ID|APP")
    String what;

    @Override
    public Integer call() {
      if (what.matches("d-[a-z0-9]+")) {
        JsonNode d = api.get("/v1/deployments/" + what);
        StringBuilder text = new StringBuilder(Follower.header(d));
        for (JsonNode host : d.path("hosts")) {
          text.append(
              String.format(
                  "%n  %-20s %-12s %s",
                  host.path("host").asText(),
                  host.path("state").asText(),
                  host.path("message").asText("")));
        }
        if (d.path("cause").isTextual()) {
          text.append("\n  cause: ").append(d.path("cause").asText());
        }
        return print(d, text.toString());
      }
      JsonNode app = api.get("/v1/apps/" + path(what));
      StringBuilder text = new StringBuilder(what);
      for (JsonNode current : app.path("current")) {
        text.append(
            String.format(
                "%n  %-20s %s", current.path("host").asText(), current.path("version").asText()));
      }
      JsonNode deployments = api.get("/v1/apps/" + path(what) + "/deployments");
      if (deployments.size() > 0) {
        text.append("\n  last: ").append(Follower.header(deployments.get(0)));
      }
      return print(app, text.toString());
    }
  }

  /** A gate of a running deployment: promote, pause, resume or cancel. */
  abstract static class Gate extends Base {
    @Parameters(paramLabel = "ID")
    String id;

    abstract String action();

    @Override
    public Integer call() {
      JsonNode d =
          api.call(c -> c.postJson("/v1/deployments/" + path(id) + "/" + action(), Map.of()))
              .body();
      return print(d, action() + ": " + Follower.header(d));
    }
  }

  @Command(
      name = "promote",
      description = "Lets a canary deploy go on to the other hosts.",
      footer = {"", "Example:", "  cast promote d-abcdefghjk"})
  static final class Promote extends Gate {
    @Override
    String action() {
      return "promote";
    }
  }

  @Command(
      name = "pause",
      description = "Holds a deploy before its next batch.",
      footer = {"", "Example:", "  cast pause d-abcdefghjk"})
  static final class Pause extends Gate {
    @Override
    String action() {
      return "pause";
    }
  }

  @Command(
      name = "resume",
      description = "Lets a paused deploy go on (or starts an interrupted one again).",
      footer = {"", "Example:", "  cast resume d-abcdefghjk"})
  static final class Resume extends Gate {
    @Override
    String action() {
      return "resume";
    }
  }

  @Command(
      name = "cancel",
      description = "Cancels a deployment: every host it switched goes back.",
      footer = {"", "Example:", "  cast cancel d-abcdefghjk"})
  static final class Cancel extends Gate {
    @Override
    String action() {
      return "cancel";
    }
  }

  @Command(
      name = "history",
      description = "An app's deployments, newest first.",
      footer = {"", "Example:", "  cast history hello"})
  static final class History extends Base {
    @Parameters(paramLabel = "APP")
    String app;

    @Override
    public Integer call() {
      JsonNode list = api.get("/v1/apps/" + path(app) + "/deployments");
      List<String> lines = new ArrayList<>();
      for (JsonNode d : list) {
        lines.add(
            String.format(
                "%-14s %-9s %-12s %-12s %-24s %s",
                d.path("id").asText(),
                d.path("kind").asText(),
                d.path("version").asText(),
                d.path("state").asText(),
                d.path("startedAt").asText(),
                d.path("requestedBy").asText("")));
      }
      return print(list, String.join("\n", lines));
    }
  }

  @Command(
      name = "apps",
      description = "The apps and the versions their hosts run.",
      footer = {"", "Example:", "  cast apps"})
  static final class Apps extends Base {
    @Override
    public Integer call() {
      JsonNode apps = api.get("/v1/apps");
      List<String> lines = new ArrayList<>();
      for (JsonNode app : apps) {
        List<String> running = new ArrayList<>();
        app.path("current")
            .forEach(c -> running.add(c.path("host").asText() + "=" + c.path("version").asText()));
        lines.add(
            String.format(
                "%-24s %s",
                app.path("name").asText(app.path("app").asText()), String.join(" ", running)));
      }
      return print(apps, String.join("\n", lines));
    }
  }

  @Command(
      name = "releases",
      description = "An app's releases, newest first.",
      footer = {"", "Example:", "  cast releases hello"})
  static final class Releases extends Base {
    @Parameters(paramLabel = "APP")
    String app;

    @Override
    public Integer call() {
      JsonNode releases = api.get("/v1/apps/" + path(app) + "/releases");
      List<String> lines = new ArrayList<>();
      for (JsonNode r : releases) {
        lines.add(
            String.format(
                "%-16s %10d bytes  %s  %s",
                r.path("version").asText(),
                r.path("size").asLong(),
                r.path("createdAt").asText(),
                r.path("sha256").asText()));
      }
      return print(releases, String.join("\n", lines));
    }
  }

  @Command(
      name = "hosts",
      description = "The registered hosts: up or down, labels.",
      footer = {"", "Example:", "  cast hosts"})
  static final class Hosts extends Base {
    @Override
    public Integer call() {
      JsonNode hosts = api.get("/v1/hosts");
      List<String> lines = new ArrayList<>();
      for (JsonNode h : hosts) {
        lines.add(
            String.format(
                "%-20s %-5s %-16s %s",
                h.path("name").asText(),
                h.path("status").asText(h.path("state").asText("")),
                h.path("address").asText(),
                h.path("labels").toString()));
      }
      return print(hosts, String.join("\n", lines));
    }
  }

  @Command(
      name = "kv",
      description =
          "The registry's keys: get, put, del, ls, and watch (prints the value now and each new"
              + " one as it is written, until Ctrl-C; with --recurse, every key under a prefix).",
      footer = {
        "",
        "Examples:",
        "  cast kv put config/hello/greeting Bonjour",
        "  cast kv get config/hello/greeting",
        "  cast kv ls config/hello/",
        "  cast kv watch config/hello/greeting",
        "  cast kv watch config/hello/ --recurse --once",
        "  cast kv del config/hello/ --recurse"
      })
  static final class Kv extends Base {
    @Parameters(index = "0", paramLabel = "get|put|del|ls|watch")
    String verb;

    @Parameters(index = "1", paramLabel = "KEY")
    String key;

    @Parameters(index = "2", paramLabel = "VALUE", arity = "0..1")
    String value;

    @Option(
        names = "--recurse",
        description = "del: the key and every key under it; watch: every key under the prefix")
    boolean recurse;

    @Option(names = "--once", description = "watch: return after the first change")
    boolean once;

    @Override
    public Integer call() {
      String at = "/v1/kv/" + key;
      switch (verb) {
        case "get" -> {
          JsonNode entries = api.get(at);
          return print(entries, value(entries.get(0)));
        }
        case "put" -> {
          if (value == null) {
            throw new CliFailure(
                CliFailure.BAD_INPUT, "kv put needs a VALUE: cast kv put KEY VALUE");
          }
          JsonNode done =
              api.call(c -> c.putBytes(at, value.getBytes(StandardCharsets.UTF_8))).body();
          return print(done, done.asBoolean() ? "ok" : "not written");
        }
        case "del" -> {
          JsonNode done = api.call(c -> c.delete(at + (recurse ? "?recurse" : ""))).body();
          return print(done, "deleted");
        }
        case "ls" -> {
          JsonNode keys = api.get(at + "?keys");
          List<String> lines = new ArrayList<>();
          keys.forEach(k -> lines.add(k.asText()));
          return print(keys, String.join("\n", lines));
        }
        case "watch" -> {
          return watch(at + (recurse ? "?recurse" : ""));
        }
        default ->
            throw new CliFailure(
                CliFailure.BAD_INPUT,
                "unknown kv verb \"" + verb + "\"; use get, put, del, ls or watch");
      }
    }

    /**
     * Prints what {@code at} holds now, then each change as the registry's blocking reads report
     * it: the key's new value ("(absent)" once deleted), or under a prefix each key written
     * ("KEY=VALUE") or deleted ("KEY deleted"). With --once, returns after the first change.
     */
    private int watch(String at) {
      Map<String, String> before = null;
      long index = 0;
      while (true) {
        ApiClient.Watched answer = api.watch(at, index);
        Map<String, String> now = new TreeMap<>();
        if (answer.body().isArray()) {
          for (JsonNode entry : answer.body()) {
            now.put(entry.path("Key").asText(), value(entry));
          }
        }
        if (before == null) {
          if (recurse) {
            now.forEach((k, v) -> out().println(k + "=" + v));
          } else {
            out().println(now.getOrDefault(key, "(absent)"));
          }
        } else if (!now.equals(before)) {
          if (recurse) {
            Map<String, String> was = before;
            now.forEach(
                (k, v) -> {
                  if (!v.equals(was.get(k))) {
                    out().println(k + "=" + v);
                  }
                });
            was.keySet().stream()
                .filter(k -> !now.containsKey(k))
                .forEach(k -> out().println(k + " deleted"));
          } else {
            out().println(now.getOrDefault(key, "(absent)"));
          }
          if (once) {
            out().flush();
            return 0;
          }
        }
        out().flush();
        before = now;
        index = answer.index();
      }
    }

    private static String value(JsonNode entry) {
      return entry.path("Value").isNull()
          ? ""
          : new String(
              Base64.getDecoder().decode(entry.path("Value").asText()), StandardCharsets.UTF_8);
    }
  }

  @Command(
      name = "services",
      description = "A service's state on each host: state, pid, uptime, restarts, health.",
      footer = {"", "Example:", "  cast services hello web"})
  static final class Services extends Base {
    @Parameters(index = "0", paramLabel = "APP")
    String app;

    @Parameters(index = "1", paramLabel = "SERVICE")
    String service;

    @Override
    public Integer call() {
      JsonNode view = api.get("/v1/apps/" + path(app) + "/services/" + path(service));
      List<String> lines = new ArrayList<>();
      for (JsonNode h : view.path("hosts")) {
        lines.add(
            String.format(
                "%-20s %-10s %-9s pid %-8s up %6ss  restarts %-3d %s",
                h.path("host").asText(),
                h.path("version").asText(),
                h.path("state").asText(),
                h.path("pid").asText("-"),
                h.path("uptimeSeconds").asText("-"),
                h.path("restarts").asInt(),
                h.path("health").asText("")));
      }
      return print(view, String.join("\n", lines));
    }
  }

  @Command(
      name = "restart",
      description =
          "Restarts a service on its hosts, a batch at a time, each healthy before the next.",
      footer = {"", "Example:", "  cast restart hello web --max-parallel 2"})
  static final class Restart extends Base {
    @Parameters(index = "0", paramLabel = "APP")
    String app;

    @Parameters(index = "1", paramLabel = "SERVICE")
    String service;

    @Option(names = "--hosts", paramLabel = "HOST", split = ",", description = "these hosts only")
    List<String> hosts;

    @Option(
        names = "--max-parallel",
        paramLabel = "N",
        description = "hosts restarted at once (default 1)")
    Integer maxParallel;

    @Option(names = "--detach", description = "print the operation's id and return at once")
    boolean detach;

    @Override
    public Integer call() {
      Map<String, Object> body = new LinkedHashMap<>();
      putIf(body, "hosts", hosts);
      putIf(body, "maxParallel", maxParallel);
      JsonNode started =
          api.call(
                  c ->
                      c.postJson(
                          "/v1/apps/" + path(app) + "/services/" + path(service) + "/restart",
                          body))
              .body();
      return follow(started.path("id").asText(), detach);
    }
  }

  @Command(
      name = "logs",
      description = "A service's log on a host; -f keeps printing new lines.",
      footer = {"", "Example:", "  cast logs hello web --host web-1 --tail 50 -f"})
  static final class Logs extends Base {
    @Parameters(index = "0", paramLabel = "APP")
    String app;

    @Parameters(index = "1", paramLabel = "SERVICE")
    String service;

    @Option(names = "--host", paramLabel = "HOST", description = "the host (default: the only one)")
    String host;

    @Option(names = "--tail", paramLabel = "N", description = "last lines to print (default 100)")
    int tail = 100;

    @Option(
        names = {"-f", "--follow"},
        description = "keep printing new lines until Ctrl-C")
    boolean follow;

    @Override
    public Integer call() {
      StringBuilder query = new StringBuilder("?tail=" + tail + "&follow=" + follow);
      if (host != null) {
        query.append("&host=").append(path(host));
      }
      api.stream(
          "/v1/apps/" + path(app) + "/services/" + path(service) + "/logs" + query,
          line -> {
            out().println(line);
            out().flush();
          });
      return 0;
    }
  }

  @Command(
      name = "tokens",
      description = "Admins: make a token (its secret is shown once), list them, revoke one.",
      footer = {
        "",
        "Examples:",
        "  cast tokens create ci --role deployer --apps hello,shop-* --expires-in 90d",
        "  cast tokens list",
        "  cast tokens revoke t-abcdefghjk"
      })
  static final class Tokens extends Base {
    @Parameters(index = "0", paramLabel = "create|list|revoke")
    String verb;

    @Parameters(index = "1", paramLabel = "NAME|ID", arity = "0..1")
    String name;

    @Option(names = "--role", description = "viewer, deployer or admin")
    String role;

    @Option(
        names = "--apps",
        split = ",",
        paramLabel = "APP",
        description = "the apps it may act on (patterns with *)")
    List<String> apps;

    @Option(names = "--expires-in", paramLabel = "DURATION", description = "e.g. 90d")
    String expiresIn;

    @Override
    public Integer call() {
      switch (verb) {
        case "create" -> {
          Map<String, Object> body = new LinkedHashMap<>();
          putIf(body, "name", name);
          putIf(body, "role", role);
          putIf(body, "apps", apps);
          putIf(body, "expiresIn", expiresIn);
          JsonNode made = api.call(c -> c.postJson("/v1/tokens", body)).body();
          return print(
              made,
              made.path("id").asText()
                  + " "
                  + made.path("name").asText()
                  + " ("
                  + made.path("role").asText()
                  + "); its secret, shown once:\n"
                  + made.path("secret").asText());
        }
        case "list" -> {
          JsonNode tokens = api.get("/v1/tokens");
          List<String> lines = new ArrayList<>();
          for (JsonNode t : tokens) {
            lines.add(
                String.format(
                    "%-14s %-20s %-9s %s",
                    t.path("id").asText(),
                    t.path("name").asText(),
                    t.path("role").asText(),
                    t.path("apps").toString()));
          }
          return print(tokens, String.join("\n", lines));
        }
        case "revoke" -> {
          if (name == null) {
            throw new CliFailure(CliFailure.BAD_INPUT, "tokens revoke needs the token's ID");
          }
          JsonNode done = api.call(c -> c.delete("/v1/tokens/" + path(name))).body();
          return print(done, "revoked " + name);
        }
        default ->
            throw new CliFailure(
                CliFailure.BAD_INPUT,
                "unknown tokens verb \"" + verb + "\"; use create, list or revoke");
      }
    }
  }
}
