package dev.cast.api.core;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.util.concurrent.RateLimiter;
import dev.cast.api.db.ReleaseDao;
import dev.cast.api.db.ReleaseRow;
import dev.cast.api.errors.ApiException;
import dev.cast.bundle.BundleException;
import dev.cast.bundle.BundleInfo;
import dev.cast.bundle.BundleInspector;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;

/**
 * Pushed bundles: checked in full before anything is kept, stored by sha256 under the api's data
 * dir, and recorded in the catalog.
 */
public final class ReleaseStore {
  /** What a push refused for lack of an inspection slot is told to wait. */
  static final int RETRY_AFTER_SECONDS = 5;

  private final RateLimiter limiter;
  private final LongAdder served = new LongAdder();
  private final Path bundleDir;
  private final long maxBytes;
  private final int maxEntries;
  private final Semaphore inspections;
  private final int maxInspections;
  private final ReleaseDao dao;
  private final ObjectMapper json;
  private final Inspector inspector;
  private final StoredBundles stored = new StoredBundles(this::bundleFile);

  /** How a pushed bundle is checked; a seam for tests. */
  @FunctionalInterface
  interface Inspector {
    BundleInfo inspect(Path tarGz, long maxBytes, int maxEntries)
        throws BundleException, IOException;
  }

  /**
   * @param maxEntries the most entries a pushed bundle may have
   * @param maxInspections pushes checked at the same time at most; more are refused with 429
   * @param uploadRate bundle bytes sent over HTTP per second at most; 0 for no cap
   */
  @SuppressWarnings("UnstableApiUsage")
  public ReleaseStore(
      Path bundleDir,
      long maxBytes,
      int maxEntries,
      int maxInspections,
      ReleaseDao dao,
      ObjectMapper json,
      long uploadRate)
      throws IOException {
    this(
        bundleDir,
        maxBytes,
        maxEntries,
        maxInspections,
        dao,
        json,
        uploadRate,
        BundleInspector::inspect);
  }

  @SuppressWarnings("UnstableApiUsage")
  ReleaseStore(
      Path bundleDir,
      long maxBytes,
      int maxEntries,
      int maxInspections,
      ReleaseDao dao,
      ObjectMapper json,
      long uploadRate,
      Inspector inspector)
      throws IOException {
    this.inspector = inspector;
    this.limiter = uploadRate > 0 ? RateLimiter.create(uploadRate) : null;
    this.bundleDir = Files.createDirectories(bundleDir);
    this.maxBytes = maxBytes;
    this.maxEntries = maxEntries;
    this.maxInspections = maxInspections;
    this.inspections = new Semaphore(maxInspections);
    this.dao = dao;
    this.json = json;
  }

  /** The outcome of a push: {@code created} is false when the same bytes were pushed before. */
  public record Pushed(ReleaseRow release, boolean created) {}

  public Pushed push(String app, InputStream body) throws IOException {
    return push(app, body, null);
  }

  /** Checks and keeps a pushed bundle, recording who pushed it. */
  public Pushed push(String app, InputStream body, String who) throws IOException {
    Names.app(app);
    Path upload = Files.createTempFile(bundleDir, ".push-", ".part");
    try {
      receive(body, upload);
      BundleInfo info = inspect(upload);
      String named = info.manifest().name();
      if (!named.equals(app)) {
        throw ApiException.badRequest(
            "INVALID_BUNDLE",
            "cast.yml: name: the bundle is for app \""
                + named
                + "\" but was pushed to /v1/apps/"
                + app
                + "/releases; push it to /v1/apps/"
                + named
                + "/releases");
      }
      return record(app, info, upload, who);
    } finally {
      Files.deleteIfExists(upload);
    }
  }

