package dev.cast.api.core;

import dev.cast.workflows.deploy.Strategy;
import java.util.List;
import java.util.Map;

/**
 * The one-line summary and the details (Markdown) a deployment's workflow carries as Temporal user
 * metadata: what the Temporal UI shows at the top of the workflow's page and in its list.
 */
final class WorkflowSummaries {
  /** How many host names the details list before "and N more". */
  private static final int HOSTS_LISTED = 20;

  private WorkflowSummaries() {}

  /** {@code "deploy hello 2.0.0 to 3 hosts (d-…)"}. */
  static String summary(String id, DeploymentLauncher.About about) {
    StringBuilder line = new StringBuilder(about.kind()).append(' ').append(about.app());
    if (about.service() != null) {
      line.append('/').append(about.service());
    }
    line.append(' ').append(about.version());
    int hosts = about.hosts().size();
    line.append(hosts == 1 ? " on 1 host" : " on " + hosts + " hosts");
    return line.append(" (").append(id).append(')').toString();
  }

  static String details(String id, DeploymentLauncher.About about) {
    StringBuilder text = new StringBuilder();
    row(text, "Deployment", id);
    row(text, "App", about.app());
    if (about.service() != null) {
      row(text, "Service", about.service());
    }
    row(text, "Version", about.version());
    row(text, "Hosts", hosts(about.hosts()));
    if (about.strategy() != null) {
      row(text, "Strategy", strategy(about.strategy()));
    }
    if (about.reason() != null) {
      row(text, "Reason", about.reason());
    }
    if (about.who() != null) {
      row(text, "Requested by", about.who());
    }
    return text.toString();
  }

  private static void row(StringBuilder text, String name, String value) {
    text.append("**").append(name).append(":** ").append(value).append("  \n");
  }

  private static String hosts(List<String> hosts) {
    if (hosts.size() <= HOSTS_LISTED) {
      return String.join(", ", hosts);
    }
    return String.join(", ", hosts.subList(0, HOSTS_LISTED))
        + " and "
        + (hosts.size() - HOSTS_LISTED)
        + " more";
  }

  private static String strategy(Object strategy) {
    if (strategy instanceof Strategy s) {
      StringBuilder text = new StringBuilder("maxParallel ").append(s.maxParallel());
      if (s.canary() > 0) {
        text.append(", canary ").append(s.canary());
        text.append(s.manualPromote() ? " (manual promote)" : "");
      }
      if (s.minHealthyMillis() > 0) {
        text.append(", minHealthyTime ").append(s.minHealthyMillis()).append(" ms");
      }
      text.append(", maxUnavailable ").append(s.maxUnavailable());
      return text.toString();
    }
    if (strategy instanceof Map<?, ?> map) {
      StringBuilder text = new StringBuilder();
      map.forEach(
          (k, v) -> text.append(text.length() == 0 ? "" : ", ").append(k).append(' ').append(v));
      return text.toString();
    }
    return String.valueOf(strategy);
  }
}
