package dev.cast.api.registry;

import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.UriInfo;
import java.util.concurrent.CompletionStage;
import java.util.function.ToLongFunction;

/**
 * A blocking read of the catalog ({@code ?index=&wait=}): answered with the snapshot once the index
 * the read names ({@code index}, e.g. one service's) passes the one it was given. Every change of
 * the catalog wakes it; it parks again when its own index did not move.
 */
final class CatalogReads {
  private CatalogReads() {}

  static CompletionStage<Blocking.Answer<CatalogSnapshot>> of(
      Catalog catalog, UriInfo uri, ToLongFunction<CatalogSnapshot> index) {
    MultivaluedMap<String, String> query = uri.getQueryParameters();
    Consul.datacenter(query);
    Blocks blocks = Blocks.of(query);
    return catalog
        .blocking()
        .await(
            blocks.index(),
            blocks.maxWait(),
            () -> {
              CatalogSnapshot s = catalog.snapshot();
              return new Blocking.Answer<>(index.applyAsLong(s), s);
            },
            Catalog.TOPIC);
  }
}
