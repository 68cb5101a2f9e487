package dev.cast.worker;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.cast.connect.TemporalConnection;
import io.dropwizard.util.DataSize;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A host agent's settings ({@code agent.yml}, or the {@code agent:} section of the server's
 * config.yml for the embedded agent). Unknown keys fail start, naming the key.
 */
public class AgentConfiguration {
  /** The host's name in Cast; its task queue is {@code host-<name>}. Default: the hostname. */
  @NotEmpty private String name = defaultName();

  /** Where the agent keeps releases, bundles, logs and its state. */
  @NotEmpty private String dataDir = "data/agent";

  /** How other machines reach this host's services. */
  @NotEmpty private String address = "127.0.0.1";

  /** The api's base URL. The embedded agent uses the server it runs in. */
  private String api = "http://127.0.0.1:8080";

  /** Temporal's frontend, {@code host:port}. The embedded agent uses the server's. */
  private String temporal = "127.0.0.1:7233";

  @NotEmpty private String namespace = "default";

  /** Mutual TLS to a Temporal cluster (as the api's {@code temporal.tls}); null for plain gRPC. */
  private TemporalConnection.Tls temporalTls;

  /** An API key for the Temporal cluster (as the api's {@code temporal.apiKey}); null for none. */
  private String temporalApiKey;

  @Valid @NotNull private PortRange ports = new PortRange();

  /**
   * The agent token the api expects (its {@code agents.token}, or the contents of its {@code
   * <dataDir>/agent-token}). The embedded agent uses the server's.
   */
  private String token;

  /** Labels deploys can select hosts by, e.g. {@code role: web}. */
  @NotNull private Map<String, String> labels = new LinkedHashMap<>();

  /** Bundles larger than this are refused before unpacking. */
  @NotNull private DataSize maxBundleSize = DataSize.megabytes(512);

  /** Bundles with more entries (files, directories, links) are refused before unpacking. */
  @Min(1)
  private int maxBundleEntries = 50_000;

  /**
   * Whether a release's files of 1 MiB or more are written with {@code O_DIRECT}, past the page
   * cache. Off: through the page cache, which is faster where disks are much slower than the
   * network, and leaves the bytes to the kernel's writeback.
   */
  private boolean directWrites = true;

  /**
   * Free space staging leaves on the data dir's file system: a release that would leave less fails
   * at once with {@code INSUFFICIENT_DISK}, so the agent's database and the logs can still be
   * written. Modest, so that small disks (and test file systems) still take releases.
   */
  @NotNull private DataSize diskReserve = DataSize.mebibytes(16);

  /** Seconds between heartbeats (and full service reports) to the api. */
  @Min(1)
  private int heartbeatSeconds = 10;

  /** Port of the agent's log endpoint, which the api reads service logs from (0: any). */
  @Min(0)
  @Max(65535)
  private int logsPort = 0;

  /**
   * The address the log endpoint listens on; unset: the agent's {@code address}. Never every
   * interface unless asked ({@code 0.0.0.0}), e.g. behind NAT where {@code address} is not local.
   */
  private String logsBind;

  /**
   * The CA the agent trusts for an {@code https://} api: a PEM file of certificates, or a PKCS12 or
   * JKS keystore (with {@code caCertPassword} where it has one). Unset: the JVM's trusted CAs.
   */
  private String caCert;

  private String caCertPassword;

  @Valid @NotNull private SupervisorConfiguration supervisor = new SupervisorConfiguration();

  @Valid @NotNull private TorrentConfiguration torrent = new TorrentConfiguration();

  /** {@code ports:} — the range services' ports are allocated from on this host. */
  public static class PortRange {
    @Min(1)
    @Max(65535)
    private int from = 20000;

    @Min(1)
    @Max(65535)
    private int to = 29999;

    @jakarta.validation.constraints.AssertTrue(message = "ports.from must not be above ports.to")
    @JsonIgnore
    public boolean isOrdered() {
      return from <= to;
    }

    @JsonProperty
    public int getFrom() {
      return from;
    }

    @JsonProperty
    public void setFrom(int from) {
      this.from = from;
    }

    @JsonProperty
    public int getTo() {
      return to;
    }

    @JsonProperty
    public void setTo(int to) {
      this.to = to;
    }
  }

