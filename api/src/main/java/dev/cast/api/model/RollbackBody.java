package dev.cast.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * {@code POST /v1/apps/{app}/rollback}.
 *
 * @param version the release to go back to; absent means the previous one
 * @param maxParallel hosts switched at once; absent means all at once
 * @param rerender render each release's config templates again at the registry's current index;
 *     absent or false puts back the files each host had for the release (as rendered at its
 *     deployment or its last config rollout)
 */
@Schema(additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
public record RollbackBody(
    String version,
    List<String> hosts,
    String healthyDeadline,
    String reason,
    Integer maxParallel,
    Boolean rerender) {

  public RollbackBody(
      String version,
      List<String> hosts,
      String healthyDeadline,
      String reason,
      Integer maxParallel) {
    this(version, hosts, healthyDeadline, reason, maxParallel, null);
  }
}
