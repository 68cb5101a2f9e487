package dev.cast.torrent;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A real libtorrent peer that sends a corrupt piece: the downloader rejects it, says so, bans the
 * peer and gets the piece again from a good one.
 *
 * <p>The bad peer is honest libtorrent whose disk went bad under it: it checked its intact copy (so
 * it holds every piece), then bytes of one piece were flipped on disk. A peer in libtorrent's seed
 * mode would not do: it hashes each piece the first time it is asked for, and on a mismatch leaves
 * seed mode instead of sending it.
 */
class CorruptPeerTest {
  private static final long SIZE = 4L * 1024 * 1024;
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final TorrentPeer.Options LOOPBACK =
      TorrentPeer.Options.defaults().withListenInterfaces("127.0.0.1:0");

  private final ListAppender<ILoggingEvent> log = new ListAppender<>();
  private final Logger peerLog = (Logger) LoggerFactory.getLogger(TorrentPeer.class);

  @BeforeAll
  static void loadNative() {
    TorrentNative.Availability a = TorrentNative.load(TestFiles.nativeCache());
    assertThat(a.available()).as(a.reason()).isTrue();
  }

  @BeforeEach
  void captureLog() {
    log.start();
    peerLog.addAppender(log);
  }

  @AfterEach
  void releaseLog() {
    peerLog.detachAppender(log);
  }

  @Test
  void aCorruptPieceIsRejectedAndFetchedAgainFromAGoodPeer(@TempDir Path dir) throws Exception {
    Path goodDir = Files.createDirectories(dir.resolve("good"));
    Path badDir = Files.createDirectories(dir.resolve("bad"));
    Path bundle = TestFiles.random(goodDir.resolve("bundle.tar.gz"), SIZE, 11);
    Files.copy(bundle, badDir.resolve("bundle.tar.gz"));
    Metainfo torrent = TorrentCreator.of(bundle).create(); // no tracker, no web seed
    int piece = torrent.pieceCount() / 2;
    try (TorrentPeer good = TorrentPeer.start(LOOPBACK);
        TorrentPeer bad = TorrentPeer.start(LOOPBACK);
        TorrentPeer leecher = TorrentPeer.start(LOOPBACK)) {
      good.seed(torrent.bytes(), goodDir);
      Download own =
          bad.download(torrent.bytes(), badDir, List.of(), TorrentPeer.ProgressListener.none());
      assertThat(own.await(WAIT)).as("the bad peer checked its intact copy").isTrue();
      flipBytes(badDir.resolve("bundle.tar.gz"), (long) piece * torrent.pieceLength() + 100);

      // The bad peer alone first, so the corrupt piece certainly arrives; the good one joins after.
      List<Progress> seen = new CopyOnWriteArrayList<>();
      Download d =
          leecher.download(torrent.bytes(), dir.resolve("down"), List.of(at(bad)), seen::add);
      awaitHashFailure(d);
      assertThat(d.progress().isComplete()).isFalse();
      leecher.connect(torrent.infoHash(), at(good));

      assertThat(d.await(WAIT)).as("the download completes from the good peer").isTrue();
      assertThat(TestFiles.sha256(d.file())).isEqualTo(TestFiles.sha256(bundle));
      // At least once; more if the bad peer got back in before the good one sent the piece.
      int rejected = d.progress().hashFailures();
      assertThat(rejected).isPositive();
      assertThat(seen.get(seen.size() - 1).hashFailures()).isEqualTo(rejected);
      Thread.sleep(1500); // libtorrent updates transfer counters once a second
      assertThat(good.uploadedBytes(torrent.infoHash()))
          .as("the good peer sent the rejected piece again")
          .isGreaterThanOrEqualTo(torrent.pieceLength());
      assertThat(warnings())
          .anyMatch(
              m ->
                  m.contains("piece " + piece + " of bundle.tar.gz failed its hash check")
                      && m.contains("1 failed so far"))
          .anyMatch(
              m ->
                  m.contains("banned peer 127.0.0.1:" + bad.listenPort())
                      && m.contains("bundle.tar.gz"));
    }
  }

  private void awaitHashFailure(Download d) throws InterruptedException {
    long end = System.nanoTime() + WAIT.toNanos();
    while (d.progress().hashFailures() == 0) {
      assertThat(System.nanoTime()).as("no hash failure: %s", d.progress()).isLessThan(end);
      Thread.sleep(50);
    }
  }

  private List<String> warnings() {
    return log.list.stream()
        .filter(e -> e.getLevel() == Level.WARN)
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }

  /**
   * Inverts a few bytes in place, as a failing disk would, under the peer that has the file open.
   */
  private static void flipBytes(Path file, long at) throws Exception {
    try (FileChannel channel =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer bytes = ByteBuffer.allocate(16);
      channel.read(bytes, at);
      for (int i = 0; i < bytes.limit(); i++) {
        bytes.put(i, (byte) ~bytes.get(i));
      }
      bytes.flip();
      channel.write(bytes, at);
    }
  }

  private static InetSocketAddress at(TorrentPeer peer) {
    return new InetSocketAddress("127.0.0.1", peer.listenPort());
  }
}
