package org.bottrace.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.bottrace.config.ConfigException;
import org.bottrace.pipeline.Pipeline;
import org.bottrace.pipeline.RunStats;
import org.bottrace.pipeline.Settings;
import org.bottrace.source.Diagnostics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code bottrace check --config FILE}: validates a configuration the way a run would, and stops. */
@Command(name = "check", mixinStandardHelpOptions = true,
    description = "Validates a configuration file: every key, every detector, every list it names.",
    footer = "%nExit code 0 when valid; 2 with FILE: key 'a.b': problem when not.")
final class CheckCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--config", required = true, paramLabel = "FILE", description = "the configuration file")
  Path config;

  @Override
  public Integer call() throws ConfigException {
    Settings s = Settings.load(config);
    Diagnostics diag = new Diagnostics(spec.commandLine().getErr()::println, System::nanoTime);
    Pipeline p = new Pipeline(s, new NullSink(), diag, new RunStats(), Pipeline.Mode.CHECK);
    spec.commandLine().getOut().println(config + ": OK; detectors: " + String.join(", ", p.detectorNames()));
    return ExitCode.OK;
  }

  private static final class NullSink implements org.bottrace.sink.NoticeSink {
    @Override
    public void write(org.bottrace.sink.Notice n) {}

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
