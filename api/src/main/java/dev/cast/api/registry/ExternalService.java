package dev.cast.api.registry;

import java.util.List;
import java.util.Map;

/**
 * A service Cast did not deploy (a database, a SaaS endpoint), registered through Consul's catalog
 * or agent API and kept in {@code registry_services}. Cast runs no check for it: it counts as
 * passing. An empty {@code address} means the node's.
 */
public record ExternalService(
    String node,
    String nodeAddress,
    String id,
    String service,
    String address,
    int port,
    List<String> tags,
    Map<String, String> meta) {
  public ExternalService {
    tags = List.copyOf(tags);
    meta = Map.copyOf(meta);
  }

  ExternalService onNode(String nodeName, String newNodeAddress) {
    return new ExternalService(nodeName, newNodeAddress, id, service, address, port, tags, meta);
  }

  CatalogEntry entry() {
    return new CatalogEntry(node, nodeAddress, id, service, address, port, tags, meta, List.of());
  }
}
