package dev.cast.api.core;

import dev.cast.api.db.InstanceDao;
import dev.cast.api.db.InstanceRow;
import dev.cast.api.db.ReleaseRow;
import dev.cast.api.db.ServiceStatusDao;
import dev.cast.api.model.InstanceView;
import dev.cast.api.model.ReleaseView;
import dev.cast.torrent.Metainfo;
import dev.cast.workflows.host.ServiceStatus;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Apps' releases and instances as the api shows them: a push is stored and then published to the
 * swarm; a release names its torrent (and, for those who may fetch it, its info-hash and magnet
 * link); an instance carries the live health its agent last reported.
 */
public final class AppCatalog {
  private final ReleaseStore releases;
  private final Distribution distribution;
  private final InstanceDao instances;
  private final ServiceStatusDao statuses;

  public AppCatalog(
      ReleaseStore releases,
      Distribution distribution,
      InstanceDao instances,
      ServiceStatusDao statuses) {
    this.releases = releases;
    this.distribution = distribution;
    this.instances = instances;
    this.statuses = statuses;
  }

  /** Stores a pushed bundle (see {@link ReleaseStore#push}) and publishes it to the swarm. */
  public ReleaseStore.Pushed push(String app, InputStream body, String who) throws IOException {
    ReleaseStore.Pushed pushed = releases.push(app, body, who);
    distribution.publish(pushed.release());
    return pushed;
  }

  /** An app's releases, newest first, as {@link #view} shows each. */
  public List<ReleaseView> releases(String app, String baseUrl, boolean mayFetch) {
    return releases.list(app).stream().map(row -> view(row, baseUrl, mayFetch)).toList();
  }

  /**
   * A release. The info-hash and the magnet link (whose web seed carries the release's capability)
   * fetch the bundle, so they are shown only when {@code mayFetch}; the magnet link names the
   * tracker and web seed at {@code baseUrl}, where the reader reached the api.
   */
  public ReleaseView view(ReleaseRow row, String baseUrl, boolean mayFetch) {
    return new ReleaseView(
        row.app(),
        row.version(),
        row.sha256(),
        row.size(),
        row.services(),
        Instant.ofEpochMilli(row.createdAt()).toString(),
        row.pushedBy(),
        mayFetch ? distribution.infoHash(row).orElse(null) : null,
        ReleaseUrls.torrent(row.app(), row.version()),
        mayFetch
            ? distribution
                .torrentFor(row, baseUrl)
                .map(t -> Metainfo.parse(t).magnetLink())
                .orElse(null)
            : null);
  }

  /** Where the app's current release runs, each instance with its live health when reported. */
  public List<InstanceView> instances(String app) {
    Map<String, ServiceStatus> live = new HashMap<>();
    for (ServiceStatusDao.ServiceStatusRow s : statuses.forApp(app)) {
      live.put(s.status().host() + "/" + s.status().service(), s.status());
    }
    return instances.instances(app).stream()
        .map(i -> view(i, live.get(i.host() + "/" + i.service())))
        .toList();
  }

  /** An instance, with the live health its agent last reported when it is of this release. */
  static InstanceView view(InstanceRow row, ServiceStatus live) {
    Map<String, Integer> ports = row.ports();
    Integer first = ports.isEmpty() ? null : ports.values().iterator().next();
    boolean current = live != null && row.version().equals(live.version());
    return new InstanceView(
        row.host(),
        row.service(),
        row.version(),
        row.address(),
        first,
        ports,
        current ? live.health() : row.health(),
        current ? live.healthOutput() : null,
        current ? live.healthSince() : null,
        current ? live.state() : null);
  }
}
