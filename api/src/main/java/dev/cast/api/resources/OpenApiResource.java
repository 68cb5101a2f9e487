package dev.cast.api.resources;

import dev.cast.api.auth.Public;
import dev.cast.api.openapi.Contract;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Configuration;
import jakarta.ws.rs.core.MediaType;
import java.util.HashSet;
import java.util.Set;

/**
 * The api's OpenAPI 3.1 contract, read from the resources Jersey serves (at the first request, once
 * every resource is registered).
 */
// "/" as the tracker's resource: a class at /v1 would take every /v1/… path the tracker's has.
@Path("/")
@Tag(name = "contract", description = "This contract")
public final class OpenApiResource {
  private final Configuration jersey;
  private final String version;
  private volatile Contract contract;

  /**
   * @param jersey the resource configuration the contract describes
   * @param version the api's version, for the contract's {@code info}
   */
  public OpenApiResource(Configuration jersey, String version) {
    this.jersey = jersey;
    this.version = version;
  }

  @GET
  @Path("v1/openapi.json")
  @Produces(MediaType.APPLICATION_JSON)
  @Public("the contract describes the api; it holds nothing a token protects")
  @Operation(
      operationId = "contractJson",
      summary = "This contract, as JSON",
      responses =
          @ApiResponse(
              responseCode = "200",
              description = "The OpenAPI 3.1 document",
              content =
                  @Content(
                      mediaType = MediaType.APPLICATION_JSON,
                      schema = @Schema(types = "object"))))
  public String json() {
    return contract().json();
  }

  @GET
  @Path("v1/openapi.yaml")
  @Produces("application/yaml")
  @Public("the contract describes the api; it holds nothing a token protects")
  @Operation(
      operationId = "contractYaml",
      summary = "This contract, as YAML",
      responses =
          @ApiResponse(
              responseCode = "200",
              description = "The OpenAPI 3.1 document",
              content =
                  @Content(mediaType = "application/yaml", schema = @Schema(types = "object"))))
  public String yaml() {
    return contract().yaml();
  }

  private Contract contract() {
    Contract read = contract;
    if (read == null) {
      synchronized (this) {
        if (contract == null) {
          Set<Class<?>> resources = new HashSet<>(jersey.getClasses());
          jersey.getInstances().forEach(i -> resources.add(i.getClass()));
          contract = Contract.of(resources, version);
        }
        read = contract;
      }
    }
    return read;
  }
}
