package dev.cast.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ManifestParserTest {

  private static final String FULL =
      """
      name: hello   # the app
      version: 1.0.0
      services:
        web:
          command: ["python3", "server.py"]
          env: {GREETING: hi, WORKERS: 4, DEBUG: false, RATIO: 1.10}
          ports: [http, admin]
          health:
            http: {port: http, path: /health}
            interval: 500ms
            timeout: PT2S
            failures: 2
          stop: {signal: SIGINT, grace: 2m}
          restart: always
        worker:
          command: [./worker]
          health:
            tcp: {port: jobs}
          ports: [jobs]
          restart: never
        cron:
          command: [./cron]
          health:
            command: [./check.sh, --quick]
      hooks:
        pre_activate:  {command: ["./migrate.sh"], timeout: 1h}
        post_activate: {command: ["./notify.sh"]}
      shared: [data/, ./logs//app/]
      """;

  private static Manifest parse(String yaml) throws BundleException {
    return ManifestParser.parse(yaml.getBytes(StandardCharsets.UTF_8));
  }

  private static AbstractThrowableAssert<?, ?> refused(String yaml) {
    return assertThatThrownBy(() -> parse(yaml)).isInstanceOf(BundleException.class);
  }

  /** A minimal valid manifest whose single service "web" has the given extra lines. */
  private static String web(String serviceLines) {
    return "name: hello\nversion: 1.0.0\nservices:\n  web:\n    command: [./server]\n"
        + serviceLines.indent(4);
  }

  @Test
  void parsesEveryField() throws Exception {
    Manifest m = parse(FULL);

    assertThat(m.name()).isEqualTo("hello");
    assertThat(m.version()).isEqualTo("1.0.0");
    assertThat(m.services()).containsOnlyKeys("web", "worker", "cron");
    ServiceSpec web = m.services().get("web");
    assertThat(web.command()).containsExactly("python3", "server.py");
    assertThat(web.env())
        .containsExactly(
            Map.entry("GREETING", "hi"),
            Map.entry("WORKERS", "4"),
            Map.entry("DEBUG", "false"),
            Map.entry("RATIO", "1.10"));
    assertThat(web.ports()).containsExactly("http", "admin");
    assertThat(web.health())
        .isEqualTo(
            new HealthSpec(
                new HealthSpec.HttpCheck("http", "/health"),
                null,
                null,
                Duration.ofMillis(500),
                Duration.ofSeconds(2),
                2));
    assertThat(web.stop()).isEqualTo(new StopSpec("INT", Duration.ofMinutes(2)));
    assertThat(web.restart()).isEqualTo(RestartPolicy.ALWAYS);
    assertThat(m.services().get("worker").health().tcp())
        .isEqualTo(new HealthSpec.TcpCheck("jobs"));
    assertThat(m.services().get("worker").restart()).isEqualTo(RestartPolicy.NEVER);
    assertThat(m.services().get("cron").health().command())
        .containsExactly("./check.sh", "--quick");
    assertThat(m.hooks().preActivate())
        .isEqualTo(new HookSpec(List.of("./migrate.sh"), Duration.ofHours(1)));
    assertThat(m.hooks().postActivate())
        .isEqualTo(new HookSpec(List.of("./notify.sh"), Duration.ofSeconds(60)));
    assertThat(m.shared()).containsExactly("data", "logs/app");
  }

  @Test
  void appliesDefaults() throws Exception {
    Manifest m = parse(TarBuilder.MINIMAL_MANIFEST);

    ServiceSpec web = m.services().get("web");
    assertThat(web.env()).isEmpty();
    assertThat(web.ports()).isEmpty();
    assertThat(web.health()).isNull();
    assertThat(web.stop()).isEqualTo(new StopSpec("TERM", Duration.ofSeconds(10)));
    assertThat(web.restart()).isEqualTo(RestartPolicy.ON_FAILURE);
    assertThat(m.hooks()).isEqualTo(new Hooks(null, null));
    assertThat(m.shared()).isEmpty();
  }

  @Test
  void appliesHealthDefaults() throws Exception {
    HealthSpec health =
        parse(web("ports: [http]\nhealth: {http: {port: http}}")).services().get("web").health();

    assertThat(health.http()).isEqualTo(new HealthSpec.HttpCheck("http", "/"));
    assertThat(health.interval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(health.timeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(health.failures()).isEqualTo(3);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "health: {command: [x], failures: 0}|\"0\" must be a whole number of at least 1",
        "health: {command: [x], failures: -2}|\"-2\" must be a whole number of at least 1",
        "health: {command: [x], failures: often}|\"often\" must be a whole number of at least 1",
        "health: {command: [x], failures: 1.5}|\"1.5\" must be a whole number of at least 1",
      })
  void refusesBadFailures(String line, String expected) {
    refused(web(line)).hasMessage("cast.yml: services.web.health.failures: " + expected);
  }

  @Test
  void keepsFileOrderAndReturnsUnmodifiableCollections() throws Exception {
    Manifest m = parse(FULL);

    assertThat(m.services().keySet()).containsExactly("web", "worker", "cron");
    assertThatThrownBy(() -> m.services().clear())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> m.shared().add("x")).isInstanceOf(UnsupportedOperationException.class);
    ServiceSpec web = m.services().get("web");
    assertThatThrownBy(() -> web.env().put("A", "b"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> web.command().add("x"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> web.ports().add("x"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void keepsVersionAsWritten() throws Exception {
    assertThat(parse("name: a\nversion: 1.10\nservices: {w: {command: [x]}}").version())
        .isEqualTo("1.10");
  }

  @Test
  void refusesUnknownTopLevelField() {
    refused("name: a\nversion: '1'\nservics: {}\n")
        .hasMessage(
            "cast.yml: unknown field \"servics\" (known: name, version, services, hooks, shared,"
                + " templates)");
  }

  @Test
  void refusesUnknownNestedField() {
    refused(web("ports: [http]\nhealth: {http: {port: http, paht: /x}}"))
        .hasMessage(
            "cast.yml: services.web.health.http: unknown field \"paht\" (known: port, path)");
    refused(web("comand: [x]"))
        .hasMessageStartingWith(
            "cast.yml: services.web: unknown field \"comand\" (known: command,");
    refused(TarBuilder.MINIMAL_MANIFEST + "hooks: {pre_deploy: {command: [x]}}")
        .hasMessage(
            "cast.yml: hooks: unknown field \"pre_deploy\" (known: pre_activate, post_activate)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Hello", "-app", "my_app", "a.b", "''"})
  void refusesBadName(String name) {
    refused(TarBuilder.MINIMAL_MANIFEST.replace("name: hello", "name: " + name))
        .hasMessageStartingWith("cast.yml: name: \"")
        .hasMessageContaining("is not a valid app name");
  }

  @Test
  void refusesAnAliasNamingItsLine() {
    refused(
            "name: hello\nversion: '1'\nservices:\n  web:\n    command: [x]\n"
                + "    env: {A: &a one, B: *a}\n")
        .hasMessage(
            "cast.yml: services.web.env.B: uses the alias *a (line 6); aliases are not"
                + " supported: write the value out in full");
    refused("name: hello\nversion: *v\nservices:\n  web:\n    command: [x]\n")
        .hasMessage(
            "cast.yml: version: uses the alias *v (line 2); aliases are not supported: write the"
                + " value out in full");
  }

  @Test
  void refusesAnAnchorOnAScalarEvenWithoutAlias() {
    refused("name: hello\nversion: &v '1'\nservices:\n  web:\n    command: [x]\n")
        .hasMessage(
            "cast.yml: line 2: sets the anchor &v; anchors and aliases are not supported: write"
                + " each value out in full");
  }

  @Test
  void refusesAnAnchorOnAMapping() {
    refused(
            "name: hello\nversion: '1'\nservices:\n  web: &base\n    command: [x]\n"
                + "  other:\n    command: [y]\n")
        .hasMessageStartingWith("cast.yml: services.web: sets the anchor &base (line 4)");
  }

  @Test
  void refusesMissingName() {
    refused(TarBuilder.MINIMAL_MANIFEST.replace("name: hello\n", ""))
        .hasMessage("cast.yml: name: is required but missing");
  }

  @ParameterizedTest
  @ValueSource(strings = {"'.'", "'..'", ".hidden"})
  void refusesVersionsTheAgentCouldNotDeploy(String version) {
    refused(TarBuilder.MINIMAL_MANIFEST.replace("version: 1.0.0", "version: " + version))
        .hasMessageStartingWith("cast.yml: version: \"" + version.replace("'", "") + "\"")
        .hasMessageContaining("is not a valid version: it must not start with '.'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"'1.0 beta'", "1/2", "'é'", "[1, 2]"})
  void refusesBadVersion(String version) {
    refused(TarBuilder.MINIMAL_MANIFEST.replace("version: 1.0.0", "version: " + version))
        .hasMessageStartingWith("cast.yml: version: ");
  }

  @Test
  void refusesMissingCommand() {
    refused("name: a\nversion: '1'\nservices:\n  web:\n    restart: always\n")
        .hasMessage("cast.yml: services.web.command: is required but missing");
  }

  @Test
  void refusesCommandWrittenAsOneString() {
    refused("name: a\nversion: '1'\nservices:\n  web:\n    command: python3 server.py\n")
        .hasMessageStartingWith("cast.yml: services.web.command: must be a list of arguments")
        .hasMessageContaining("\"python3 server.py\"");
  }

  @Test
  void refusesEmptyCommandAndEmptyArgument() {
    refused("name: a\nversion: '1'\nservices: {web: {command: []}}")
        .hasMessageStartingWith("cast.yml: services.web.command: must not be empty");
    refused("name: a\nversion: '1'\nservices: {web: {command: [run, '']}}")
        .hasMessage("cast.yml: services.web.command[1]: must not be an empty string");
  }

  @Test
  void refusesEmptyServices() {
    refused("name: a\nversion: '1'\nservices: {}\n")
        .hasMessage("cast.yml: services: must declare at least one service");
    refused("name: a\nversion: '1'\n").hasMessageStartingWith("cast.yml: services: is required");
  }

  @Test
  void refusesBadServiceName() {
    refused("name: a\nversion: '1'\nservices: {Web: {command: [x]}}")
        .hasMessageStartingWith("cast.yml: services: \"Web\" is not a valid service name");
  }

  @Test
  void refusesHealthPortThatIsNotDeclared() {
    refused(web("ports: [http]\nhealth: {http: {port: admin, path: /}}"))
        .hasMessage(
            "cast.yml: services.web.health.http.port: \"admin\" is not one of the service's ports [http]");
    refused(web("health: {tcp: {port: http}}"))
        .hasMessage(
            "cast.yml: services.web.health.tcp.port: \"http\" is not one of the service's ports []");
  }

  @Test
  void refusesTwoHealthKinds() {
    refused(web("ports: [http]\nhealth: {http: {port: http}, tcp: {port: http}}"))
        .hasMessage(
            "cast.yml: services.web.health: set exactly one of http, tcp or command, found http and tcp");
    refused(web("health: {interval: 2s}"))
        .hasMessage(
            "cast.yml: services.web.health: set exactly one of http, tcp or command, found none");
  }

  @Test
  void refusesHealthPathWithoutLeadingSlash() {
    refused(web("ports: [http]\nhealth: {http: {port: http, path: health}}"))
        .hasMessage("cast.yml: services.web.health.http.path: \"health\" must start with /");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "health: {command: [x], interval: 1 sec}|services.web.health.interval: \"1 sec\" is not a duration",
        "health: {command: [x], timeout: 5}|services.web.health.timeout: \"5\" is not a duration",
        "stop: {grace: 0s}|services.web.stop.grace: \"0s\" must be positive",
        "stop: {grace: PT-1S}|services.web.stop.grace: \"PT-1S\" must be positive",
        "stop: {grace: 10d}|services.web.stop.grace: \"10d\" is not a duration",
      })
  void refusesBadDuration(String line, String expected) {
    refused(web(line)).hasMessageStartingWith("cast.yml: " + expected);
  }

  @Test
  void refusesBadHookTimeout() {
    refused(TarBuilder.MINIMAL_MANIFEST + "hooks: {post_activate: {command: [x], timeout: soon}}")
        .hasMessageStartingWith(
            "cast.yml: hooks.post_activate.timeout: \"soon\" is not a duration");
  }

  @Test
  void refusesBadRestartValue() {
    refused(web("restart: on_failure"))
        .hasMessage(
            "cast.yml: services.web.restart: \"on_failure\" is not a restart policy (use always, on-failure or never)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"STOP", "SIGSEGV", "9", "TERMINATE"})
  void refusesBadSignal(String signal) {
    refused(web("stop: {signal: " + signal + "}"))
        .hasMessageStartingWith(
            "cast.yml: services.web.stop.signal: \"" + signal + "\" is not a supported signal");
  }

  @Test
  void acceptsSignalWithOrWithoutSigPrefix() throws Exception {
    assertThat(parse(web("stop: {signal: SIGHUP}")).services().get("web").stop().signal())
        .isEqualTo("HUP");
    assertThat(parse(web("stop: {signal: usr1}")).services().get("web").stop().signal())
        .isEqualTo("USR1");
  }

  @Test
  void refusesWrongTypesNamingThePath() {
    refused(web("ports: http"))
        .hasMessageStartingWith("cast.yml: services.web.ports: must be a list like [http, admin]");
    refused(web("env: [A=b]"))
        .hasMessage("cast.yml: services.web.env: must be a mapping, got a list");
    refused(web("env: {A: [1]}"))
        .hasMessage("cast.yml: services.web.env.A: must be a single value, got a list");
    refused(web("stop: TERM"))
        .hasMessage(
            "cast.yml: services.web.stop: must be a mapping of fields, got the value \"TERM\"");
    refused("- a\n- b\n").hasMessage("cast.yml: must be a mapping of fields, got a list");
  }

  @Test
  void refusesBadPortsAndEnvNames() {
    refused(web("ports: [http, http]"))
        .hasMessage("cast.yml: services.web.ports[1]: \"http\" is listed twice");
    refused(web("ports: [8080]"))
        .hasMessageStartingWith(
            "cast.yml: services.web.ports[0]: \"8080\" is not a valid port name");
    refused(web("env: {MY-VAR: x}"))
        .hasMessageStartingWith(
            "cast.yml: services.web.env: \"MY-VAR\" is not a valid environment variable name");
  }

  @ParameterizedTest
  @ValueSource(strings = {"../data", "data/../../x", "/var/data", ".", "./"})
  void refusesSharedPathsOutsideTheRelease(String path) {
    refused(TarBuilder.MINIMAL_MANIFEST + "shared: ['" + path + "']")
        .hasMessageStartingWith("cast.yml: shared[0]: \"" + path + "\" must ");
  }

  @Test
  void refusesEmptyYaml() {
    refused("").hasMessage("cast.yml: is empty; it must at least set name, version and services");
    refused("# only a comment\n")
        .hasMessage("cast.yml: is empty; it must at least set name, version and services");
  }

  @Test
  void refusesInvalidYaml() {
    refused("name: [unclosed\nversion: 1\n")
        .hasMessage(
            "cast.yml: is not valid YAML (line 2, column 8): while parsing a flow sequence;"
                + " expected ',' or ']', but got :");
  }

  @Test
  void refusesDuplicateFields() {
    refused(TarBuilder.MINIMAL_MANIFEST + "name: again\n")
        .hasMessage("cast.yml: field \"name\" appears twice");
  }

  @Test
  void refusesSeveralDocuments() {
    refused(TarBuilder.MINIMAL_MANIFEST + "---\n" + TarBuilder.MINIMAL_MANIFEST)
        .hasMessage("cast.yml: holds more than one YAML document; keep only one");
  }

  @Test
  void exceptionSeparatesWhereFromProblem() {
    BundleException e = new BundleException("cast.yml: services.web", "bad");

    assertThat(e.where()).isEqualTo("cast.yml: services.web");
    assertThat(e.problem()).isEqualTo("bad");
    assertThat(e.getMessage()).isEqualTo("cast.yml: services.web: bad");
  }
}
