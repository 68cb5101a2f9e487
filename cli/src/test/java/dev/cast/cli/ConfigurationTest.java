package dev.cast.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cast.worker.AgentConfiguration;
import dev.cast.worker.AgentMain;
import io.dropwizard.configuration.ConfigurationException;
import io.dropwizard.configuration.DefaultConfigurationFactoryFactory;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.validation.BaseValidator;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** config.yml and agent.yml are read the way `cast server` and `cast agent` read them. */
class ConfigurationTest {
  @TempDir Path dir;

  private ServerConfiguration server(Path file) throws Exception {
    return new DefaultConfigurationFactoryFactory<ServerConfiguration>()
        .create(
            ServerConfiguration.class,
            BaseValidator.newValidator(),
            Jackson.newObjectMapper(),
            "dw")
        .build(
            new SubstitutingSourceProvider(
                new FileConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(false)),
            file.toString());
  }

  @Test
  void theShippedConfigRunsEverythingEmbedded() throws Exception {
    ServerConfiguration config = server(Path.of("../config.yml"));

    assertThat(config.getTemporal().embedded()).isTrue();
    assertThat(config.getTemporal().sticky())
        .as("sticky execution: the embedded server lives and dies with the api's worker")
        .isTrue();
    assertThat(config.getAgent().isEnabled()).isTrue();
    assertThat(config.getDeploy().getKeepReleases()).isEqualTo(5);
  }

  @Test
  void anUnknownServerKeyIsNamed() throws Exception {
    Path file = dir.resolve("config.yml");
    Files.writeString(file, "temporal:\n  target: embedded\n  tagret: x\n");

    assertThatThrownBy(() -> server(file))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("temporal.tagret");
  }

  @Test
  void anUnknownAgentKeyIsNamed() throws Exception {
    Path file = dir.resolve("agent.yml");
    Files.writeString(file, "name: web-1\nports: {from: 20000, to: 20010, step: 2}\n");

    assertThatThrownBy(() -> AgentMain.load(file.toFile()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("ports.step");
  }

  @Test
  void anInvertedPortRangeIsRefused() throws Exception {
    Path file = dir.resolve("agent.yml");
    Files.writeString(file, "ports: {from: 20010, to: 20000}\n");

    assertThatThrownBy(() -> AgentMain.load(file.toFile()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("ports.from must not be above ports.to");
  }

  @Test
  void agentDefaultsNeedNoFile() throws Exception {
    AgentConfiguration config = AgentMain.load((File) null);

    assertThat(config.getTemporal()).isEqualTo("127.0.0.1:7233");
    assertThat(config.getPorts().getFrom()).isEqualTo(20000);
    assertThat(config.isDirectWrites()).isTrue();
  }

  @Test
  void directWritesCanBeTurnedOff() throws Exception {
    Path file = dir.resolve("agent.yml");
    Files.writeString(file, "directWrites: false\n");

    assertThat(AgentMain.load(file.toFile()).isDirectWrites()).isFalse();
  }
}
