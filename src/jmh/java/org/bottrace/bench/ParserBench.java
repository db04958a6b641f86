package org.bottrace.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.bottrace.event.Event;
import org.bottrace.source.Diagnostics;
import org.bottrace.source.LogFileReader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
 * Parser throughput: records per second for each input format, from memory (no disk), through the
 * same {@link LogFileReader} replay uses. Each invocation reads {@value #LINES} generated lines.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgs = {"-Xmx512m"})
public class ParserBench {
  static final int LINES = 100_000;

  /** zeek-tsv: Zeek conn.log TSV; zeek-json: the same as Zeek JSON; eve: Suricata EVE mix. */
  @Param({"zeek-tsv", "zeek-json", "eve"})
  public String format;

  private byte[] data;

  @Setup
  public void setup() throws IOException {
    Path dir = Files.createTempDirectory("bottrace-bench");
    GenerateLogs.writeConn(dir.resolve("conn.log"), LINES);
    GenerateLogs.writeEve(dir.resolve("eve.json"), LINES);
    switch (format) {
      case "zeek-tsv":
        data = Files.readAllBytes(dir.resolve("conn.log"));
        break;
      case "eve":
        data = Files.readAllBytes(dir.resolve("eve.json"));
        break;
      default:
        GenerateLogs.writeConnJson(dir.resolve("conn.log"), dir.resolve("conn.json"), LINES);
        data = Files.readAllBytes(dir.resolve("conn.json"));
    }
  }

  @Benchmark
  @OperationsPerInvocation(LINES)
  public long read() throws IOException {
    Diagnostics d = new Diagnostics(m -> { }, () -> 0L);
    long n = 0;
    try (LogFileReader r = new LogFileReader(new ByteArrayInputStream(data), format, "conn.log", 0, true, d)) {
      Event e;
      while ((e = r.next()) != null) {
        n += e.ts() & 1;
      }
      if (r.records() != LINES) {
        throw new IllegalStateException("read " + r.records() + " records, expected " + LINES);
      }
    }
    return n;
  }
}
