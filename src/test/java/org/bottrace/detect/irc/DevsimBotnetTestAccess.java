package org.bottrace.detect.irc;

import java.util.Set;

/** bottrace_devsim's labelled hosts for tests in other packages. */
public final class DevsimBotnetTestAccess {
  private DevsimBotnetTestAccess() {}

  public static Set<String> hosts(String role) throws Exception {
    return DevsimBotnetTest.hosts(role);
  }
}
