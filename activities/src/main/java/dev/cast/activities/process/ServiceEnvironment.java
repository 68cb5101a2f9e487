package dev.cast.activities.process;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The environment of a service, hook or health command: the agent's own environment, the manifest's
 * {@code env}, {@code PORT_<NAME>} per named port, {@code PORT} (the first port) and {@code
 * CAST_APP}, {@code CAST_VERSION}, {@code CAST_HOST}.
 */
public final class ServiceEnvironment {
  private ServiceEnvironment() {}

  /** {@code PORT_<NAME>}: upper case, {@code -} becomes {@code _}. */
  public static String portVariable(String portName) {
    return "PORT_" + portName.toUpperCase(Locale.ROOT).replace('-', '_');
  }

  public static Map<String, String> build(
      Map<String, String> manifestEnv,
      List<String> portNames,
      Map<String, Integer> ports,
      String app,
      String version,
      String host) {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.putAll(manifestEnv);
    for (String name : portNames) {
      Integer port = ports.get(name);
      if (port != null) {
        env.put(portVariable(name), port.toString());
      }
    }
    if (!portNames.isEmpty() && ports.containsKey(portNames.get(0))) {
      env.put("PORT", ports.get(portNames.get(0)).toString());
    }
    env.put("CAST_APP", app);
    env.put("CAST_VERSION", version);
    env.put("CAST_HOST", host);
    return env;
  }
}
