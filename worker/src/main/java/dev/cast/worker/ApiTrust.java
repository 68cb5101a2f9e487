package dev.cast.worker;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;

/**
 * The certificates an agent trusts for an {@code https://} api: the CA of {@code caCert} (a PEM
 * file or a PKCS12/JKS keystore) only, or the JVM's defaults when none is given.
 */
public final class ApiTrust {
  private ApiTrust() {}

  /** The TLS context trusting {@code caCert}'s certificates; the JVM's default when null. */
  public static SSLContext context(String caCert, String password) throws IOException {
    try {
      if (caCert == null || caCert.isEmpty()) {
        return SSLContext.getDefault();
      }
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(load(Path.of(caCert), password));
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot read the CA certificate " + caCert + ": " + e.getMessage(), e);
    }
  }

  private static KeyStore load(Path file, String password)
      throws IOException, GeneralSecurityException {
    if (!Files.isReadable(file)) {
      throw new IOException("the CA certificate " + file + " is not a readable file");
    }
    byte[] head = Files.readAllBytes(file);
    if (new String(head, StandardCharsets.US_ASCII).contains("-----BEGIN CERTIFICATE-----")) {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      Collection<? extends Certificate> certificates;
      try (InputStream in = Files.newInputStream(file)) {
        certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
      }
      int i = 0;
      for (Certificate certificate : certificates) {
        store.setCertificateEntry("ca-" + i++, certificate);
      }
      if (i == 0) {
        throw new IOException("the CA certificate " + file + " holds no certificate");
      }
      return store;
    }
    return KeyStore.getInstance(file.toFile(), password == null ? null : password.toCharArray());
  }

  /** Whether {@code e} (or a cause) is a refused TLS handshake: an untrusted certificate. */
  static boolean untrusted(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SSLHandshakeException) {
        return true;
      }
    }
    return false;
  }
}
