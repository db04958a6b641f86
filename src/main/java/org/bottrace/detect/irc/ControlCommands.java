package org.bottrace.detect.irc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.bottrace.config.ConfigException;
import org.bottrace.config.ConfigNode;

/**
 * Document 000's control-command method, from a member's view: what the server tells a client and what
 * the client says back. It works for a lone bot, the case most sensors see.
 *
 * <ul>
 *   <li>heard: a C&amp;C command (see {@link BotCommands}) in a topic of one of the client's channels, in a
 *       line another member sent there, or privately: {@code heard_points}, or {@code strong_points} for
 *       an order (a program's URL, a target, a scan module);
 *   <li>answered: the client's own line within {@code answer_within} after a command it heard, in that
 *       channel (a bot obeys at once, a person reads first): {@code answer_points};
 *   <li>reports: the client's own lines that start with a bot family's report tag ({@code [SCAN]:},
 *       {@code [DOWNLOAD]}): {@code report_points}.
 * </ul>
 *
 * Hearing commands is what every member of a channel does, so it is worth little alone; answering them
 * and reporting is what a bot does. A channel where a command was heard and a member answered it at once
 * gets {@code channel_points}. Inputs: irc_cmd.log (the package's words, tag and url), Suricata's
 * ftp-misparsed IRC (the server's lines), bottrace's Suricata rules (alerts on commands and reports).
 */
final class ControlCommands implements Mechanism {
  /** Records of one line from two sensors are this close in time (the same packet, two clocks' rounding). */
  private static final long SAME_LINE = 200_000;
  private final long answerWithin;
  private final double heardPoints;
  private final double strongPoints;
  private final double answerPoints;
  private final double reportPoints;
  private final double channelPoints;

  ControlCommands(ConfigNode c) throws ConfigException {
    answerWithin = IrcBotnet.positiveMicros(c, "answer_within", Duration.ofSeconds(2));
    heardPoints = c.number("heard_points", 1, 0, 100);
    strongPoints = c.number("strong_points", 2, 0, 100);
    answerPoints = c.number("answer_points", 2, 0, 100);
    reportPoints = c.number("report_points", 3, 0, 100);
    channelPoints = c.number("channel_points", 3, 0, 100);
  }

  @Override
  public String name() {
    return "commands";
  }

  @Override
  public void evaluate(View v, Signs out) {
    Map<String, Integer> answeredIn = new TreeMap<>();
    for (Map.Entry<String, IrcServer.Client> e : v.server.clients.entrySet()) {
      IrcServer.Client c = e.getValue();
      TreeSet<String> words = new TreeSet<>();
      TreeSet<String> rules = new TreeSet<>(); // bottrace's Suricata rules that saw commands
      TreeSet<String> from = new TreeSet<>();
      boolean strong = false;
      List<IrcServer.Heard> heard = new ArrayList<>();
      long lastTs = 0;
      // in time order: the records of two sensors arrive interleaved as they were read
      List<IrcServer.Heard> byTime = new ArrayList<>(c.heard);
      byTime.sort(java.util.Comparator.comparingLong(IrcServer.Heard::ts));
      List<IrcServer.Line> lines = new ArrayList<>(c.lines);
      lines.sort(java.util.Comparator.comparingLong(IrcServer.Line::ts));
      for (IrcServer.Heard h : byTime) {
        if (h.channel() != null && !c.joins.containsKey(h.channel())) {
          continue;
        }
        (h.sid() < 0 ? words : rules).add(h.command());
        if (h.from() != null) {
          from.add(h.from());
        }
        strong |= h.strong();
        // one line that two sensors logged (an ftp event and an alert, or irc_cmd.log and an alert) is
        // one command
        if (heard.isEmpty() || h.ts() - lastTs > SAME_LINE) {
          heard.add(h);
          lastTs = h.ts();
        } else if (heard.get(heard.size() - 1).channel() == null && h.channel() != null) {
          heard.set(heard.size() - 1, h); // the record that names the channel
        }
      }
      long d;
      int answered = 0;
      long fastest = Long.MAX_VALUE;
      for (IrcServer.Heard h : heard) {
        d = answer(c, lines, h);
        if (d >= 0) {
          answered++;
          fastest = Math.min(fastest, d);
          if (h.channel() != null) {
            answeredIn.merge(h.channel(), 1, Integer::sum);
          }
        }
      }
      TreeSet<String> tags = new TreeSet<>();
      TreeSet<String> reportRules = new TreeSet<>();
      for (IrcServer.Report r : c.reports) {
        (r.sid() < 0 ? tags : reportRules).add(r.tag());
      }
      double points = 0;
      if (!heard.isEmpty()) {
        points += strong ? strongPoints : heardPoints;
      }
      if (answered > 0) {
        points += answerPoints;
      }
      if (!tags.isEmpty() || !reportRules.isEmpty()) {
        points += reportPoints;
      }
      if (points > 0) {
        out.client(e.getKey(), name(), points, Signs.figures(
            "commands_heard", heard.isEmpty() ? null : heard.size(),
            "command_words", words.isEmpty() ? null : List.copyOf(words),
            "command_alerts", rules.isEmpty() ? null : List.copyOf(rules),
            "orders", heard.isEmpty() ? null : strong,
            "commands_from", from.isEmpty() ? null : List.copyOf(from),
            "answered_within_s", answered == 0 ? null : answerWithin / 1e6,
            "commands_answered", answered == 0 ? null : answered,
            "fastest_answer_s", answered == 0 ? null : Signs.r3(fastest / 1e6),
            "report_tags", tags.isEmpty() ? null : List.copyOf(tags),
            "report_alerts", reportRules.isEmpty() ? null : List.copyOf(reportRules),
            "reports", c.reports.isEmpty() ? null : c.reports.size()));
      }
    }
    for (Map.Entry<String, Integer> ch : answeredIn.entrySet()) {
      if (v.members.containsKey(ch.getKey())) {
        out.channel(ch.getKey(), name(), channelPoints, Signs.figures("commands_answered_at_once", ch.getValue(),
            "answered_within_s", answerWithin / 1e6));
      }
    }
  }

  /**
   * The delay from a command the client heard to its first own line after it in that channel (any of
   * its lines for a private command), or -1 when none came within {@code answer_within}.
   */
  private long answer(IrcServer.Client c, List<IrcServer.Line> lines, IrcServer.Heard h) {
    for (IrcServer.Line own : lines) {
      long d = own.ts() - h.ts();
      if (d > answerWithin) {
        break;
      }
      if (d >= 0 && (h.channel() == null || h.channel().equals(own.channel()))) {
        return d;
      }
    }
    if (h.channel() == null) {
      // a command known from an alert: its channel is unknown, and so are those of the lines after it
      for (long t : c.eveLines) {
        if (t - h.ts() >= 0 && t - h.ts() <= answerWithin) {
          return t - h.ts();
        }
      }
    }
    for (IrcServer.Report r : c.reports) {
      long d = r.ts() - h.ts();
      if (d >= 0 && d <= answerWithin && (h.channel() == null || r.channel() == null
          || h.channel().equals(r.channel()))) {
        return d;
      }
    }
    return -1;
  }
}
