package dev.cast.workflows.config;

import dev.cast.workflows.rollout.BatchGates;
import dev.cast.workflows.rollout.HostWatch;
import dev.cast.workflows.shared.DeploymentProgress;
import dev.cast.workflows.shared.ProgressQuery;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Rolls out a change of an app's configuration as a deploy rolls out a release. Every host
 * re-renders the templates of the release it runs at the registry's current index; hosts whose
 * files are unchanged are left alone and reported {@code unchanged}. The others apply their files
 * as the templates' {@code on_change} says: {@code rollout} hosts go in the strategy's batches
 * (canary, promote, pause, minHealthyTime, health deadline), with their services restarted and
 * checked; {@code restart}, {@code signal:<NAME>} and {@code none} hosts all at once, before them.
 * A failure puts every changed host's previous files back (services restarted or signalled again)
 * and ends {@code ROLLED_BACK}. Workflow id {@code config/<app>}.
 */
@WorkflowInterface
public interface ConfigRolloutWorkflow extends ProgressQuery, HostWatch, BatchGates {
  String TYPE = "ConfigRollout";

  @WorkflowMethod(name = TYPE)
  DeploymentProgress run(ConfigRolloutRequest request);
}
