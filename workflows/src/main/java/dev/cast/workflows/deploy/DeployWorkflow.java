package dev.cast.workflows.deploy;

import dev.cast.workflows.rollout.BatchGates;
import dev.cast.workflows.rollout.HostWatch;
import dev.cast.workflows.shared.DeploymentProgress;
import dev.cast.workflows.shared.ProgressQuery;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Puts a release on hosts: stage on every host in parallel, then per host activate, wait healthy,
 * run post_activate and record it in the catalog; then prune old releases. Any failure puts every
 * host already touched back on its previous release and ends {@code ROLLED_BACK} with the cause.
 * Hosts switch in batches of {@code maxParallel}, canaries first; a manual canary waits for the
 * {@code promote} signal, and {@code pause}/{@code resume} hold the rollout between batches. A
 * cancel request reverts what was switched and ends CANCELLED. Workflow id {@code deploy/<app>}:
 * one deploy per app at a time.
 */
@WorkflowInterface
public interface DeployWorkflow extends ProgressQuery, HostWatch, BatchGates {
  String TYPE = "Deploy";

  @WorkflowMethod(name = TYPE)
  DeploymentProgress run(DeployRequest request);
}
