package dev.cast.bundle;

import static dev.cast.bundle.YamlTree.absent;
import static dev.cast.bundle.YamlTree.child;
import static dev.cast.bundle.YamlTree.index;
import static dev.cast.bundle.YamlTree.text;
import static dev.cast.bundle.YamlTree.where;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Parses and validates {@code cast.yml}. Strict: unknown fields, wrong types and invalid values are
 * refused with a {@link BundleException} naming the path of the offending value. Defaults are
 * applied, so every field of the result is non-null except {@link ServiceSpec#health()} and the two
 * {@link Hooks} commands. Maps keep file order; all collections are unmodifiable.
 */
public final class ManifestParser {

  static final Pattern PORT_NAME = Pattern.compile("[a-z][a-z0-9_-]{0,31}");
  static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  static final List<String> SIGNALS = List.of("TERM", "INT", "QUIT", "HUP", "USR1", "USR2", "KILL");

  private static final Duration DEFAULT_CHECK = Duration.ofSeconds(1);
  private static final Duration DEFAULT_GRACE = Duration.ofSeconds(10);
  private static final Duration DEFAULT_HOOK_TIMEOUT = Duration.ofSeconds(60);
  private static final String ARGV_EXAMPLE = "[\"python3\", \"server.py\"]";

  private ManifestParser() {}

  /**
   * Parses and validates a {@code cast.yml}.
   *
   * @param yaml the file's bytes (UTF-8)
   * @return the manifest, with defaults applied
   * @throws BundleException naming the path and the problem when the file is not a valid manifest
   */
  public static Manifest parse(byte[] yaml) throws BundleException {
    JsonNode root = YamlTree.read(yaml);
    if (absent(root)) {
      throw new BundleException(
          where(""), "is empty; it must at least set name, version and services");
    }
    ObjectNode top =
        YamlTree.mapping(
            root, "", "name", "version", "services", "hooks", "shared", ManifestTemplates.PATH);
    String name = named(top.get("name"), "name", NameRules::appProblem);
    String version = named(top.get("version"), "version", NameRules::versionProblem);
    Map<String, ServiceSpec> services = services(top.get("services"));
    Hooks hooks = hooks(top.get("hooks"));
    List<String> shared = shared(top.get("shared"));
    List<TemplateSpec> templates = ManifestTemplates.parse(top.get(ManifestTemplates.PATH), shared);
    return new Manifest(name, version, services, hooks, shared, templates);
  }

  private static Map<String, ServiceSpec> services(JsonNode node) throws BundleException {
    String path = "services";
    if (absent(node)) {
      throw new BundleException(
          where(path), "is required: declare at least one service, e.g. services: {web: ...}");
    }
    ObjectNode services = YamlTree.anyMapping(node, path);
    if (services.isEmpty()) {
      throw new BundleException(where(path), "must declare at least one service");
    }
    Map<String, ServiceSpec> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : YamlTree.fields(services)) {
      Optional<String> problem = NameRules.serviceProblem(e.getKey());
      if (problem.isPresent()) {
        throw new BundleException(where(path), problem.get());
      }
      out.put(e.getKey(), service(e.getValue(), child(path, e.getKey())));
    }
    return Collections.unmodifiableMap(out);
  }

  private static ServiceSpec service(JsonNode node, String path) throws BundleException {
    ObjectNode s =
        YamlTree.mapping(node, path, "command", "env", "ports", "health", "stop", "restart");
    List<String> command = argv(s.get("command"), child(path, "command"));
    Map<String, String> env = env(s.get("env"), child(path, "env"));
    List<String> ports = ports(s.get("ports"), child(path, "ports"));
    HealthSpec health = health(s.get("health"), child(path, "health"), ports);
    StopSpec stop = stop(s.get("stop"), child(path, "stop"));
    RestartPolicy restart = restart(s.get("restart"), child(path, "restart"));
    return new ServiceSpec(command, env, ports, health, stop, restart);
  }

  private static List<String> argv(JsonNode node, String path) throws BundleException {
    if (!absent(node) && node.isTextual()) {
      throw new BundleException(
          where(path),
          "must be a list of arguments like "
              + ARGV_EXAMPLE
              + ", not the single string \""
              + node.textValue()
              + "\"");
    }
    return YamlTree.strings(node, path, true, ARGV_EXAMPLE);
  }

  private static Map<String, String> env(JsonNode node, String path) throws BundleException {
    if (absent(node)) {
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : YamlTree.fields(YamlTree.anyMapping(node, path))) {
      if (!ENV_NAME.matcher(e.getKey()).matches()) {
        throw new BundleException(
            where(path),
            "\"" + e.getKey() + "\" is not a valid environment variable name (letters, digits, _)");
      }
      String valuePath = child(path, e.getKey());
      if (absent(e.getValue())) {
        throw new BundleException(where(valuePath), "has no value; write \"\" for an empty one");
      }
      out.put(e.getKey(), text(e.getValue(), valuePath));
    }
    return Collections.unmodifiableMap(out);
  }

  private static List<String> ports(JsonNode node, String path) throws BundleException {
    if (absent(node)) {
      return List.of();
    }
    List<String> ports = YamlTree.strings(node, path, false, "[http, admin]");
    for (int i = 0; i < ports.size(); i++) {
      String port = ports.get(i);
      if (!PORT_NAME.matcher(port).matches()) {
        throw new BundleException(
            where(index(path, i)),
            "\"" + port + "\" is not a valid port name (" + PORT_NAME.pattern() + ")");
      }
      if (ports.indexOf(port) != i) {
        throw new BundleException(where(index(path, i)), "\"" + port + "\" is listed twice");
      }
    }
    return ports;
  }

  private static HealthSpec health(JsonNode node, String path, List<String> ports)
      throws BundleException {
    if (absent(node)) {
      return null;
    }
    ObjectNode h =
        YamlTree.mapping(node, path, "http", "tcp", "command", "interval", "timeout", "failures");
    List<String> kinds = new ArrayList<>();
    for (String kind : List.of("http", "tcp", "command")) {
      if (!absent(h.get(kind))) {
        kinds.add(kind);
      }
    }
    if (kinds.size() != 1) {
      throw new BundleException(
          where(path),
          "set exactly one of http, tcp or command, found "
              + (kinds.isEmpty() ? "none" : String.join(" and ", kinds)));
    }
    HealthSpec.HttpCheck http = null;
    HealthSpec.TcpCheck tcp = null;
    List<String> command = null;
    switch (kinds.get(0)) {
      case "http" -> {
        String p = child(path, "http");
        ObjectNode o = YamlTree.mapping(h.get("http"), p, "port", "path");
        String port = port(o.get("port"), child(p, "port"), ports);
        String urlPath = absent(o.get("path")) ? "/" : text(o.get("path"), child(p, "path"));
        if (!urlPath.startsWith("/")) {
          throw new BundleException(
              where(child(p, "path")), "\"" + urlPath + "\" must start with /");
        }
        http = new HealthSpec.HttpCheck(port, urlPath);
      }
      case "tcp" -> {
        String p = child(path, "tcp");
        ObjectNode o = YamlTree.mapping(h.get("tcp"), p, "port");
        tcp = new HealthSpec.TcpCheck(port(o.get("port"), child(p, "port"), ports));
      }
      default -> command = argv(h.get("command"), child(path, "command"));
    }
    Duration interval = duration(h.get("interval"), child(path, "interval"), DEFAULT_CHECK);
    Duration timeout = duration(h.get("timeout"), child(path, "timeout"), DEFAULT_CHECK);
    int failures = failures(h.get("failures"), child(path, "failures"));
    return new HealthSpec(http, tcp, command, interval, timeout, failures);
  }

  private static int failures(JsonNode node, String path) throws BundleException {
    if (absent(node)) {
      return HealthSpec.DEFAULT_FAILURES;
    }
    String written = text(node, path);
    try {
      int failures = Integer.parseInt(written.strip());
      if (failures >= 1) {
        return failures;
      }
    } catch (NumberFormatException e) {
      // Reported below.
    }
    throw new BundleException(
        where(path), "\"" + written + "\" must be a whole number of at least 1");
  }

  private static String port(JsonNode node, String path, List<String> ports)
      throws BundleException {
    String port = text(node, path);
    if (!ports.contains(port)) {
      throw new BundleException(
          where(path),
          "\"" + port + "\" is not one of the service's ports [" + String.join(", ", ports) + "]");
    }
    return port;
  }

  private static StopSpec stop(JsonNode node, String path) throws BundleException {
    if (absent(node)) {
      return new StopSpec("TERM", DEFAULT_GRACE);
    }
    ObjectNode s = YamlTree.mapping(node, path, "signal", "grace");
    String signal = "TERM";
    if (!absent(s.get("signal"))) {
      String written = text(s.get("signal"), child(path, "signal"));
      signal = written.toUpperCase(Locale.ROOT);
      if (signal.startsWith("SIG")) {
        signal = signal.substring(3);
      }
      if (!SIGNALS.contains(signal)) {
        throw new BundleException(
            where(child(path, "signal")),
            "\"" + written + "\" is not a supported signal (use one of " + SIGNALS + ")");
      }
    }
    return new StopSpec(signal, duration(s.get("grace"), child(path, "grace"), DEFAULT_GRACE));
  }

  private static RestartPolicy restart(JsonNode node, String path) throws BundleException {
    if (absent(node)) {
      return RestartPolicy.ON_FAILURE;
    }
    String written = text(node, path);
    for (RestartPolicy policy : RestartPolicy.values()) {
      if (policy.yaml().equals(written)) {
        return policy;
      }
    }
    throw new BundleException(
        where(path),
        "\"" + written + "\" is not a restart policy (use always, on-failure or never)");
  }

  private static Hooks hooks(JsonNode node) throws BundleException {
    if (absent(node)) {
      return new Hooks(null, null);
    }
    ObjectNode h = YamlTree.mapping(node, "hooks", "pre_activate", "post_activate");
    return new Hooks(
        hook(h.get("pre_activate"), "hooks.pre_activate"),
        hook(h.get("post_activate"), "hooks.post_activate"));
  }

  private static HookSpec hook(JsonNode node, String path) throws BundleException {
    if (absent(node)) {
      return null;
    }
    ObjectNode h = YamlTree.mapping(node, path, "command", "timeout");
    return new HookSpec(
        argv(h.get("command"), child(path, "command")),
        duration(h.get("timeout"), child(path, "timeout"), DEFAULT_HOOK_TIMEOUT));
  }

  private static List<String> shared(JsonNode node) throws BundleException {
    if (absent(node)) {
      return List.of();
    }
    List<String> written = YamlTree.strings(node, "shared", false, "[data/, logs/]");
    List<String> out = new ArrayList<>();
    for (int i = 0; i < written.size(); i++) {
      String path = index("shared", i);
      String normalized = sharedPath(written.get(i), path);
      if (out.contains(normalized)) {
        throw new BundleException(where(path), "\"" + normalized + "\" is listed twice");
      }
      out.add(normalized);
    }
    return List.copyOf(out);
  }

  private static String sharedPath(String written, String path) throws BundleException {
    if (written.startsWith("/")) {
      throw new BundleException(
          where(path), "\"" + written + "\" must be relative to the release dir, not absolute");
    }
    List<String> segments = new ArrayList<>();
    for (String segment : written.split("/")) {
      if (segment.equals("..")) {
        throw new BundleException(
            where(path), "\"" + written + "\" must stay inside the release dir (no ..)");
      }
      if (!segment.isEmpty() && !segment.equals(".")) {
        segments.add(segment);
      }
    }
    if (segments.isEmpty()) {
      throw new BundleException(
          where(path), "\"" + written + "\" must name a path inside the release dir");
    }
    return String.join("/", segments);
  }

  private static String named(JsonNode node, String path, Function<String, Optional<String>> rule)
      throws BundleException {
    String value = text(node, path);
    Optional<String> problem = rule.apply(value);
    if (problem.isPresent()) {
      throw new BundleException(where(path), problem.get());
    }
    return value;
  }

  private static Duration duration(JsonNode node, String path, Duration byDefault)
      throws BundleException {
    if (absent(node)) {
      return byDefault;
    }
    String written = text(node, path);
    Duration d =
        Durations.parse(written)
            .orElseThrow(
                () ->
                    new BundleException(
                        where(path),
                        "\""
                            + written
                            + "\" is not a duration (write e.g. 500ms, 1s, 2m, 1h or PT1S)"));
    if (d.isZero() || d.isNegative()) {
      throw new BundleException(where(path), "\"" + written + "\" must be positive");
    }
    return d;
  }
}
