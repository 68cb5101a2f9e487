package dev.cast.torrent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TorrentNativeTest {
  @Test
  void extractsTheLibraryIntoTheCacheAndLoadsItOnce() {
    TorrentNative.Availability first = TorrentNative.load(TestFiles.nativeCache());
    assertThat(first.available()).as(first.reason()).isTrue();
    assertThat(first.library()).startsWith(TestFiles.nativeCache());
    assertThat(first.library().getFileName().toString()).matches("libtorrent4j-[0-9a-f]{16}\\.so");
    assertThat(first.libtorrentVersion()).startsWith("2.0.6");
    assertThat(System.getProperty(TorrentNative.PATH_PROPERTY))
        .isEqualTo(first.library().toString());
    assertThat(TorrentNative.load(TestFiles.nativeCache().resolve("elsewhere"))).isEqualTo(first);
    assertThat(TorrentNative.availability()).isEqualTo(first);
  }
}
