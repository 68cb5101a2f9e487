package dev.cast.activities.host;

import java.nio.file.Path;

/** The agent's files under its data dir. */
public record HostLayout(Path dataDir) {

  public AppLayout app(String app) {
    return new AppLayout(dataDir.resolve("apps").resolve(app));
  }

  public Path bundlesDir() {
    return dataDir.resolve("bundles");
  }

  public Path bundle(String sha256) {
    return bundlesDir().resolve(sha256 + ".tar.gz");
  }

  /** The torrent of a cached bundle, kept so the bundle can be seeded. */
  public Path bundleTorrent(String sha256) {
    return bundlesDir().resolve(sha256 + ".torrent");
  }

  /** Where BitTorrent downloads are written until they are complete. */
  public Path partialBundlesDir() {
    return bundlesDir().resolve("partial");
  }

  /**
   * A bundle's BitTorrent download in progress: the api names a release's torrent {@code
   * <sha256>.tar.gz} (its {@code Distribution}), and libtorrent writes it under that name.
   */
  public Path partialBundle(String sha256) {
    return partialBundlesDir().resolve(sha256 + ".tar.gz");
  }

  public Path databaseFile() {
    return dataDir.resolve("agent.db");
  }
}
