package dev.cast.workflows.rollout;

import dev.cast.workflows.shared.HostProgress;
import java.util.List;
import java.util.Map;

/**
 * What a part of a rollout did. A part never reverts what it switched: it says which hosts need a
 * revert, and the rollout reverts them with those of every other part.
 *
 * @param outcome how the part ended
 * @param cause why it failed, or null
 * @param hosts where each of its hosts stands
 * @param staged STAGE: the hosts staged
 * @param previous STAGE: the release each staged host ran before (absent: none)
 * @param attempted SWITCH: hosts whose switch was started, to revert (as registering the revert
 *     before the switch does in one workflow)
 * @param switched SWITCH: hosts whose switch completed, to restore in the catalog too
 * @param unreachable every host of the rollout known unreachable when the part ended
 * @param lost every host of the rollout the api reported silent when the part ended
 * @param phase the phase the part was in last
 */
public record PartResult(
    Outcome outcome,
    String cause,
    List<HostProgress> hosts,
    List<String> staged,
    Map<String, String> previous,
    List<String> attempted,
    List<String> switched,
    List<String> unreachable,
    List<String> lost,
    String phase) {

  /** How a part ended. */
  public enum Outcome {
    /** Every step done (hosts unreachable within maxUnavailable aside). */
    DONE,
    /** A step failed, too many hosts were unreachable, or the progress deadline passed. */
    FAILED,
    /** The rollout asked it to stop (a cancel request). */
    STOPPED
  }
}
