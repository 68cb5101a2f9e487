package dev.cast.torrent;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Active downloads without a libtorrent session, for tests of the decisions made from their state
 * alone: the handle is null, so a test that reaches libtorrent fails loudly.
 */
final class Downloads {
  /** Four pieces of 16 KiB. */
  static final int PIECES = 4;

  private Downloads() {}

  /**
   * A torrent of a random file of {@link #PIECES} pieces in {@code dir}, with the given web seed.
   */
  static Metainfo torrent(Path dir, String webSeed) throws IOException {
    Path file = TestFiles.random(dir.resolve("bundle.tar.gz"), PIECES * 16L * 1024, 7);
    TorrentCreator creator = TorrentCreator.of(file).pieceLength(16 * 1024);
    return (webSeed == null ? creator : creator.webSeed(webSeed)).create();
  }

  /** A download of {@code meta} that fetches {@code share} first, holding back {@code held}. */
  static ActiveDownload of(Metainfo meta, Share share, List<String> held) {
    ActiveDownload active =
        new ActiveDownload(meta, null, TorrentPeer.ProgressListener.none(), held);
    active.download = new Download(meta, Path.of(meta.name()), () -> active.last, () -> {});
    active.share = share;
    active.shareLeft.set(share.size(meta.pieceCount()));
    return active;
  }
}
