package dev.cast.bench;

import java.util.Arrays;
import java.util.List;

/** Option values the benchmarks share. */
final class BenchArgs {
  private BenchArgs() {}

  /** A number of at least 1. */
  static int positive(String value) {
    int n = Integer.parseInt(value.trim());
    BenchServer.require(n >= 1, "expected a number of at least 1, was " + value);
    return n;
  }

  /** A number of at least 0. */
  static int nonNegative(String value) {
    int n = Integer.parseInt(value.trim());
    BenchServer.require(n >= 0, "expected a number of at least 0, was " + value);
    return n;
  }

  /** Fleet sizes, comma-separated ({@code 1,10,50}): each at least 1, sorted, no repeats. */
  static List<Integer> hostCounts(String value) {
    return Arrays.stream(value.split(",")).map(BenchArgs::positive).distinct().sorted().toList();
  }
}
