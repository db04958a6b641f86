package org.bottrace.event;

/**
 * A row of irc_cmd.log, written by bottrace's Zeek package (zeek-scripts/): one IRC line as Zeek's IRC
 * analyzer parsed it, including what Zeek's own irc.log leaves out (PASS, MODE, PRIVMSG, NOTICE, TOPIC,
 * PART, QUIT, lines the server relays from other members, numerics). Messages are not logged; their facts
 * are: the command words they start with, a report tag, the first URL. Topics and NAMES lists are public
 * and are logged as text.
 *
 * @param ts when the line was seen
 * @param uid Zeek connection uid
 * @param flow client to server
 * @param isOrig true for a line the client sent
 * @param command the command (upper case) or the three-digit reply code
 * @param target the channel(s) or nick it is about, or null
 * @param prefix who the line is from (nick!user@host, a nick or a server name), or null
 * @param num a number the line carries (user counts, names in a NAMES line, a DCC size), or -1
 * @param words the first words of a message or topic that starts with a command character, or null
 * @param tag a report tag at the start of a message or topic ({@code [SCAN]}, {@code STATUS:}), or null
 * @param url the first URL in a message or topic, or null
 * @param text public text: a topic, MODE parameters, a NAMES list, USER arguments, a JOIN's keys, or null
 */
public record IrcCmdEvent(long ts, String uid, FlowKey flow, boolean isOrig, String command, String target,
    String prefix, long num, String words, String tag, String url, String text) implements Event {
  /** A row of the package's first format (no facts of messages). */
  public IrcCmdEvent(long ts, String uid, FlowKey flow, boolean isOrig, String command, String target,
      String prefix) {
    this(ts, uid, flow, isOrig, command, target, prefix, -1, null, null, null, null);
  }

  @Override
  public String ref() {
    return uid;
  }

  @Override
  public String type() {
    return "irc_cmd";
  }
}
