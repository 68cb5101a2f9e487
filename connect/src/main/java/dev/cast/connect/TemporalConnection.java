package dev.cast.connect;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import io.temporal.serviceclient.ServiceStubsOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * How the api and the agents reach Temporal: the frontend's {@code host:port}, the namespace, and
 * for a cluster mutual TLS and an API key. One source for both ends, so an agent connects exactly
 * as the api does.
 *
 * @param tls null for plain gRPC (the embedded and dev servers)
 * @param apiKey sent as {@code Authorization: Bearer} on every call (Temporal Cloud's API keys);
 *     null for none
 */
public record TemporalConnection(String target, String namespace, Tls tls, String apiKey) {

  /**
   * Mutual TLS to the frontend. Every field is optional: with none, the JVM's trusted CAs check the
   * server and no client certificate is sent.
   *
   * @param clientCert the client's certificate chain (PEM), with {@code clientKey}
   * @param clientKey the client's PKCS#8 private key (PEM)
   * @param serverCa the CA that signed the server's certificate (PEM); null for the JVM's
   * @param serverName the name the server's certificate carries, when it differs from the target's
   *     host
   */
  public record Tls(String clientCert, String clientKey, String serverCa, String serverName) {
    /** A problem with the fields, or null. */
    public String violation() {
      if ((clientCert == null) != (clientKey == null)) {
        return "temporal.tls needs both clientCert and clientKey, or neither";
      }
      for (String path : new String[] {clientCert, clientKey, serverCa}) {
        if (path != null && !new File(path).canRead()) {
          return "temporal.tls: cannot read " + path;
        }
      }
      return null;
    }
  }

  public TemporalConnection {
    if (tls != null && tls.violation() != null) {
      throw new IllegalArgumentException(tls.violation());
    }
  }

  /** A plain connection to {@code target} in {@code namespace}. */
  public static TemporalConnection plain(String target, String namespace) {
    return new TemporalConnection(target, namespace, null, null);
  }

  /** The same server, reached at another address (a server Cast started and knows the port of). */
  public TemporalConnection at(String newTarget) {
    return new TemporalConnection(newTarget, namespace, tls, apiKey);
  }

  public WorkflowServiceStubs workflowStubs() {
    return WorkflowServiceStubs.newServiceStubs(
        configure(WorkflowServiceStubsOptions.newBuilder()).build());
  }

  public OperatorServiceStubs operatorStubs() {
    return OperatorServiceStubs.newServiceStubs(
        configure(OperatorServiceStubsOptions.newBuilder()).validateAndBuildWithDefaults());
  }

  private <B extends ServiceStubsOptions.Builder<B>> B configure(B builder) {
    builder.setTarget(target);
    if (tls != null) {
      builder.setSslContext(sslContext(tls));
      if (tls.serverName() != null) {
        builder.setChannelInitializer(channel -> channel.overrideAuthority(tls.serverName()));
      }
    }
    if (apiKey != null) {
      builder.addApiKey(() -> apiKey);
    }
    return builder;
  }

  private static SslContext sslContext(Tls tls) {
    try {
      SslContextBuilder ssl = GrpcSslContexts.forClient();
      if (tls.serverCa() != null) {
        ssl.trustManager(new File(tls.serverCa()));
      }
      if (tls.clientCert() != null) {
        ssl.keyManager(new File(tls.clientCert()), new File(tls.clientKey()));
      }
      return ssl.build();
    } catch (IOException | IllegalArgumentException e) {
      throw new UncheckedIOException(
          "temporal.tls: cannot load the certificates: " + e.getMessage(),
          e instanceof IOException io ? io : new IOException(e));
    }
  }

  /** What a log line may show: never the API key. */
  @Override
  public String toString() {
    return target
        + " namespace "
        + namespace
        + (tls != null ? " with TLS" : "")
        + (apiKey != null ? " with an API key" : "");
  }
}
