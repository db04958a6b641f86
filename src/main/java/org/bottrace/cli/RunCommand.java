package org.bottrace.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.bottrace.config.ConfigException;
import org.bottrace.pipeline.Checkpoints;
import org.bottrace.pipeline.Follow;
import org.bottrace.pipeline.KafkaInput;
import org.bottrace.pipeline.Pipeline;
import org.bottrace.pipeline.RunStats;
import org.bottrace.pipeline.Settings;
import org.bottrace.sink.NoticeSink;
import org.bottrace.sink.ZeekNoticeSink;
import org.bottrace.source.Diagnostics;
import org.bottrace.source.TailedFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code bottrace run}: follows the sensor's logs forever. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Follows the logs Zeek and Suricata are writing and writes notices as they are found.",
        "It follows each file through rotation and restarts, and resumes from its checkpoint after a stop or a"
            + " crash."},
    footer = {"%nSignals: TERM/INT flush, checkpoint and exit 0; HUP reopens the notice file (for logrotate);",
        "USR1 prints a status line. Options override the follow: section of the configuration."})
final class RunCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @picocli.CommandLine.Mixin
  CommonOptions common;

  @Option(names = "--zeek-dir", paramLabel = "DIR", description = "folder of the Zeek logs being written")
  Path zeekDir;

  @Option(names = "--eve", paramLabel = "FILE",
      description = "a Suricata eve.json being written, or Suricata's log folder for the eve.json in it (repeatable)")
  List<Path> eve;

  @Option(names = "--log", paramLabel = "FILE",
      description = "any other log to follow, e.g. a second sensor's Zeek log (repeatable)")
  List<Path> logs;

  @Option(names = "--kafka", paramLabel = "HOST:PORT,...",
      description = "the Kafka cluster to read topics from and write notices to (kafka.bootstrap_servers)")
  String kafka;

  @Option(names = "--kafka-topic", paramLabel = "TOPIC",
      description = "a topic of Zeek JSON or EVE records to read, every partition (repeatable; kafka.topics)")
  List<String> kafkaTopics;

  @Option(names = "--notices-topic", paramLabel = "TOPIC",
      description = "produce notices to this Kafka topic, keyed by subject (kafka.notices_topic)")
  String noticesTopic;

  @Option(names = "--state-dir", paramLabel = "DIR", description = "where checkpoints are kept")
  Path stateDir;

  @Option(names = "--from-start", description = "first start: read what the files hold already (default: their ends)")
  boolean fromStart;

  @Option(names = "--stop-when-idle", paramLabel = "DURATION",
      description = "report what detectors hold pending, checkpoint (state kept) and exit once no input has grown"
          + " for DURATION (e.g. 30s)")
  String stopWhenIdle;

  @Option(names = "--status-file", paramLabel = "FILE", description = "also write the status as JSON to FILE")
  Path statusFile;

  @Override
  public Integer call() throws Exception {
    Settings s = common.settings();
    Settings.FollowSettings f = s.follow();
    Path zdir = zeekDir != null ? zeekDir : f.zeekDir();
    List<Path> eves = eve != null ? eve : f.eve();
    List<Path> others = logs != null ? logs : f.logs();
    Path outFile = common.out != null ? common.out : f.out();
    Path state = stateDir != null ? stateDir : f.stateDir();
    Path statusOut = statusFile != null ? statusFile : f.statusFile();
    boolean start = fromStart || f.fromStart();
    String fmt = common.format(s);
    Duration stopIdle = CommonOptions.duration("--stop-when-idle", stopWhenIdle);
    String cfgName = common.config == null ? "command line" : common.config.toString();
    Settings.KafkaSettings k = s.kafka().with(kafka, kafkaTopics, noticesTopic);
    if (!k.enabled() && (kafkaTopics != null || noticesTopic != null)) {
      throw new ConfigException("command line", kafkaTopics != null ? "--kafka-topic" : "--notices-topic",
          "needs the Kafka cluster: give --kafka HOST:PORT (or kafka.bootstrap_servers)");
    }
    if (!k.enabled() && (!k.topics().isEmpty() || k.noticesTopic() != null)) {
      throw new ConfigException(cfgName, "kafka.bootstrap_servers",
          "missing: kafka.topics and kafka.notices_topic need the Kafka cluster's host:port (or --kafka)");
    }
    if (k.enabled() && k.topics().isEmpty() && k.noticesTopic() == null) {
      throw new ConfigException(kafka != null ? "command line" : cfgName, kafka != null ? "--kafka" : "kafka.topics",
          "the Kafka cluster is given but no topic to read (--kafka-topic, kafka.topics) or to write notices to"
              + " (--notices-topic, kafka.notices_topic)");
    }
    if (zdir == null && eves.isEmpty() && others.isEmpty() && k.topics().isEmpty()) {
      throw new ConfigException(cfgName, "",
          "nothing to follow: give --zeek-dir, --eve, --log or --kafka-topic (or follow.zeek_dir, follow.eve,"
              + " follow.logs, kafka.topics)");
    }
    // a Suricata log folder: its eve.json (fast.log, stats.log and suricata.log beside it are not EVE)
    eves = eves.stream().map(p -> Files.isDirectory(p) ? p.resolve("eve.json") : p).toList();
    for (Path p : others) {
      if (Files.isDirectory(p)) {
        boolean cli = others == logs && others.contains(p);
        String key = cli ? "--log" : "follow.logs";
        throw new ConfigException(cli || common.config == null ? "command line" : common.config.toString(), key,
            p + " is a folder: give the log files in it (or --zeek-dir for Zeek's current logs folder)");
      }
    }
    if (zdir != null && !Files.isDirectory(zdir)) {
      throw new ConfigException("command line", "--zeek-dir", "no such folder: " + zdir);
    }
    String[][] given = {{"--state-dir", "folder"}, {"--out", "file"}, {"--status-file", "file"}};
    Path[] values = {stateDir, common.out, statusFile};
    for (int i = 0; i < given.length; i++) {
      String problem = given[i][1].equals("folder") ? Settings.notAFolder(values[i]) : Settings.notAFile(values[i]);
      if (problem != null) {
        throw new ConfigException("command line", given[i][0], problem);
      }
    }
    PrintWriter err = spec.commandLine().getErr();
    Diagnostics diag = new Diagnostics(err::println, System::nanoTime);
    com.fasterxml.jackson.databind.JsonNode cp = null;
    if (state != null) {
      try {
        Files.createDirectories(state);
      } catch (IOException e) {
        throw new ExitException(ExitCode.OUTPUT_FAILED, "cannot make the state folder " + state + ": "
            + org.bottrace.source.IoCause.of(e));
      }
      try {
        cp = Checkpoints.read(state, w -> err.println("bottrace run: checkpoint: " + w));
      } catch (IOException e) {
        throw new ExitException(ExitCode.OUTPUT_FAILED, "cannot use the checkpoint in " + state + ": " + e.getMessage()
            + " (move it away to start afresh)");
      }
    }
    java.util.Map<String, TailedFile.Position> at = cp == null ? java.util.Map.of() : Follow.positions(cp);
    List<Path> paths = new ArrayList<>();
    if (zdir != null) {
      for (String name : f.zeekLogs().stream().sorted().toList()) {
        paths.add(zdir.resolve(name));
      }
    }
    paths.addAll(others);
    paths.addAll(eves);
    List<TailedFile> tails = new ArrayList<>();
    for (Path p : paths) {
      // after a checkpoint, a log it did not see yet is new: read it whole
      TailedFile t = new TailedFile(p, diag, at.get(p.toString()), start || cp != null, f.archiveDirs());
      if (cp != null && !at.containsKey(p.toString())) {
        t.rotatedSince(cp.path("written_ms").asLong());
      }
      tails.add(t);
    }
    if (cp != null && outFile != null) {
      recoverNoticeFile(outFile, cp.path("notices"), err);
    }
    // after a checkpoint, a partition it did not see is new: read it whole, as a new log is
    KafkaInput kafkaIn = k.enabled() && !k.topics().isEmpty()
        ? new KafkaInput(k, cfgName, KafkaInput.offsets(cp), start || cp != null, diag) : null;
    Signals signals = new Signals();
    signals.install();
    RunStats stats = new RunStats();
    NoticeOut notices;
    try {
      notices = new NoticeOut(outFile, fmt, k.noticesTopic() == null ? null
          : new org.bottrace.sink.KafkaNoticeSink(k.bootstrapServers(), k.noticesTopic(), fmt, k.properties(),
              k.timeout()));
    } catch (org.apache.kafka.common.KafkaException e) {
      if (kafkaIn != null) {
        kafkaIn.close();
      }
      throw new ConfigException(cfgName, "kafka.notices_topic", "cannot produce to Kafka at " + k.bootstrapServers()
          + ": " + KafkaInput.causes(e));
    }
    org.bottrace.pipeline.Counters counters = null;
    try {
      Pipeline pipeline = new Pipeline(s, notices, diag, stats, Pipeline.Mode.RUN, true, common.feedbackDir);
      List<Follow.Feed> feeds = new ArrayList<>();
      for (TailedFile t : tails) {
        feeds.add(Follow.of(t));
      }
      if (kafkaIn != null) {
        feeds.addAll(kafkaIn.feeds());
      }
      Follow follow = new Follow(feeds, s.lateness().toNanos() / 1000, s.idleAdvance().toNanos(), stats,
          System::nanoTime, pipeline);
      if (cp != null) {
        for (String w : follow.restore(cp)) {
          err.println("bottrace: checkpoint: " + w);
        }
        err.println("bottrace run: resuming from the checkpoint in " + state);
      }
      for (TailedFile t : tails) {
        t.start();
      }
      checkpoint(notices, follow, state, kafkaIn); // a crash before the first interval still finds where it began
      Status status = new Status(err, statusOut, follow, pipeline, stats);
      counters = new org.bottrace.pipeline.Counters().register("run", null);
      publish(counters, follow, stats, pipeline);
      long lastPublish = System.nanoTime();
      long pollMillis = Math.max(1, f.pollInterval().toMillis());
      long lastFlush = System.nanoTime();
      long lastStatus = System.nanoTime();
      err.println("bottrace run: following " + tails.size() + " file(s)"
          + (kafkaIn == null ? "" : " and " + kafkaIn.partitions() + " Kafka partition(s) of " + String.join(", ", k.topics()))
          + (outFile == null ? "" : ", notices to " + outFile)
          + (k.noticesTopic() == null ? "" : ", notices to Kafka topic " + k.noticesTopic()));
      String coverage = pipeline.detectorNames().contains("IRC::Botnet")
          ? org.bottrace.detect.irc.IrcBotnet.coverage(paths) : null;
      if (coverage != null) {
        err.println("bottrace run: " + coverage);
      }
      while (!signals.stop.get()) {
        int n;
        try {
          if (kafkaIn != null) {
            for (Follow.Feed added : kafkaIn.added()) {
              follow.add(added);
            }
          }
          n = follow.step();
        } catch (KafkaInput.Failed e) {
          // what was processed is checkpointed; a restart resumes there once Kafka lets bottrace in again
          checkpoint(notices, follow, state, kafkaIn);
          throw new ExitException(ExitCode.INPUT_UNREADABLE, e.getMessage());
        }
        long now = System.nanoTime();
        if (signals.reopen.getAndSet(false)) {
          notices.reopen();
        }
        if (now - lastFlush >= f.checkpointInterval().toNanos()) {
          checkpoint(notices, follow, state, kafkaIn);
          lastFlush = now;
          if (f.maxNoticeBytes() > 0 && notices.rotateIfLarger(f.maxNoticeBytes(), err)) {
            checkpoint(notices, follow, state, kafkaIn);
          }
        } else if (n > 0) {
          notices.flush(); // to the OS at once: a SIEM shipper sees the notice within a poll
        }
        if (now - lastPublish >= 1_000_000_000L) {
          publish(counters, follow, stats, pipeline);
          lastPublish = now;
        }
        boolean sig = signals.status.getAndSet(false);
        if (sig || now - lastStatus >= f.statusInterval().toNanos()) {
          status.print();
          lastStatus = now;
        }
        if (stopIdle != null && n == 0 && follow.quietFor(stopIdle.toNanos())) {
          follow.finishInput();
          checkpoint(notices, follow, state, kafkaIn);
          break;
        }
        if (n == 0) {
          signals.sleep(pollMillis);
        }
      }
      checkpoint(notices, follow, state, kafkaIn);
      publish(counters, follow, stats, pipeline);
      status.print();
    } finally {
      if (counters != null) {
        counters.unregister();
      }
      notices.close();
      for (TailedFile t : tails) {
        t.close();
      }
      if (kafkaIn != null) {
        kafkaIn.close();
      }
    }
    for (TailedFile t : tails) {
      if (t.failing()) {
        return ExitCode.INPUT_UNREADABLE; // said when it began; it is retried at the next start
      }
    }
    return ExitCode.OK;
  }

  /** The counts as they are now, for JMX (org.bottrace:type=run). */
  private static void publish(org.bottrace.pipeline.Counters c, Follow follow, RunStats stats, Pipeline pipeline) {
    long lines = 0;
    long malformed = 0;
    for (Follow.SourceStatus st : follow.status()) {
      lines += st.lines();
      malformed += st.malformed();
    }
    c.publish(stats, lines, malformed, pipeline.store(), System.currentTimeMillis());
  }

  private static List<Path> concat(List<Path> a, List<Path> b) {
    List<Path> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  /**
   * Notices to disk (and acknowledged by Kafka) first, then the checkpoint that covers them, then the Kafka
   * offsets it covers committed to the group.
   */
  private static void checkpoint(NoticeOut notices, Follow follow, Path state, KafkaInput kafkaIn) throws IOException {
    notices.flushAll();
    if (kafkaIn != null) {
      kafkaIn.flush(); // the dead letters of the records the checkpoint passes
    }
    long size = notices.sync();
    if (state == null) {
      if (kafkaIn != null) {
        kafkaIn.commit(follow.positions()); // no checkpoint: the group's offsets are where a restart begins
      }
      return;
    }
    com.fasterxml.jackson.databind.node.ObjectNode n = Checkpoints.MAPPER.createObjectNode();
    if (notices.file != null && size >= 0) {
      n.put("path", notices.file.toString());
      n.put("size", size);
      org.bottrace.source.FileId id = org.bottrace.source.FileId.of(notices.file);
      if (id != null) {
        n.put("ino", id.ino());
        n.put("dev", id.dev());
      }
    }
    long written = System.currentTimeMillis();
    try {
      Checkpoints.write(state, g -> {
        g.writeNumberField("written_ms", written);
        g.writeFieldName("notices");
        g.writeTree(n);
        follow.checkpoint(g);
      });
    } catch (IOException e) {
      throw new ExitException(ExitCode.OUTPUT_FAILED, "cannot write the checkpoint in " + state + ": "
          + org.bottrace.source.IoCause.of(e) + " (the previous checkpoint is kept)");
    }
    if (kafkaIn != null) {
      kafkaIn.commit(follow.positions());
    }
  }

  /**
   * After a crash the notice file may hold notices written after the last checkpoint; they will be
   * written again, so the file is cut back to the checkpoint's length (if it is still the same file).
   */
  private static void recoverNoticeFile(Path file, com.fasterxml.jackson.databind.JsonNode n, PrintWriter err)
      throws IOException {
    if (!n.has("size") || !Files.exists(file) || !file.toString().equals(n.path("path").asText())) {
      return;
    }
    org.bottrace.source.FileId id = org.bottrace.source.FileId.of(file);
    long size = Files.size(file);
    long keep = n.path("size").asLong();
    if (id == null || id.ino() != n.path("ino").asLong() || id.dev() != n.path("dev").asLong()) {
      err.println("bottrace run: " + file + " is not the notice file of the checkpoint (rotated?); appending to it");
      return;
    }
    if (size > keep) {
      try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file,
          StandardOpenOption.WRITE)) {
        ch.truncate(keep);
        ch.force(true);
      }
      err.println("bottrace run: " + file + ": cut back to " + keep + " bytes, the checkpoint's length ("
          + (size - keep) + " bytes of notices after it will be written again)");
    }
  }

  /** The notice file: appended to, reopened on HUP, never given a Zeek #close on a plain stop. */
  static final class NoticeOut implements NoticeSink {
    final Path file;
    private final String format;
    private NoticeSink sink;
    private OutputStream os;

    /** Notices to Kafka too (null: not); with it and no file, none go to stdout. */
    private final org.bottrace.sink.KafkaNoticeSink kafka;

    NoticeOut(Path file, String format, org.bottrace.sink.KafkaNoticeSink kafka) {
      this.file = file;
      this.format = format;
      this.kafka = kafka;
      guard(() -> {
        open();
        return null;
      });
    }

    /** A write to the Kafka topic; a failure stops the run with exit code 3, as the file's does. */
    private void toKafka(Io<Void> io) {
      if (kafka == null) {
        return;
      }
      try {
        io.run();
      } catch (IOException e) {
        failed = true;
        throw new ExitException(ExitCode.OUTPUT_FAILED, "cannot write notices to " + e.getMessage());
      }
    }

    private interface Io<T> {
      T run() throws IOException;
    }

    /**
     * Runs a write to the notice file; a failure (a full disk, the file made unwritable) stops the run
     * with exit code 3 naming the file and the cause. The checkpoint is not written after it, so a
     * restart cuts a torn line back and writes the notices again.
     */
    private boolean failed;

    private <T> T guard(Io<T> io) {
      try {
        return io.run();
      } catch (IOException e) {
        failed = true;
        throw new ExitException(ExitCode.OUTPUT_FAILED, "cannot write notices to "
            + (file == null ? "stdout" : file.toString()) + ": " + org.bottrace.source.IoCause.of(e));
      }
    }

    /** Whether the notice file is a regular file (not /dev/null or a FIFO): only then is it forced and cut back. */
    private boolean regular;

    /** The notice file's channel (null for stdout). */
    private java.nio.channels.FileChannel channel;

    private void open() throws IOException {
      boolean fresh = true;
      if (file == null && kafka != null) {
        sink = null; // the topic takes them
        return;
      }
      if (file == null) {
        os = CommonOptions.stdout();
      } else {
        fresh = !Files.exists(file) || Files.size(file) == 0;
        channel = java.nio.channels.FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.APPEND);
        regular = Files.isRegularFile(file);
        os = java.nio.channels.Channels.newOutputStream(channel);
      }
      sink = NoticeSink.of(format, os, !fresh);
    }

    /** Past {@code max} bytes, renames the file aside (FILE.1, FILE.2, ...) and begins a new one. */
    boolean rotateIfLarger(long max, PrintWriter err) {
      return guard(() -> rotate(max, err));
    }

    private boolean rotate(long max, PrintWriter err) throws IOException {
      if (file == null || !Files.exists(file) || Files.size(file) <= max) {
        return false;
      }
      sink.flush();
      closeSink();
      int n = 1;
      while (Files.exists(file.resolveSibling(file.getFileName() + "." + n))) {
        n++;
      }
      Path aside = file.resolveSibling(file.getFileName() + "." + n);
      Files.move(file, aside);
      err.println("bottrace run: " + file + " passed " + max + " bytes; renamed to " + aside);
      open();
      return true;
    }

    /** Forces the notice file to disk; its length, or -1 for stdout. */
    long sync() {
      if (file == null || !regular) {
        return -1; // stdout, /dev/null, a FIFO: nothing to force or cut back
      }
      // the open file, not the path: between logrotate's move and its HUP the path may name no file
      return guard(() -> {
        channel.force(true);
        return channel.size();
      });
    }

    void reopen() {
      if (sink == null) {
        return; // notices go to Kafka only
      }
      guard(() -> {
        sink.flush();
        closeSink();
        open();
        return null;
      });
    }

    @Override
    public void write(org.bottrace.sink.Notice n) {
      if (sink != null) {
        guard(() -> {
          sink.write(n);
          return null;
        });
      }
      toKafka(() -> {
        kafka.write(n);
        return null;
      });
    }

    /** To the OS (the file); notices to Kafka are sent in the background and waited for by {@link #flushAll}. */
    @Override
    public void flush() {
      if (sink != null) {
        guard(() -> {
          sink.flush();
          return null;
        });
      }
    }

    /** Before a checkpoint: the file flushed, and every notice to Kafka acknowledged. */
    void flushAll() {
      flush();
      toKafka(() -> {
        kafka.flush();
        return null;
      });
    }

    private void closeSink() throws IOException {
      if (sink == null) {
        return;
      }
      if (sink instanceof ZeekNoticeSink) {
        ((ZeekNoticeSink) sink).closeWithoutTrailer();
      } else {
        sink.close();
      }
    }

    @Override
    public void close() throws IOException {
      if (kafka != null && !failed) {
        toKafka(() -> {
          kafka.close();
          return null;
        });
      }
      try {
        closeSink();
      } catch (IOException e) {
        if (!failed) {
          guard(() -> {
            throw e;
          });
        }
        // after a failure, what is still buffered cannot be written either; the checkpoint says what was
      }
    }
  }
}
