package dev.cast.workflows.rollback;

import dev.cast.workflows.shared.ReleaseRef;
import java.util.List;

/**
 * @param release the release to go back to
 */
public record RollbackRequest(
    String deploymentId, ReleaseRef release, List<String> hosts, long healthyDeadlineMillis) {}
