package org.bottrace.cli;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * POSIX signals for {@code bottrace run} (and bottrace-streams, which uses TERM and INT): TERM and INT ask for a clean stop (flush, checkpoint, exit 0),
 * HUP for reopening the notice file, USR1 for a status line. Handlers only set flags; the run loop acts
 * on them between records.
 */
public final class Signals {
  /** TERM or INT came: stop cleanly. */
  public final AtomicBoolean stop = new AtomicBoolean();
  final AtomicBoolean reopen = new AtomicBoolean();
  final AtomicBoolean status = new AtomicBoolean();
  /**
   * What the run loop sleeps on; a signal wakes it with notify, never with an interrupt (an interrupt
   * that lands after the sleep, during file I/O, would close the file channel under the reader).
   */
  private final Object wake = new Object();

  /** Installs the handlers; a signal the platform does not have is skipped. */
  public void install() {
    handle("TERM", stop);
    handle("INT", stop);
    handle("HUP", reopen);
    handle("USR1", status);
  }

  @SuppressWarnings("removal")
  private void handle(String name, AtomicBoolean flag) {
    try {
      sun.misc.Signal.handle(new sun.misc.Signal(name), s -> {
        flag.set(true);
        synchronized (wake) {
          wake.notifyAll();
        }
      });
    } catch (IllegalArgumentException e) {
      // not on this platform (or taken by the JVM): the rest still works
    }
  }

  /** Sleeps up to {@code millis}, waking early on a signal (also one that came just before). */
  public void sleep(long millis) {
    synchronized (wake) {
      if (stop.get() || reopen.get() || status.get()) {
        return;
      }
      try {
        wake.wait(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // not ours: keep it for whoever sent it
      }
    }
  }
}
