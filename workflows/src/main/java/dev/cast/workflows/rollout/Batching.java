package dev.cast.workflows.rollout;

import dev.cast.workflows.deploy.Strategy;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * A rollout's batches on one workflow, as a deploy and a config rollout run them: canaries first,
 * each batch switched and, with {@code minHealthyTime}, confirmed healthy after it; a pause holds
 * the rollout before its next batch and a manual canary waits for a promote, with the progress
 * clock stopped while a person is awaited. Workflow code only.
 */
public final class Batching {
  private final Rollout rollout;
  private final BooleanSupplier promoted;
  private final BooleanSupplier paused;

  /**
   * @param promoted whether the promote signal came
   * @param paused whether the rollout is paused now
   */
  public Batching(Rollout rollout, BooleanSupplier promoted, BooleanSupplier paused) {
    this.rollout = rollout;
    this.promoted = promoted;
    this.paused = paused;
  }

  /**
   * Switches the batches in order.
   *
   * @param done batches already switched before these (they count in the numbering)
   * @param total every batch of the rollout
   * @param lastStaysHealthy whether the last batch, too, must stay healthy for minHealthyTime;
   *     asked only when it is due (a deploy's answer is a version marker in its history)
   */
  public void run(
      List<List<String>> batches,
      Strategy strategy,
      int done,
      int total,
      BooleanSupplier lastStaysHealthy) {
    boolean canary = strategy.canary() > 0;
    for (int i = 0; i < batches.size(); i++) {
      int number = done + i + 1;
      awaitPerson(() -> !paused.getAsBoolean(), "paused", number, total);
      String phase = i == 0 && canary ? "canary" : "rolling out";
      rollout.phase(phase, number, total);
      rollout.activateBatch(batches.get(i), true);
      // A release that passes its checks and then crash-loops is reverted rather than reported
      // SUCCEEDED.
      if (strategy.minHealthyMillis() > 0
          && (i < batches.size() - 1 || lastStaysHealthy.getAsBoolean())) {
        rollout.phase(phase + ", staying healthy", number, total);
        Workflow.sleep(Duration.ofMillis(strategy.minHealthyMillis()));
        rollout.confirmHealthy(batches.get(i));
      }
      if (i == 0 && canary && strategy.manualPromote() && batches.size() > 1) {
        awaitPerson(promoted::getAsBoolean, "awaiting promote", number, total);
      }
    }
  }

  /** Waits for a person's signal with the progress clock stopped. */
  public void awaitPerson(BooleanSupplier until, String phase, int batch, int batches) {
    if (until.getAsBoolean()) {
      return;
    }
    rollout.phase(phase, batch, batches);
    rollout.hold(true);
    Workflow.await(until::getAsBoolean);
    rollout.hold(false);
  }
}
