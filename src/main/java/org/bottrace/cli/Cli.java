package org.bottrace.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.bottrace.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The root command and the one factory that owns the error policy. */
@Command(name = "bottrace", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
    description = "Finds IRC bots and their C&C servers in Zeek and Suricata logs.%n",
    subcommands = {ReplayCommand.class, RunCommand.class, CheckCommand.class, DetectorsCommand.class, ListsCommand.class, ReportCommand.class,
        FeedbackCommand.class, CommandLine.HelpCommand.class},
    footer = {"%nExamples:",
        "  bottrace replay --config examples/bottrace.yaml examples/logs",
        "  bottrace replay /opt/zeek/logs/2024-04-19 /var/log/suricata/eve.json --out notices.json",
        "  bottrace check --config /etc/bottrace/bottrace.yaml",
        "%nExit codes: 0 ok, 1 an input could not be read to its end, 2 bad configuration or usage,",
        "  3 output could not be written, 4 internal error, 5 out of memory."})
public final class Cli implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    java.util.List<String> names = spec.subcommands().keySet().stream().filter(n -> !n.equals("help")).toList();
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is needed: " + String.join(", ", names)
        + " ('bottrace help COMMAND' tells what each does)");
  }

  /** The command line with bottrace's exit code policy, printing to the given streams. */
  public static CommandLine commandLine(PrintStream out, PrintStream err) {
    CommandLine cl = new CommandLine(new Cli());
    cl.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      if (ex instanceof ExitException) {
        commandLine.getErr().println("bottrace: " + ex.getMessage());
        return ((ExitException) ex).code();
      }
      if (ex instanceof ConfigException) {
        commandLine.getErr().println("bottrace: " + ex.getMessage());
        return ExitCode.INVALID;
      }
      if (ex instanceof java.io.IOException io) {
        // an I/O failure no command turned into a message of its own: the path and the cause, exit 3
        String file = io instanceof java.nio.file.FileSystemException f && f.getFile() != null ? f.getFile() + ": " : "";
        commandLine.getErr().println("bottrace: " + org.bottrace.source.Printable.of(file)
            + org.bottrace.source.IoCause.of(io));
        return ExitCode.OUTPUT_FAILED;
      }
      commandLine.getErr().println("bottrace: internal error: " + ex);
      ex.printStackTrace(commandLine.getErr());
      return ExitCode.INTERNAL;
    });
    cl.setParameterExceptionHandler((ex, args) -> {
      CommandLine c = ex.getCommandLine();
      c.getErr().println("bottrace: " + ex.getMessage());
      c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for more.");
      return ExitCode.INVALID;
    });
    return cl;
  }

  /** Entry point. */
  public static int run(String... args) {
    try {
      return commandLine(System.out, System.err).execute(args);
    } catch (OutOfMemoryError e) {
      return outOfMemory(System.err);
    }
  }

  /** What an OutOfMemoryError ends with: one line saying what to change, exit code 5. */
  static int outOfMemory(PrintStream err) {
    long max = Runtime.getRuntime().maxMemory();
    err.println("bottrace: out of memory (heap " + (max / (1 << 20)) + " MiB): give the JVM more (-Xmx) or lower"
        + " the state bounds (state.max_entries, IRC::Botnet.max_servers/max_clients/max_lines); bottrace run"
        + " resumes from its last checkpoint");
    err.flush();
    return ExitCode.OUT_OF_MEMORY;
  }

  /** The version Maven wrote from pom.xml into org/bottrace/version.properties. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws java.io.IOException {
      java.util.Properties p = new java.util.Properties();
      try (java.io.InputStream in = Cli.class.getResourceAsStream("/org/bottrace/version.properties")) {
        if (in != null) {
          p.load(in);
        }
      }
      return new String[] {"bottrace " + p.getProperty("version", "(built without Maven: version unknown)"),
          "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
    }
  }
}
