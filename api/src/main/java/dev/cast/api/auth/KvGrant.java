package dev.cast.api.auth;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * What a token may do under a registry key prefix: {@code read}, or {@code write} (which reads
 * too). The empty prefix is the whole store.
 */
@Schema(additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
public record KvGrant(
    @Schema(
            requiredMode = Schema.RequiredMode.REQUIRED,
            maxLength = 512,
            pattern = "^[^\\u0000-\\u001f\\u007f]*$",
            example = "config/hello/")
        String prefix,
    @Schema(
            requiredMode = Schema.RequiredMode.REQUIRED,
            allowableValues = {"read", "write"})
        String access) {
  public boolean writes() {
    return "write".equals(access);
  }
}
