package dev.cast.torrent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShareTest {
  @Test
  void theSharesSplitThePiecesIntoEvenRunsWithoutGapsOrOverlap() {
    int pieces = 1027;
    int count = 8;
    List<Integer> owners = new ArrayList<>();
    int[] sizes = new int[count];
    for (int piece = 0; piece < pieces; piece++) {
      List<Integer> holding = new ArrayList<>();
      for (int share = 0; share < count; share++) {
        if (new TorrentPeer.Share(share, count).contains(piece, pieces)) {
          holding.add(share);
        }
      }
      assertThat(holding).as("shares holding piece " + piece).hasSize(1);
      owners.add(holding.get(0));
      sizes[holding.get(0)]++;
    }
    assertThat(owners).isSorted();
    for (int share = 0; share < count; share++) {
      assertThat(sizes[share]).isBetween(pieces / count, pieces / count + 1);
      assertThat(new TorrentPeer.Share(share, count).size(pieces)).isEqualTo(sizes[share]);
    }
  }

  @Test
  void theWholeHoldsEveryPiece() {
    for (int piece = 0; piece < 10; piece++) {
      assertThat(TorrentPeer.Share.WHOLE.contains(piece, 10)).isTrue();
    }
  }

  @Test
  void aShareOutsideItsCountIsRefused() {
    assertThatThrownBy(() -> new TorrentPeer.Share(3, 3))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TorrentPeer.Share(0, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
