package org.bottrace.cli;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * POSIX signals for {@code bottrace run}: TERM and INT ask for a clean stop (flush, checkpoint, exit 0),
 * HUP for reopening the notice file, USR1 for a status line. Handlers only set flags; the run loop acts
 * on them between records.
 */
final class Signals {
  final AtomicBoolean stop = new AtomicBoolean();
  final AtomicBoolean reopen = new AtomicBoolean();
  final AtomicBoolean status = new AtomicBoolean();
  private volatile Thread waiter;

  /** Installs the handlers; a signal the platform does not have is skipped. */
  void install() {
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
        Thread w = waiter;
        if (w != null) {
          w.interrupt();
        }
      });
    } catch (IllegalArgumentException e) {
      // not on this platform (or taken by the JVM): the rest still works
    }
  }

  /** Sleeps up to {@code millis}, waking early on a signal. */
  void sleep(long millis) {
    waiter = Thread.currentThread();
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      // a signal: the loop looks at the flags
    } finally {
      waiter = null;
      Thread.interrupted();
    }
  }
}
