package org.bottrace.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bottrace.event.Micros;

/**
 * Writes finished logs into a live folder line by line, as the sensors wrote them: every line in
 * order of availability (a conn row when its connection ended, an EVE flow at flow.end), at an
 * accelerated pace, rotating the Zeek logs once midway as Zeek does (the file renamed to
 * conn.HH:MM:SS-HH:MM:SS.log, a new one begun with a new header).
 */
public final class LiveWriter implements Runnable {
  /** One line, when it became available, and the live file it goes to. */
  public record Line(long at, int order, Path target, String text, boolean zeek) {}

  private final List<Line> lines = new ArrayList<>();
  private final Map<Path, List<String>> headers = new LinkedHashMap<>();
  private final long pauseNanos;
  private final long rotateAt;
  volatile boolean done;
  private volatile Throwable failure;

  /**
   * @param zeekLogs Zeek TSV or JSON logs and the live path each is written to
   * @param eve EVE files and their live paths
   * @param pauseNanos pause after each line
   */
  public LiveWriter(Map<Path, Path> zeekLogs, Map<Path, Path> eve, long pauseNanos) throws IOException {
    this.pauseNanos = pauseNanos;
    int order = 0;
    for (Map.Entry<Path, Path> z : zeekLogs.entrySet()) {
      List<String> head = new ArrayList<>();
      String[] fields = null;
      for (String l : Files.readAllLines(z.getKey(), StandardCharsets.UTF_8)) {
        if (l.startsWith("#")) {
          if (l.startsWith("#fields")) {
            fields = l.substring(8).split("\t");
          }
          if (!l.startsWith("#close")) {
            head.add(l);
          }
          continue;
        }
        long at = l.startsWith("{") ? jsonAvailability(l) : tsvAvailability(fields, l);
        lines.add(new Line(at, order++, z.getValue(), l, true));
      }
      headers.put(z.getValue(), head);
    }
    for (Map.Entry<Path, Path> e : eve.entrySet()) {
      long last = Long.MIN_VALUE;
      for (String l : Files.readAllLines(e.getKey(), StandardCharsets.UTF_8)) {
        JsonNode n = new ObjectMapper().readTree(l);
        String type = n.path("event_type").asText();
        long at = type.equals("flow") ? Micros.parseIso(n.path("flow").path("end").asText())
            : type.equals("stats") ? last : Micros.parseIso(n.path("timestamp").asText());
        last = at;
        lines.add(new Line(at, order++, e.getValue(), l, false));
      }
    }
    lines.sort(Comparator.comparingLong(Line::at).thenComparingInt(Line::order));
    this.rotateAt = lines.isEmpty() ? 0 : lines.get(lines.size() / 2).at();
  }

  /** devsim's Zeek JSON logs (every one of them) and its EVE. */
  public static final java.util.List<String> DEVSIM_JSON_LOGS = java.util.List.of("analyzer", "conn", "dns", "files",
      "http", "irc", "pe");

  /**
   * devsim's Zeek JSON logs and EVE, their lines in the order the sensors wrote them (availability), written
   * out as files into {@code dir}/zeek/LOG.log and {@code dir}/eve.json too: a replay of those is what a run
   * over the same records in that order must say.
   */
  public static LiveWriter devsimInWriteOrder(Path dir) throws IOException {
    Map<Path, Path> zeek = new LinkedHashMap<>();
    for (String l : DEVSIM_JSON_LOGS) {
      zeek.put(org.bottrace.TestFiles.data("devsim/zeek-json/" + l + ".log"), dir.resolve("zeek/" + l + ".log"));
    }
    LiveWriter w = new LiveWriter(zeek, Map.of(org.bottrace.TestFiles.data("devsim/suricata/eve.json"),
        dir.resolve("eve.json")), 0);
    w.run();
    w.check();
    return w;
  }

  /** Every line in the order the sensors wrote them (availability). */
  public List<Line> lines() {
    return List.copyOf(lines);
  }

  private static long tsvAvailability(String[] fields, String line) {
    String[] v = line.split("\t", -1);
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < fields.length && i < v.length; i++) {
      m.put(fields[i], v[i]);
    }
    long ts = Micros.parseAny(m.get("ts"));
    String d = m.getOrDefault("duration", "-");
    return d.equals("-") ? ts : ts + Micros.parseAny(d);
  }

  private static long jsonAvailability(String line) throws IOException {
    JsonNode n = new ObjectMapper().readTree(line);
    long ts = Micros.fromDouble(n.path("ts").asDouble());
    return n.has("duration") ? ts + Micros.fromDouble(n.path("duration").asDouble()) : ts;
  }

  @Override
  public void run() {
    try {
      for (Map.Entry<Path, List<String>> h : headers.entrySet()) {
        Files.createDirectories(h.getKey().getParent());
        write(h.getKey(), h.getValue());
      }
      for (Line l : lines) {
        if (!rotated && l.at() >= rotateAt) {
          rotate();
        }
        Files.createDirectories(l.target().getParent());
        write(l.target(), List.of(l.text()));
        if (pauseNanos > 0) {
          Thread.sleep(pauseNanos / 1_000_000, (int) (pauseNanos % 1_000_000));
        }
      }
    } catch (Throwable t) {
      failure = t;
    } finally {
      done = true;
    }
  }

  private boolean rotated;

  /** Zeek's rotation: each log renamed with its time span, a new file begun with a new header. */
  private void rotate() throws IOException {
    rotated = true;
    for (Map.Entry<Path, List<String>> h : headers.entrySet()) {
      Path live = h.getKey();
      if (!Files.exists(live) || h.getValue().isEmpty()) {
        continue; // JSON logs have no header; rotate the TSV ones only
      }
      String name = live.getFileName().toString();
      Files.move(live, live.resolveSibling(name.replace(".log", ".00:00:00-00:05:00.log")));
      List<String> head = new ArrayList<>(h.getValue());
      head.replaceAll(s -> s.startsWith("#open") ? "#open\t2026-11-22-01-13-00" : s);
      write(live, head);
    }
  }

  private static void write(Path p, List<String> lines) throws IOException {
    StringBuilder b = new StringBuilder();
    for (String l : lines) {
      b.append(l).append('\n');
    }
    Files.writeString(p, b, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  public void check() {
    if (failure != null) {
      throw new AssertionError("the live writer failed", failure);
    }
  }

  static List<Path> sorted(Path... p) {
    List<Path> l = new ArrayList<>(Arrays.asList(p));
    l.sort(null);
    return l;
  }
}