  private synchronized Pushed record(String app, BundleInfo info, Path upload, String who)
      throws IOException {
    refuseNameClashes(app, info.manifest().services().keySet());
    String version = info.manifest().version();
    Optional<ReleaseRow> existing = dao.find(app, version);
    if (existing.isPresent()) {
      if (existing.get().sha256().equals(info.sha256())) {
        if (!stored.intact(existing.get())) {
          // The same bytes again repair a stored bundle that was damaged on disk.
          Files.move(
              upload,
              bundleFile(info.sha256()),
              StandardCopyOption.REPLACE_EXISTING,
              StandardCopyOption.ATOMIC_MOVE);
          stored.verified(info.sha256());
        }
        return new Pushed(existing.get(), false);
      }
      throw ApiException.conflict(
          "RELEASE_EXISTS",
          app
              + "@"
              + version
              + " was already pushed with other content (sha256 "
              + existing.get().sha256()
              + "); releases are immutable: give this bundle a new version");
    }
    Files.move(
        upload,
        bundleFile(info.sha256()),
        StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
    stored.verified(info.sha256());
    ReleaseRow row =
        new ReleaseRow(
            app,
            version,
            info.sha256(),
            info.size(),
            List.copyOf(info.manifest().services().keySet()),
            System.currentTimeMillis(),
            who);
    dao.insert(row);
    return new Pushed(row, true);
  }

  /**
   * The registry names each service of an app {@code <app>-<service>}: app {@code a-b} with service
   * {@code c} and app {@code a} with service {@code b-c} would be one service there, and so would a
   * service registered in the registry under that name.
   */
  private void refuseNameClashes(String app, Iterable<String> services) {
    for (String service : services) {
      String name = app + "-" + service;
      List<ReleaseDao.AppService> apps = dao.servicesNamed(name, app);
      if (!apps.isEmpty()) {
        ReleaseDao.AppService other = apps.get(0);
        throw ApiException.conflict(
            "SERVICE_NAME_CLASH",
            "service \""
                + service
                + "\" of app \""
                + app
                + "\" and service \""
                + other.service()
                + "\" of app \""
                + other.app()
                + "\" would both be \""
                + name
                + "\" in the registry (it names services <app>-<service>); rename this service"
                + " or app");
      }
      List<String> nodes = dao.externalNodesNamed(name);
      if (!nodes.isEmpty()) {
        String node = nodes.get(0);
        throw ApiException.conflict(
            "SERVICE_NAME_CLASH",
            "service \""
                + service
                + "\" of app \""
                + app
                + "\" would be registered as \""
                + name
                + "\", the name of a service registered in the registry on node \""
                + node
                + "\"; deregister that one (PUT /v1/catalog/deregister) or rename the service");
      }
    }
  }

  private void receive(InputStream body, Path upload) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    long total = 0;
    try (OutputStream out = Files.newOutputStream(upload)) {
      int n;
      while ((n = body.read(buffer)) > 0) {
        total += n;
        if (total > maxBytes) {
          throw new ApiException(
              413,
              "BUNDLE_TOO_LARGE",
              "Payload too large",
              "archive: the bundle is over the limit of "
                  + maxBytes
                  + " bytes (bundles.maxSize in config.yml)",
              null);
        }
        out.write(buffer, 0, n);
      }
    }
    if (total == 0) {
      throw ApiException.badRequest(
          "INVALID_BUNDLE", "archive: the request body is empty; send the .tar.gz as the body");
    }
  }

  /**
   * Checks the upload, at most {@code maxInspections} at a time. Checking is the costly part of a
   * push (a compression bomb takes seconds of CPU to refuse), so one more is turned away at once
   * rather than queued: a queue would hold a request thread per waiting push.
   */
  private BundleInfo inspect(Path upload) throws IOException {
    if (!inspections.tryAcquire()) {
      throw ApiException.tooManyRequests(
          "TOO_MANY_PUSHES",
          "the api is already checking "
              + maxInspections
              + " pushed bundles (bundles.maxConcurrentInspections); push again in a few"
              + " seconds",
          RETRY_AFTER_SECONDS);
    }
    try {
      return inspector.inspect(upload, maxBytes, maxEntries);
    } catch (BundleException e) {
      throw ApiException.badRequest(
          "INVALID_BUNDLE",
          e.getMessage()
              + (e.problem().contains("a bundle may have at most")
                  ? " (bundles.maxEntries in config.yml)"
                  : ""));
    } finally {
      inspections.release();
    }
  }

  /**
   * Refuses to hand out a stored bundle that no longer has its pushed size and sha256 (500
   * STORED_BUNDLE_CORRUPT). The sha256 is computed once per state of the file (size and mtime).
   */
  public void requireIntact(ReleaseRow row) {
    try {
      stored.requireIntact(row);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path bundleFile(String sha256) {
    return bundleDir.resolve(sha256 + ".tar.gz");
  }

  /** Bundle bytes sent over HTTP since start (whole bundles and web seed ranges). */
  public long bytesServed() {
    return served.sum();
  }

  /** Streams one range of a stored bundle, counting what is sent. */
  public StreamingOutput bundleSlice(String sha256, ByteRange range) {
    Path file = bundleFile(sha256);
    return out -> {
      try (FileChannel channel = FileChannel.open(file)) {
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        long position = range.first();
        long left = range.length();
        while (left > 0) {
          buffer.clear().limit((int) Math.min(buffer.capacity(), left));
          int n = channel.read(buffer, position);
          if (n < 0) {
            throw new EOFException(file + " is shorter than recorded");
          }
          if (limiter != null) {
            limiter.acquire(n);
          }
          out.write(buffer.array(), 0, n);
          served.add(n);
          position += n;
          left -= n;
        }
      }
    };
  }

  public ReleaseRow require(String app, String version) {
    return dao.find(app, version)
        .orElseThrow(
            () ->
                ApiException.notFound(
                    "RELEASE_NOT_FOUND",
                    "release "
                        + app
                        + "@"
                        + version
                        + " was never pushed; push it with POST /v1/apps/"
                        + app
                        + "/releases"));
  }

  public void requireApp(String app) {
    Names.app(app);
    if (!dao.appExists(app)) {
      throw ApiException.notFound(
          "APP_NOT_FOUND", "app \"" + app + "\" has no releases; push one first");
    }
  }

  public List<ReleaseRow> list(String app) {
    return dao.list(app);
  }

  public List<String> apps() {
    return dao.apps();
  }
}
