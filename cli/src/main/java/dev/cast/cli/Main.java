package dev.cast.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import dev.cast.bundle.BundleInfo;
import dev.cast.bundle.BundlePacker;
import dev.cast.cli.client.CliFailure;
import dev.cast.cli.client.ClientCommands;
import dev.cast.worker.AgentConfiguration;
import dev.cast.worker.AgentMain;
import io.dropwizard.logging.common.BootstrapLogging;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The {@code cast} command. */
@Command(
    name = "cast",
    mixinStandardHelpOptions = true,
    version = "cast 0.1.0",
    description = {
      "Cast deploys release bundles to hosts as Temporal workflows behind a REST API.",
      "Server side: server, agent, demo, bundle. Client side (any api, with --api and --token, or"
          + " `cast login`): the other commands. Exit codes: 0 done, 1 a deployment failed or was"
          + " rolled back, 2 the request was refused, 3 cancelled, 4 the api is unreachable."
    },
    subcommands = {
      Main.Server.class,
      Main.AgentCommand.class,
      Demo.class,
      Main.Bundle.class,
      CommandLine.HelpCommand.class
    })
public final class Main {

  public static void main(String[] args) {
    CommandLine cast = commandLine();
    int code = cast.execute(args);
    // Servers return once started and live on in their own threads; a client command is done.
    CommandLine.ParseResult parsed = cast.getParseResult();
    boolean client =
        parsed != null
            && parsed.subcommand() != null
            && parsed.subcommand().commandSpec().userObject() instanceof ClientCommands.Base;
    if (code != 0 || client) {
      System.exit(code);
    }
  }

  /** {@code cast} with every subcommand, server side and client side. */
  public static CommandLine commandLine() {
    CommandLine cast = new CommandLine(new Main());
    for (Class<?> command : ClientCommands.ALL) {
      cast.addSubcommand(command);
    }
    return cast.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          // Errors a user can fix are one line; CAST_DEBUG=1 shows the stack trace.
          cmd.getErr().println("cast " + cmd.getCommandName() + ": " + e.getMessage());
          if (System.getenv("CAST_DEBUG") != null) {
            e.printStackTrace(cmd.getErr());
          }
          cmd.getErr().flush();
          return e instanceof CliFailure failure ? failure.code() : 1;
        });
  }

  @Command(
      name = "server",
      mixinStandardHelpOptions = true,
      description =
          "Runs the api (REST), the control worker, an embedded Temporal server (unless"
              + " temporal.target names one) and a local host agent, as config.yml says.")
  static final class Server implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "CONFIG", description = "default: config.yml")
    File config = new File("config.yml");

    @Override
    public Integer call() throws Exception {
      requireFile(config);
      new ServerApplication().run("server", config.getPath());
      return 0;
    }
  }

  @Command(
      name = "agent",
      mixinStandardHelpOptions = true,
      description =
          "Runs a host agent: it polls Temporal task queue host-<name>, stages and runs releases"
              + " under --data-dir, and registers with the api. Flags override agent.yml.")
  static final class AgentCommand implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "AGENT_YML", description = "optional agent.yml")
    File config;

    @Option(names = "--name", description = "host name (default: the machine's hostname)")
    String name;

    @Option(names = "--data-dir", description = "default: data/agent")
    String dataDir;

    @Option(names = "--api", description = "api base URL (default: http://127.0.0.1:8080)")
    String api;

    @Option(
        names = "--temporal",
        description = "Temporal frontend host:port (default: 127.0.0.1:7233)")
    String temporal;

    @Option(names = "--address", description = "address others reach this host's services at")
    String address;

    @Option(
        names = "--token",
        description = "the agent token (the server's agents.token or its <dataDir>/agent-token)")
    String token;

    @Option(
        names = "--ca-cert",
        description =
            "the CA (PEM file, or PKCS12/JKS keystore) trusted for an https:// api; default: the"
                + " JVM's trusted CAs")
    String caCert;

    @Option(
        names = "--labels",
        split = ",",
        description = "host labels, e.g. --labels role=web,zone=a")
    Map<String, String> labels;

    @Override
    public Integer call() throws Exception {
      logCastAtInfo();
      if (config != null) {
        requireFile(config);
      }
      AgentConfiguration settings = AgentMain.load(config);
      if (name != null) settings.setName(name);
      if (dataDir != null) settings.setDataDir(dataDir);
      if (api != null) settings.setApi(api);
      if (temporal != null) settings.setTemporal(temporal);
      if (address != null) settings.setAddress(address);
      if (token != null) settings.setToken(token);
      if (caCert != null) settings.setCaCert(caCert);
      if (labels != null) settings.getLabels().putAll(labels);
      AgentMain.run(settings);
      return 0;
    }

    /**
     * The agent's own lines (registered, fetched or resumed a bundle, adopted or restarted a
     * service) at INFO, so its output tells what it did; libraries only warn.
     */
    private static void logCastAtInfo() {
      BootstrapLogging.bootstrap(Level.INFO);
      LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
      context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.WARN);
      context.getLogger("dev.cast").setLevel(Level.INFO);
    }
  }

  @Command(
      name = "bundle",
      description =
          "Packs a directory with a cast.yml at its root into a release bundle (.tar.gz).")
  static final class Bundle implements Callable<Integer> {
    // No mixinStandardHelpOptions: its --version would clash with the bundle's --version.
    @Option(
        names = {"-h", "--help"},
        usageHelp = true,
        description = "Show this help message and exit.")
    boolean help;

    @Parameters(index = "0", paramLabel = "DIR")
    Path dir;

    @Option(names = "--version", description = "override cast.yml's version")
    String version;

    @Option(names = "--manifest", description = "use this file as cast.yml instead of DIR/cast.yml")
    Path manifest;

    @Option(
        names = {"-o", "--output"},
        required = true,
        description = "the .tar.gz to write")
    Path output;

    @Override
    public Integer call() throws Exception {
      BundleInfo info = Bundles.pack(dir, manifest, version, output);
      System.out.printf(
          "%s: %s@%s, %d bytes, sha256 %s%n",
          output, info.manifest().name(), info.manifest().version(), info.size(), info.sha256());
      return 0;
    }
  }

  static void requireFile(File file) {
    if (!file.isFile()) {
      throw new CommandLine.ParameterException(
          new CommandLine(new Main()), "config file not found: " + file);
    }
  }

  /** Packs a bundle, optionally with another manifest in place of DIR/cast.yml. */
  static final class Bundles {
    private Bundles() {}

    static BundleInfo pack(Path dir, Path manifest, String version, Path output) throws Exception {
      if (output.toAbsolutePath().getParent() != null) {
        Files.createDirectories(output.toAbsolutePath().getParent());
      }
      if (manifest == null) {
        return BundlePacker.pack(dir, output, version);
      }
      Path copy = Files.createTempDirectory("cast-bundle-");
      try {
        try (var files = Files.walk(dir)) {
          for (Path source : (Iterable<Path>) files::iterator) {
            Path target = copy.resolve(dir.relativize(source).toString());
            if (Files.isDirectory(source)) {
              Files.createDirectories(target);
            } else {
              Files.copy(
                  source,
                  target,
                  StandardCopyOption.COPY_ATTRIBUTES,
                  StandardCopyOption.REPLACE_EXISTING);
            }
          }
        }
        Files.copy(manifest, copy.resolve("cast.yml"), StandardCopyOption.REPLACE_EXISTING);
        return BundlePacker.pack(copy, output, version);
      } finally {
        try (var files = Files.walk(copy)) {
          files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
  }
}
