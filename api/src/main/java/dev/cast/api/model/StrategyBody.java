package dev.cast.api.model;

/**
 * {@code strategy} of a deploy request.
 *
 * @param maxParallel hosts switched at once (default 1)
 * @param canary hosts switched first (default 0)
 * @param promote {@code manual} (wait for {@code POST /v1/deployments/{id}/promote}) or {@code
 *     auto} (wait {@code minHealthyTime}); default auto
 * @param minHealthyTime how long each batch stays healthy before the next, e.g. {@code 10s}
 */
public record StrategyBody(
    Integer maxParallel, Integer canary, String promote, String minHealthyTime) {}
