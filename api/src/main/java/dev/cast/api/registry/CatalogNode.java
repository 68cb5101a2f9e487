package dev.cast.api.registry;

import java.util.Map;

/** A node of the catalog: a Cast host, or a node a service Cast did not deploy was put on. */
public record CatalogNode(String name, String address, Map<String, String> meta, boolean external) {
  public CatalogNode {
    meta = Map.copyOf(meta);
  }
}
