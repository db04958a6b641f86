package org.bottrace.detect.irc;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an IRC server's own lines say about a session, for Suricata EVE ftp events (Suricata takes IRC for
 * FTP and logs the server's lines intact, the client's often mangled): the 001 welcome names the server
 * and the client's nick, the echo of a JOIN names the channel.
 *
 * @param server the server name from the welcome, or null
 * @param nick the nick the welcome was addressed to, or null
 * @param joins the JOIN echoes: nick, user, channel
 */
public record ServerReplies(String server, String nick, List<String[]> joins) {
  private static final Pattern WELCOME = Pattern.compile("^:(\\S+) 001 (\\S+)(?: |$)");
  private static final Pattern JOIN_ECHO = Pattern.compile("^:([^!\\s]+)!([^@\\s]+)@(\\S+) JOIN :?(\\S+)");

  /** Reads the server's lines of one EVE ftp event. */
  public static ServerReplies parse(List<String> lines) {
    String nick = null;
    String server = null;
    List<String[]> joins = new ArrayList<>();
    for (String line : lines) {
      Matcher w = WELCOME.matcher(line);
      if (w.find()) {
        server = w.group(1);
        nick = w.group(2);
        continue;
      }
      Matcher j = JOIN_ECHO.matcher(line);
      if (j.find()) {
        joins.add(new String[] {j.group(1), j.group(2), j.group(4)});
      }
    }
    return new ServerReplies(server, nick, joins);
  }

  /** Whether nothing IRC-like survived in these lines. */
  public boolean isEmpty() {
    return nick == null && joins.isEmpty();
  }
}
