package dev.cast.api.core;

import dev.cast.api.db.HostAppRow;
import dev.cast.api.db.HostDao;
import dev.cast.api.db.HostRow;
import dev.cast.api.db.InstanceDao;
import dev.cast.api.db.ReleaseRow;
import dev.cast.api.db.ServiceStatusDao;
import dev.cast.api.errors.ApiException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which hosts a deployment, rollback or service operation goes to, and what each rolls back to:
 * named hosts, a label selector or every host that is not drained, checked against the catalog
 * before anything starts. Refusals are {@link ApiException}s that name the fix.
 */
public final class Targets {
  private static final Logger log = LoggerFactory.getLogger(Targets.class);

  private final HostDao hosts;
  private final InstanceDao instances;
  private final ServiceStatusDao statuses;
  private volatile CompletableFuture<?> hostsReady = CompletableFuture.completedFuture(null);

  public Targets(HostDao hosts, InstanceDao instances, ServiceStatusDao statuses) {
    this.hosts = hosts;
    this.instances = instances;
    this.statuses = statuses;
  }

  /**
   * Requests that need hosts wait (up to 30 s) until {@code ready} completes when no host has
   * registered yet: the server's own agent registers a moment after the REST port opens.
   */
  public void holdUntilHostsReady(CompletableFuture<?> ready) {
    this.hostsReady = ready;
  }

  /**
   * Each target host of a config rollout with the release it runs: the hosts named or selected (by
   * default every host not drained) that run the app. A named host that does not run it is refused.
   */
  public Map<String, String> configTargets(
      String app, List<String> requested, Map<String, String> selector) {
    Map<String, String> running = new LinkedHashMap<>();
    for (HostAppRow row : instances.current(app)) {
      if (row.version() != null) {
        running.put(row.host(), row.version());
      }
    }
    if (running.isEmpty()) {
      throw ApiException.conflict(
          "APP_NOT_DEPLOYED",
          app + " runs on no host; deploy it first: POST /v1/apps/" + app + "/deployments");
    }
    boolean named = requested != null && !requested.isEmpty();
    List<String> candidates =
        named || (selector != null && !selector.isEmpty())
            ? targets(requested, selector)
            : hosts.list().stream().filter(h -> !h.drained()).map(HostRow::name).toList();
    List<String> without = candidates.stream().filter(h -> !running.containsKey(h)).toList();
    if (named && !without.isEmpty()) {
      throw ApiException.conflict(
          "APP_NOT_DEPLOYED",
          app
              + " does not run on "
              + String.join(", ", without)
              + "; a config rollout changes the config of hosts that run it");
    }
    Map<String, String> chosen = new LinkedHashMap<>();
    for (String host : candidates) {
      if (running.containsKey(host)) {
        chosen.put(host, running.get(host));
      }
    }
    if (chosen.isEmpty()) {
      throw ApiException.conflict(
          "APP_NOT_DEPLOYED",
          app
              + " runs on none of the selected hosts (it runs on "
              + String.join(", ", running.keySet())
              + ")");
    }
    return chosen;
  }

  /**
   * Each host's version to roll back to: the one named, or the host's own previous release. The
   * hosts are the ones named, or every host (not drained) on which the app is current; hosts
   * already on their target are left out.
   */
  public Map<String, String> rollbackVersions(String app, String named, List<String> requested) {
    Map<String, HostAppRow> onHosts = new LinkedHashMap<>();
    for (HostAppRow row : instances.current(app)) {
      onHosts.put(row.host(), row);
    }
    return rollbackVersions(app, named, rollbackTargets(app, requested, onHosts), onHosts);
  }

  /** The hosts named, or every host (not drained) on which the app has a current release. */
  private List<String> rollbackTargets(
      String app, List<String> requested, Map<String, HostAppRow> onHosts) {
    if (requested != null && !requested.isEmpty()) {
      return targets(requested);
    }
    List<String> running =
        hosts.list().stream()
            .filter(h -> !h.drained())
            .map(HostRow::name)
            .filter(h -> onHosts.containsKey(h) && onHosts.get(h).version() != null)
            .toList();
    if (running.isEmpty()) {
      throw ApiException.conflict(
          "APP_NOT_DEPLOYED",
          app
              + " runs on no host (that is not drained); deploy it: POST /v1/apps/"
              + app
              + "/deployments");
    }
    return running;
  }

