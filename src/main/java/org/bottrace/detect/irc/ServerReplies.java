package org.bottrace.detect.irc;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an IRC server's own lines say to a member, for Suricata EVE ftp events (Suricata takes an IRC
 * session that starts with PASS or USER for FTP and logs the server's lines intact, the client's often
 * mangled): the 001 welcome names the server and the client's nick, the echo of a JOIN names a channel,
 * a topic (332 or TOPIC) may hold a command, a NAMES reply (353) lists members, and the lines of other
 * members are relayed with their sender.
 *
 * @param server the server name from the welcome, or null
 * @param nick the nick the welcome was addressed to, or null
 * @param joins the JOIN echoes
 * @param topics the topics of channels
 * @param names the NAMES replies
 * @param messages PRIVMSG and NOTICE lines relayed from others
 * @param users what the server says of its users (251, 255, 266), or null
 * @param errors channel errors (404 cannot send, 482 not an operator, 47x cannot join)
 */
public record ServerReplies(String server, String nick, List<Join> joins, List<Topic> topics, List<Names> names,
    List<Message> messages, IrcFacts.UserCounts users, List<Refusal> errors) {
  /** A channel error (the server refused something in a channel): its code and channel. */
  public record Refusal(String code, String channel) {}

  /** A JOIN echo: who joined which channel. */
  public record Join(String nick, String user, String channel) {}

  /** A channel's topic as the server told it, and who set it (null for a 332 reply). */
  public record Topic(String channel, String text, String from) {}

  /** A NAMES reply: the channel and the nicks in it (with their rank prefixes). */
  public record Names(String channel, List<String> nicks) {}

  /** A relayed PRIVMSG or NOTICE: its sender (nick!user@host), target and text. */
  public record Message(String from, String command, String target, String text) {}

  private static final Pattern WELCOME = Pattern.compile("^:(\\S+) 001 (\\S+)(?: |$)");
  private static final Pattern JOIN_ECHO = Pattern.compile("^:([^!\\s]+)!([^@\\s]+)@(\\S+) JOIN :?(\\S+)");
  private static final Pattern TOPIC_REPLY = Pattern.compile("^:\\S+ 332 \\S+ (\\S+) :(.*)$");
  private static final Pattern TOPIC_CHANGE = Pattern.compile("^:(\\S+) TOPIC (\\S+) :(.*)$");
  private static final Pattern NAMES = Pattern.compile("^:\\S+ 353 \\S+ [=*@] (\\S+) :(.*)$");
  private static final Pattern MESSAGE = Pattern.compile("^:(\\S+!\\S+) (PRIVMSG|NOTICE) (\\S+) :(.*)$");
  private static final Pattern LUSERS = Pattern.compile(
      "^:\\S+ 251 \\S+ :There are (\\d{1,9}) users and (\\d{1,9}) (invisible|services) on (\\d{1,9}) servers");
  private static final Pattern LOCAL = Pattern.compile("^:\\S+ 255 \\S+ :I have (\\d{1,9})");
  private static final Pattern GLOBAL = Pattern.compile("^:\\S+ 266 \\S+ (?:\\d{1,9} \\d{1,9} )?:Current global users:? (\\d{1,9})");
  private static final Pattern ERROR = Pattern.compile("^:\\S+ (40[345]|47[1-7]|482) \\S+ (\\S+) :");
  private static final int MAX_LINE = 512;

  /** The command of a line from a server (":prefix COMMAND ..."), or "" if it has no prefix. */
  static String command(String line) {
    if (line.isEmpty() || line.charAt(0) != ':') {
      return "";
    }
    int sp = line.indexOf(' ');
    if (sp < 0) {
      return "";
    }
    int end = line.indexOf(' ', sp + 1);
    return line.substring(sp + 1, end < 0 ? line.length() : end);
  }

  /** Reads the server's lines of one EVE ftp event. */
  public static ServerReplies parse(List<String> lines) {
    String nick = null;
    String server = null;
    List<Join> joins = new ArrayList<>();
    List<Topic> topics = new ArrayList<>();
    List<Names> names = new ArrayList<>();
    List<Message> messages = new ArrayList<>();
    long visible = -1;
    long invisible = -1;
    long servers = -1;
    long local = -1;
    long global = -1;
    List<Refusal> errors = new ArrayList<>();
    for (String line : lines) {
      if (line.length() > MAX_LINE) {
        line = line.substring(0, MAX_LINE); // IRC lines are at most 512 bytes
      }
      // every pattern is ":prefix COMMAND ...": the command picks the one pattern that can match
      Matcher m;
      switch (command(line)) {
        case "001" -> {
          if ((m = WELCOME.matcher(line)).find()) {
            server = m.group(1);
            nick = m.group(2);
          }
        }
        case "JOIN" -> {
          if ((m = JOIN_ECHO.matcher(line)).find()) {
            joins.add(new Join(m.group(1), m.group(2), m.group(4)));
          }
        }
        case "332" -> {
          if ((m = TOPIC_REPLY.matcher(line)).find()) {
            topics.add(new Topic(m.group(1), m.group(2), null));
          }
        }
        case "TOPIC" -> {
          if ((m = TOPIC_CHANGE.matcher(line)).find()) {
            topics.add(new Topic(m.group(2), m.group(3), m.group(1)));
          }
        }
        case "353" -> {
          if ((m = NAMES.matcher(line)).find()) {
            names.add(new Names(m.group(1), List.of(m.group(2).trim().split("\\s+"))));
          }
        }
        case "PRIVMSG", "NOTICE" -> {
          if ((m = MESSAGE.matcher(line)).find()) {
            messages.add(new Message(m.group(1), m.group(2), m.group(3), m.group(4)));
          }
        }
        case "251" -> {
          if ((m = LUSERS.matcher(line)).find()) {
            visible = Long.parseLong(m.group(1));
            invisible = m.group(3).equals("invisible") ? Long.parseLong(m.group(2)) : -1;
            servers = Long.parseLong(m.group(4));
          }
        }
        case "255" -> {
          if ((m = LOCAL.matcher(line)).find()) {
            local = Long.parseLong(m.group(1));
          }
        }
        case "266" -> {
          if ((m = GLOBAL.matcher(line)).find()) {
            global = Long.parseLong(m.group(1));
          }
        }
        default -> {
          if (IrcFacts.CHANNEL_ERRORS.contains(command(line)) && (m = ERROR.matcher(line)).find()) {
            errors.add(new Refusal(m.group(1), m.group(2)));
          }
        }
      }
    }
    IrcFacts.UserCounts users = visible < 0 && local < 0 && global < 0 ? null
        : new IrcFacts.UserCounts(visible, invisible, local, global, servers);
    return new ServerReplies(server, nick, joins, topics, names, messages, users, errors);
  }
}