  private static String defaultName() {
    try {
      return InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9._-]", "-");
    } catch (UnknownHostException e) {
      return "local";
    }
  }

  @JsonProperty
  public String getName() {
    return name;
  }

  @JsonProperty
  public void setName(String name) {
    this.name = name;
  }

  @JsonProperty
  public String getDataDir() {
    return dataDir;
  }

  @JsonProperty
  public void setDataDir(String dataDir) {
    this.dataDir = dataDir;
  }

  @JsonProperty
  public String getAddress() {
    return address;
  }

  @JsonProperty
  public void setAddress(String address) {
    this.address = address;
  }

  @JsonProperty
  public String getApi() {
    return api;
  }

  @JsonProperty
  public void setApi(String api) {
    this.api = api;
  }

  @JsonProperty
  public String getTemporal() {
    return temporal;
  }

  @JsonProperty
  public void setTemporal(String temporal) {
    this.temporal = temporal;
  }

  @JsonProperty
  public TemporalConnection.Tls getTemporalTls() {
    return temporalTls;
  }

  @JsonProperty
  public void setTemporalTls(TemporalConnection.Tls temporalTls) {
    this.temporalTls = temporalTls;
  }

  @JsonProperty
  public String getTemporalApiKey() {
    return temporalApiKey;
  }

  @JsonProperty
  public void setTemporalApiKey(String temporalApiKey) {
    this.temporalApiKey =
        temporalApiKey == null || temporalApiKey.isBlank() ? null : temporalApiKey;
  }

  /** How this agent reaches Temporal. */
  public TemporalConnection temporalConnection() {
    return new TemporalConnection(temporal, namespace, temporalTls, temporalApiKey);
  }

  /** Connects as {@code connection} says (the embedded agent takes the api's). */
  public void useTemporal(TemporalConnection connection) {
    this.temporal = connection.target();
    this.namespace = connection.namespace();
    this.temporalTls = connection.tls();
    this.temporalApiKey = connection.apiKey();
  }

  @JsonProperty
  public String getNamespace() {
    return namespace;
  }

  @JsonProperty
  public void setNamespace(String namespace) {
    this.namespace = namespace;
  }

  @JsonProperty
  public PortRange getPorts() {
    return ports;
  }

  @JsonProperty
  public void setPorts(PortRange ports) {
    this.ports = ports;
  }

  @JsonProperty
  public DataSize getMaxBundleSize() {
    return maxBundleSize;
  }

  @JsonProperty
  public void setMaxBundleSize(DataSize maxBundleSize) {
    this.maxBundleSize = maxBundleSize;
  }

  @JsonProperty
  public int getMaxBundleEntries() {
    return maxBundleEntries;
  }

  @JsonProperty
  public void setMaxBundleEntries(int maxBundleEntries) {
    this.maxBundleEntries = maxBundleEntries;
  }

  @JsonProperty
  public DataSize getDiskReserve() {
    return diskReserve;
  }

  @JsonProperty
  public void setDiskReserve(DataSize diskReserve) {
    this.diskReserve = diskReserve;
  }

  @JsonProperty
  public boolean isDirectWrites() {
    return directWrites;
  }

  @JsonProperty
  public void setDirectWrites(boolean directWrites) {
    this.directWrites = directWrites;
  }

  @JsonProperty
  public String getToken() {
    return token;
  }

  @JsonProperty
  public void setToken(String token) {
    this.token = token;
  }

  @JsonProperty
  public Map<String, String> getLabels() {
    return labels;
  }

  @JsonProperty
  public void setLabels(Map<String, String> labels) {
    this.labels = labels;
  }

  @JsonProperty
  public int getLogsPort() {
    return logsPort;
  }

  @JsonProperty
  public void setLogsPort(int logsPort) {
    this.logsPort = logsPort;
  }

  @JsonProperty
  public String getLogsBind() {
    return logsBind;
  }

  @JsonProperty
  public void setLogsBind(String logsBind) {
    this.logsBind = logsBind;
  }

  @JsonProperty
  public String getCaCert() {
    return caCert;
  }

  @JsonProperty
  public void setCaCert(String caCert) {
    this.caCert = caCert;
  }

  @JsonProperty
  public String getCaCertPassword() {
    return caCertPassword;
  }

  @JsonProperty
  public void setCaCertPassword(String caCertPassword) {
    this.caCertPassword = caCertPassword;
  }

  @JsonProperty
  public SupervisorConfiguration getSupervisor() {
    return supervisor;
  }

  @JsonProperty
  public void setSupervisor(SupervisorConfiguration supervisor) {
    this.supervisor = supervisor;
  }

  @JsonProperty
  public int getHeartbeatSeconds() {
    return heartbeatSeconds;
  }

  @JsonProperty
  public void setHeartbeatSeconds(int heartbeatSeconds) {
    this.heartbeatSeconds = heartbeatSeconds;
  }

  @JsonProperty
  public TorrentConfiguration getTorrent() {
    return torrent;
  }

  @JsonProperty
  public void setTorrent(TorrentConfiguration torrent) {
    this.torrent = torrent;
  }
}
