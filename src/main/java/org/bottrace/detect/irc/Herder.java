package org.bottrace.detect.irc;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bottrace.config.ConfigException;
import org.bottrace.config.ConfigNode;

/**
 * Mechanism 9, the herder: the member whose channel lines, after a quiet spell, are followed within the
 * answer window (see {@link Cooperation}) by answers from many members, repeatedly. Holding operator
 * rights (the server relayed a MODE change of the channel by it) and having founded the channel add to
 * it. Only the first is enough to name a herder: the others are shared with ordinary channel owners.
 */
final class Herder implements Mechanism {
  private final Cooperation cooperation;
  private final long minAnswerers;
  private final long minCommands;
  private final double commandPoints;
  private final double operatorPoints;
  private final double founderPoints;

  Herder(ConfigNode c, Cooperation cooperation) throws ConfigException {
    this.cooperation = cooperation;
    minAnswerers = c.integer("min_answerers", 3, 1, 1_000_000);
    minCommands = c.integer("min_commands", 2, 1, 1_000_000);
    commandPoints = c.number("command_points", 4, 0, 100);
    operatorPoints = c.number("operator_points", 1, 0, 100);
    founderPoints = c.number("founder_points", 1, 0, 100);
  }

  @Override
  public String name() {
    return "herder";
  }

  /** The sign that alone names a herder. */
  static final String COMMANDS = "commands_answered";

  @Override
  public void evaluate(View v, Signs out) {
    for (String ch : v.members.keySet()) {
      Map<String, Integer> triggers = new TreeMap<>();
      Map<String, Integer> answerers = new TreeMap<>();
      List<View.Burst> bursts = cooperation.answered(v, ch, minAnswerers);
      for (View.Burst b : bursts) {
        triggers.merge(b.trigger(), 1, Integer::sum);
        answerers.merge(b.trigger(), b.answerDelays().size(), Math::max);
      }
      for (Map.Entry<String, Integer> t : triggers.entrySet()) {
        // a member that reports like a bot is answering someone, not commanding
        if (t.getValue() >= minCommands && v.client(t.getKey()).reports.isEmpty()) {
          out.herder(t.getKey(), COMMANDS, commandPoints, Signs.figures("channel", ch, "commands_answered",
              t.getValue(), "most_answerers", answerers.get(t.getKey())));
        }
      }
      for (String s : v.members.get(ch)) {
        if (v.client(s).modeChannels.contains(ch)) {
          out.herder(s, "operator", operatorPoints, Signs.figures("set_modes_of", ch));
        }
      }
      String f = v.founders.get(ch);
      if (f != null) {
        out.herder(f, "founder", founderPoints, Signs.figures("founded", ch));
      }
    }
  }
}
