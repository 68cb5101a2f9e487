package dev.cast.torrent;

import java.util.BitSet;
import java.util.function.IntPredicate;

/**
 * Which part of a torrent a downloader fetches first: share {@code index} of {@code count} equal
 * runs of pieces. When every host of a fleet starts with a different share, each asks the seed for
 * pieces no other host is asking it for, and gets the rest from the other hosts: the seed sends
 * each piece about once instead of the same rarest pieces to several hosts at a time.
 */
public record Share(int index, int count) {
  /** No share first: libtorrent's rarest-first order alone. */
  public static final Share WHOLE = new Share(0, 1);

  public Share {
    if (count < 1 || index < 0 || index >= count) {
      throw new IllegalArgumentException("share " + index + " of " + count);
    }
  }

  /** How many of {@code pieces} pieces lie in this share. */
  int size(int pieces) {
    int n = 0;
    for (int i = 0; i < pieces; i++) {
      if (contains(i, pieces)) {
        n++;
      }
    }
    return n;
  }

  /** Whether piece {@code piece} of {@code pieces} lies in this share. */
  boolean contains(int piece, int pieces) {
    return indexOf(piece, pieces) == index;
  }

  private int indexOf(int piece, int pieces) {
    return (int) ((long) piece * count / pieces);
  }

  /**
   * How many of the {@code count} shares still have a piece that neither this host ({@code have})
   * nor any peer it is connected to holds ({@code availability} 0, counted while the seed is
   * spared): pieces the seed has sent to no one yet, or has in flight to their share's host.
   */
  int unsentShares(int[] availability, int pieces, IntPredicate have) {
    BitSet unsent = new BitSet(count);
    for (int i = 0; i < Math.min(availability.length, pieces); i++) {
      if (availability[i] == 0 && !have.test(i)) {
        unsent.set(indexOf(i, pieces));
      }
    }
    return unsent.cardinality();
  }

  /**
   * Whether so few shares are still unsent that the seed has upload to spare: fewer than half of
   * the hosts still take their share from it, each through a downlink the other hosts also send on.
   * A host that holds its share then takes the unsent pieces from the seed too.
   */
  boolean fewUnsent(int unsentShares) {
    return unsentShares * 2 < count;
  }
}
