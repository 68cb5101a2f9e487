package dev.cast.workflows.shared;

/**
 * One host's part in a deployment.
 *
 * @param state pending | staging | staged | activating | healthy | failed | reverting | reverted |
 *     unreachable
 * @param message what happened last, for people
 */
public record HostProgress(String host, String state, String message) {}
