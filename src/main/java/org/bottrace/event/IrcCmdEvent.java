package org.bottrace.event;

/**
 * A row of irc_cmd.log, written by bottrace's Zeek package (zeek-scripts/): one IRC command or reply
 * as Zeek's IRC analyzer saw it, including those Zeek's own irc.log leaves out (PASS, MODE, PRIVMSG,
 * NOTICE, TOPIC, PING, numerics). No message text unless the package is told to log it.
 *
 * @param ts when the line was seen
 * @param uid Zeek connection uid
 * @param flow client to server
 * @param isOrig true for a line the client sent
 * @param command the command (upper case) or the three-digit reply code
 * @param target the channel or nick it is about, or null
 * @param prefix the line's prefix (server name or nick!user@host), or null
 */
public record IrcCmdEvent(long ts, String uid, FlowKey flow, boolean isOrig, String command, String target,
    String prefix) implements Event {
  @Override
  public String ref() {
    return uid;
  }

  @Override
  public String type() {
    return "irc_cmd";
  }
}
