package dev.cast.bench;

import java.util.ArrayList;
import java.util.List;

/** The hosts a benchmark deploys to, named {@code h-01}, {@code h-02}, …; started on demand. */
interface BenchHosts extends AutoCloseable {
  /** Names of the first {@code count} hosts. */
  static List<String> names(int count) {
    List<String> names = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      names.add(String.format("h-%02d", i));
    }
    return names;
  }

  /** How the hosts run, for the report. */
  String mode();

  int size();

  /** Starts hosts until there are {@code count}, and waits until the api knows each of them. */
  void growTo(int count) throws Exception;

  @Override
  void close();
}
