package dev.cast.workflows.shared;

import io.temporal.common.SearchAttributeKey;
import io.temporal.common.SearchAttributes;
import io.temporal.workflow.Workflow;
import java.util.List;
import java.util.Objects;

/**
 * The search attributes every Cast workflow carries, so a deploy can be found in the Temporal UI
 * ({@code CastApp = "hello" AND CastPhase = "canary"}). The api sets all but the phase when it
 * starts a workflow, and only those the server has registered; a workflow upserts its phase only
 * when it started with one, so a server without them (or a run recorded before them) sees no upsert
 * at all.
 */
public final class CastSearch {
  public static final SearchAttributeKey<String> APP = SearchAttributeKey.forKeyword("CastApp");
  public static final SearchAttributeKey<String> VERSION =
      SearchAttributeKey.forKeyword("CastVersion");
  public static final SearchAttributeKey<String> KIND = SearchAttributeKey.forKeyword("CastKind");
  public static final SearchAttributeKey<String> DEPLOYMENT =
      SearchAttributeKey.forKeyword("CastDeployment");
  public static final SearchAttributeKey<String> REQUESTED_BY =
      SearchAttributeKey.forKeyword("CastRequestedBy");
  public static final SearchAttributeKey<String> PHASE = SearchAttributeKey.forKeyword("CastPhase");

  /** Every key, in the order the docs list them. */
  public static final List<SearchAttributeKey<String>> ALL =
      List.of(APP, VERSION, KIND, DEPLOYMENT, REQUESTED_BY, PHASE);

  private CastSearch() {}

  /**
   * Upserts {@code CastPhase} when the workflow carries it and the value changes. Workflow code
   * only.
   */
  public static void phase(String phase) {
    if (phase == null) {
      return;
    }
    SearchAttributes current = Workflow.getTypedSearchAttributes();
    if (current.containsKey(PHASE) && !Objects.equals(current.get(PHASE), phase)) {
      Workflow.upsertTypedSearchAttributes(PHASE.valueSet(phase));
    }
  }
}
