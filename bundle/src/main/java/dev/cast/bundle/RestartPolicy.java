package dev.cast.bundle;

/** What the supervisor does when a service exits. Written in cast.yml as lower-case words. */
public enum RestartPolicy {
  ALWAYS("always"),
  ON_FAILURE("on-failure"),
  NEVER("never");

  private final String yaml;

  RestartPolicy(String yaml) {
    this.yaml = yaml;
  }

  /** The spelling used in cast.yml. */
  public String yaml() {
    return yaml;
  }
}
