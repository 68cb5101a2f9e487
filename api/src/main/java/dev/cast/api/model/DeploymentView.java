package dev.cast.api.model;

import dev.cast.workflows.host.StagingReport;
import dev.cast.workflows.shared.HostProgress;
import java.util.List;
import java.util.Map;

/**
 * A deployment or service operation as the api shows it.
 *
 * @param phase what a running rollout is doing (staging, canary, awaiting promote, paused, rolling
 *     out, reverting); null once it is over
 * @param batch the batch in progress, from 1, of {@code batches}
 * @param temporalUi the workflow's page in the Temporal Web UI; null when Cast knows no UI (the
 *     embedded server has none)
 * @param liveView null when the state is the workflow's live answer (or final); otherwise why the
 *     workflow could not answer, and that the catalog's record is shown instead
 * @param follows the INTERRUPTED deployment this one resumes or reverts
 * @param endedBy for an INTERRUPTED deployment, the deployment that resumed or reverted it
 * @param configIndex the registry index its hosts rendered the release's config templates at (the
 *     highest, when they differ); null without templates. {@code GET .../config} shows the files
 * @param staging how far each host that is fetching the release got (bytes, total, rate, and bytes
 *     by sender), while the deployment runs; null when no host is fetching
 */
public record DeploymentView(
    String id,
    String kind,
    String app,
    String service,
    String version,
    String state,
    String cause,
    List<HostProgress> hosts,
    String phase,
    Integer batch,
    Integer batches,
    String requestedBy,
    String reason,
    String startedAt,
    String endedAt,
    String workflowId,
    String runId,
    String temporalUi,
    String liveView,
    String follows,
    String endedBy,
    Long configIndex,
    Map<String, StagingReport> staging) {}
