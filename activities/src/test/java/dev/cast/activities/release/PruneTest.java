package dev.cast.activities.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cast.activities.host.AppLayout;
import dev.cast.activities.ports.HostDatabase;
import dev.cast.activities.ports.PortAllocator;
import dev.cast.activities.testing.HostTest;
import dev.cast.activities.testing.TestHost;
import dev.cast.workflows.host.PruneRequest;
import dev.cast.workflows.host.PruneResult;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PruneTest extends HostTest {

  @Test
  void keepsTheNewestReleasesAndNeverCurrentOrPrevious() throws Exception {
    AppLayout app = host.app("hello");
    for (String v : new String[] {"v1", "v2", "v3", "v4", "v5"}) {
      host.stage("hello", v, ActivationTest.SLEEPER);
    }
    host.activate("hello", "v1");
    host.activate("hello", "v2");
    Instant t = Instant.parse("2030-01-01T00:00:00Z");
    for (int i = 1; i <= 5; i++) {
      Files.setLastModifiedTime(app.marker("v" + i), FileTime.from(t.plusSeconds(i)));
    }

    PruneResult result = host.activities.pruneReleases(new PruneRequest("hello", 1));

    assertThat(result.removed()).containsExactly("v3", "v4");
    assertThat(app.releaseDir("v5")).isDirectory();
    assertThat(app.releaseDir("v2")).as("current").isDirectory();
    assertThat(app.releaseDir("v1")).as("previous").isDirectory();
    assertThat(app.releaseDir("v3")).doesNotExist();
    assertThat(app.marker("v3")).doesNotExist();
    assertThat(host.runRecord("hello", "web").alive()).isTrue();
  }

  @Test
  void givesBackThePortsOfServicesNoRetainedReleaseHas() throws Exception {
    String both =
        """
        name: hello
        version: "0"
        services:
          web:
            command: ["sleep", "1000"]
            ports: [http]
          worker:
            command: ["sleep", "1000"]
            ports: [jobs]
        """;
    host.deploy("hello", "v1", both);
    host.deploy("hello", "v2", ActivationTest.SLEEPER);
    host.deploy("hello", "v3", ActivationTest.SLEEPER);
    try (HostDatabase db = HostDatabase.open(host.settings.layout().databaseFile())) {
      PortAllocator ports = new PortAllocator(db.jdbi(), TestHost.PORT_FROM, TestHost.PORT_TO);
      Map<String, Integer> web = ports.ports("hello", "web");
      assertThat(ports.ports("hello", "worker")).isNotEmpty();
      assertThat(host.supervisor().status("hello", "worker")).as("dropped by v2").isEmpty();

      PruneResult result = host.activities.pruneReleases(new PruneRequest("hello", 2));

      assertThat(result.removed()).containsExactly("v1");
      assertThat(ports.ports("hello", "worker")).isEmpty();
      assertThat(ports.ports("hello", "web")).isEqualTo(web);
    }
  }
}
