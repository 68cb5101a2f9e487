package dev.cast.api.model;

import dev.cast.api.auth.KvGrant;
import dev.cast.api.openapi.Patterns;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * {@code POST /v1/tokens}.
 *
 * @param role viewer | deployer | admin
 * @param apps the apps the token reaches, by name or glob ({@code shop-*}); absent: all
 * @param expiresIn e.g. {@code 90d}, {@code 12h}; absent: never
 * @param kv registry key prefixes the token is limited to, each {@code read} or {@code write}; a
 *     token with prefixes reaches the registry only
 */
@Schema(additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
public record TokenBody(
    @Schema(
            requiredMode = Schema.RequiredMode.REQUIRED,
            pattern = Patterns.TOKEN_NAME,
            example = "ci")
        String name,
    @Schema(
            requiredMode = Schema.RequiredMode.REQUIRED,
            allowableValues = {"viewer", "deployer", "admin"})
        String role,
    @ArraySchema(
            minItems = 1,
            maxItems = 100,
            schema = @Schema(pattern = Patterns.APP_GLOB, example = "shop-*"))
        List<String> apps,
    @Schema(description = "1m to 3650d", example = "90d") String expiresIn,
    @ArraySchema(minItems = 1, maxItems = 100) List<KvGrant> kv) {}
