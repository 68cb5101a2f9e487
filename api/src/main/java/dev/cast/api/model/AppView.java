package dev.cast.api.model;

import java.util.List;

/** An app: its releases (newest first) and what is current on each host. */
public record AppView(String name, List<ReleaseView> releases, List<HostCurrent> current) {

  public record HostCurrent(String host, String version, String previousVersion) {}
}
