package org.bottrace.detect.irc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bottrace.config.ConfigException;
import org.bottrace.config.ConfigNode;

/**
 * Mechanism 7, cooperative behaviour: members of one channel acting in step. (a) Answering in step: a
 * line after a quiet spell is followed within {@code answer_window} by lines of at least
 * {@code min_answerers} other members, {@code min_bursts} times or more: the channel and each member that
 * answered that often. (b) Joining in step: chains of joins less than {@code join_gap} apart holding
 * {@code min_group} members or more.
 */
final class Cooperation implements Mechanism {
  final long quietBefore;
  final long answerWindow;
  private final long minAnswerers;
  private final long minBursts;
  private final long joinGap;
  private final long minGroup;
  private final double channelPoints;
  private final double answerPoints;
  private final double joinPoints;

  Cooperation(ConfigNode c) throws ConfigException {
    quietBefore = IrcBotnet.positiveMicros(c, "quiet_before", Duration.ofSeconds(2));
    answerWindow = IrcBotnet.positiveMicros(c, "answer_window", Duration.ofSeconds(2));
    minAnswerers = c.integer("min_answerers", 3, 1, 1_000_000);
    minBursts = c.integer("min_bursts", 2, 1, 1_000_000);
    joinGap = IrcBotnet.positiveMicros(c, "join_gap", Duration.ofSeconds(20));
    minGroup = c.integer("min_group", 5, 2, 1_000_000);
    channelPoints = c.number("channel_points", 3, 0, 100);
    answerPoints = c.number("answer_points", 3, 0, 100);
    joinPoints = c.number("join_points", 1, 0, 100);
  }

  @Override
  public String name() {
    return "cooperation";
  }

  /** The bursts of a channel that enough members answered. */
  List<View.Burst> answered(View v, String ch, long min) {
    List<View.Burst> out = new ArrayList<>();
    for (View.Burst b : v.bursts.getOrDefault(ch, List.of())) {
      if (b.answerDelays().size() >= min) {
        out.add(b);
      }
    }
    return out;
  }

  @Override
  public void evaluate(View v, Signs out) {
    for (Map.Entry<String, List<String>> m : v.members.entrySet()) {
      String ch = m.getKey();
      List<View.Burst> bursts = answered(v, ch, minAnswerers);
      if (bursts.size() >= minBursts) {
        int most = 0;
        Map<String, List<Long>> answers = new TreeMap<>();
        for (View.Burst b : bursts) {
          most = Math.max(most, b.answerDelays().size());
          for (Map.Entry<String, Long> a : b.answerDelays().entrySet()) {
            answers.computeIfAbsent(a.getKey(), k -> new ArrayList<>()).add(a.getValue());
          }
        }
        out.channel(ch, name(), channelPoints, Signs.figures("bursts_answered_in_step", bursts.size(),
            "most_answerers", most, "answer_window_s", answerWindow / 1e6));
        for (Map.Entry<String, List<Long>> a : answers.entrySet()) {
          List<Long> d = a.getValue();
          if (d.size() >= minBursts) {
            Collections.sort(d);
            out.client(a.getKey(), name(), answerPoints, Signs.figures("answered_in_step", d.size(),
                "in_channel", ch, "median_answer_s", Signs.r3(d.get(d.size() / 2) / 1e6)));
          }
        }
      }
      joinGroups(v, ch, m.getValue(), out);
    }
  }

  private void joinGroups(View v, String ch, List<String> all, Signs out) {
    // people connecting in the same minute as watching began are not in step: joins before the
    // channel's history (View#historyFrom) are left out
    long from = v.historyFrom(ch);
    List<String> ms = new ArrayList<>();
    for (String s : all) {
      if (v.client(s).joins.get(ch) >= from) {
        ms.add(s);
      }
    }
    int start = 0;
    for (int i = 1; i <= ms.size(); i++) {
      if (i == ms.size() || v.client(ms.get(i)).joins.get(ch) - v.client(ms.get(i - 1)).joins.get(ch) > joinGap) {
        if (i - start >= minGroup) {
          for (String s : ms.subList(start, i)) {
            out.client(s, name(), joinPoints, Signs.figures("joined_in_step_with", i - start - 1,
                "join_channel", ch, "join_gap_s", joinGap / 1e6));
          }
        }
        start = i;
      }
    }
  }
}
