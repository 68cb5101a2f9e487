package dev.cast.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What the token check costs: GET /v1/apps under the same load on two servers in this JVM, one
 * checking tokens (the default) and one with {@code auth.enabled: false}, in alternating rounds so
 * both see the same machine. Prints requests/s and p99 of each and their ratio. The baseline is the
 * server without auth; a second server without auth, measured in the same rounds, shows how much
 * two identical servers differ here, which is the noise the ratio is read against.
 */
public final class ApiBench {
  private static final int THREADS = 8;

  record Round(double perSecond, double p99Millis) {}

  public static void main(String[] args) throws Exception {
    int rounds = option(args, "--rounds", 5);
    int requests = option(args, "--requests", 2000);
    // Neither server runs an agent: the two differ in the token check alone.
    System.setProperty("dw.agent.enabled", "false");
    // A second server without auth is the yardstick: what two identical servers differ by on
    // this machine is the noise the difference with auth is measured against. The server with
    // auth starts between the two.
    System.setProperty("dw.auth.enabled", "false");
    BenchServer open = BenchServer.start();
    System.clearProperty("dw.auth.enabled");
    BenchServer secured = BenchServer.start();
    System.setProperty("dw.auth.enabled", "false");
    BenchServer control = BenchServer.start();
    System.clearProperty("dw.auth.enabled");
    System.clearProperty("dw.agent.enabled");
    try {
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      String token = secured.api.authorization();
      // Warm-up, not counted.
      load(http, secured.port, token, requests / 4);
      load(http, open.port, null, requests / 4);
      load(http, control.port, null, requests / 4);
      List<Round> withAuth = new ArrayList<>();
      List<Round> without = new ArrayList<>();
      List<Round> same = new ArrayList<>();
      // Each round runs all three in turns; the order rotates, so none always meets the machine
      // warmer or busier.
      for (int i = 0; i < rounds; i++) {
        for (int k = 0; k < 3; k++) {
          switch ((i + k) % 3) {
            case 0 -> withAuth.add(load(http, secured.port, token, requests));
            case 1 -> without.add(load(http, open.port, null, requests));
            default -> same.add(load(http, control.port, null, requests));
          }
        }
      }
      double authRate = median(rates(withAuth));
      double openRate = median(rates(without));
      double sameRate = median(rates(same));
      double authP99 = median(p99s(withAuth));
      double openP99 = median(p99s(without));
      double sameP99 = median(p99s(same));
      System.out.printf(
          "GET /v1/apps, %d threads, %d requests a round, median of %d rounds%n",
          THREADS, requests, rounds);
      System.out.printf("  with auth:       %8.0f req/s  p99 %6.2f ms%n", authRate, authP99);
      System.out.printf(
          "  without auth:    %8.0f req/s  p99 %6.2f ms  (baseline)%n", openRate, openP99);
      System.out.printf(
          "  without auth, B: %8.0f req/s  p99 %6.2f ms  (a second, identical server)%n",
          sameRate, sameP99);
      System.out.printf(
          "  ratio with/without:           throughput %.3f, p99 %.3f%n",
          authRate / openRate, authP99 / openP99);
      System.out.printf(
          "  noise, B/without (no change): throughput %.3f, p99 %.3f%n",
          sameRate / openRate, sameP99 / openP99);
      System.out.printf(
          "  per-round p99 ratio with/without: %s; B/without: %s%n",
          range(withAuth, without), range(same, without));
    } finally {
      secured.stop();
      open.stop();
      control.stop();
    }
    System.exit(0);
  }

  private static Round load(HttpClient http, int port, String authorization, int requests)
      throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + port + "/v1/apps");
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    long[] latencies = new long[requests];
    long start = System.nanoTime();
    List<Future<?>> running = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int first = t;
      running.add(
          pool.submit(
              () -> {
                for (int i = first; i < requests; i += THREADS) {
                  HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
                  if (authorization != null) {
                    request.header("Authorization", authorization);
                  }
                  long sent = System.nanoTime();
                  HttpResponse<Void> response =
                      http.send(request.build(), HttpResponse.BodyHandlers.discarding());
                  if (response.statusCode() != 200) {
                    throw new IllegalStateException(
                        "GET /v1/apps answered " + response.statusCode());
                  }
                  latencies[i] = System.nanoTime() - sent;
                }
                return null;
              }));
    }
    for (Future<?> f : running) {
      f.get();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    pool.shutdown();
    Arrays.sort(latencies);
    return new Round(requests / seconds, latencies[(int) (requests * 0.99) - 1] / 1e6);
  }

  private static int option(String[] args, String name, int fallback) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return BenchArgs.positive(args[i + 1]);
      }
    }
    return fallback;
  }

  private static double[] rates(List<Round> rounds) {
    return rounds.stream().mapToDouble(Round::perSecond).toArray();
  }

  private static double[] p99s(List<Round> rounds) {
    return rounds.stream().mapToDouble(Round::p99Millis).toArray();
  }

  /** The lowest and highest of the rounds' p99 ratios, round by round. */
  private static String range(List<Round> a, List<Round> b) {
    double low = Double.MAX_VALUE;
    double high = 0;
    for (int i = 0; i < a.size(); i++) {
      double ratio = a.get(i).p99Millis() / b.get(i).p99Millis();
      low = Math.min(low, ratio);
      high = Math.max(high, ratio);
    }
    return String.format("%.2f..%.2f", low, high);
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
