package org.bottrace.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.bottrace.event.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tailer's bar: rotation, truncation, missing files, restarts; nothing lost, nothing repeated. */
class TailedFileTest {
  @TempDir
  Path dir;
  final List<String> messages = new ArrayList<>();
  final Diagnostics diag = new Diagnostics(messages::add, () -> 0L);

  static String conn(int n) {
    return "{\"ts\":" + (1000 + n) + ".5,\"uid\":\"C" + n + "\",\"id.orig_h\":\"10.0.0.1\",\"id.orig_p\":" + (1024 + n)
        + ",\"id.resp_h\":\"10.0.0.2\",\"id.resp_p\":80,\"proto\":\"tcp\"}\n";
  }

  void append(Path p, int from, int to) throws IOException {
    StringBuilder b = new StringBuilder();
    for (int i = from; i < to; i++) {
      b.append(conn(i));
    }
    Files.writeString(p, b, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  /** Polls until nothing new comes, returning the uids read. */
  static List<String> drain(TailedFile t) throws IOException {
    List<String> out = new ArrayList<>();
    Chunk c;
    while ((c = t.next()) != null) {
      for (int i = 0; i < c.eventCount(); i++) {
        Event e = c.event(i);
        out.add(e.ref());
      }
    }
    return out;
  }

  static List<String> uids(int from, int to) {
    List<String> l = new ArrayList<>();
    for (int i = from; i < to; i++) {
      l.add("C" + i);
    }
    return l;
  }

  @Test
  void firstStart_fromEndByDefault_fromStartWhenAsked() throws Exception {
    Path log = dir.resolve("conn.log");
    append(log, 0, 5);
    try (TailedFile end = new TailedFile(log, diag, null, false, List.of());
        TailedFile start = new TailedFile(log, diag, null, true, List.of())) {
      assertEquals(List.of(), drain(end));
      assertEquals(uids(0, 5), drain(start));
      append(log, 5, 7);
      assertEquals(uids(5, 7), drain(end));
      assertEquals(uids(5, 7), drain(start));
    }
  }

  @Test
  void renameThenRegrowPastTheOldOffset_oldDrainedThenNewFromZero() throws Exception {
    Path log = dir.resolve("conn.log");
    append(log, 0, 10);
    try (TailedFile t = new TailedFile(log, diag, null, true, List.of())) {
      assertEquals(uids(0, 10), drain(t));
      append(log, 10, 12); // written before the rotation, not yet read
      Files.move(log, dir.resolve("conn.2026-11-22-01-00-00.log"));
      append(log, 100, 140); // the new file grows past the old offset
      assertEquals(concat(uids(10, 12), uids(100, 140)), drain(t));
      assertEquals(1, t.rotations());
    }
  }

  @Test
  void fileMissingForASecond_isWaitedFor() throws Exception {
    Path log = dir.resolve("conn.log");
    append(log, 0, 3);
    try (TailedFile t = new TailedFile(log, diag, null, true, List.of())) {
      assertEquals(uids(0, 3), drain(t));
      Files.delete(log);
      assertEquals(List.of(), drain(t));
      Thread.sleep(1000);
      assertEquals(List.of(), drain(t));
      append(log, 3, 6);
      assertEquals(uids(3, 6), drain(t));
    }
    assertEquals(List.of(), messages);
  }

  @Test
  void copytruncate_theCopyIsDrainedThenTheFileFromZero() throws Exception {
    Path log = dir.resolve("conn.log");
    append(log, 0, 10);
    try (TailedFile t = new TailedFile(log, diag, null, true, List.of())) {
      assertEquals(uids(0, 10), drain(t));
      append(log, 10, 15);
      Files.copy(log, dir.resolve("conn.log.1"));
      truncate(log);
      append(log, 20, 23);
      assertEquals(concat(uids(10, 15), uids(20, 23)), drain(t));
      assertEquals(1, t.truncations());
    }
    assertTrue(messages.get(0).contains("truncated in place"), messages.toString());
  }

  @Test
  void copytruncateWithoutTheCopy_readsFromZeroAndSaysWhatMayBeLost() throws Exception {
    Path log = dir.resolve("conn.log");
    append(log, 0, 10);
    try (TailedFile t = new TailedFile(log, diag, null, true, List.of())) {
      assertEquals(uids(0, 10), drain(t));
      truncate(log);
      append(log, 20, 22);
      assertEquals(uids(20, 22), drain(t));
      assertEquals(1, t.truncations());
    }
    assertTrue(messages.get(0).endsWith("lines written between the last read and the truncation are lost"), messages.toString());
  }

  @Test
  void copytruncateOfAZeekTsvLog_theHeaderStaysInForce() throws Exception {
    // the writer goes on after a copytruncate without writing its header again
    List<String> devsim = Files.readAllLines(Path.of("src/test/resources/data/devsim/zeek/conn.log"));
    List<String> header = devsim.subList(0, 8);
    List<String> rows = devsim.subList(8, 20);
    Path log = dir.resolve("conn.log");
    Files.write(log, concat(header, rows.subList(0, 6)));
    try (TailedFile t = new TailedFile(log, diag, null, true, List.of())) {
      assertEquals(6, drain(t).size());
      truncate(log);
      Files.write(log, rows.subList(6, 9), StandardOpenOption.APPEND);
      assertEquals(3, drain(t).size(), messages.toString());
      assertEquals(0, t.malformed(), messages.toString());
    }
  }

  @Test
  void copytruncateThenABurstPastTheOldOffsetBeforeThePoll_isSeenByItsFirstKiB() throws Exception {
    Path log = dir.resolve("conn.log");
    append(log, 0, 10);
    try (TailedFile t = new TailedFile(log, diag, null, true, List.of())) {
      assertEquals(uids(0, 10), drain(t));
      truncate(log);
      append(log, 100, 140); // larger than before: the size alone does not show the truncation
      assertEquals(uids(100, 140), drain(t), "read from 0, not from mid-line");
      assertEquals(1, t.truncations());
      assertEquals(0, t.malformed(), messages.toString());
    }
    assertTrue(messages.get(0).contains(": its first KiB changed while it grew past "), messages.toString());
  }

  @Test
  void touch_rereadsNothing() throws Exception {
    Path log = dir.resolve("conn.log");
    append(log, 0, 4);
    try (TailedFile t = new TailedFile(log, diag, null, true, List.of())) {
      assertEquals(uids(0, 4), drain(t));
      Files.setLastModifiedTime(log, FileTime.fromMillis(System.currentTimeMillis() + 5000));
      assertEquals(List.of(), drain(t));
    }
  }

  @Test
  void halfWrittenLine_waitsForItsNewline() throws Exception {
    Path log = dir.resolve("conn.log");
    append(log, 0, 1);
    String line = conn(1);
    try (TailedFile t = new TailedFile(log, diag, null, true, List.of())) {
      assertEquals(uids(0, 1), drain(t));
      Files.writeString(log, line.substring(0, 30), StandardOpenOption.APPEND);
      assertEquals(List.of(), drain(t));
      Files.writeString(log, line.substring(30), StandardOpenOption.APPEND);
      assertEquals(uids(1, 2), drain(t));
    }
  }

  @Test
  void restartMidFile_resumesAtThePositionWithTheZeekHeader() throws Exception {
    Path log = dir.resolve("conn.log");
    String head = ZeekTsvTest.HEAD + "#path\tconn\n" + ZeekTsvTest.CONN_FIELDS;
    Files.writeString(log, head + ZeekTsvTest.CONN_ROW + ZeekTsvTest.CONN_ROW.replace("CmkZGd72OPFUSQml8", "C2"));
    TailedFile.Position at;
    try (TailedFile t = new TailedFile(log, diag, null, true, List.of())) {
      Chunk c = t.next();
      assertEquals(2, c.eventCount());
      at = new TailedFile.Position(c.file(), c.eventEnd(0), c.headerLines()); // only the first was consumed
    }
    Files.writeString(log, ZeekTsvTest.CONN_ROW.replace("CmkZGd72OPFUSQml8", "C3"), StandardOpenOption.APPEND);
    try (TailedFile t = new TailedFile(log, diag, at, false, List.of())) {
      assertEquals(List.of("C2", "C3"), drain(t));
    }
    assertEquals(List.of(), messages);
  }

  @Test
  void restartAfterTheFileWasRenamedAndGzipped_findsItByFingerprint() throws Exception {
    Path current = Files.createDirectories(dir.resolve("current"));
    Path archive = Files.createDirectories(dir.resolve("2026-11-22"));
    Path log = current.resolve("conn.log");
    append(log, 0, 10);
    TailedFile.Position at;
    try (TailedFile t = new TailedFile(log, diag, null, true, List.of(archive))) {
      Chunk c = t.next();
      at = new TailedFile.Position(c.file(), c.eventEnd(c.eventCount() - 1), c.headerLines());
    }
    append(log, 10, 15); // written while bottrace was stopped
    try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(archive.resolve("conn.00:00:00-01:00:00.log.gz")))) {
      o.write(Files.readAllBytes(log));
    }
    Files.delete(log);
    append(log, 50, 53);
    try (TailedFile t = new TailedFile(log, diag, at, false, List.of(archive))) {
      assertEquals(concat(uids(10, 15), uids(50, 53)), drain(t));
    }
    assertTrue(messages.get(0).contains("conn.00:00:00-01:00:00.log.gz (rotated while bottrace was stopped)"),
        messages.toString());
  }

