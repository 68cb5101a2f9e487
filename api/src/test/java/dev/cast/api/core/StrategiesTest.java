package dev.cast.api.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.cast.api.errors.ApiException;
import dev.cast.api.model.StrategyBody;
import dev.cast.workflows.deploy.Strategy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The deploy request's {@code strategy} read into the workflow's, without a server. */
class StrategiesTest {
  private static final Duration HEALTHY = Duration.ofSeconds(30);
  private static final Duration PROGRESS = Duration.ofMinutes(10);

  private static StrategyBody body(
      Integer maxParallel, Integer canary, String promote, String minHealthy, String progress) {
    return new StrategyBody(maxParallel, canary, promote, minHealthy, null, progress, null, null);
  }

  @Test
  void noStrategyIsOneHostAtATimeWithTheConfiguredProgressDeadline() {
    Strategy strategy = Strategies.parse(null, 4, HEALTHY, PROGRESS);

    assertThat(strategy.maxParallel()).isEqualTo(1);
    assertThat(strategy.canary()).isZero();
    assertThat(strategy.manualPromote()).isFalse();
    assertThat(strategy.minHealthyMillis()).isZero();
    assertThat(strategy.progressDeadlineMillis()).isEqualTo(PROGRESS.toMillis());
    assertThat(strategy.autoRevert()).isTrue();
    assertThat(strategy.maxUnavailable()).isZero();
  }

  @Test
  void aCanaryWithManualPromoteAndAWaitBetweenBatches() {
    Strategy strategy = Strategies.parse(body(3, 1, "manual", "10s", null), 10, HEALTHY, PROGRESS);

    assertThat(strategy.maxParallel()).isEqualTo(3);
    assertThat(strategy.canary()).isEqualTo(1);
    assertThat(strategy.manualPromote()).isTrue();
    assertThat(strategy.minHealthyMillis()).isEqualTo(10_000);
  }

  @Test
  void theDefaultProgressDeadlineNeverUndercutsALongHealthDeadlineAndWait() {
    Strategy strategy =
        Strategies.parse(body(null, null, null, "5m", null), 2, Duration.ofMinutes(20), PROGRESS);

    assertThat(strategy.progressDeadlineMillis())
        .isEqualTo(Duration.ofMinutes(20).plusMinutes(5).plusSeconds(60).toMillis());
  }

  @Test
  void aProgressDeadlineShorterThanTheHealthDeadlineIsRefusedNamingBoth() {
    assertThatThrownBy(
            () -> Strategies.parse(body(null, null, null, null, "20s"), 2, HEALTHY, PROGRESS))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("strategy.progressDeadline: 20s must be longer than healthyDeadline");
  }

  @Test
  void promoteIsManualOrAuto() {
    assertThatThrownBy(
            () -> Strategies.parse(body(null, null, "later", null, null), 2, HEALTHY, PROGRESS))
        .hasMessageContaining("strategy.promote: \"later\" is not manual or auto");
  }

  @Test
  void maxUnavailableIsACountOrAShareRoundedDown() {
    assertThat(Strategies.maxUnavailable(IntNode.valueOf(2), 10)).isEqualTo(2);
    assertThat(Strategies.maxUnavailable(TextNode.valueOf("3"), 10)).isEqualTo(3);
    assertThat(Strategies.maxUnavailable(TextNode.valueOf("25%"), 10)).isEqualTo(2);
    assertThat(Strategies.maxUnavailable(null, 10)).isZero();
    assertThatThrownBy(() -> Strategies.maxUnavailable(TextNode.valueOf("101%"), 10))
        .hasMessageContaining("strategy.maxUnavailable");
    assertThatThrownBy(() -> Strategies.maxUnavailable(IntNode.valueOf(-1), 10))
        .hasMessageContaining("strategy.maxUnavailable");
  }
}
