package dev.cast.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The namespaces and links themselves; needs root (skipped otherwise). */
class FleetNetworkTest {
  @BeforeEach
  void needsIsolation() {
    String obstacle = Isolation.obstacle("auto");
    Assumptions.assumeTrue(obstacle == null, obstacle);
  }

  @Test
  void reapsTheLeftoversOfAFleetWhoseJvmDied() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor(10, TimeUnit.SECONDS);
    FleetNames names = new FleetNames(gone.pid(), 1);
    FleetNetwork network = FleetNetwork.open(names);
    network.addHost(1);
    Process service =
        new ProcessBuilder(network.inHost(1, List.of("setsid", "sleep", "600"))).start();
    assertThat(namespaces()).contains(names.hostNamespace(1), names.switchNamespace());

    FleetNetwork.reapLeftovers();

    assertThat(namespaces()).doesNotContain(names.hostNamespace(1), names.switchNamespace());
    assertThat(links()).doesNotContain(names.rootLink());
    assertThat(service.waitFor(10, TimeUnit.SECONDS)).as("the service in it was killed").isTrue();
  }

  @Test
  void leavesTheNetworkOfALiveJvmAlone() throws Exception {
    FleetNames names = new FleetNames(ProcessHandle.current().pid(), 1200);
    try (FleetNetwork network = FleetNetwork.open(names)) {
      network.addHost(1);

      FleetNetwork.reapLeftovers();

      assertThat(namespaces()).contains(names.hostNamespace(1));
      assertThat(links()).contains(names.rootLink());
    }
    assertThat(namespaces()).doesNotContain(names.hostNamespace(1), names.switchNamespace());
    assertThat(links()).doesNotContain(names.rootLink());
  }

  @Test
  void capsBothDirectionsOfAHostsLink() throws Exception {
    FleetNames names = new FleetNames(ProcessHandle.current().pid(), 1201);
    try (FleetNetwork network = FleetNetwork.open(names)) {
      network.addHost(1);

      network.limit(1, "8mbit");

      assertThat(classes(names.hostNamespace(1), "eth0")).contains("rate 8Mbit");
      assertThat(classes(names.switchNamespace(), "h1")).contains("rate 8Mbit");
      network.limit(1, "20mbit");
      assertThat(classes(names.hostNamespace(1), "eth0")).contains("rate 20Mbit");
      network.unlimit(1);
      assertThat(classes(names.hostNamespace(1), "eth0")).doesNotContain("htb");
    }
  }

  private static String classes(String ns, String dev) {
    return Commands.run(List.of(Commands.tc("-n", ns, "class", "show", "dev", dev))).output();
  }

  private static String namespaces() {
    return Commands.run(List.of(Commands.ip("netns", "list"))).output();
  }

  private static String links() {
    return Commands.run(List.of(Commands.ip("-o", "link", "show"))).output();
  }
}
