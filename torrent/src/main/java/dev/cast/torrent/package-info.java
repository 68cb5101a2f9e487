/**
 * BitTorrent for Cast's release bundles.
 *
 * <ul>
 *   <li>{@link dev.cast.torrent.TorrentCreator} and {@link dev.cast.torrent.Metainfo}: make and
 *       read v1 single-file torrents with a tracker and a web seed, in pure Java.
 *   <li>{@link dev.cast.torrent.Tracker}: a private HTTP tracker's announce and scrape logic, for
 *       any HTTP server to route to.
 *   <li>{@link dev.cast.torrent.TorrentNative}: extracts and loads libtorrent4j's native library
 *       and says whether BitTorrent is available, so callers can fall back to HTTP with a reason.
 *   <li>{@link dev.cast.torrent.TorrentPeer}: one libtorrent session that seeds and downloads, with
 *       progress, resume of partial files and upload accounting.
 * </ul>
 *
 * <p>The api creates a torrent when a release is pushed, allows its info-hash in its tracker, and
 * seeds it; a host agent downloads it (tracker peers, the api's seeder and the web seed), verifies
 * the bundle's sha256, and keeps seeding from its bundle cache.
 */
package dev.cast.torrent;
