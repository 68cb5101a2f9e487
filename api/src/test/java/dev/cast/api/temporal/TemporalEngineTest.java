package dev.cast.api.temporal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cast.api.config.TemporalSettings;
import dev.cast.connect.TemporalConnection;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How Cast connects to Temporal, and what it says when it cannot. */
class TemporalEngineTest {
  @TempDir Path dataDir;

  @Test
  void theEmbeddedServerGetsCastsSearchAttributesAndHasNoUi() throws Exception {
    TemporalSettings settings = new TemporalSettings();
    settings.setEmbeddedPort(0);
    TemporalEngine engine = new TemporalEngine(settings, dataDir);
    engine.start();
    try {
      assertThat(engine.searchable())
          .containsExactlyInAnyOrder(
              "CastApp",
              "CastVersion",
              "CastKind",
              "CastDeployment",
              "CastRequestedBy",
              "CastPhase");
      assertThat(engine.uiUrl()).isNull();
      assertThat(engine.workflowUrl("deploy/hello", "r-1")).isNull();
    } finally {
      engine.stop();
    }
  }

  @Test
  void aClusterThatDoesNotAnswerStopsTheStartWithWhatToCheck() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    TemporalSettings settings = new TemporalSettings();
    settings.setTarget("127.0.0.1:" + closed);
    settings.setApiKey("secret-key");
    assertThatThrownBy(() -> new TemporalEngine(settings, dataDir).start())
        .isInstanceOf(IOException.class)
        .hasMessageContaining("cannot reach the Temporal server at 127.0.0.1:" + closed)
        .hasMessageContaining("with an API key")
        .hasMessageContaining("check temporal.target, temporal.tls and temporal.apiKey")
        .hasMessageNotContaining("secret-key");
  }

  @Test
  void halfATlsKeyPairIsRefusedBeforeAnyConnection() {
    TemporalSettings settings = new TemporalSettings();
    settings.setTarget("temporal.example:7233");
    settings.setTls(new TemporalConnection.Tls("/etc/cast/client.pem", null, null, null));
    assertThatThrownBy(() -> new TemporalEngine(settings, dataDir).start())
        .isInstanceOf(IOException.class)
        .hasMessageContaining("temporal.tls needs both clientCert and clientKey");
  }

  @Test
  void aWorkflowsUiPageIsUnderItsNamespaceWithItsIdEncoded() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    TemporalSettings settings = new TemporalSettings();
    settings.setTarget("127.0.0.1:" + closed);
    settings.setNamespace("cast prod");
    settings.setUiUrl("https://temporal.example/");
    TemporalEngine engine = new TemporalEngine(settings, dataDir);
    assertThatThrownBy(engine::start).isInstanceOf(IOException.class);
    assertThat(engine.workflowUrl("deploy/hello", "0193-ab"))
        .isEqualTo(
            "https://temporal.example/namespaces/cast%20prod/workflows/deploy%2Fhello/0193-ab/history");
  }
}
