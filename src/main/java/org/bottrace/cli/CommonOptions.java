package org.bottrace.cli;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import org.bottrace.config.ConfigException;
import org.bottrace.pipeline.Settings;
import picocli.CommandLine.Option;

/** The options replay and run share; they mean the same in both. */
final class CommonOptions {
  @Option(names = "--config", paramLabel = "FILE", description = "configuration file (default: built-in defaults)")
  Path config;

  @Option(names = "--out", paramLabel = "FILE", description = "write notices to FILE instead of stdout")
  Path out;

  @Option(names = "--format", paramLabel = "json|ecs|zeek",
      description = "notice format: JSON lines, Elastic Common Schema JSON lines or a Zeek log (default: notices.format"
          + " of the config, else json)")
  String format;

  @Option(names = "--feedback-dir", paramLabel = "DIR",
      description = "write the Zeek Intel and Suricata dataset files of what bottrace finds into DIR (default:"
          + " feedback.dir of the config, else none)")
  Path feedbackDir;

  /** The configuration file's settings, or the defaults. */
  Settings settings() throws ConfigException {
    return config == null ? Settings.defaults() : Settings.load(config);
  }

  /** The notice format: --format, else the configuration's. */
  String format(Settings s) throws ConfigException {
    String fmt = format != null ? format : s.format();
    if (!org.bottrace.sink.NoticeSink.FORMATS.contains(fmt)) {
      throw new ConfigException("command line", "--format", "expected json, ecs or zeek, found '" + fmt + "'");
    }
    return fmt;
  }

  /** The duration an option gives, or null when not given. */
  static java.time.Duration duration(String option, String text) throws ConfigException {
    if (text == null) {
      return null;
    }
    java.time.Duration d = org.bottrace.config.ConfigNode.parseDuration(text);
    if (d == null) {
      throw new ConfigException("command line", option, "expected a duration such as 30s, found '" + text + "'");
    }
    return d;
  }

  /** Standard output for notices: flushed, never closed. */
  static OutputStream stdout() {
    return new FilterOutputStream(System.out) {
      @Override
      public void close() throws IOException {
        flush();
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }
    };
  }
}
