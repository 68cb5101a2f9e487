package dev.cast.api.temporal;

import dev.cast.workflows.shared.CastSearch;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.ListSearchAttributesResponse;
import io.temporal.common.SearchAttributeKey;
import io.temporal.serviceclient.OperatorServiceStubs;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers Cast's search attributes ({@link CastSearch}) on the Temporal server it uses, any that
 * are missing. A server that refuses (a cluster where Cast lacks the permission) is told how in the
 * log, once, and Cast carries on: workflows then start without the attributes the server lacks.
 */
final class SearchAttributeSetup {
  private static final Logger log = LoggerFactory.getLogger(SearchAttributeSetup.class);

  private SearchAttributeSetup() {}

  /** The Cast attributes the server has after the attempt. */
  static Set<String> ensure(OperatorServiceStubs operator, String namespace) {
    Set<String> present = new LinkedHashSet<>();
    Set<String> missing = new LinkedHashSet<>();
    try {
      Map<String, IndexedValueType> custom = list(operator, namespace);
      for (SearchAttributeKey<String> key : CastSearch.ALL) {
        if (custom.get(key.getName()) == IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD) {
          present.add(key.getName());
        } else if (custom.containsKey(key.getName())) {
          log.warn(
              "search attribute {} exists on the Temporal server with type {}, not Keyword;"
                  + " Cast leaves it unset",
              key.getName(),
              custom.get(key.getName()));
        } else {
          missing.add(key.getName());
        }
      }
      if (missing.isEmpty()) {
        return present;
      }
      AddSearchAttributesRequest.Builder add =
          AddSearchAttributesRequest.newBuilder().setNamespace(namespace);
      missing.forEach(
          name -> add.putSearchAttributes(name, IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD));
      operator
          .blockingStub()
          .withDeadlineAfter(30, TimeUnit.SECONDS)
          .addSearchAttributes(add.build());
      log.info("registered search attributes {} in namespace {}", missing, namespace);
      present.addAll(missing);
      return present;
    } catch (StatusRuntimeException e) {
      Set<String> toCreate = missing.isEmpty() ? names() : missing;
      StringBuilder how = new StringBuilder();
      for (String name : toCreate) {
        how.append("\n  temporal operator search-attribute create --namespace ")
            .append(namespace)
            .append(" --name ")
            .append(name)
            .append(" --type Keyword");
      }
      log.warn(
          "cannot register Cast's search attributes on the Temporal server ({}); workflows start"
              + " without {}. To add them, run:{}",
          e.getStatus().getCode()
              + (e.getStatus().getDescription() == null
                  ? ""
                  : ": " + e.getStatus().getDescription()),
          toCreate,
          how);
      return present;
    }
  }

  /**
   * The server's custom attributes. Temporal's Java test server (the embedded one) cannot list
   * them, only add: there every attribute counts as missing.
   */
  private static Map<String, IndexedValueType> list(
      OperatorServiceStubs operator, String namespace) {
    try {
      ListSearchAttributesResponse listed =
          operator
              .blockingStub()
              .withDeadlineAfter(10, TimeUnit.SECONDS)
              .listSearchAttributes(
                  ListSearchAttributesRequest.newBuilder().setNamespace(namespace).build());
      return listed.getCustomAttributesMap();
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
        return Map.of();
      }
      throw e;
    }
  }

  private static Set<String> names() {
    Set<String> names = new LinkedHashSet<>();
    CastSearch.ALL.forEach(key -> names.add(key.getName()));
    return names;
  }
}
