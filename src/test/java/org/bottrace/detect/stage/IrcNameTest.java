package org.bottrace.detect.stage;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which TLS server names IRC::FlowBotnet takes for an IRC server's: a label irc, irc-anything or irc and digits. */
class IrcNameTest {
  @Test
  void ircLabels_anywhereInTheName_inAnyCase() {
    for (String n : new String[] {"irc.libera.chat", "IRC.Example.NET", "irc2.example.net", "eu.irc6.example.org",
        "irc-eu.example.com", "irc-.example.com", "chat.irc"}) {
      assertTrue(FlowBotnet.ircName(n), n);
    }
  }

  @Test
  void wordsThatOnlyBeginWithIrc_andEmptyLabels_areNot() {
    for (String n : new String[] {"ircam.fr", "irc2x.example.net", "circle.example.com", "my-irc.example.com",
        "irc_eu.example.com", "", ".", "..irc2a", "ir.c", "\u0130RC.example.net", "\u0131rc.example.net"}) {
      assertFalse(FlowBotnet.ircName(n), n);
    }
    assertFalse(FlowBotnet.ircName(null));
  }
}
