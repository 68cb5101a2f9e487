package dev.cast.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A private CA and a server certificate it signed for 127.0.0.1 and localhost, made with the JDK's
 * keytool: {@code ca.pem} (the CA, PEM) and {@code server.p12} (key and chain, PKCS12).
 */
record TestCertificates(Path caPem, Path serverKeyStore, String password) {
  static TestCertificates make(Path dir) {
    String pw = "changeit";
    Path ca = dir.resolve("ca.p12");
    Path caPem = dir.resolve("ca.pem");
    Path server = dir.resolve("server.p12");
    Path csr = dir.resolve("server.csr");
    Path signed = dir.resolve("server.pem");
    keytool(
        "-genkeypair",
        "-alias",
        "ca",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-dname",
        "CN=Cast test CA",
        "-ext",
        "bc:c",
        "-validity",
        "2",
        "-keystore",
        ca,
        "-storepass",
        pw);
    keytool(
        "-exportcert", "-rfc", "-alias", "ca", "-keystore", ca, "-storepass", pw, "-file", caPem);
    keytool(
        "-genkeypair",
        "-alias",
        "cast",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-dname",
        "CN=127.0.0.1",
        "-validity",
        "2",
        "-keystore",
        server,
        "-storepass",
        pw);
    keytool("-certreq", "-alias", "cast", "-keystore", server, "-storepass", pw, "-file", csr);
    keytool(
        "-gencert",
        "-rfc",
        "-alias",
        "ca",
        "-keystore",
        ca,
        "-storepass",
        pw,
        "-infile",
        csr,
        "-outfile",
        signed,
        "-ext",
        "SAN=ip:127.0.0.1,dns:localhost",
        "-validity",
        "2");
    keytool(
        "-importcert",
        "-noprompt",
        "-alias",
        "ca",
        "-keystore",
        server,
        "-storepass",
        pw,
        "-file",
        caPem);
    keytool(
        "-importcert", "-alias", "cast", "-keystore", server, "-storepass", pw, "-file", signed);
    return new TestCertificates(caPem, server, pw);
  }

  private static void keytool(Object... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    for (Object arg : args) {
      command.add(arg.toString());
    }
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes());
      if (process.waitFor() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
