package dev.cast.workflows.deploy;

/**
 * How a deploy rolls out.
 *
 * @param maxParallel hosts switched at once after the canaries (at least 1)
 * @param canary hosts switched first, before the rest wait for a promote
 * @param manualPromote after the canaries, wait for a promote signal (otherwise for {@code
 *     minHealthyMillis})
 * @param minHealthyMillis how long each batch must stay healthy before the next one starts
 */
public record Strategy(int maxParallel, int canary, boolean manualPromote, long minHealthyMillis) {

  /** One host at a time, no canary, no wait: the behaviour before strategies existed. */
  public static Strategy serial() {
    return new Strategy(1, 0, false, 0);
  }
}
