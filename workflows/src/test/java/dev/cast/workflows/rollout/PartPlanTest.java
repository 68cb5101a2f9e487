package dev.cast.workflows.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PartPlanTest {
  private static List<String> hosts(String prefix, int n) {
    return IntStream.rangeClosed(1, n).mapToObj(i -> prefix + i).toList();
  }

  @Test
  void smallBatchesShareAPartUpToItsHosts() {
    List<List<String>> batches = List.of(List.of("a"), List.of("b"), List.of("c"), List.of("d"));

    List<List<PartPlan.Part>> steps = PartPlan.steps(batches, 3, 0);

    assertThat(steps).hasSize(2);
    assertThat(steps.get(0)).containsExactly(new PartPlan.Part(batches.subList(0, 3), 1));
    assertThat(steps.get(1)).containsExactly(new PartPlan.Part(batches.subList(3, 4), 4));
  }

  @Test
  void aBatchLargerThanAPartIsSwitchedInSlicesSideBySide() {
    List<String> big = hosts("h", 5);
    List<List<PartPlan.Part>> steps = PartPlan.steps(List.of(List.of("c"), big), 2, 0);

    assertThat(steps).hasSize(2);
    assertThat(steps.get(0)).containsExactly(new PartPlan.Part(List.of(List.of("c")), 1));
    assertThat(steps.get(1))
        .containsExactly(
            new PartPlan.Part(List.of(List.of("h1", "h2")), 2),
            new PartPlan.Part(List.of(List.of("h3", "h4")), 2),
            new PartPlan.Part(List.of(List.of("h5")), 2));
  }

  @Test
  void theCanaryThatWaitsForAPromoteHasAStepOfItsOwn() {
    List<List<String>> batches = List.of(List.of("a"), List.of("b"), List.of("c"));

    assertThat(PartPlan.steps(batches, 10, 1))
        .containsExactly(
            List.of(new PartPlan.Part(batches.subList(0, 1), 1)),
            List.of(new PartPlan.Part(batches.subList(1, 3), 2)));
  }

  @Test
  void tenThousandHostsInBatchesOfOneMakeFewParts() {
    List<List<String>> batches = hosts("h", 10_000).stream().map(List::of).toList();

    List<List<PartPlan.Part>> steps = PartPlan.steps(batches, 250, 0);

    // 100 batches per part at most: 100 parts, each of 100 hosts.
    assertThat(steps).hasSize(100);
    assertThat(steps).allSatisfy(step -> assertThat(step.get(0).batches()).hasSize(100));
  }
}
