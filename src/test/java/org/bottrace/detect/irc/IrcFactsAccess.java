package org.bottrace.detect.irc;

/** IrcFacts' parsing helpers, for tests outside the package. */
public final class IrcFactsAccess {
  private IrcFactsAccess() {}

  public static String channelKey(String addl) {
    return IrcFacts.channelKey(addl);
  }
}
