package org.bottrace.match;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.bottrace.source.IoCause;

/**
 * A list file that is read again while bottrace runs, when its modification time or size changes
 * (looked at no more than every few seconds). Unlike Zeek's Intel framework, an entry deleted from the
 * file stops matching at once. A new version that cannot be read, or that has lost every entry (a file
 * caught half-written), is not taken: the previous version stays and a warning says why.
 *
 * <p>A new version is read beside the pipeline (on {@code loader}, a background thread outside tests),
 * and taken once it is whole: reading a list of a million entries does not stall detection.
 */
public final class ReloadingList {
  private final String name;
  private final Path path;
  private final String format;
  private final long checkEveryNanos;
  private final LongSupplier clock;
  private final Consumer<String> warn;
  private final java.util.concurrent.Executor loader;
  private volatile PlainList current;
  private volatile long modified;
  private volatile long size;
  private long lastCheck;
  private volatile String lastProblem;
  /** Whether a new version is being read. */
  private final java.util.concurrent.atomic.AtomicBoolean loading = new java.util.concurrent.atomic.AtomicBoolean();

  /** Where new versions are read: one daemon thread for every list of the process. */
  public static final java.util.concurrent.Executor BACKGROUND = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "bottrace-list-loader");
    t.setDaemon(true);
    return t;
  });

  /**
   * Loads the list now.
   *
   * @throws IOException when the file cannot be read at start (a configuration error)
   */
  public ReloadingList(String name, Path path, String format, long checkEveryNanos, LongSupplier clock,
      Consumer<String> warn) throws IOException {
    this(name, path, format, checkEveryNanos, clock, warn, BACKGROUND);
  }

  /** The same, reading new versions on {@code loader} ({@code Runnable::run}: at once, in the caller). */
  public ReloadingList(String name, Path path, String format, long checkEveryNanos, LongSupplier clock,
      Consumer<String> warn, java.util.concurrent.Executor loader) throws IOException {
    this.loader = loader;
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
      if (changed() && loading.compareAndSet(false, true)) {
        loader.execute(() -> {
          try {
            reload();
          } finally {
            loading.set(false);
          }
        });
      }
    }
    return current;
  }

  /** Whether the file's time or size differ from the version in use (a missing file counts: it is said). */
  private boolean changed() {
    try {
      BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
      return a.lastModifiedTime().toMillis() != modified || a.size() != size;
    } catch (IOException e) {
      return true;
    }
  }

  private void reload() {
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
      problem("cannot be read (" + IoCause.of(e) + "); the previous version (" + current.size() + " entries) stays");
    }
  }

  private synchronized void problem(String what) {
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
