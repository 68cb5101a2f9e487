package dev.cast.api.registry;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/**
 * The registry's JSON as Consul writes it, for the contract only: the resources build these answers
 * as JSON trees ({@link ConsulJson}).
 */
final class ConsulShapes {
  /** A node's or service's name, as Registrations checks it. */
  private static final String NAME = "^[A-Za-z0-9_.-]+$";

  private static final String NAME_OR_EMPTY = "^[A-Za-z0-9_.-]*$";

  private ConsulShapes() {}

  /** A string where Consul's decoder also takes null (read as ""). */
  @Schema(
      name = "NullableText",
      types = {"string", "null"})
  static final class NullableText {}

  @Schema(name = "KvEntry", description = "A key as Consul writes it; Value is base64")
  record KvEntry(
      @JsonProperty("LockIndex") long lockIndex,
      @JsonProperty("Key") String key,
      @JsonProperty("Flags") long flags,
      @JsonProperty("Value") @Schema(example = "SGVsbG8=") String value,
      @JsonProperty("Session") String session,
      @JsonProperty("CreateIndex") long createIndex,
      @JsonProperty("ModifyIndex") long modifyIndex) {}

  @Schema(name = "Session", description = "A session as Consul writes it; LockDelay in nanoseconds")
  record Session(
      @JsonProperty("ID") String id,
      @JsonProperty("Name") String name,
      @JsonProperty("Node") String node,
      @JsonProperty("LockDelay") long lockDelay,
      @JsonProperty("Behavior") @Schema(allowableValues = {"release", "delete"}) String behavior,
      @JsonProperty("TTL") @Schema(example = "15s") String ttl,
      @JsonProperty("NodeChecks") List<String> nodeChecks,
      @JsonProperty("ServiceChecks") List<Object> serviceChecks,
      @JsonProperty("CreateIndex") long createIndex,
      @JsonProperty("ModifyIndex") long modifyIndex) {}

  @Schema(name = "SessionCreated")
  record SessionCreated(@JsonProperty("ID") String id) {}

  @Schema(
      name = "SessionSpec",
      description = "What PUT /v1/session/create takes; every field may be left out",
      additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
  record SessionSpec(
      @JsonProperty("Name") @Schema(maxLength = 256) String name,
      @JsonProperty("Node") @Schema(description = "A Cast host; the session ends when it goes down")
          String node,
      @JsonProperty("TTL") @Schema(example = "15s", description = "0, or 10s to 24h") String ttl,
      @JsonProperty("Behavior") @Schema(allowableValues = {"", "release", "delete"})
          String behavior,
      @JsonProperty("LockDelay")
          @Schema(
              types = {"string", "number", "null"},
              example = "15s",
              description =
                  "a duration, or a number (seconds below 1000, else nanoseconds); at most 60s")
          Object lockDelay,
      @JsonProperty("Checks") @ArraySchema(schema = @Schema(allowableValues = "serfHealth"))
          List<String> checks,
      @JsonProperty("NodeChecks") @ArraySchema(schema = @Schema(allowableValues = "serfHealth"))
          List<String> nodeChecks,
      @JsonProperty("ServiceChecks")
          @ArraySchema(
              maxItems = 0,
              arraySchema = @Schema(description = "none: Cast runs no service checks"))
          List<Object> serviceChecks) {}

  @Schema(name = "TxnOp", description = "One operation of a transaction (KV only)")
  record TxnOp(@JsonProperty("KV") TxnKv kv) {}

  @Schema(name = "TxnKv")
  record TxnKv(
      @JsonProperty("Verb")
          @Schema(
              allowableValues = {
                "set",
                "cas",
                "lock",
                "unlock",
                "get",
                "get-tree",
                "check-index",
                "check-session",
                "check-not-exists",
                "delete",
                "delete-tree",
                "delete-cas"
              })
          String verb,
      @JsonProperty("Key") String key,
      @JsonProperty("Value") @Schema(description = "base64") String value,
      @JsonProperty("Flags") Long flags,
      @JsonProperty("Index") Long index,
      @JsonProperty("Session") String session) {}

  @Schema(
      name = "TxnResults",
      description = "Results on success, Errors (and nothing applied) otherwise")
  record TxnResults(
      @JsonProperty("Results") List<TxnResult> results,
      @JsonProperty("Errors") List<TxnError> errors) {}

  @Schema(name = "TxnResult")
  record TxnResult(@JsonProperty("KV") KvEntry kv) {}

  @Schema(name = "TxnError")
  record TxnError(@JsonProperty("OpIndex") int opIndex, @JsonProperty("What") String what) {}

  @Schema(
      name = "ServiceRegistration",
      description = "Consul's agent service registration",
      additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
  record ServiceRegistration(
      @JsonProperty("ID")
          @Schema(pattern = NAME_OR_EMPTY, description = "default (or empty): the Name")
          String id,
      @JsonProperty("Name") @Schema(requiredMode = Schema.RequiredMode.REQUIRED, pattern = NAME)
          String name,
      @JsonProperty("Tags") @ArraySchema(schema = @Schema(types = {"string", "null"}))
          List<String> tags,
      @JsonProperty("Address") String address,
      @JsonProperty("Port") @Schema(minimum = "0", maximum = "65535") Integer port,
      @JsonProperty("Meta") @Schema(additionalPropertiesSchema = NullableText.class)
          Map<String, String> meta) {}

  @Schema(
      name = "CatalogServiceSpec",
      description = "The service of a catalog registration",
      additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
  record CatalogServiceSpec(
      @JsonProperty("ID")
          @Schema(pattern = NAME_OR_EMPTY, description = "default (or empty): the Service")
          String id,
      @JsonProperty("Service") @Schema(requiredMode = Schema.RequiredMode.REQUIRED, pattern = NAME)
          String service,
      @JsonProperty("Tags") @ArraySchema(schema = @Schema(types = {"string", "null"}))
          List<String> tags,
      @JsonProperty("Address") String address,
      @JsonProperty("Port") @Schema(minimum = "0", maximum = "65535") Integer port,
      @JsonProperty("Meta") @Schema(additionalPropertiesSchema = NullableText.class)
          Map<String, String> meta) {}

  @Schema(
      name = "CatalogRegistration",
      description = "Consul's catalog registration: a node with one service",
      additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
  record CatalogRegistration(
      @JsonProperty("Node") @Schema(requiredMode = Schema.RequiredMode.REQUIRED, pattern = NAME)
          String node,
      @JsonProperty("Address") @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String address,
      @JsonProperty("Service") @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
          CatalogServiceSpec service) {}

  @Schema(
      name = "CatalogDeregistration",
      description = "{Node} removes a node, {Node, ServiceID} one service",
      additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
  record CatalogDeregistration(
      @JsonProperty("Node") @Schema(requiredMode = Schema.RequiredMode.REQUIRED, pattern = NAME)
          String node,
      @JsonProperty("ServiceID")
          @Schema(pattern = NAME_OR_EMPTY, description = "empty: the whole node")
          String serviceId,
      @JsonProperty("CheckID") String checkId) {}
}
