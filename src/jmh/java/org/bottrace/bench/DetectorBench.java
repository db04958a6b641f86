package org.bottrace.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bottrace.event.Event;
import org.bottrace.pipeline.Pipeline;
import org.bottrace.pipeline.RunStats;
import org.bottrace.pipeline.Settings;
import org.bottrace.sink.NoticeSink;
import org.bottrace.source.Diagnostics;
import org.bottrace.source.LogFileReader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One detector's hot path: records per second through a pipeline with only that detector enabled (and
 * the enrichment, and the notices rendered as JSON and dropped), over records parsed beforehand (the
 * benchmark's generated conn.log rows and EVE events copied from real Suricata output, merged by
 * availability time), the watermark stepped each second of log time as replay steps it. "none" is the
 * pipeline alone. Each invocation starts from empty state and ends the input (state expires, windows
 * close), as a replay does.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgs = {"-Xmx512m"})
public class DetectorBench {
  static final int CONN = 200_000;
  static final int EVE = 100_000;
  static final String[] ALL = {"Bot::Download", "Bot::Infection", "C2::Beacon", "DNS::Anomalies", "Host::Summary",
      "IRC::Botnet", "IRC::FlowBotnet", "Intel::Listed", "Scan::Propagation"};

  @Param({"none", "C2::Beacon", "IRC::FlowBotnet", "IRC::Botnet", "Scan::Propagation", "Bot::Download",
      "DNS::Anomalies", "Intel::Listed", "Bot::Infection", "Host::Summary"})
  public String detector;

  private List<Event> events;
  private Settings settings;
  private Pipeline pipeline;

  @Setup(Level.Trial)
  public void read() throws Exception {
    Path dir = Files.createTempDirectory("bottrace-bench");
    GenerateLogs.writeConn(dir.resolve("conn.log"), CONN);
    GenerateLogs.writeEve(dir.resolve("eve.json"), EVE);
    Diagnostics d = new Diagnostics(m -> { }, () -> 0L);
    events = new ArrayList<>();
    for (String f : new String[] {"conn.log", "eve.json"}) {
      try (LogFileReader r = new LogFileReader(dir.resolve(f), f, d)) {
        Event e;
        while ((e = r.next()) != null) {
          events.add(e);
        }
      }
    }
    events.sort(Comparator.comparingLong(Event::availableAt)); // stable: each file keeps its order
    StringBuilder cfg = new StringBuilder("home_networks: [10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16]\ndetectors:\n");
    for (String n : ALL) {
      if (!n.equals(detector)) {
        cfg.append("  ").append(n).append(":\n    enabled: false\n");
      }
    }
    settings = Settings.load(Files.writeString(dir.resolve("bottrace.yaml"), cfg));
  }

  @Setup(Level.Invocation)
  public void fresh() throws Exception {
    pipeline = new Pipeline(settings, NoticeSink.of("json", OutputStream.nullOutputStream(), false),
        new Diagnostics(m -> { }, () -> 0L), new RunStats());
  }

  @Benchmark
  @OperationsPerInvocation(CONN + EVE)
  public long feed() throws IOException {
    long late = 60_000_000L;
    long front = Long.MIN_VALUE;
    long step = Long.MIN_VALUE;
    for (Event e : events) {
      front = Math.max(front, e.availableAt());
      long w = front - late;
      if (step == Long.MIN_VALUE || w - step >= 1_000_000L) {
        step = w;
        pipeline.watermark(w);
      }
      pipeline.accept(e);
    }
    pipeline.end();
    return front;
  }
}
