package org.bottrace.enrich;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * A list file that is read again while bottrace runs, when its modification time or size changes
 * (looked at no more than every few seconds). Unlike Zeek's Intel framework, an entry deleted from the
 * file stops matching at once. A new version that cannot be read, or that has lost every entry (a file
 * caught half-written), is not taken: the previous version stays and a warning says why.
 */
public final class ReloadingList {
  private final String name;
  private final Path path;
  private final String format;
  private final long checkEveryNanos;
  private final LongSupplier clock;
  private final Consumer<String> warn;
  private PlainList current;
  private long modified;
  private long size;
  private long lastCheck;
  private String lastProblem;

  /**
   * Loads the list now.
   *
   * @throws IOException when the file cannot be read at start (a configuration error)
   */
  public ReloadingList(String name, Path path, String format, long checkEveryNanos, LongSupplier clock,
      Consumer<String> warn) throws IOException {
    this.name = name;
    this.path = path;
    this.format = format;
    this.checkEveryNanos = checkEveryNanos;
    this.clock = clock;
    this.warn = warn;
    BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
    this.current = PlainList.load(name, path, format);
    this.modified = a.lastModifiedTime().toMillis();
    this.size = a.size();
    this.lastCheck = clock.getAsLong();
  }

  /** The list as it is now (read again first if its file changed). */
  public PlainList get() {
    long now = clock.getAsLong();
    if (now - lastCheck >= checkEveryNanos) {
      lastCheck = now;
      reloadIfChanged();
    }
    return current;
  }

  private void reloadIfChanged() {
    try {
      BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
      if (a.lastModifiedTime().toMillis() == modified && a.size() == size) {
        return;
      }
      PlainList next = PlainList.load(name, path, format);
      modified = a.lastModifiedTime().toMillis();
      size = a.size();
      if (next.size() == 0 && current.size() > 0) {
        problem("the new version has no entries (written half-way?); the previous version (" + current.size()
            + " entries) stays");
        return;
      }
      lastProblem = null;
      warn.accept("list " + name + " (" + path + "): read again, " + next.size() + " entries (were "
          + current.size() + ")");
      current = next;
    } catch (NoSuchFileException e) {
      problem("the file is gone; the previous version (" + current.size() + " entries) stays");
    } catch (IOException e) {
      problem("cannot be read (" + e.getMessage() + "); the previous version (" + current.size() + " entries) stays");
    }
  }

  private void problem(String what) {
    if (!what.equals(lastProblem)) {
      lastProblem = what;
      warn.accept("list " + name + " (" + path + "): " + what);
    }
  }

  public String name() {
    return name;
  }

  /** The version in use: its file's modification time (UTC, ISO 8601). */
  public String version() {
    return java.time.Instant.ofEpochMilli(modified).toString();
  }

  public Path path() {
    return path;
  }
}
