package org.bottrace.cli;

/** {@code java -jar bottrace.jar ...} */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    // the heap can run out in any thread (a reader's, a list loader's): the same one line and exit code 5
    // as on the main thread, at once (waiting for threads that cannot allocate could hang)
    Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
      if (e instanceof OutOfMemoryError) {
        Runtime.getRuntime().halt(Cli.outOfMemory(System.err));
      }
      System.err.println("bottrace: internal error in thread " + t.getName() + ": " + e);
    });
    System.exit(Cli.run(args));
  }
}
