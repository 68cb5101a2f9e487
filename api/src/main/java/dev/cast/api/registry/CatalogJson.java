package dev.cast.api.registry;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The catalog in the JSON shapes of Consul's HTTP API (its field names, its empty values). */
final class CatalogJson {
  private CatalogJson() {}

  record Weights(@JsonProperty("Passing") int passing, @JsonProperty("Warning") int warning) {
    static final Weights DEFAULT = new Weights(1, 1);
  }

  /** {@code /v1/catalog/nodes}, and the node of a {@code /v1/health/service} entry. */
  record Node(
      @JsonProperty("ID") String id,
      @JsonProperty("Node") String node,
      @JsonProperty("Address") String address,
      @JsonProperty("Datacenter") String datacenter,
      @JsonProperty("TaggedAddresses") Map<String, String> taggedAddresses,
      @JsonProperty("Meta") Map<String, String> meta,
      @JsonProperty("CreateIndex") long createIndex,
      @JsonProperty("ModifyIndex") long modifyIndex) {}

  /** Consul's CatalogService: one instance as {@code /v1/catalog/service/{name}} lists it. */
  record CatalogService(
      @JsonProperty("ID") String id,
      @JsonProperty("Node") String node,
      @JsonProperty("Address") String address,
      @JsonProperty("Datacenter") String datacenter,
      @JsonProperty("TaggedAddresses") Map<String, String> taggedAddresses,
      @JsonProperty("NodeMeta") Map<String, String> nodeMeta,
      @JsonProperty("ServiceKind") String serviceKind,
      @JsonProperty("ServiceID") String serviceId,
      @JsonProperty("ServiceName") String serviceName,
      @JsonProperty("ServiceTags") List<String> serviceTags,
      @JsonProperty("ServiceAddress") String serviceAddress,
      @JsonProperty("ServiceWeights") Weights serviceWeights,
      @JsonProperty("ServiceMeta") Map<String, String> serviceMeta,
      @JsonProperty("ServicePort") int servicePort,
      @JsonProperty("ServiceEnableTagOverride") boolean serviceEnableTagOverride,
      @JsonProperty("CreateIndex") long createIndex,
      @JsonProperty("ModifyIndex") long modifyIndex) {}

  /** Consul's AgentService: the service of a {@code /v1/health/service} entry. */
  record Service(
      @JsonProperty("ID") String id,
      @JsonProperty("Service") String service,
      @JsonProperty("Tags") List<String> tags,
      @JsonProperty("Address") String address,
      @JsonProperty("Meta") Map<String, String> meta,
      @JsonProperty("Port") int port,
      @JsonProperty("Weights") Weights weights,
      @JsonProperty("EnableTagOverride") boolean enableTagOverride,
      @JsonProperty("Kind") String kind,
      @JsonProperty("Datacenter") String datacenter,
      @JsonProperty("CreateIndex") long createIndex,
      @JsonProperty("ModifyIndex") long modifyIndex) {}

  /** Consul's HealthCheck. */
  record Check(
      @JsonProperty("Node") String node,
      @JsonProperty("CheckID") String checkId,
      @JsonProperty("Name") String name,
      @JsonProperty("Status") String status,
      @JsonProperty("Notes") String notes,
      @JsonProperty("Output") String output,
      @JsonProperty("ServiceID") String serviceId,
      @JsonProperty("ServiceName") String serviceName,
      @JsonProperty("ServiceTags") List<String> serviceTags,
      @JsonProperty("Type") String type,
      @JsonProperty("Definition") Map<String, Object> definition,
      @JsonProperty("CreateIndex") long createIndex,
      @JsonProperty("ModifyIndex") long modifyIndex) {}

  /** Consul's ServiceEntry: {@code /v1/health/service/{name}}. */
  record ServiceEntry(
      @JsonProperty("Node") Node node,
      @JsonProperty("Service") Service service,
      @JsonProperty("Checks") List<Check> checks) {}

  static Node node(CatalogSnapshot.Node n) {
    return new Node(
        Consul.nodeId(n.node().name()),
        n.node().name(),
        n.node().address(),
        Consul.DATACENTER,
        tagged(n.node().address()),
        new TreeMap<>(n.node().meta()),
        n.createIndex(),
        n.modifyIndex());
  }

  static CatalogService catalogService(CatalogSnapshot.Instance i, Map<String, String> nodeMeta) {
    CatalogEntry e = i.entry();
    return new CatalogService(
        Consul.nodeId(e.node()),
        e.node(),
        e.nodeAddress(),
        Consul.DATACENTER,
        tagged(e.nodeAddress()),
        new TreeMap<>(nodeMeta),
        "",
        e.serviceId(),
        e.service(),
        e.tags(),
        e.address(),
        Weights.DEFAULT,
        new TreeMap<>(e.meta()),
        e.port(),
        false,
        i.createIndex(),
        i.modifyIndex());
  }

  static ServiceEntry serviceEntry(CatalogSnapshot.Instance i, Node node) {
    CatalogEntry e = i.entry();
    Service service =
        new Service(
            e.serviceId(),
            e.service(),
            e.tags(),
            e.address(),
            new TreeMap<>(e.meta()),
            e.port(),
            Weights.DEFAULT,
            false,
            "",
            Consul.DATACENTER,
            i.createIndex(),
            i.modifyIndex());
    List<Check> checks =
        e.checks().stream()
            .map(
                c ->
                    new Check(
                        e.node(),
                        c.id(),
                        c.name(),
                        c.status(),
                        c.service() ? "reported by the Cast agent on " + e.node() : "",
                        c.output(),
                        c.service() ? e.serviceId() : "",
                        c.service() ? e.service() : "",
                        c.service() ? e.tags() : List.of(),
                        c.service() ? "cast" : "",
                        Map.of(),
                        i.createIndex(),
                        i.checksIndex()))
            .toList();
    return new ServiceEntry(node, service, checks);
  }

  private static Map<String, String> tagged(String address) {
    return new TreeMap<>(
        Map.of("lan", address, "lan_ipv4", address, "wan", address, "wan_ipv4", address));
  }
}
