package dev.cast.activities.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cast.activities.supervisor.RestartDecider.Decision;
import dev.cast.activities.supervisor.RestartDecider.Outcome;
import dev.cast.bundle.RestartPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RestartDeciderTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  /** 100 ms doubling up to 1 s, reset after 30 s up; 3 restarts within 10 s is a crash loop. */
  static final SupervisorSettings SETTINGS =
      new SupervisorSettings(
          Duration.ofMillis(100),
          Duration.ofSeconds(1),
          Duration.ofSeconds(30),
          3,
          Duration.ofSeconds(10),
          1 << 20,
          2);

  final RestartDecider decider = new RestartDecider(SETTINGS);

  Decision crashAt(Instant when) {
    return decider.afterExit(RestartPolicy.ON_FAILURE, true, null, when);
  }

  @Test
  void neverDoesNotRestartEvenAFailure() {
    assertThat(decider.afterExit(RestartPolicy.NEVER, true, null, T0).outcome())
        .isEqualTo(Outcome.STOP);
  }

  @Test
  void onFailureDoesNotRestartACleanExit() {
    assertThat(decider.afterExit(RestartPolicy.ON_FAILURE, false, null, T0).outcome())
        .isEqualTo(Outcome.STOP);
  }

  @Test
  void alwaysRestartsACleanExitAfterTheInitialBackoff() {
    Decision decision = decider.afterExit(RestartPolicy.ALWAYS, false, null, T0);

    assertThat(decision.outcome()).isEqualTo(Outcome.RESTART);
    assertThat(decision.delay()).isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void backoffDoublesUpToTheMaximum() {
    RestartDecider roomy = new RestartDecider(withCrashLoop(100, Duration.ofSeconds(10)));
    List<Long> delays = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      delays.add(
          roomy.afterExit(RestartPolicy.ALWAYS, true, null, T0.plusSeconds(i)).delay().toMillis());
    }

    assertThat(delays).containsExactly(100L, 200L, 400L, 800L, 1000L, 1000L);
  }

  @Test
  void givesUpAfterTooManyRestartsWithinTheWindow() {
    crashAt(T0);
    crashAt(T0.plusSeconds(1));
    crashAt(T0.plusSeconds(2));

    Decision fourth = crashAt(T0.plusSeconds(3));

    assertThat(fourth.outcome()).isEqualTo(Outcome.GIVE_UP);
    assertThat(fourth.recentRestarts()).isEqualTo(3);
    assertThat(fourth.delay()).isNull();
  }

  @Test
  void restartsThatLeftTheWindowNoLongerCount() {
    crashAt(T0);
    crashAt(T0.plusSeconds(1));
    crashAt(T0.plusSeconds(2));

    Decision later = crashAt(T0.plusSeconds(12));

    assertThat(later.outcome()).isEqualTo(Outcome.RESTART);
    assertThat(later.recentRestarts()).isEqualTo(1);
  }

  @Test
  void aProcessThatStayedUpLongEnoughStartsTheBackoffAgain() {
    crashAt(T0);
    crashAt(T0.plusSeconds(1));
    Instant upSince = T0.plusSeconds(2);
    Instant crash = upSince.plusSeconds(30);

    Decision decision = decider.afterExit(RestartPolicy.ON_FAILURE, true, upSince, crash);

    assertThat(decision.delay()).isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void aShortRunKeepsTheBackoffGrowing() {
    crashAt(T0);
    Instant upSince = T0.plusSeconds(1);

    Decision decision =
        decider.afterExit(RestartPolicy.ON_FAILURE, true, upSince, upSince.plusSeconds(29));

    assertThat(decision.delay()).isEqualTo(Duration.ofMillis(200));
  }

  @Test
  void resetForgetsRestartsAndBackoff() {
    crashAt(T0);
    crashAt(T0.plusSeconds(1));
    crashAt(T0.plusSeconds(2));

    decider.reset();
    Decision decision = crashAt(T0.plusSeconds(3));

    assertThat(decision.outcome()).isEqualTo(Outcome.RESTART);
    assertThat(decision.delay()).isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void givingUpSaysHowManyRestartsInWhichWindow() {
    crashAt(T0);
    crashAt(T0.plusSeconds(1));
    crashAt(T0.plusSeconds(2));
    Decision decision = crashAt(T0.plusSeconds(3));

    assertThat(decider.givingUp("exited with code 1", decision))
        .isEqualTo("exited with code 1; gave up after 3 restarts within 10s");
  }

  static SupervisorSettings withCrashLoop(int restarts, Duration window) {
    return new SupervisorSettings(
        SETTINGS.backoffInitial(),
        SETTINGS.backoffMax(),
        SETTINGS.backoffReset(),
        restarts,
        window,
        SETTINGS.logMaxBytes(),
        SETTINGS.logKeep());
  }
}
