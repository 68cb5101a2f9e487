package dev.cast.api.temporal;

import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.temporal.internal.testservice.GRPCServerHelper;
import io.temporal.internal.testservice.TestServicesStarter;
import java.io.Closeable;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;

/**
 * Temporal's Java test server on one address. {@code TestServer.createPortBoundServer} listens on
 * every interface ({@code Grpc.newServerBuilderForPort}); this does what it does, with the same
 * services and health checks, on {@code bindHost:port} only.
 */
final class EmbeddedTemporal implements Closeable {
  private final TestServicesStarter services;
  private final Server server;

  private EmbeddedTemporal(TestServicesStarter services, Server server) {
    this.services = services;
    this.server = server;
  }

  /** Starts the server; a port in use is a RuntimeException, like the test server's own. */
  static EmbeddedTemporal start(String bindHost, int port) {
    InetSocketAddress address = new InetSocketAddress(bindHost, port);
    if (address.isUnresolved()) {
      throw new IllegalArgumentException("temporal.bindHost " + bindHost + " does not resolve");
    }
    // Time skipping locked, as createPortBoundServer(port, true) had it.
    TestServicesStarter services = new TestServicesStarter(true, 0);
    try {
      NettyServerBuilder builder =
          NettyServerBuilder.forAddress(address, InsecureServerCredentials.create());
      GRPCServerHelper.registerServicesAndHealthChecks(services.getServices(), builder);
      return new EmbeddedTemporal(services, builder.build().start());
    } catch (IOException | RuntimeException e) {
      services.close();
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** The address local clients use: the bind address, or loopback when it is a wildcard. */
  static String clientHost(String bindHost) {
    try {
      InetAddress address = InetAddress.getByName(bindHost);
      if (address.isAnyLocalAddress()) {
        return "127.0.0.1";
      }
      return address instanceof Inet6Address ? "[" + bindHost + "]" : bindHost;
    } catch (UnknownHostException e) {
      return bindHost;
    }
  }

  @Override
  public void close() {
    server.shutdown();
    try {
      if (!server.awaitTermination(1, TimeUnit.SECONDS)) {
        server.shutdownNow();
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
    services.close();
  }
}
