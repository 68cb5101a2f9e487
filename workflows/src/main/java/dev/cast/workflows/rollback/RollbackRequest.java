package dev.cast.workflows.rollback;

import dev.cast.workflows.shared.ReleaseRef;
import java.util.List;
import java.util.Map;

/**
 * @param release the release to go back to
 * @param maxParallel hosts switched at once; 0 means all of them
 * @param unreachableAfterMillis as in {@link dev.cast.workflows.deploy.DeployRequest}
 * @param hostReleases the release of each host that goes back to another release than {@code
 *     release} (each host to its own previous one); null or empty when all go to {@code release}
 * @param hostsPerPart as in {@link dev.cast.workflows.deploy.DeployRequest}
 * @param rerenderConfig render each release's config again at the registry's current index, instead
 *     of putting back the files the host had for it
 */
public record RollbackRequest(
    String deploymentId,
    ReleaseRef release,
    List<String> hosts,
    long healthyDeadlineMillis,
    int maxParallel,
    long unreachableAfterMillis,
    Map<String, ReleaseRef> hostReleases,
    int hostsPerPart,
    boolean rerenderConfig) {}
