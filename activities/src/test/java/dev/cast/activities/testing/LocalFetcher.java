package dev.cast.activities.testing;

import dev.cast.activities.bundle.BundleFetcher;
import dev.cast.activities.bundle.BundleNotFoundException;
import dev.cast.activities.bundle.FetchProgress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** A fetcher that copies local files: staging tests need no api. */
public final class LocalFetcher implements BundleFetcher {
  private final Map<String, Path> files = new ConcurrentHashMap<>();
  private final AtomicInteger fetches = new AtomicInteger();

  public void serve(String bundlePath, Path file) {
    files.put(bundlePath, file);
  }

  public int fetches() {
    return fetches.get();
  }

  @Override
  public void fetch(String bundlePath, Path target, Consumer<FetchProgress> progress)
      throws IOException {
    Path file = files.get(bundlePath);
    if (file == null) {
      throw new BundleNotFoundException("no bundle at " + bundlePath);
    }
    fetches.incrementAndGet();
    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
    long size = Files.size(target);
    progress.accept(FetchProgress.http(size, size, 0));
  }
}
