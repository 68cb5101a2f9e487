package dev.cast.torrent;

// Longer than Cast's usual 400 lines because the public API (Options, ProgressListener, seed,
// download, remove, the progress and upload queries) and the alert loop all share one session, one
// map of downloads and one poller thread. The parts that decide something on their own live in
// PeerSettings, SeedSparing, WebSeedGate and ActiveDownload.

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.libtorrent4j.AddTorrentParams;
import org.libtorrent4j.AlertListener;
import org.libtorrent4j.ErrorCode;
import org.libtorrent4j.Priority;
import org.libtorrent4j.SessionManager;
import org.libtorrent4j.SessionParams;
import org.libtorrent4j.Sha1Hash;
import org.libtorrent4j.TcpEndpoint;
import org.libtorrent4j.TorrentFlags;
import org.libtorrent4j.TorrentHandle;
import org.libtorrent4j.TorrentInfo;
import org.libtorrent4j.TorrentStatus;
import org.libtorrent4j.alerts.Alert;
import org.libtorrent4j.alerts.AlertType;
import org.libtorrent4j.alerts.FileErrorAlert;
import org.libtorrent4j.alerts.HashFailedAlert;
import org.libtorrent4j.alerts.PeerBanAlert;
import org.libtorrent4j.alerts.PieceFinishedAlert;
import org.libtorrent4j.alerts.TorrentAlert;
import org.libtorrent4j.alerts.TorrentErrorAlert;
import org.libtorrent4j.swig.error_code;
import org.libtorrent4j.swig.torrent_flags_t;
import org.libtorrent4j.swig.torrent_handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A BitTorrent peer: one libtorrent session that seeds and downloads Cast's release bundles.
 *
 * <p>The session is set up for a private swarm on a LAN: no DHT, local peer discovery, UPnP,
 * NAT-PMP or peer exchange (peers come from the tracker, from the caller, or from web seeds); TCP
 * only, because a Transmission-to-libtorrent uTP transfer was seen to stall; several peers per IP
 * address allowed (hosts on one machine share 127.0.0.1); rate limits apply to LAN peers too
 * (libtorrent exempts local networks by default, which would make a cap meaningless inside a data
 * centre); and torrents are not auto-managed, so no seeding torrent is ever queued behind others.
 * {@link PeerSettings} holds these settings.
 *
 * <p>Every piece received is checked against the torrent's SHA-1 before it counts: a piece that
 * fails is thrown away and fetched again, and a peer that was the only source of a failed piece (or
 * failed several) is banned. Each failure is logged as a warning and counted in {@link
 * Progress#hashFailures()}. Because several peers may share an address here, libtorrent keys a ban
 * by address and port: a banned peer that connects back to us is let in again (and rejected again
 * on its next bad piece) until it gives up.
 *
 * <p>Downloads resume: adding a torrent whose file is partly in the save directory makes libtorrent
 * hash what is there and fetch only the missing pieces, also after the process was killed.
 *
 * <p>Files are read and written with libtorrent's POSIX disk back-end, not its default memory
 * mapping, whose signal handler crashes the JVM (see the constructor). A listen port of 0 is
 * replaced by one free port for all addresses, so {@link #listenPort()} is the port every tracker
 * is told.
 *
 * <p>Call {@link TorrentNative#load} first; {@link #start} refuses to run without the library.
 * Thread-safe. Progress listeners run on one internal thread and must not block.
 */
public final class TorrentPeer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TorrentPeer.class);
  private static final Duration POLL = Duration.ofMillis(500);
  private static final Duration LISTEN_TIMEOUT = Duration.ofSeconds(10);

  private static final int[] WATCHED_ALERTS = {
    AlertType.TORRENT_FINISHED.swig(),
    AlertType.TORRENT_ERROR.swig(),
    AlertType.FILE_ERROR.swig(),
    AlertType.TORRENT_CHECKED.swig(),
    AlertType.HASH_FAILED.swig(),
    AlertType.PEER_BAN.swig(),
    AlertType.PIECE_FINISHED.swig(),
  };

  private final SessionManager session;
  private final String listenInterfaces;
  private final ScheduledExecutorService poller;
  private final Map<String, ActiveDownload> downloads = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> uploadedByRemoved = new ConcurrentHashMap<>();
  private final AlertListener alerts;
  private final int listenPort;
  private final WebSeedGate webSeeds;
  private final SeedSparing sparing;
  private volatile boolean closed;

  /**
   * How a peer runs.
   *
   * @param listenInterfaces libtorrent's {@code listen_interfaces}: {@code address:port} pairs,
   *     comma-separated; {@code 0.0.0.0:0} (every IPv4 address, a free port) by default, an agent
   *     in a network namespace passes its own address
   * @param uploadRateLimit bytes per second sent, over all torrents; 0 for no cap
   * @param downloadRateLimit bytes per second received, over all torrents; 0 for no cap
   * @param announceIp the address the tracker should hand out for this peer ({@code ip=}), or empty
   *     for the address the tracker sees the announce come from
   * @param webSeedDelay how long a download fetches from peers alone before it also uses the
   *     torrent's web seeds: they are added once no peer has delivered anything for this long (from
   *     the start, or later). Zero uses web seeds from the start, alongside peers. A web seed is
   *     the api itself, so holding it back lets hosts feed each other instead.
   */
  public record Options(
      String listenInterfaces,
      int uploadRateLimit,
      int downloadRateLimit,
      String announceIp,
      Duration webSeedDelay) {
    /** Listen on every IPv4 address at a free port; no rate limits; web seeds from the start. */
    public static Options defaults() {
      return new Options("0.0.0.0:0", 0, 0, "", Duration.ZERO);
    }

    /** These options listening on {@code interfaces} instead. */
    public Options withListenInterfaces(String interfaces) {
      return new Options(interfaces, uploadRateLimit, downloadRateLimit, announceIp, webSeedDelay);
    }

    /** These options with an upload cap (bytes per second, 0 for none). */
    public Options withUploadRateLimit(int bytesPerSecond) {
      return new Options(
          listenInterfaces, bytesPerSecond, downloadRateLimit, announceIp, webSeedDelay);
    }

    /** These options with a download cap (bytes per second, 0 for none). */
    public Options withDownloadRateLimit(int bytesPerSecond) {
      return new Options(
          listenInterfaces, uploadRateLimit, bytesPerSecond, announceIp, webSeedDelay);
    }

    /** These options announcing {@code ip} to trackers. */
    public Options withAnnounceIp(String ip) {
      return new Options(listenInterfaces, uploadRateLimit, downloadRateLimit, ip, webSeedDelay);
    }

    /**
     * These options holding web seeds back until peers have delivered nothing for {@code delay}.
     */
    public Options withWebSeedDelay(Duration delay) {
      return new Options(listenInterfaces, uploadRateLimit, downloadRateLimit, announceIp, delay);
    }
  }

  /** Receives a running download's progress about twice a second, and once more at the end. */
  @FunctionalInterface
  public interface ProgressListener {
    void onProgress(Progress progress);

    /** A listener that ignores progress. */
    static ProgressListener none() {
      return p -> {};
    }
  }

  private TorrentPeer(Options options) {
    this.session = new SessionManager(false);
    this.poller =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "cast-torrent-progress");
              t.setDaemon(true);
              return t;
            });
    this.alerts =
        new AlertListener() {
          @Override
          public int[] types() {
            return WATCHED_ALERTS;
          }

          @Override
          public void alert(Alert<?> alert) {
            onAlert(alert);
          }
        };
    session.addListener(alerts);
    this.webSeeds = new WebSeedGate(options.webSeedDelay());
    this.sparing = new SeedSparing(session, downloads.values(), () -> closed);
    this.listenInterfaces = ListenInterfaces.withConcretePort(options.listenInterfaces());
    SessionParams params = new SessionParams(PeerSettings.of(options, listenInterfaces));
    // libtorrent's default disk I/O maps files into memory and installs its own SIGSEGV/SIGBUS
    // handler to catch I/O errors on the mapping; that handler displaces the JVM's, which uses
    // SIGSEGV itself (safepoint polls, implicit null checks), and the JVM then dies of a plain
    // "Segmentation fault" at some later safepoint. The POSIX back-end reads and writes with
    // ordinary calls and installs no handler.
    params.setPosixDiskIO();
    session.start(params);
    session.swig().set_peer_class_filter(PeerSettings.everyAddressInGlobalClass());
    this.listenPort = awaitListenPort();
    poller.scheduleWithFixedDelay(
        this::pollAll, POLL.toMillis(), POLL.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Starts a peer. Several peers may run in one process (each is its own libtorrent session), but
   * one per process is the intended use: it can seed and download any number of torrents.
   *
   * @throws IllegalStateException if the native library is not loaded ({@link TorrentNative})
   * @throws TorrentException if it cannot listen
   */
  public static TorrentPeer start(Options options) {
    TorrentNative.requireAvailable();
    return new TorrentPeer(options);
  }

  /** The TCP port peers connect to. */
  public int listenPort() {
    return listenPort;
  }

  /**
   * Seeds a file that is complete on disk: {@code directory/<torrent name>}. The file is not hashed
   * up front (libtorrent's seed mode verifies each piece the first time it is asked for), so this
   * returns at once even for many large bundles. Seeding the same torrent again is a no-op.
   *
   * @return the info-hash
   * @throws IllegalArgumentException if the file is missing or has the wrong size
   */
  public String seed(byte[] torrent, Path directory) {
    Metainfo meta = Metainfo.parse(torrent);
    Path file = directory.resolve(meta.name());
    try {
      if (!Files.isRegularFile(file) || Files.size(file) != meta.length()) {
        throw new IllegalArgumentException(
            "cannot seed " + meta.name() + ": " + file + " is missing or not " + meta.length());
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot seed " + file + ": " + e, e);
    }
    add(meta, meta.bytes(), directory, List.of(), true);
    return meta.infoHash();
  }

  /**
   * Downloads a torrent's file into {@code saveDir/<name>}, from the tracker, the web seeds and
   * {@code extraPeers}. If the file is already partly or wholly there (an earlier run was stopped
   * or killed), libtorrent checks it first and downloads only what is missing. If the torrent is
   * already in this peer (seeding or downloading), its existing state is used.
   *
   * @param extraPeers peers to connect to besides the tracker's, e.g. the api's seeder
   * @param listener receives progress about twice a second on an internal thread
   */
  public Download download(
      byte[] torrent, Path saveDir, List<InetSocketAddress> extraPeers, ProgressListener listener) {
    return download(torrent, saveDir, extraPeers, Share.WHOLE, listener);
  }

  /**
   * {@link #download(byte[], Path, List, ProgressListener)}, fetching {@code first} before the rest
   * of the pieces (rarest first within each).
   */
  public Download download(
      byte[] torrent,
      Path saveDir,
      List<InetSocketAddress> extraPeers,
      Share first,
      ProgressListener listener) {
    Metainfo meta = Metainfo.parse(torrent);
    try {
      Files.createDirectories(saveDir);
    } catch (IOException e) {
      throw new TorrentException("cannot create " + saveDir, e);
    }
    boolean holdWebSeeds = webSeeds.holdsBack(meta) && handle(meta.infoHash()) == null;
    TorrentHandle handle =
        add(
            meta,
            holdWebSeeds ? meta.withUrls(meta.announce(), List.of()) : meta.bytes(),
            saveDir,
            extraPeers,
            false);
    if (first.count() > 1 && !handle.status().isSeeding()) {
      int pieces = meta.pieceCount();
      Priority[] priorities = new Priority[pieces];
      for (int i = 0; i < pieces; i++) {
        priorities[i] = first.contains(i, pieces) ? Priority.TOP_PRIORITY : Priority.DEFAULT;
      }
      handle.prioritizePieces(priorities);
    }
    ActiveDownload active =
        new ActiveDownload(meta, handle, listener, holdWebSeeds ? meta.webSeeds() : List.of());
    Download download =
        new Download(
            meta,
            saveDir.resolve(meta.name()),
            () -> currentProgress(active),
            () -> cancel(meta.infoHash()));
    active.download = download;
    active.share = first;
    active.shareLeft.set(first.size(meta.pieceCount()));
    ActiveDownload previous = downloads.put(meta.infoHash(), active);
    if (previous != null) {
      previous.download.done.cancel(false);
    }
    poller.execute(() -> poll(active));
    return download;
  }

  /** Connects to a peer for a torrent in this peer, e.g. one learned outside the tracker. */
  public void connect(String infoHash, InetSocketAddress peer) {
    TorrentHandle handle = handle(infoHash);
    if (handle != null) {
      handle
          .swig()
          .connect_peer(new TcpEndpoint(peer.getAddress().getHostAddress(), peer.getPort()).swig());
    }
  }

  /**
   * Lets a download that fetches a {@link Share} first spare the seed at {@code seed} (the api)
   * once it holds that share. While every running download here holds its share, this peer takes
   * nothing from that address: the address is blocked in the session's IP filter, the seed's upload
   * goes to the hosts still fetching their shares, and this host gets the other shares from their
   * hosts. Without that, rarest-first asks the seed for exactly the pieces of the shares their
   * hosts do not have yet, and the seed sends them twice.
   *
   * <p>The seed is asked again, for good, as soon as fewer than half the shares still have pieces
   * no connected peer holds ({@link Share#fewUnsent}: the seed then has upload to spare, and this
   * host takes those pieces from it rather than wait for their hosts' slower share), as soon as a
   * download here has received nothing for {@link SeedSparing#SPARE_IDLE} (a host that went away
   * with the only copy of its share), and before any web seed (also the api) is added. It is never
   * spared when the download fetches the whole torrent, when the torrent's web seeds are in use
   * from the start, when {@code seed} is an address of this machine, or when more than one peer of
   * the torrent is connected from {@code seed} (peers sharing an address, e.g. hosts on one
   * machine, cannot be told apart).
   */
  public void spareSeed(String infoHash, InetAddress seed) {
    ActiveDownload active = downloads.get(infoHash.toLowerCase(Locale.ROOT));
    if (active != null) {
      SeedSparing.spare(active, seed);
    }
  }

  /** The seed addresses this peer takes nothing from at the moment (see {@link #spareSeed}). */
  public Set<String> sparedSeeds() {
    return sparing.sparedSeeds();
  }

  /** How many times this peer began to spare a seed since it started. */
  public int sparings() {
    return sparing.sparings();
  }

  /** The progress of a torrent in this peer (seeding or downloading), or null if there is none. */
  public Progress progress(String infoHash) {
    TorrentHandle handle = handle(infoHash);
    if (handle == null) {
      return null;
    }
    ActiveDownload active = downloads.get(infoHash.toLowerCase(Locale.ROOT));
    return active == null
        ? progress(handle, handle.status(true), 0, Map.of())
        : progress(
            handle,
            handle.status(true),
            active.hashFailures.get(),
            active.receivedFrom(handle.peerInfo()));
  }

  /** The info-hashes this peer holds. */
  public Set<String> torrents() {
    Set<String> hashes = new TreeSet<>();
    for (torrent_handle h : session.swig().get_torrents()) {
      if (h.is_valid()) {
        hashes.add(h.info_hash().to_hex());
      }
    }
    return hashes;
  }

  /**
   * Payload bytes this peer sent to others for one torrent since this process started, including
   * what it sent before the torrent was {@link #remove removed}.
   */
  public long uploadedBytes(String infoHash) {
    String key = infoHash.toLowerCase(Locale.ROOT);
    TorrentHandle handle = handle(key);
    long live = handle == null ? 0 : handle.status(true).allTimeUpload();
    AtomicLong removed = uploadedByRemoved.get(key);
    return live + (removed == null ? 0 : removed.get());
  }

  /** Payload bytes this peer sent to others over all torrents since this process started. */
  public long totalUploadedBytes() {
    long total = uploadedByRemoved.values().stream().mapToLong(AtomicLong::get).sum();
    for (torrent_handle h : session.swig().get_torrents()) {
      if (h.is_valid()) {
        total += h.status().getAll_time_upload();
      }
    }
    return total;
  }

  /**
   * Stops seeding or downloading a torrent; its file stays on disk. A running {@link Download} of
   * it completes exceptionally. No-op for an unknown info-hash.
   */
  public void remove(String infoHash) {
    String key = infoHash.toLowerCase(Locale.ROOT);
    ActiveDownload active = downloads.remove(key);
    if (active != null) {
      active.download.done.cancel(false);
    }
    TorrentHandle handle = handle(key);
    if (handle != null) {
      uploadedByRemoved
          .computeIfAbsent(key, k -> new AtomicLong())
          .addAndGet(handle.status(true).allTimeUpload());
      session.remove(handle);
    }
  }

  /** Stops every transfer and the session; downloads in progress complete exceptionally. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    poller.shutdownNow();
    for (ActiveDownload active : downloads.values()) {
      active.download.done.completeExceptionally(
          new TorrentException(
              "the BitTorrent peer closed before " + active.meta.name() + " was done"));
    }
    downloads.clear();
    session.removeListener(alerts);
    session.stop();
  }

  private int awaitListenPort() {
    long deadline = System.nanoTime() + LISTEN_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      int port = session.swig().listen_port();
      if (port > 0) {
        return port;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    close();
    throw new TorrentException("libtorrent could not listen on " + listenInterfaces);
  }

  private TorrentHandle add(
      Metainfo meta,
      byte[] torrent,
      Path directory,
      List<InetSocketAddress> peers,
      boolean seedMode) {
    if (closed) {
      throw new TorrentException("the BitTorrent peer is closed");
    }
    TorrentHandle existing = handle(meta.infoHash());
    if (existing != null) {
      peers.forEach(p -> connect(meta.infoHash(), p));
      return existing;
    }
    AddTorrentParams params = new AddTorrentParams();
    params.setTorrentInfo(TorrentInfo.bdecode(torrent));
    params.setSavePath(directory.toAbsolutePath().toString());
    torrent_flags_t flags =
        params
            .getFlags()
            .and_(TorrentFlags.AUTO_MANAGED.inv())
            .and_(TorrentFlags.PAUSED.inv())
            .or_(TorrentFlags.DISABLE_DHT)
            .or_(TorrentFlags.DISABLE_LSD)
            .or_(TorrentFlags.DISABLE_PEX);
    if (seedMode) {
      flags = flags.or_(TorrentFlags.SEED_MODE);
    }
    params.setFlags(flags);
    if (!peers.isEmpty()) {
      List<TcpEndpoint> endpoints = new ArrayList<>();
      for (InetSocketAddress p : peers) {
        endpoints.add(new TcpEndpoint(p.getAddress().getHostAddress(), p.getPort()));
      }
      params.peers(endpoints);
    }
    error_code ec = new error_code();
    torrent_handle added = session.swig().add_torrent(params.swig(), ec);
    if (ec.value() != 0 || added == null || !added.is_valid()) {
      throw new TorrentException("libtorrent refused " + meta + ": " + ec.message());
    }
    return new TorrentHandle(added);
  }

  private TorrentHandle handle(String infoHash) {
    if (closed) {
      return null;
    }
    TorrentHandle h = session.find(Sha1Hash.parseHex(infoHash));
    return h != null && h.isValid() ? h : null;
  }

  private void cancel(String infoHash) {
    ActiveDownload active = downloads.get(infoHash);
    if (active != null) {
      remove(infoHash);
    }
  }

  /**
   * Live progress, or the last seen once the download is over or the torrent is gone (removed, or
   * the peer closed). A completed download keeps the progress it completed with: the torrent may be
   * handed over to seeding at any moment, and the status of a handle that turned invalid between
   * the check and the read is all zeros.
   */
  private Progress currentProgress(ActiveDownload active) {
    if (!closed && !active.download.done.isDone() && active.handle.isValid()) {
      try {
        TorrentStatus status = active.handle.status(true);
        if (active.handle.isValid()) {
          active.last =
              progress(
                  active.handle,
                  status,
                  active.hashFailures.get(),
                  active.receivedFrom(active.handle.peerInfo()));
        }
      } catch (RuntimeException e) {
        LOG.debug("no status for {}", active.meta, e);
      }
    }
    return active.last;
  }

  private static Progress progress(
      TorrentHandle handle, TorrentStatus s, int hashFailures, Map<String, Long> receivedFrom) {
    // libtorrent counts the blocks of unfinished pieces only when asked for "accurate" counters.
    long received =
        handle.swig().status(TorrentHandle.QUERY_ACCURATE_DOWNLOAD_COUNTERS).getTotal_wanted_done();
    return new Progress(
        s.totalWantedDone(),
        s.totalWanted(),
        s.totalPayloadDownload(),
        s.numPeers(),
        s.numSeeds(),
        s.downloadPayloadRate(),
        s.uploadPayloadRate(),
        s.state().name().toLowerCase(Locale.ROOT),
        hashFailures,
        received,
        receivedFrom);
  }

  private void onAlert(Alert<?> alert) {
    if (!(alert instanceof TorrentAlert<?> torrentAlert) || closed) {
      return;
    }
    String infoHash;
    try {
      infoHash = torrentAlert.handle().infoHash().toHex();
    } catch (RuntimeException e) {
      return;
    }
    ActiveDownload active = downloads.get(infoHash);
    if (alert instanceof PeerBanAlert ban) {
      LOG.warn(
          "banned peer {} of {}: it sent data that failed the hash check",
          describe(ban.endpoint()),
          active == null ? infoHash : active.meta.name());
    }
    if (active == null) {
      return;
    }
    if (alert instanceof HashFailedAlert failed) {
      LOG.warn(
          "piece {} of {} failed its hash check and is fetched again ({} failed so far)",
          failed.pieceIndex(),
          active.meta.name(),
          active.hashFailures.incrementAndGet());
    } else if (alert instanceof PieceFinishedAlert finished) {
      if (SeedSparing.mayHoldShare(active, finished.pieceIndex())) {
        poller.execute(
            () -> {
              SeedSparing.checkShare(active);
              sparing.update();
            });
      }
    } else if (alert instanceof TorrentErrorAlert error) {
      fail(active, "libtorrent: " + message(error.error()) + " " + error.filename());
    } else if (alert instanceof FileErrorAlert error) {
      fail(active, "file error on " + error.filename() + ": " + message(error.error()));
    } else {
      poller.execute(() -> poll(active));
    }
  }

  private void pollAll() {
    downloads.values().forEach(this::poll);
    sparing.update();
  }

  private void poll(ActiveDownload active) {
    if (active.download.done.isDone()) {
      downloads.remove(active.meta.infoHash(), active);
      return;
    }
    try {
      if (!active.handle.isValid()) {
        active.download.done.completeExceptionally(new CancellationException("removed"));
        return;
      }
      TorrentStatus status = active.handle.status(true);
      ErrorCode error = status.errorCode();
      if (error != null && error.isError()) {
        fail(active, "libtorrent: " + message(error));
        return;
      }
      Progress progress =
          progress(
              active.handle,
              status,
              active.hashFailures.get(),
              active.receivedFrom(active.handle.peerInfo()));
      active.last = progress;
      active.noteDelivery(progress, System.nanoTime());
      webSeeds.releaseIfPeersIdle(active, progress, sparing);
      SeedSparing.checkShare(active);
      active.listener.onProgress(progress);
      if (progress.isComplete()) {
        downloads.remove(active.meta.infoHash(), active);
        active.download.done.complete(active.download.file());
        if (sparing.isSparing()) {
          sparing.update();
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("progress of {} failed", active.meta, e);
    }
  }

  private void fail(ActiveDownload active, String message) {
    downloads.remove(active.meta.infoHash(), active);
    active.download.done.completeExceptionally(
        new TorrentException("download of " + active.meta.name() + " failed: " + message));
  }

  /** {@code address:port}, the address in brackets when it is IPv6. */
  private static String describe(TcpEndpoint endpoint) {
    String address = endpoint.address().toString();
    return (endpoint.address().isV6() ? "[" + address + "]" : address) + ":" + endpoint.port();
  }

  private static String message(ErrorCode error) {
    return error.getMessage() + " (" + error.getValue() + ")";
  }
}
