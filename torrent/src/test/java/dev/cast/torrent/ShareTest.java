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
        if (new Share(share, count).contains(piece, pieces)) {
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
      assertThat(new Share(share, count).size(pieces)).isEqualTo(sizes[share]);
    }
  }

  @Test
  void theWholeHoldsEveryPiece() {
    for (int piece = 0; piece < 10; piece++) {
      assertThat(Share.WHOLE.contains(piece, 10)).isTrue();
    }
  }

  @Test
  void aShareIsUnsentWhileAPieceOfItIsNeitherHereNorAtAnyPeer() {
    // 8 pieces in 4 shares of 2: pieces 0-1 are share 0, 2-3 share 1, 4-5 share 2, 6-7 share 3.
    Share mine = new Share(0, 4);
    int[] availability = {0, 0, 1, 2, 0, 1, 0, 3};
    // Share 0 is here (no peer has it yet); piece 4 of share 2 and piece 6 of share 3 are nowhere.
    assertThat(mine.unsentShares(availability, 8, piece -> piece < 2)).isEqualTo(2);
    // Once piece 6 is here too, only share 2 is unsent.
    assertThat(mine.unsentShares(availability, 8, piece -> piece < 2 || piece == 6)).isOne();
    // A host missing its own share counts it as unsent too.
    assertThat(mine.unsentShares(availability, 8, piece -> false)).isEqualTo(3);
  }

  @Test
  void theSeedIsAskedAgainOnceFewerThanHalfTheSharesAreUnsent() {
    Share ofEight = new Share(5, 8);
    assertThat(ofEight.fewUnsent(4)).isFalse();
    assertThat(ofEight.fewUnsent(3)).isTrue();
    assertThat(ofEight.fewUnsent(0)).isTrue();
    // Two hosts: the seed is spared until every piece is at one host or the other.
    Share ofTwo = new Share(0, 2);
    assertThat(ofTwo.fewUnsent(1)).isFalse();
    assertThat(ofTwo.fewUnsent(0)).isTrue();
  }

  @Test
  void aShareOutsideItsCountIsRefused() {
    assertThatThrownBy(() -> new Share(3, 3)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Share(0, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
