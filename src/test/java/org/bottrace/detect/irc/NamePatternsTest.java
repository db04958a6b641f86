package org.bottrace.detect.irc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The nick score on real nicks: bots of devsim and of the Zeek manual, and the people beside them. */
class NamePatternsTest {
  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(delimiter = ';', value = {
      "{IN}-win7-483920; 1.0; tag digit_run os_word",
      "{CN}-xp-093377; 1.0; tag digit_run os_word",
      "[DEU|W10|x64]483920; 1.0; tag digit_run os_word separators",
      "q7m2x9ka; 0.6; letter_digit_mix",
      "b0t4rz8e; 0.6; letter_digit_mix",
      "A5|1|5358668|black-pe; 0.8; digit_run separators",
      // people: below the 0.5 that gives points
      "daan; 0.0; ''",
      "sophie_v; 0.0; ''",
      "jbecker; 0.0; ''",
      "maplefox; 0.0; ''",
      "tglenn; 0.0; ''",
      "nullbyte; 0.0; ''",
      "zeektest; 0.0; ''",
      "mike1985; 0.4; digit_run",
      // a person's nick that scores like a bot's: the score alone never makes a verdict
      "itsl0wk3y; 0.6; letter_digit_mix"})
  void score(String nick, double score, String features) {
    List<String> why = new ArrayList<>();
    assertEquals(score, NamePatterns.nickScore(nick, why), 1e-9);
    assertEquals(features.isEmpty() ? List.of() : List.of(features.split(" ")), why);
  }

  /** The USER form: a weak sign people share too (katrin's real name is her nick). */
  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {"pbju; 8; pbju; x; true", "daan; 0; Daan; daan; false",
      "nb; 0; nb; nullbyte; false", "kqzvd; 0; [DEU|W10|x64]483920; [DEU|W10|x64]483920; true",
      "katrin; \"t-ipconnect.de\"; katrin; katrin; true"})
  void botUserForm(String ident, String mode, String realname, String nick, boolean bot) {
    IrcServer.Client c = new IrcServer.Client("192.0.2.1", 40000, 0);
    c.ident = ident;
    c.userMode = mode;
    c.realname = realname;
    c.nicks.add(nick);
    assertEquals(bot, NamePatterns.botUser(c));
  }
}
