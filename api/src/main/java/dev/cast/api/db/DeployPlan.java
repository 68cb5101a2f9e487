package dev.cast.api.db;

import dev.cast.workflows.deploy.Strategy;

/**
 * What a deploy was started with beyond its release and hosts: enough to start it again the same
 * way when its workflow was lost.
 *
 * @param strategy the rollout strategy as the workflow got it (batches, canary, gates, deadlines)
 * @param healthyDeadlineMillis how long each host's services had to pass their checks
 */
public record DeployPlan(Strategy strategy, long healthyDeadlineMillis) {}
