package org.bottrace.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.bottrace.match.PlainList;
import org.bottrace.match.ReloadingList;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * List lookups with 1,000,000 CIDR entries (prefix lengths /8 to /32, as blocklists mix them), and the
 * same lookups while the list file is read again every second (a reload under load).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class ListBench {
  static final int ENTRIES = 1_000_000;
  static final int PROBES = 4096;

  PlainList list;
  ReloadingList reloading;
  String[] probes;
  Path file;
  int i;

  @Setup(Level.Trial)
  public void setup() throws IOException {
    Random r = new Random(11);
    StringBuilder b = new StringBuilder();
    for (int n = 0; n < ENTRIES; n++) {
      int len = n % 10 == 0 ? 8 + r.nextInt(16) : 24 + r.nextInt(9);
      b.append(r.nextInt(223) + 1).append('.').append(r.nextInt(256)).append('.').append(r.nextInt(256)).append('.')
          .append(r.nextInt(256)).append('/').append(len).append('\n');
    }
    file = Files.createTempFile("bottrace-list", ".txt");
    Files.writeString(file, b.toString());
    list = PlainList.load("bench", file, "plain");
    reloading = new ReloadingList("bench", file, "plain", 1_000_000_000L, System::nanoTime, w -> { });
    probes = new String[PROBES];
    for (int n = 0; n < PROBES; n++) {
      probes[n] = (r.nextInt(223) + 1) + "." + r.nextInt(256) + "." + r.nextInt(256) + "." + r.nextInt(256);
    }
  }

  @Benchmark
  @OperationsPerInvocation(PROBES)
  public int lookup() {
    int hits = 0;
    for (String p : probes) {
      if (list.ips().lookup(p) != null) {
        hits++;
      }
    }
    return hits;
  }

  /** Lookups through the reloading list while its file changes every second (each change: a full reload). */
  @Benchmark
  @OperationsPerInvocation(PROBES)
  public int lookupDuringReloads() throws IOException {
    if (++i % 100 == 0) {
      Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + i));
    }
    int hits = 0;
    PlainList l = reloading.get();
    for (String p : probes) {
      if (l.ips().lookup(p) != null) {
        hits++;
      }
    }
    return hits;
  }

}
