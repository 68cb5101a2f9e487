package dev.cast.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * What a host has of one app, as its agent reports it ({@code PUT /v1/hosts/{name}/apps}): what its
 * {@code current} and {@code previous} links point at, the releases unpacked on it, and the ports
 * of the current release's services.
 */
@Schema(additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
public record AppReport(
    String app, String current, String previous, List<String> releases, List<Port> endpoints) {

  /** A named port of a service of the current release. */
  @Schema(additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
  public record Port(String service, String portName, int port) {}
}
