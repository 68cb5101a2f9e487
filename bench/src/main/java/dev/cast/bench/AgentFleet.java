package dev.cast.bench;

import dev.cast.worker.Agent;
import dev.cast.worker.AgentConfiguration;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Extra hosts for a benchmark: host agents inside the bench JVM, each with its own name ({@code
 * h-01}, …), data dir, port range and {@code host-<name>} task queue, registered with the bench
 * server's api under its agent token. Closing them stops their supervisors; their services keep
 * running until {@link Processes#killServices} kills them.
 */
final class AgentFleet implements BenchHosts {
  /** Port ranges start above the bench server's own agent (32000-32999). */
  private static final int FIRST_PORT = 33000;

  private static final int PORTS_PER_HOST = 100;

  private final BenchServer server;
  private final Path dir;
  private final List<Agent> agents = new ArrayList<>();
  private final boolean torrent;

  /**
   * @param torrent whether the agents fetch and seed bundles over BitTorrent (their default), or
   *     over HTTP only
   */
  AgentFleet(BenchServer server, boolean torrent) {
    this.server = server;
    this.dir = server.dir.resolve("hosts");
    this.torrent = torrent;
  }

  @Override
  public String mode() {
    return "in-JVM agents (dev.cast.worker.Agent in the bench JVM), one per host, each with its own"
        + " data dir, port range and host-<name> task queue; bundles over "
        + (torrent ? "BitTorrent (each agent runs a peer)" : "HTTP only (torrent.enabled: false)");
  }

  @Override
  public int size() {
    return agents.size();
  }

  @Override
  public void growTo(int count) throws Exception {
    BenchServer.require(
        FIRST_PORT + count * PORTS_PER_HOST <= 65536,
        "at most " + (65536 - FIRST_PORT) / PORTS_PER_HOST + " hosts fit the port ranges");
    List<String> names = BenchHosts.names(count);
    for (int i = agents.size(); i < count; i++) {
      Agent agent = new Agent(configuration(names.get(i), i));
      agents.add(agent);
      agent.start();
    }
    long end = System.nanoTime() + 60_000_000_000L;
    for (String name : names) {
      while (server.api.get("/v1/hosts/" + name).status() != 200) {
        BenchServer.require(System.nanoTime() < end, "host " + name + " never registered");
        Thread.sleep(50);
      }
    }
  }

  private AgentConfiguration configuration(String name, int index) {
    AgentConfiguration config = new AgentConfiguration();
    config.setName(name);
    config.setDataDir(dir.resolve(name).toString());
    config.setAddress("127.0.0.1");
    config.setApi("http://127.0.0.1:" + server.port);
    config.setTemporal(server.app.runtime().temporal().target());
    config.setToken(server.app.runtime().agentToken());
    config.setLabels(Map.of("fleet", "bench"));
    AgentConfiguration.PortRange ports = new AgentConfiguration.PortRange();
    ports.setFrom(FIRST_PORT + index * PORTS_PER_HOST);
    ports.setTo(FIRST_PORT + index * PORTS_PER_HOST + PORTS_PER_HOST - 1);
    config.setPorts(ports);
    config.getTorrent().setEnabled(torrent);
    return config;
  }

  /** Stops every agent (polling, reporting, supervising); their services keep running. */
  @Override
  public void close() {
    for (Agent agent : agents) {
      agent.close();
    }
    agents.clear();
  }
}
