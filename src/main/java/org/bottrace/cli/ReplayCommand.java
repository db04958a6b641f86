package org.bottrace.cli;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bottrace.config.ConfigException;
import org.bottrace.pipeline.Inputs;
import org.bottrace.pipeline.Pipeline;
import org.bottrace.pipeline.Replay;
import org.bottrace.pipeline.RunStats;
import org.bottrace.pipeline.Settings;
import org.bottrace.sink.NoticeSink;
import org.bottrace.source.Diagnostics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code bottrace replay PATH...}: reads finished logs, merged by availability time, and writes notices. */
@Command(name = "replay", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Reads Zeek and Suricata logs already on disk and writes the notices.",
        "Zeek logs may be TSV or JSON, plain or gzipped; Suricata's is eve.json. They are merged in the order a live"
            + " sensor would have written them."},
    footer = {"%nPATH may be a file, a folder (every *.log* and *.json* file below it) or a glob.",
        "Notices go to stdout unless --out is given; the summary goes to stderr."})
final class ReplayCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @picocli.CommandLine.Mixin
  CommonOptions common;

  @Option(names = "--stats", paramLabel = "FILE", description = "write counts of the run as JSON to FILE")
  Path statsFile;

  @Option(names = {"-q", "--quiet"}, description = "no summary on stderr")
  boolean quiet;

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "log files, folders or globs")
  List<String> paths;

  @Override
  public Integer call() throws ConfigException {
    long started = System.nanoTime();
    if (statsFile != null) {
      HeapWatch.start();
    }
    Settings s = common.settings();
    String fmt = common.format(s);
    Path out = common.out;
    PrintWriter err = spec.commandLine().getErr();
    List<Path> files = Inputs.expand(paths, skipped -> err.println("bottrace replay: " + skipped));
    Diagnostics diag = new Diagnostics(err::println, System::nanoTime);
    RunStats stats = new RunStats();
    OutputStream os = openOutput(out);
    boolean terminal = System.console() != null && !quiet;
    try (NoticeSink sink = NoticeSink.of(fmt, os, false)) {
      Pipeline pipeline = new Pipeline(s, sink, diag, stats, Pipeline.Mode.REPLAY, true, common.feedbackDir);
      String coverage = pipeline.detectorNames().contains("IRC::Botnet")
          ? org.bottrace.detect.irc.IrcBotnet.coverage(files) : null;
      if (coverage != null && !quiet) {
        err.println("bottrace replay: " + coverage);
      }
      Replay replay = new Replay(files, pipeline, diag, s.lateness().toNanos() / 1000, stats,
          terminal ? n -> progress(err, n, started) : null);
      replay.run();
    } catch (IOException e) {
      throw new ExitException(ExitCode.OUTPUT_FAILED, "writing notices to " + (out == null ? "stdout" : out)
          + " failed: " + e.getMessage());
    }
    double elapsed = (System.nanoTime() - started) / 1e9;
    if (terminal) {
      err.print("\r\033[K");
    }
    if (!quiet) {
      err.println(summary(stats, files.size(), elapsed));
    }
    if (statsFile != null) {
      writeStats(stats, elapsed);
    }
    return stats.unreadable() > 0 ? ExitCode.INPUT_UNREADABLE : ExitCode.OK;
  }

  private static OutputStream openOutput(Path out) {
    if (out == null) {
      return CommonOptions.stdout();
    }
    try {
      return Files.newOutputStream(out);
    } catch (IOException e) {
      throw new ExitException(ExitCode.OUTPUT_FAILED, "cannot write " + out + ": " + e.getMessage());
    }
  }

  private static void progress(PrintWriter err, long records, long started) {
    double s = (System.nanoTime() - started) / 1e9;
    if (s >= 2) {
      err.printf("\r\033[K%,d records, %,.0f/s", records, records / s);
      err.flush();
    }
  }

  static String summary(RunStats st, int files, double elapsed) {
    StringBuilder b = new StringBuilder("bottrace replay: ");
    b.append(files).append(files == 1 ? " file, " : " files, ").append(st.records()).append(" records (")
        .append(st.malformed()).append(" malformed, ").append(st.late()).append(" late), ")
        .append(st.noticeCount()).append(st.noticeCount() == 1 ? " notice" : " notices");
    if (!st.notices().isEmpty()) {
      b.append(" (");
      int i = 0;
      for (Map.Entry<String, Long> e : st.notices().entrySet()) {
        b.append(i++ > 0 ? ", " : "").append(e.getKey()).append(' ').append(e.getValue());
      }
      b.append(')');
    }
    if (st.suppressed() > 0) {
      b.append(", ").append(st.suppressed()).append(" suppressed");
    }
    long allow = st.allowlisted().values().stream().mapToLong(Long::longValue).sum();
    long below = st.belowSeverity().values().stream().mapToLong(Long::longValue).sum();
    if (allow > 0) {
      b.append(", ").append(allow).append(" allowlisted");
    }
    if (below > 0) {
      b.append(", ").append(below).append(" below notices.min_severity");
    }
    if (!st.evicted().isEmpty()) {
      b.append(", forgotten for their bounds:");
      for (Map.Entry<String, Long> e : st.evicted().entrySet()) {
        b.append(' ').append(e.getKey()).append(' ').append(e.getValue());
      }
    }
    b.append(String.format(java.util.Locale.ROOT, " in %.1f s", elapsed));
    return b.toString();
  }

  private void writeStats(RunStats st, double elapsed) {
    try (JsonGenerator g = new JsonFactory().createGenerator(statsFile.toFile(), JsonEncoding.UTF8)) {
      g.useDefaultPrettyPrinter();
      g.writeStartObject();
      g.writeArrayFieldStart("files");
      for (RunStats.FileStats f : st.files()) {
        g.writeStartObject();
        g.writeStringField("path", f.path());
        g.writeStringField("kind", f.kind());
        g.writeNumberField("records", f.records());
        g.writeNumberField("malformed", f.malformed());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeObjectFieldStart("notices");
      for (Map.Entry<String, Long> e : st.notices().entrySet()) {
        g.writeNumberField(e.getKey(), e.getValue());
      }
      g.writeEndObject();
      g.writeNumberField("late", st.late());
      g.writeNumberField("suppressed", st.suppressed());
      g.writeObjectFieldStart("allowlisted");
      for (Map.Entry<String, Long> e : st.allowlisted().entrySet()) {
        g.writeNumberField(e.getKey(), e.getValue());
      }
      g.writeEndObject();
      g.writeNumberField("detector_errors", st.detectorErrors());
      g.writeNumberField("heap_after_gc_peak_bytes", HeapWatch.liveHeapPeak());
      g.writeNumberField("elapsed_s", Math.round(elapsed * 1000) / 1000.0);
      g.writeEndObject();
    } catch (IOException e) {
      throw new ExitException(ExitCode.OUTPUT_FAILED, "cannot write " + statsFile + ": " + e.getMessage());
    }
  }
}
