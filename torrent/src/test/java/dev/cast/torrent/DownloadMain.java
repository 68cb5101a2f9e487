package dev.cast.torrent;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A downloader in its own JVM, so a test can kill it half-way like a crashed agent: {@code
 * DownloadMain <torrent file> <save dir> <download rate limit> <native cache dir>}. Prints {@code
 * progress <bytes done> <bytes downloaded this run>} lines and {@code done} at the end.
 */
public final class DownloadMain {
  private DownloadMain() {}

  public static void main(String[] args) throws Exception {
    byte[] torrent = Files.readAllBytes(Path.of(args[0]));
    Path saveDir = Path.of(args[1]);
    int rateLimit = Integer.parseInt(args[2]);
    TorrentNative.Availability a = TorrentNative.load(Path.of(args[3]));
    if (!a.available()) {
      System.out.println("unavailable " + a.reason());
      System.exit(2);
    }
    try (TorrentPeer peer =
        TorrentPeer.start(TorrentPeer.Options.defaults().withDownloadRateLimit(rateLimit))) {
      Download d =
          peer.download(
              torrent,
              saveDir,
              List.of(),
              p -> {
                System.out.println("progress " + p.bytesDone() + " " + p.downloadedThisRun());
                System.out.flush();
              });
      boolean done = d.await(Duration.ofMinutes(2));
      System.out.println(done ? "done" : "timeout");
    }
  }
}
