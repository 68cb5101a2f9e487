package dev.cast.bundle;

/**
 * What is known about a checked bundle archive.
 *
 * @param manifest the parsed and validated {@code cast.yml}
 * @param sha256 the lower-case hex SHA-256 of the {@code .tar.gz} file's bytes
 * @param size the size of the {@code .tar.gz} file in bytes
 */
public record BundleInfo(Manifest manifest, String sha256, long size) {}
