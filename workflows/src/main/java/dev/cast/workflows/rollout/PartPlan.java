package dev.cast.workflows.rollout;

import java.util.ArrayList;
import java.util.List;

/**
 * How a rollout's batches go into parts (child workflows) of at most {@code hostsPerPart} hosts:
 * consecutive small batches share a part, so a rollout of many small batches starts few parts; a
 * batch larger than that is split into slices switched side by side, each a part. Pure arithmetic.
 */
public final class PartPlan {
  /** Hosts per part unless a request says otherwise: about 3–6 history events per host each. */
  public static final int DEFAULT_HOSTS_PER_PART = 250;

  /** Batches per part at most: each batch costs a record, workflow tasks and maybe a timer. */
  static final int MAX_BATCHES_PER_PART = 100;

  private PartPlan() {}

  /**
   * Parts run side by side, each some batches, the first of them numbered {@code firstBatch} (from
   * 1).
   */
  record Part(List<List<String>> batches, int firstBatch) {
    List<String> hosts() {
      return batches.stream().flatMap(List::stream).toList();
    }

    int lastBatch() {
      return firstBatch + batches.size() - 1;
    }
  }

  /** The hosts per part a request asks for, or the default. */
  /**
   * Whether a rollout of {@code hosts} goes in parts: only when it has more hosts than one part
   * takes. A smaller one stays one workflow (its history, some ten events a host, stays in the low
   * thousands), so its event history reads as the deploy, every host's steps in one place.
   */
  public static boolean needsParts(int hosts, int requestedHostsPerPart) {
    return hosts > hostsPerPart(requestedHostsPerPart);
  }

  public static int hostsPerPart(int requested) {
    return requested > 0 ? requested : DEFAULT_HOSTS_PER_PART;
  }

  /**
   * The steps of a rollout: each a list of parts run side by side; the steps run one after another.
   *
   * @param aloneFirst how many leading batches get a step of their own (the canaries that wait for
   *     a promote after them)
   */
  static List<List<Part>> steps(List<List<String>> batches, int hostsPerPart, int aloneFirst) {
    List<List<Part>> steps = new ArrayList<>();
    List<List<String>> pending = new ArrayList<>();
    int pendingHosts = 0;
    int pendingFirst = 1;
    for (int i = 0; i < batches.size(); i++) {
      List<String> batch = batches.get(i);
      int number = i + 1;
      boolean alone = i < aloneFirst;
      if (!pending.isEmpty()
          && (alone
              || pendingHosts + batch.size() > hostsPerPart
              || pending.size() >= MAX_BATCHES_PER_PART)) {
        steps.add(List.of(new Part(List.copyOf(pending), pendingFirst)));
        pending.clear();
        pendingHosts = 0;
      }
      if (batch.size() > hostsPerPart) {
        List<Part> slices = new ArrayList<>();
        for (List<String> slice : groups(batch, hostsPerPart)) {
          slices.add(new Part(List.of(slice), number));
        }
        steps.add(slices);
        continue;
      }
      if (pending.isEmpty()) {
        pendingFirst = number;
      }
      pending.add(batch);
      pendingHosts += batch.size();
      if (alone) {
        steps.add(List.of(new Part(List.copyOf(pending), pendingFirst)));
        pending.clear();
        pendingHosts = 0;
      }
    }
    if (!pending.isEmpty()) {
      steps.add(List.of(new Part(List.copyOf(pending), pendingFirst)));
    }
    return steps;
  }

  /** Hosts in groups of at most {@code size}, in order. */
  static List<List<String>> groups(List<String> hosts, int size) {
    List<List<String>> groups = new ArrayList<>();
    for (int i = 0; i < hosts.size(); i += size) {
      groups.add(List.copyOf(hosts.subList(i, Math.min(i + size, hosts.size()))));
    }
    return groups;
  }
}
