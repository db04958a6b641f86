package org.bottrace.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Latency of {@code bottrace run}: from a line's append to a followed log to its notice's write. The
 * packaged jar follows a Zeek conn.log (and a dns.log that stays silent) at the default poll interval;
 * background connections are appended at a steady rate, and every {@code 1/probesPerSecond} a
 * connection to a listed address whose notice is awaited in the notice file.
 *
 * <p>Usage: {@code FollowLatency JAR SECONDS [BACKGROUND_LINES_PER_S]}; prints p50, p90, p99, max.
 */
public final class FollowLatency {
  private FollowLatency() {}

  public static void main(String[] args) throws Exception {
    Path jar = Path.of(args[0]);
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    int background = args.length > 2 ? Integer.parseInt(args[2]) : 200;
    Path dir = Files.createTempDirectory("bottrace-latency");
    Path zeek = Files.createDirectories(dir.resolve("zeek"));
    Path conn = zeek.resolve("conn.log");
    Files.writeString(conn, "");
    Files.writeString(zeek.resolve("dns.log"), "");
    Files.writeString(dir.resolve("listed.txt"), "10.99.0.0/16\n");
    Files.writeString(dir.resolve("bottrace.yaml"), "detectors:\n  Intel::Listed:\n    lists:\n"
        + "      - {name: probe, path: " + dir.resolve("listed.txt") + "}\nfollow:\n  zeek_logs: [conn.log, dns.log]\n");
    Path out = dir.resolve("notices.json");
    // the JVM's options as the shipped unit gives them, or those of BOTTRACE_JVM ("-Xmx512m -XX:+UseParallelGC")
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    cmd.addAll(List.of(System.getenv().getOrDefault("BOTTRACE_JVM", "-Xmx512m").trim().split("\\s+")));
    cmd.addAll(List.of("-jar", jar.toString(), "run", "--config", dir.resolve("bottrace.yaml").toString(), "--zeek-dir",
        zeek.toString(), "--out", out.toString()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("run.log").toFile()).start();
    Thread.sleep(1500); // let it start
    Map<String, Long> sent = new ConcurrentHashMap<>();
    List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    Thread watcher = new Thread(() -> watch(out, sent, latencies, p));
    watcher.setDaemon(true);
    watcher.start();
    long start = System.nanoTime();
    long n = 0;
    int probes = 0;
    long interval = 1_000_000_000L / Math.max(1, background);
    long nextProbe = start;
    while (System.nanoTime() - start < seconds * 1_000_000_000L) {
      long now = System.nanoTime();
      double ts = System.currentTimeMillis() / 1000.0;
      String dst;
      if (now >= nextProbe) {
        probes++;
        dst = "10.99." + (probes / 250) + "." + (1 + probes % 250);
        nextProbe += 200_000_000L; // 5 probes a second
      } else {
        dst = "203.0.113." + (1 + (n % 250));
      }
      String line = String.format(Locale.ROOT, "{\"ts\":%.6f,\"uid\":\"C%d\",\"id.orig_h\":\"10.1.0.5\",\"id.orig_p\":%d,"
          + "\"id.resp_h\":\"%s\",\"id.resp_p\":443,\"proto\":\"tcp\",\"duration\":0.0}\n", ts, n, 1024 + (n % 60000), dst);
      if (dst.startsWith("10.99.")) {
        sent.put(dst, System.nanoTime());
      }
      Files.writeString(conn, line, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
      n++;
      long sleep = start + n * interval - System.nanoTime();
      if (sleep > 0) {
        TimeUnit.NANOSECONDS.sleep(sleep);
      }
    }
    Thread.sleep(3000);
    p.destroy();
    p.waitFor(30, TimeUnit.SECONDS);
    List<Long> l = new ArrayList<>(latencies);
    Collections.sort(l);
    System.out.printf(Locale.ROOT, "follow latency, append to notice write: %d probes of %d sent, %d lines in %d s;"
        + " p50 %.0f ms, p90 %.0f ms, p99 %.0f ms, max %.0f ms (poll interval 250 ms)%n", l.size(), probes, n, seconds,
        pct(l, 0.5), pct(l, 0.9), pct(l, 0.99), l.isEmpty() ? 0.0 : l.get(l.size() - 1) / 1e6);
  }

  private static double pct(List<Long> sorted, double q) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1)) / 1e6;
  }

  /** Tails the notice file and matches each notice to its probe. */
  private static void watch(Path out, Map<String, Long> sent, List<Long> latencies, Process p) {
    long pos = 0;
    StringBuilder partial = new StringBuilder();
    while (p.isAlive()) {
      try {
        if (Files.exists(out)) {
          try (RandomAccessFile f = new RandomAccessFile(out.toFile(), "r")) {
            if (f.length() > pos) {
              byte[] b = new byte[(int) (f.length() - pos)];
              f.seek(pos);
              f.readFully(b);
              pos += b.length;
              partial.append(new String(b, StandardCharsets.UTF_8));
              int nl;
              while ((nl = partial.indexOf("\n")) >= 0) {
                String line = partial.substring(0, nl);
                partial.delete(0, nl + 1);
                long now = System.nanoTime();
                int i = line.indexOf("\"dst\":\"10.99.");
                if (i >= 0) {
                  String dst = line.substring(i + 7, line.indexOf('"', i + 7));
                  Long t = sent.remove(dst);
                  if (t != null) {
                    latencies.add(now - t);
                  }
                }
              }
            }
          }
        }
        Thread.sleep(5);
      } catch (IOException | InterruptedException e) {
        return;
      }
    }
  }
}
