package dev.cast.api.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.cast.connect.TemporalConnection;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;

/**
 * {@code temporal:} — where workflows run. {@code target: embedded} starts Temporal's in-process
 * Java test server on {@code embeddedPort} (workflows in memory); {@code dev} starts the {@code
 * temporal} CLI's dev server as a child process (SQLite persistence in the data dir, the Web UI on
 * {@code uiPort}); {@code host:port} uses that Temporal cluster, with {@code tls} and {@code
 * apiKey} as it needs.
 */
public class TemporalSettings {
  public static final String EMBEDDED = "embedded";
  public static final String DEV = "dev";

  @NotEmpty private String target = EMBEDDED;

  @Min(0)
  @Max(65535)
  private int embeddedPort = 7233;

  /**
   * The address the embedded server listens on: loopback by default, since the embedded server has
   * no authentication of its own (whoever reaches it can run workflows and activities on hosts).
   */
  @NotEmpty private String bindHost = "127.0.0.1";

  @NotEmpty private String namespace = "default";

  /** With {@code target: dev}: the Web UI's port (0: any free one). */
  @Min(0)
  @Max(65535)
  private int uiPort = 8233;

  /** With {@code target: dev}: the {@code temporal} CLI to run (found on the PATH by default). */
  @NotEmpty private String devBinary = "temporal";

  /**
   * The Temporal UI's base URL for a cluster (e.g. {@code https://temporal.example.com}), for the
   * links Cast shows; with {@code dev} Cast knows it. Empty: no links.
   */
  private String uiUrl;

  /** Mutual TLS to a cluster; null for plain gRPC. */
  private TemporalConnection.Tls tls;

  /** An API key sent with every call (Temporal Cloud); null for none. */
  private String apiKey;

  /**
   * Sticky workflow execution: the worker keeps running workflows in memory and replays only new
   * events, instead of the whole history on every workflow task. On by default. Turn it off only
   * for a Temporal server without a sticky schedule-to-start timeout that outlives its workers,
   * such as Temporal's Java test server run on its own: there a restarted worker's workflows would
   * wait forever on the dead worker's sticky queue. The embedded server cannot outlive the only
   * worker that runs workflows (both live in the api's process), so it needs no such care.
   */
  private Boolean stickyExecution;

  @JsonProperty
  public String getTarget() {
    return target;
  }

  @JsonProperty
  public void setTarget(String target) {
    this.target = target;
  }

  @JsonProperty
  public int getEmbeddedPort() {
    return embeddedPort;
  }

  @JsonProperty
  public void setEmbeddedPort(int embeddedPort) {
    this.embeddedPort = embeddedPort;
  }

  @JsonProperty
  public String getBindHost() {
    return bindHost;
  }

  @JsonProperty
  public void setBindHost(String bindHost) {
    this.bindHost = bindHost;
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
  public Boolean getStickyExecution() {
    return stickyExecution;
  }

  @JsonProperty
  public void setStickyExecution(Boolean stickyExecution) {
    this.stickyExecution = stickyExecution;
  }

  @JsonProperty
  public int getUiPort() {
    return uiPort;
  }

  @JsonProperty
  public void setUiPort(int uiPort) {
    this.uiPort = uiPort;
  }

  @JsonProperty
  public String getDevBinary() {
    return devBinary;
  }

  @JsonProperty
  public void setDevBinary(String devBinary) {
    this.devBinary = devBinary;
  }

  @JsonProperty
  public String getUiUrl() {
    return uiUrl;
  }

  @JsonProperty
  public void setUiUrl(String uiUrl) {
    this.uiUrl = uiUrl == null || uiUrl.isBlank() ? null : uiUrl;
  }

  @JsonProperty
  public TemporalConnection.Tls getTls() {
    return tls;
  }

  @JsonProperty
  public void setTls(TemporalConnection.Tls tls) {
    this.tls = tls;
  }

  @JsonProperty
  public String getApiKey() {
    return apiKey;
  }

  @JsonProperty
  public void setApiKey(String apiKey) {
    this.apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey;
  }

  /** How to reach a cluster named in {@code target} (the embedded and dev servers get theirs). */
  public TemporalConnection connection(String at) {
    return new TemporalConnection(at, namespace, tls, apiKey);
  }

  /**
   * Cast runs the Temporal server itself: in-process ({@code embedded}) or as a child ({@code
   * dev}).
   */
  public boolean local() {
    return embedded() || dev();
  }

  public boolean dev() {
    return DEV.equals(target);
  }

  public boolean embedded() {
    return EMBEDDED.equals(target);
  }

  public boolean sticky() {
    return stickyExecution == null || stickyExecution;
  }
}
