package dev.cast.api.model;

import java.util.List;

public record ReleaseView(
    String app,
    String version,
    String sha256,
    long size,
    List<String> services,
    String createdAt,
    String pushedBy,
    String infoHash,
    String torrent,
    String magnet) {}