  @Test
  void manyRotationsUnderContinuousWriting_everyLineOnceInOrder() throws Exception {
    Path log = dir.resolve("conn.log");
    int total = 3000;
    Thread writer = new Thread(() -> {
      try {
        for (int i = 0; i < total; i += 10) {
          append(log, i, i + 10);
          if (i % 300 == 290) {
            Thread.sleep(30); // Zeek rotates far less often than a poll; give the tailer a poll per file
            Files.move(log, dir.resolve("conn." + i + ".log"));
          }
        }
      } catch (IOException | InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    List<String> got = new ArrayList<>();
    try (TailedFile t = new TailedFile(log, diag, null, true, List.of())) {
      writer.start();
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (got.size() < total && System.nanoTime() < deadline) {
        got.addAll(drain(t));
        Thread.sleep(2);
      }
      writer.join();
      got.addAll(drain(t));
      assertEquals(9, t.rotations());
    }
    assertEquals(uids(0, total), got);
  }

  /** What logrotate's copytruncate does after the copy: the file cut to nothing, in place. */
  static void truncate(Path log) throws IOException {
    try (var ch = java.nio.channels.FileChannel.open(log, StandardOpenOption.WRITE)) {
      ch.truncate(0);
    }
  }

  static List<String> concat(List<String> a, List<String> b) {
    List<String> l = new ArrayList<>(a);
    l.addAll(b);
    return l;
  }

  @SuppressWarnings("unused")
  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
