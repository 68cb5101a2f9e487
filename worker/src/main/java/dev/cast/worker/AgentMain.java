package dev.cast.worker;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.configuration.ConfigurationException;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.validation.BaseValidator;
import io.grpc.StatusRuntimeException;
import java.io.File;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;

/** Runs a standalone host agent until it is told to stop (SIGTERM, Ctrl-C). */
public final class AgentMain {
  private AgentMain() {}

  /**
   * Reads {@code agent.yml} (or defaults when {@code file} is null), with {@code ${ENV}}
   * substitution; unknown keys and invalid values fail with a message naming them.
   */
  public static AgentConfiguration load(File file) throws IOException, ConfigurationException {
    ObjectMapper mapper =
        Jackson.newObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    YamlConfigurationFactory<AgentConfiguration> factory =
        new YamlConfigurationFactory<>(
            AgentConfiguration.class, BaseValidator.newValidator(), mapper, "agent");
    if (file == null) {
      return factory.build();
    }
    return factory.build(
        new SubstitutingSourceProvider(
            new FileConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(false)),
        file.getPath());
  }

  /** Starts the agent and blocks until the JVM is asked to stop. */
  public static void run(AgentConfiguration config) throws Exception {
    Agent agent = new Agent(config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  agent.close();
                  stopped.countDown();
                },
                "cast-agent-shutdown"));
    try {
      agent.start();
    } catch (StatusRuntimeException e) {
      throw new IllegalStateException(
          "cannot reach Temporal at "
              + config.getTemporal()
              + " ("
              + e.getStatus().getCode()
              + "); start `cast server` there or pass --temporal host:port",
          e);
    }
    stopped.await();
  }
}
