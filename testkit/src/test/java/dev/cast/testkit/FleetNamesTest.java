package dev.cast.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FleetNamesTest {
  @Test
  void linkNamesFitLinuxsLimitForTheLargestPids() {
    FleetNames names = new FleetNames(4_194_304, 1295);

    assertThat(names.rootLink()).hasSizeLessThanOrEqualTo(15).startsWith("castf");
  }

  @Test
  void namesCarryTheirOwnersPid() {
    FleetNames names = new FleetNames(31_337, 7);

    assertThat(FleetNames.namespaceOwner(names.switchNamespace())).hasValue(31_337);
    assertThat(FleetNames.namespaceOwner(names.hostNamespace(12))).hasValue(31_337);
    assertThat(FleetNames.linkOwner(names.rootLink())).hasValue(31_337);
  }

  @Test
  void pidsAndSerialsWithAnXInBaseThirtySixParseBack() {
    long pid = Long.parseLong("lde", 36);
    FleetNames names = new FleetNames(pid, Integer.parseInt("xc", 36));

    assertThat(FleetNames.linkOwner(names.rootLink())).hasValue(pid);
  }

  @Test
  void otherNamesHaveNoOwner() {
    assertThat(FleetNames.namespaceOwner("cni-1234")).isEmpty();
    assertThat(FleetNames.namespaceOwner("castfleet-x-1-sw")).isEmpty();
    assertThat(FleetNames.linkOwner("eth0")).isEmpty();
    assertThat(FleetNames.linkOwner("docker0")).isEmpty();
  }

  @Test
  void fleetsOfOneJvmDifferBySerial() {
    assertThat(new FleetNames(100, 1).rootLink()).isNotEqualTo(new FleetNames(100, 2).rootLink());
    assertThat(new FleetNames(100, 1).switchNamespace())
        .isNotEqualTo(new FleetNames(100, 2).switchNamespace());
  }
}
