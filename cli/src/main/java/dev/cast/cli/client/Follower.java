package dev.cast.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Follows a deployment until it ends: on a terminal, a table of its hosts redrawn in place under a
 * line with its phase and batch; otherwise one line per change. Ends with the final state and its
 * cause, and answers the exit code: 0 SUCCEEDED, 3 CANCELLED, 1 any other end.
 */
final class Follower {
  private final Connection api;
  private final PrintWriter out;
  private final boolean terminal;
  private final long pollMillis;

  Follower(Connection api, PrintWriter out, boolean terminal, long pollMillis) {
    this.api = api;
    this.out = out;
    this.terminal = terminal;
    this.pollMillis = pollMillis;
  }

  int follow(String id) {
    Map<String, String> seen = new HashMap<>();
    String lastHeader = null;
    int drawn = 0;
    while (true) {
      JsonNode d = api.get("/v1/deployments/" + id);
      String state = d.path("state").asText();
      boolean over = !(state.equals("PENDING") || state.equals("RUNNING"));
      String header = header(d);
      if (terminal) {
        if (drawn > 0) {
          out.print("\033[" + drawn + "A\033[J"); // back to the table's top, clear below
        }
        out.println(header);
        drawn = 1;
        for (JsonNode host : d.path("hosts")) {
          JsonNode fetch = d.path("staging").path(host.path("host").asText());
          out.printf(
              "  %-20s %-12s %s%n",
              host.path("host").asText(),
              host.path("state").asText(),
              fetch.isObject() ? bar(fetch) : host.path("message").asText(""));
          drawn++;
        }
      } else {
        if (!header.equals(lastHeader)) {
          out.println(header);
        }
        for (JsonNode host : d.path("hosts")) {
          JsonNode fetch = d.path("staging").path(host.path("host").asText());
          // A fetch is a change each tenth of the way; its bytes in between are not.
          String now =
              host.path("state").asText()
                  + " "
                  + (fetch.isObject()
                      ? percent(fetch) / 10 * 10 + "% of " + mebibytes(total(fetch))
                      : host.path("message").asText(""));
          if (!now.equals(seen.put(host.path("host").asText(), now))) {
            out.printf("  %s: %s%n", host.path("host").asText(), now.trim());
          }
        }
      }
      lastHeader = header;
      out.flush();
      if (over) {
        String cause = d.path("cause").isTextual() ? ": " + d.path("cause").asText() : "";
        out.println(id + " " + state + cause);
        out.flush();
        return switch (state) {
          case "SUCCEEDED" -> 0;
          case "CANCELLED" -> CliFailure.CANCELLED;
          default -> CliFailure.FAILED;
        };
      }
      try {
        Thread.sleep(pollMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return CliFailure.FAILED;
      }
    }
  }

  private static final int BAR = 24;

  /** "[##########--------------] 42% 21.0/50.0 MiB 8.3 MiB/s torrent": a host's fetch. */
  static String bar(JsonNode fetch) {
    int percent = percent(fetch);
    int filled = percent * BAR / 100;
    return "["
        + "#".repeat(filled)
        + "-".repeat(BAR - filled)
        + "] "
        + String.format(Locale.ROOT, "%3d%%", percent)
        + "  "
        + String.format(Locale.ROOT, "%.1f", fetch.path("bytes").asLong() / 1048576.0)
        + "/"
        + mebibytes(total(fetch))
        + "  "
        + mebibytes(fetch.path("bytesPerSecond").asLong())
        + "/s "
        + fetch.path("source").asText("");
  }

  private static long total(JsonNode fetch) {
    return Math.max(fetch.path("totalBytes").asLong(), fetch.path("bytes").asLong());
  }

  private static int percent(JsonNode fetch) {
    long total = total(fetch);
    return total <= 0 ? 0 : (int) (fetch.path("bytes").asLong() * 100 / total);
  }

  private static String mebibytes(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
  }

  /** "d-… deploy hello 2.0.0: canary 1/3, awaiting promote (cast promote d-…)". */
  static String header(JsonNode d) {
    String id = d.path("id").asText();
    StringBuilder line =
        new StringBuilder(
            id
                + " "
                + d.path("kind").asText()
                + " "
                + d.path("app").asText()
                + " "
                + d.path("version").asText()
                + ": "
                + d.path("state").asText());
    String phase = d.path("phase").asText("");
    if (!phase.isEmpty()) {
      line.append(", ").append(phase);
      if (d.path("batch").isNumber()) {
        line.append(" ")
            .append(d.path("batch").asInt())
            .append('/')
            .append(d.path("batches").asInt());
      }
      if (phase.contains("awaiting promote")) {
        line.append(" (cast promote ").append(id).append(')');
      } else if (phase.contains("paused")) {
        line.append(" (cast resume ").append(id).append(')');
      }
    }
    return line.toString();
  }
}
