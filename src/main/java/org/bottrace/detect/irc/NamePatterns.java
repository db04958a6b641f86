package org.bottrace.detect.irc;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.bottrace.event.EveAlert;
import java.util.regex.Pattern;
import org.bottrace.config.ConfigException;
import org.bottrace.config.ConfigNode;

/**
 * Mechanism 8: what bot nicks and USER lines look like, scored rather than matched against a list; IRC on
 * a port IRC servers do not use; DCC SEND of an executable.
 *
 * <p>Nick score, 0 to 1, the sum of: a country or OS tag in brackets ({@code {CN}-}, {@code [USA|XP]})
 * 0.5; a run of 4 or more digits 0.4 (6 or more: 0.5); an OS word (win, xp, 2k, nt, vista) 0.2; four or
 * more switches between letters and digits ({@code q7m2x9ka}) 0.6, or three 0.3; a run of 5 consonants
 * 0.3; two or more {@code |} separators 0.3. The USER form bots use: the real name equals the nick, or
 * it equals the user name while the mode is a non-zero number ({@code USER pbju 8 * :pbju}).
 */
final class NamePatterns implements Mechanism {
  private static final Pattern TAG = Pattern.compile("[\\[{(|<][A-Za-z]{2,3}[\\]})|>]|[\\[{(|<](?:XP|2K|W7|W10|WIN\\d*|NT|VISTA)[\\]})|>]",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern DIGITS6 = Pattern.compile("\\d{6,}");
  private static final Pattern DIGITS4 = Pattern.compile("\\d{4,}");
  private static final Pattern OS = Pattern.compile("(?i)(win|xp|2k|nt|vista|w7|w10)");
  private static final Pattern CONSONANTS = Pattern.compile("(?i)[bcdfghjklmnpqrstvwxz]{5}");
  private static final int MAX_NICK = 64;

  private final double minScore;
  private final double nickPoints;
  private final double userPoints;
  private final double portPoints;
  private final double dccPoints;
  private final org.bottrace.config.PortSet standardPorts;
  private final Pattern executable;

  NamePatterns(ConfigNode c) throws ConfigException {
    minScore = c.number("min_nick_score", 0.5, 0, 1);
    nickPoints = c.number("nick_points", 3, 0, 100);
    userPoints = c.number("user_points", 1, 0, 100);
    portPoints = c.number("port_points", 1, 0, 100);
    dccPoints = c.number("dcc_points", 2, 0, 100);
    standardPorts = c.ports("standard_ports", List.of("194", "994", "6660-6669", "6679", "6697", "7000",
        "8000-8002"));
    String ext = String.join("|", c.strings("executable_extensions",
        List.of("exe", "scr", "com", "pif", "bat", "cmd", "dll", "vbs", "js", "jar", "msi", "ps1")));
    executable = Pattern.compile("(?i).*\\.(" + ext.replace(".", "") + ")$");
  }

  @Override
  public String name() {
    return "names";
  }

  /** The nick score from which a nick is bot-style ({@code min_nick_score}). */
  double minScore() {
    return minScore;
  }

  /** The nick's score with the features that made it, or null below 0.05. */
  static double nickScore(String nick, List<String> why) {
    if (nick == null || nick.isEmpty() || nick.length() > MAX_NICK) {
      return 0;
    }
    double s = 0;
    if (TAG.matcher(nick).find()) {
      s += 0.5;
      why.add("tag");
    }
    if (DIGITS6.matcher(nick).find()) {
      s += 0.5;
      why.add("digit_run");
    } else if (DIGITS4.matcher(nick).find()) {
      s += 0.4;
      why.add("digit_run");
    }
    if (OS.matcher(nick).find()) {
      s += 0.2;
      why.add("os_word");
    }
    int switches = 0;
    for (int i = 1; i < nick.length(); i++) {
      char a = nick.charAt(i - 1);
      char b = nick.charAt(i);
      if (Character.isLetter(a) && Character.isDigit(b) || Character.isDigit(a) && Character.isLetter(b)) {
        switches++;
      }
    }
    if (switches >= 4) {
      s += 0.6;
      why.add("letter_digit_mix");
    } else if (switches == 3) {
      s += 0.3;
      why.add("letter_digit_mix");
    }
    if (CONSONANTS.matcher(nick).find()) {
      s += 0.3;
      why.add("consonant_run");
    }
    if (nick.chars().filter(ch -> ch == '|').count() >= 2) {
      s += 0.3;
      why.add("separators");
    }
    return Math.min(1.0, Math.round(s * 100) / 100.0);
  }

  /** The USER form bots use (see the class comment). */
  static boolean botUser(IrcServer.Client c) {
    if (c.realname == null || c.realname.isEmpty()) {
      return false;
    }
    if (c.realname.equals(c.nick())) {
      return true;
    }
    return c.realname.equals(c.ident) && c.userMode != null && c.userMode.matches("[1-9]\\d*");
  }

  boolean standard(int port) {
    return standardPorts.contains(port);
  }

  @Override
  public void evaluate(View v, Signs out) {
    for (Map.Entry<String, IrcServer.Client> e : v.server.clients.entrySet()) {
      IrcServer.Client c = e.getValue();
      double best = 0;
      String bestNick = null;
      List<String> bestWhy = List.of();
      for (String n : c.nicks) {
        List<String> why = new ArrayList<>();
        double s = nickScore(n, why);
        if (s > best) {
          best = s;
          bestNick = n;
          bestWhy = why;
        }
      }
      // where the logs do not show the nick or the USER line, bottrace's Suricata rules may have seen it
      Set<String> rule = c.ruleSignNames;
      if (best >= minScore) {
        out.client(e.getKey(), name(), Math.round(nickPoints * best * 10) / 10.0, Signs.figures("nick", bestNick,
            "nick_score", best, "nick_features", bestWhy));
      } else if (c.nicks.isEmpty() && rule.contains(EveAlert.RuleEvidence.IRC_BOT_NICK.name())) {
        out.client(e.getKey(), name(), Math.round(nickPoints * minScore * 10) / 10.0,
            Signs.figures("nick", "bot-style (Suricata rule)"));
      }
      if (botUser(c)) {
        out.client(e.getKey(), name(), userPoints, Signs.figures("user_line",
            c.ident + (c.userArgs == null ? "" : " " + c.userArgs.trim())));
      } else if (c.realname == null && rule.contains(EveAlert.RuleEvidence.IRC_BOT_USER.name())) {
        out.client(e.getKey(), name(), userPoints, Signs.figures("user_line", "bot-style (Suricata rule)"));
      }
      if ((c.service != null || rule.contains(EveAlert.RuleEvidence.IRC_ODD_PORT.name())) && !standard(v.server.port)) {
        out.client(e.getKey(), name(), portPoints, Signs.figures("irc_on_port", v.server.port));
      }
      if (c.dcc.isEmpty() && rule.contains(EveAlert.RuleEvidence.IRC_DCC_PROGRAM.name())) {
        out.client(e.getKey(), name(), dccPoints, Signs.figures("dcc_executables", List.of("(Suricata rule)")));
      }
      List<String> exe = new ArrayList<>();
      for (String f : c.dcc) {
        if (f != null && executable.matcher(f.toLowerCase(Locale.ROOT)).matches()) {
          exe.add(f);
        }
      }
      if (!exe.isEmpty()) {
        out.client(e.getKey(), name(), dccPoints, Signs.figures("dcc_executables", exe));
      }
    }
  }
}
