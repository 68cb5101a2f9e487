package dev.cast.torrent;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * One download started by {@link TorrentPeer#download}. When it completes the torrent stays in the
 * peer and seeds until {@link TorrentPeer#remove(String)}.
 */
public final class Download {
  private final Metainfo torrent;
  private final Path file;
  private final Supplier<Progress> progress;
  private final Runnable cancel;
  final CompletableFuture<Path> done = new CompletableFuture<>();

  Download(Metainfo torrent, Path file, Supplier<Progress> progress, Runnable cancel) {
    this.torrent = torrent;
    this.file = file;
    this.progress = progress;
    this.cancel = cancel;
  }

  /** The torrent's info-hash (hex). */
  public String infoHash() {
    return torrent.infoHash();
  }

  /** Where the file is written: the save directory plus the torrent's name. */
  public Path file() {
    return file;
  }

  /** The state now; the last state seen once the torrent left the peer. */
  public Progress progress() {
    return progress.get();
  }

  /** Completes with {@link #file()} when every piece is verified, or exceptionally on failure. */
  public CompletableFuture<Path> completion() {
    return done.copy();
  }

  /**
   * Waits for the download.
   *
   * @return true when complete, false when {@code timeout} passed first (the download goes on)
   * @throws TorrentException if it failed, or was cancelled or its peer closed
   */
  public boolean await(Duration timeout) throws InterruptedException {
    try {
      done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (CancellationException e) {
      throw new TorrentException("download of " + torrent.name() + " was cancelled", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof TorrentException te) {
        throw te;
      }
      throw new TorrentException("download of " + torrent.name() + " failed: " + cause, cause);
    }
  }

  /**
   * Stops the download and takes the torrent out of the peer. The partial file stays where it is,
   * so a later {@link TorrentPeer#download} into the same directory continues from it. No-op once
   * the download completed: the torrent then seeds until {@link TorrentPeer#remove(String)}.
   */
  public void cancel() {
    cancel.run();
  }

  @Override
  public String toString() {
    return "Download[" + torrent + " -> " + file + "]";
  }
}
