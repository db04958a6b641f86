package org.bottrace.detect.stage;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** Bot::Download's test of a URL or file name: an executable's extension at its end, before a query. */
class ExecutableNameTest {
  private static final Set<String> EXT = Set.of("exe", "scr", "ps1", "sh");

  @Test
  void anExtensionAtTheEnd_orBeforeAQueryOrFragment_inAnyCase() {
    for (String s : new String[] {"/upd.exe", "http://127.0.0.60/UPD.EXE", "/x.exe?id=1&y=2.zip", "/a.scr#top",
        "c:\\\\windows\\\\temp\\\\x.ps1", "/dl.php?f=a.exe", "/a.b.c.sh", "/line\nbreak.exe"}) {
      assertTrue(BotDownload.executableName(s, EXT, 3), s);
    }
  }

  @Test
  void otherExtensions_anExtensionMidPath_andMetacharactersAreNot() {
    for (String s : new String[] {"/index.html", "/x.exe.txt", "/x.exe/", "/exe", "/x.", "/.", "", "/x.exex",
        "http://exe.example.com/", "/a.e.e"}) {
      assertFalse(BotDownload.executableName(s, EXT, 3), s);
    }
    assertFalse(BotDownload.executableName(null, EXT, 3));
    // an extension is a word, not a pattern: "e.e" (dot removed: "ee") matches only "ee"
    assertTrue(BotDownload.executableName("/x.ee", Set.of("ee"), 2));
    assertFalse(BotDownload.executableName("/x.e+e", Set.of("ee"), 2));
    // letters outside ASCII are not folded into an extension's (the Kelvin sign is no k)
    assertFalse(BotDownload.executableName("/x.ln\u212A", Set.of("lnk"), 3));
    assertTrue(BotDownload.executableName("/x.LNK", Set.of("lnk"), 3));
  }
}
