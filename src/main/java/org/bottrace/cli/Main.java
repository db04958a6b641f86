package org.bottrace.cli;

/** {@code java -jar bottrace.jar ...} */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(Cli.run(args));
  }
}