  /** Each target host's version to go back to; hosts already there are left out. */
  private Map<String, String> rollbackVersions(
      String app, String named, List<String> targets, Map<String, HostAppRow> onHosts) {
    Map<String, String> versionOf = new LinkedHashMap<>();
    List<String> noPrevious = new ArrayList<>();
    Set<String> running = new TreeSet<>();
    Set<String> held = new TreeSet<>();
    for (String host : targets) {
      HostAppRow row = onHosts.get(host);
      String current = row == null ? null : row.version();
      String target = named != null ? named : row == null ? null : row.previousVersion();
      if (row != null) {
        if (row.releases() != null) {
          held.addAll(row.releases());
        }
      }
      if (target == null) {
        noPrevious.add(host);
      } else if (target.equals(current)) {
        running.add(current);
      } else {
        versionOf.put(host, target);
      }
    }
    if (!noPrevious.isEmpty()) {
      throw ApiException.conflict(
          "NO_PREVIOUS_RELEASE",
          (noPrevious.size() == 1 ? "host " : "hosts ")
              + String.join(", ", noPrevious)
              + (noPrevious.size() == 1 ? " has" : " have")
              + " no previous release of "
              + app
              + " to roll back to"
              + (held.isEmpty() ? "" : " (releases on them: " + String.join(", ", held) + ")")
              + "; name one: {\"version\": ...}");
    }
    if (versionOf.isEmpty()) {
      throw ApiException.conflict(
          "NOTHING_TO_ROLL_BACK",
          (targets.size() == 1 ? "host " + targets.get(0) + " already runs " : "hosts already run ")
              + String.join(", ", running)
              + (held.isEmpty() ? "" : "; releases on them: " + String.join(", ", held))
              + "; name another version: {\"version\": ...}");
    }
    return versionOf;
  }

  private List<String> targets(List<String> requested) {
    return targets(requested, null);
  }

  /**
   * The hosts a deployment goes to: the named ones, the ones whose labels match the selector, or
   * every host that is not drained.
   */
  public List<String> targets(List<String> requested, Map<String, String> selector) {
    List<HostRow> known = hosts.list();
    if (known.isEmpty() && !hostsReady.isDone()) {
      // The embedded agent is still starting: wait for it rather than answer NO_HOSTS.
      try {
        hostsReady.get(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        log.warn("the embedded agent is not ready: {}", e.getMessage());
      }
      known = hosts.list();
    }
    List<String> names = known.stream().map(HostRow::name).toList();
    if (requested != null && !requested.isEmpty() && selector != null && !selector.isEmpty()) {
      throw ApiException.badRequest(
          "INVALID_REQUEST", "give either \"hosts\" or \"selector\", not both");
    }
    if (requested == null || requested.isEmpty()) {
      List<String> chosen =
          known.stream()
              .filter(h -> !h.drained() && matches(h, selector))
              .map(HostRow::name)
              .toList();
      if (chosen.isEmpty()) {
        throw ApiException.conflict(
            "NO_HOSTS",
            names.isEmpty()
                ? "no host agent has registered yet; start one with ./cast agent"
                : "no host that is not drained"
                    + (selector == null || selector.isEmpty()
                        ? ""
                        : " matches selector " + selector)
                    + " (hosts: "
                    + names
                    + ")");
      }
      return chosen;
    }
    for (String host : requested) {
      HostRow row =
          known.stream()
              .filter(h -> h.name().equals(host))
              .findFirst()
              .orElseThrow(
                  () ->
                      ApiException.badRequest(
                          "UNKNOWN_HOST",
                          "hosts: unknown host \"" + host + "\" (known: " + names + ")"));
      if (row.drained()) {
        throw ApiException.conflict(
            "HOST_DRAINED",
            "host \""
                + host
                + "\" is drained; undrain it first: POST /v1/hosts/"
                + host
                + "/undrain");
      }
    }
    return List.copyOf(new LinkedHashSet<>(requested));
  }

  private boolean matches(HostRow host, Map<String, String> selector) {
    if (selector == null || selector.isEmpty()) {
      return true;
    }
    Map<String, String> labels = host.labels() == null ? Map.of() : host.labels();
    return labels.entrySet().containsAll(selector.entrySet());
  }

  /** Refuses a service the release does not have (404 SERVICE_NOT_FOUND). */
  public static void requireService(ReleaseRow release, String service) {
    if (!release.services().contains(service)) {
      throw ApiException.notFound(
          "SERVICE_NOT_FOUND",
          "service \""
              + service
              + "\" is not in "
              + release.app()
              + "@"
              + release.version()
              + " (services: "
              + release.services()
              + ")");
    }
  }

  /** The hosts a service operation goes to: the named ones, or every host running the app. */
  public List<String> serviceTargets(String app, List<HostAppRow> running, List<String> requested) {
    List<String> names = running.stream().map(HostAppRow::host).toList();
    if (requested == null || requested.isEmpty()) {
      return names;
    }
    for (String host : requested) {
      if (!names.contains(host)) {
        throw ApiException.notFound(
            "HOST_NOT_FOUND",
            "hosts: \"" + host + "\" does not run " + app + " (hosts running it: " + names + ")");
      }
    }
    return List.copyOf(new LinkedHashSet<>(requested));
  }

  /** Refuses to start or restart a service that is disabled on one of the hosts. */
  public void refuseDisabled(String app, String service, String action, List<String> targets) {
    if (!action.equals("start") && !action.equals("restart")) {
      return;
    }
    for (ServiceStatusDao.ServiceStatusRow row : statuses.forService(app, service)) {
      var status = row.status();
      if (targets.contains(status.host()) && !status.enabled()) {
        throw ApiException.conflict(
            "SERVICE_DISABLED",
            service
                + " is disabled on host "
                + status.host()
                + ", so it cannot "
                + action
                + "; enable it first: POST /v1/apps/"
                + app
                + "/services/"
                + service
                + "/enable");
      }
    }
  }
}
