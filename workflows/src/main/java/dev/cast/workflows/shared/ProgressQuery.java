package dev.cast.workflows.shared;

import io.temporal.workflow.QueryMethod;

/** The live view every deployment-like workflow answers. */
public interface ProgressQuery {
  String NAME = "progress";

  @QueryMethod(name = NAME)
  DeploymentProgress progress();
}
