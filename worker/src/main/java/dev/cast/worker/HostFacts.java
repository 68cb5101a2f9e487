package dev.cast.worker;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** What an agent tells the api about its machine, read again for every heartbeat. */
final class HostFacts {
  private HostFacts() {}

  static Map<String, Object> of(Path dataDir) {
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    facts.put("arch", System.getProperty("os.arch"));
    facts.put("cpus", Runtime.getRuntime().availableProcessors());
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      facts.put("memoryBytes", os.getTotalMemorySize());
    }
    facts.put("freeDiskBytes", new File(dataDir.toString()).getUsableSpace());
    facts.put("agentVersion", Registration.AGENT_VERSION);
    return facts;
  }
}
