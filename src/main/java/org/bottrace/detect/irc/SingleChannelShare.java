package org.bottrace.detect.irc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.bottrace.config.ConfigException;
import org.bottrace.config.ConfigNode;

/**
 * Mechanism 6, document 000's detection element I: in a large channel, the share of its members that
 * joined only that channel on that server. Bots join the one channel they are told to; people join
 * several. A high share marks a botnet channel and its single-channel members as bots. The founder
 * (see {@link View}) is left to the herder mechanism: a channel's creator is in it for its own reasons.
 */
final class SingleChannelShare implements Mechanism {
  private final long minMembers;
  private final double minShare;
  private final double channelPoints;
  private final double memberPoints;

  SingleChannelShare(ConfigNode c) throws ConfigException {
    minMembers = c.integer("min_members", 5, 2, 1_000_000);
    minShare = c.number("min_share", 0.75, 0, 1);
    channelPoints = c.number("channel_points", 3, 0, 100);
    memberPoints = c.number("member_points", 3, 0, 100);
  }

  @Override
  public String name() {
    return "single_channel";
  }

  @Override
  public void evaluate(View v, Signs out) {
    for (Map.Entry<String, List<String>> m : v.members.entrySet()) {
      String ch = m.getKey();
      Set<String> hosts = new TreeSet<>();
      Set<String> single = new TreeSet<>();
      List<String> singleSessions = new ArrayList<>();
      for (String s : m.getValue()) {
        String h = v.client(s).host;
        hosts.add(h);
        if (v.channelsOf(s) == 1) {
          single.add(h);
          singleSessions.add(s);
        }
      }
      if (hosts.size() < minMembers) {
        continue;
      }
      double share = (double) single.size() / hosts.size();
      if (share < minShare) {
        continue;
      }
      out.channel(ch, name(), channelPoints, Signs.figures("members", hosts.size(),
          "single_channel_members", single.size(), "share", Signs.r3(share), "min_share", minShare));
      String founder = v.founders.get(ch);
      for (String s : singleSessions) {
        if (!s.equals(founder)) {
          out.client(s, name(), memberPoints, Signs.figures("only_channel", ch, "channel_members", hosts.size(),
              "channel_single_share", Signs.r3(share)));
        }
      }
    }
  }
}
