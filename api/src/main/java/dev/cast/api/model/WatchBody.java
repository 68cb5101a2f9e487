package dev.cast.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * {@code PUT /v1/apps/{app}/config-watch}.
 *
 * @param enabled whether a change of what the app's templates read starts a config rollout
 * @param waiting {@code wait} in JSON: how long to wait for more changes before the rollout starts;
 *     absent: 2s and 10s
 */
@Schema(additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
public record WatchBody(
    @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Boolean enabled,
    @JsonProperty("wait") Wait waiting) {

  /**
   * As consul-template's {@code wait}: the rollout starts once no change came for {@code min}, or
   * {@code max} after the first change, whichever is sooner.
   */
  @Schema(additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
  public record Wait(String min, String max) {}
}
