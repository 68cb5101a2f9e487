package dev.cast.workflows.host;

import java.util.List;

/**
 * What re-rendering an app's config found on a host.
 *
 * @param version the release the host runs, or null when it runs none of the app
 * @param changed the rendered files (dest, relative to the release dir) whose content or mode
 *     differs from what the host has; empty: nothing to do
 * @param action what the change calls for, the strongest {@code on_change} of the changed files:
 *     {@code rollout}, {@code restart}, {@code signal:<NAME>} or {@code none}
 * @param index the registry index the files were rendered at
 * @param note why the host is left alone, when it is (no templates, another release), else null
 */
public record ConfigPlan(
    String version, List<String> changed, String action, long index, String note) {

  public boolean unchanged() {
    return changed == null || changed.isEmpty();
  }

  /** The actions, weakest first: a change that calls for several takes the last one. */
  public static int strength(String action) {
    if (action == null || action.equals("none")) {
      return 0;
    }
    if (action.startsWith("signal:")) {
      return 1;
    }
    return action.equals("restart") ? 2 : 3;
  }
}
