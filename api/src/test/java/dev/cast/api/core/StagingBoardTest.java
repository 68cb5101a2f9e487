package dev.cast.api.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cast.workflows.host.StagingReport;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class StagingBoardTest {
  private final Map<String, Long> counted = new TreeMap<>();
  private final StagingBoard board =
      new StagingBoard((source, bytes) -> counted.merge(source, bytes, Long::sum));

  private static StagingReport report(long bytes, Map<String, Long> received, boolean done) {
    return new StagingReport("hello", "2.0.0", bytes, 1000, 100, 1, "torrent", received, done);
  }

  @Test
  void showsAFetchWhileItRunsAndCountsEachByteOnce() {
    board.report("web-1", List.of(report(100, Map.of("seed", 100L), false)), 0);
    board.report("web-1", List.of(report(600, Map.of("seed", 300L, "peer", 300L), false)), 500);

    assertThat(board.fetching("web-1", "hello", "2.0.0", 600))
        .get()
        .extracting(r -> r.bytes())
        .isEqualTo(600L);
    assertThat(board.fetching("web-1", "hello", "1.0.0", 600)).isEmpty();
    assertThat(board.fetching("web-2", "hello", "2.0.0", 600)).isEmpty();
    assertThat(counted).isEqualTo(Map.of("seed", 300L, "peer", 300L));

    board.report("web-1", List.of(report(1000, Map.of("seed", 300L, "peer", 700L), true)), 900);

    assertThat(board.fetching("web-1", "hello", "2.0.0", 900)).isEmpty();
    assertThat(counted).isEqualTo(Map.of("seed", 300L, "peer", 700L));
  }

  @Test
  void aNewAttemptCountsFromZeroAndASilentAgentsFetchIsNotShown() {
    board.report("web-1", List.of(report(400, Map.of("http", 400L), false)), 0);
    // The agent retried: its counts start again.
    board.report("web-1", List.of(report(150, Map.of("http", 150L), false)), 1000);

    assertThat(counted).isEqualTo(Map.of("http", 550L));
    assertThat(board.fetching("web-1", "hello", "2.0.0", 1000 + StagingBoard.STALE.toMillis()))
        .isPresent();
    assertThat(board.fetching("web-1", "hello", "2.0.0", 1001 + StagingBoard.STALE.toMillis()))
        .isEmpty();
  }
}
