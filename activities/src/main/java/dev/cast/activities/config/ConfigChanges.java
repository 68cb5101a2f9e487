package dev.cast.activities.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cast.activities.host.AppLayout;
import dev.cast.bundle.FileTrees;
import dev.cast.workflows.host.ConfigPlan;
import dev.cast.workflows.host.RenderedConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A config rollout's files on a host. Rendering compares the new files with the release's and keeps
 * the changed ones aside ({@code pending.json}); applying saves the files they replace ({@code
 * before.json}), then writes them and their record; reverting writes the saved ones back. Both are
 * kept under {@link AppLayout#configChange}, readable by the agent's user only (they hold the
 * rendered values, secrets included, as the files themselves do).
 */
public final class ConfigChanges {
  private static final String PENDING = "pending.json";
  private static final String BEFORE = "before.json";
  private static final String APPLIED = "applied";
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private final ReleaseConfig config;
  private final ObjectMapper json = new ObjectMapper();

  public ConfigChanges(ReleaseConfig config) {
    this.config = config;
  }

  /**
   * One file as a release has it.
   *
   * @param text its content, or null when the release has no such file
   */
  record FileState(String dest, int mode, String text) {}

  /** What a rollout's rendering found changed, kept until it is applied. */
  record Pending(List<FileState> files, RenderedConfig record, String action) {}

  /** What applying replaced. */
  record Before(List<FileState> files, RenderedConfig record) {}

  /**
   * Compares what was rendered with the release's files and keeps the changed ones aside for the
   * deployment; the plan. Drops what earlier rollouts of the app's releases left.
   */
  public ConfigPlan plan(
      AppLayout app,
      String version,
      List<String> sharedPaths,
      String deploymentId,
      TemplateRenderer.Result rendered)
      throws IOException {
    for (String any : app.releaseVersions()) {
      for (Path stale : app.configChanges(any)) {
        if (!stale.equals(app.configChange(version, deploymentId))) {
          FileTrees.deleteRecursively(stale);
        }
      }
    }
    Path dir = app.configChange(version, deploymentId);
    if (Files.exists(dir.resolve(APPLIED))) {
      // A retry after the files were written: what was applied is what the rollout goes on with.
      Pending applied = json.readValue(dir.resolve(PENDING).toFile(), Pending.class);
      return new ConfigPlan(
          version,
          applied.files().stream().map(FileState::dest).toList(),
          applied.action(),
          applied.record().index(),
          null);
    }
    List<FileState> changed = new ArrayList<>();
    String action = "none";
    for (TemplateRenderer.Rendered file : rendered.files()) {
      FileState now = read(app, version, sharedPaths, file.spec().dest());
      if (now.text() == null
          || !now.text().equals(file.text())
          || now.mode() != file.spec().mode()) {
        changed.add(new FileState(file.spec().dest(), file.spec().mode(), file.text()));
        if (ConfigPlan.strength(file.spec().onChange()) > ConfigPlan.strength(action)) {
          action = file.spec().onChange();
        }
      }
    }
    List<String> dests = changed.stream().map(FileState::dest).toList();
    if (changed.isEmpty()) {
      FileTrees.deleteRecursively(dir);
      return new ConfigPlan(version, List.of(), "none", rendered.index(), null);
    }
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    writeJson(dir.resolve(PENDING), new Pending(changed, rendered.record(), action));
    return new ConfigPlan(version, dests, action, rendered.index(), null);
  }

  /**
   * Writes the deployment's changed files into the release and records them, having saved what they
   * replace; a second call finds them written. The record of the release's config now.
   *
   * @throws IOException when nothing was rendered for the deployment
   */
  public RenderedConfig apply(
      AppLayout app, String version, List<String> sharedPaths, String deploymentId)
      throws IOException {
    Path dir = app.configChange(version, deploymentId);
    Path pendingFile = dir.resolve(PENDING);
    if (!Files.exists(pendingFile)) {
      throw new IOException(
          "no config was rendered for " + deploymentId + " of " + app.app() + " " + version);
    }
    Pending pending = json.readValue(pendingFile.toFile(), Pending.class);
    if (!Files.exists(dir.resolve(APPLIED))) {
      if (!Files.exists(dir.resolve(BEFORE))) {
        List<FileState> before = new ArrayList<>();
        for (FileState file : pending.files()) {
          before.add(read(app, version, sharedPaths, file.dest()));
        }
        writeJson(dir.resolve(BEFORE), new Before(before, config.recorded(app, version)));
      }
      for (FileState file : pending.files()) {
        ConfigPlaces.write(app, version, sharedPaths, file.dest(), file.text(), file.mode());
      }
      config.writeRecord(app, version, pending.record());
      Files.createFile(dir.resolve(APPLIED));
    }
    return pending.record();
  }

  /**
   * Writes back what {@link #apply} replaced, and its record. False when the deployment's files
   * were never written (nothing to undo).
   */
  public boolean revert(
      AppLayout app, String version, List<String> sharedPaths, String deploymentId)
      throws IOException {
    Path dir = app.configChange(version, deploymentId);
    if (!Files.exists(dir.resolve(BEFORE))) {
      return false;
    }
    Before before = json.readValue(dir.resolve(BEFORE).toFile(), Before.class);
    for (FileState file : before.files()) {
      if (file.text() == null) {
        ConfigPlaces.delete(app, version, sharedPaths, file.dest());
      } else {
        ConfigPlaces.write(app, version, sharedPaths, file.dest(), file.text(), file.mode());
      }
    }
    config.writeRecord(app, version, before.record());
    FileTrees.deleteRecursively(dir);
    return true;
  }

  private static FileState read(
      AppLayout app, String version, List<String> sharedPaths, String dest) throws IOException {
    Path file = ConfigPlaces.live(app, version, sharedPaths, dest);
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      return new FileState(dest, 0, null);
    }
    return new FileState(
        dest,
        ConfigFiles.mode(Files.getPosixFilePermissions(file)),
        Files.readString(file, StandardCharsets.UTF_8));
  }

  private void writeJson(Path target, Object value) throws IOException {
    Path temp = target.resolveSibling(target.getFileName() + ".tmp");
    Files.deleteIfExists(temp);
    Files.createFile(temp, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    Files.write(temp, json.writeValueAsBytes(value));
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
