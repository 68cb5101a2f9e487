package dev.cast.workflows.host;

import java.util.List;

public record HealthReport(List<ServiceHealth> services) {

  /**
   * @param status passing | warning | critical
   */
  public record ServiceHealth(String service, String status, String output) {}
}
