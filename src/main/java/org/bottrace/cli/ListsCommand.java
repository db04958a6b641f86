package org.bottrace.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bottrace.config.ConfigException;
import org.bottrace.enrich.ListHistory;
import org.bottrace.match.PlainList;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code bottrace lists}: the listing history of threat lists. */
@Command(name = "lists", mixinStandardHelpOptions = true, description = "Keeps the listing history of threat lists.",
    subcommands = {ListsCommand.Import.class})
final class ListsCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  /**
   * {@code bottrace lists import}: loads dated snapshots of a list into the history at once (document
   * 004 compared the ET C&amp;C list of 2009-04-24 with that of 2010-01-31), so that lifetimes are known
   * from the first run.
   */
  @Command(name = "import", mixinStandardHelpOptions = true,
      description = "Records dated snapshots of a list in the listing history (enrichment.history).",
      footer = {"%nEach FILE's date is the YYYY-MM-DD (or YYYYMMDD) in its name, e.g. botcc-2009-04-24.rules.",
          "Exit code 0 when every snapshot was recorded; 2 when an argument is wrong."})
  static final class Import implements Callable<Integer> {
    private static final Pattern DATE = Pattern.compile("(\\d{4})-?(\\d{2})-?(\\d{2})");

    @Spec
    CommandSpec spec;

    @Option(names = "--history", required = true, paramLabel = "PATH", description = "the history (as enrichment.history)")
    Path history;

    @Option(names = "--list", required = true, paramLabel = "NAME", description = "the list's name (as in enrichment.lists)")
    String list;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "plain",
        description = "plain, spamhaus_drop, et_rules, zeek_intel, mdl_csv or feodo_csv (default: ${DEFAULT-VALUE})")
    String format;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "dated snapshots of the list")
    List<Path> files;

    @Override
    public Integer call() throws Exception {
      if (!PlainList.FORMATS.contains(format)) {
        throw new ConfigException("command line", "--format", "expected one of " + PlainList.FORMATS + ", found '"
            + format + "'");
      }
      List<LocalDate> dates = new ArrayList<>();
      for (Path f : files) {
        if (!Files.isRegularFile(f)) {
          throw new ConfigException("command line", "FILE", "no such file: " + f);
        }
        dates.add(dateOf(f));
      }
      try (ListHistory h = ListHistory.open(history)) {
        for (int i = 0; i < files.size(); i++) {
          PlainList l = PlainList.load(list, files.get(i), format);
          h.record(list, dates.get(i), l.entries());
          spec.commandLine().getOut().println(files.get(i) + ": " + list + " on " + dates.get(i) + ", " + l.size()
              + " entries" + (l.skippedCount() > 0 ? " (" + l.skippedCount() + " lines skipped)" : ""));
        }
      }
      return ExitCode.OK;
    }

    static LocalDate dateOf(Path f) throws ConfigException {
      Matcher m = DATE.matcher(f.getFileName().toString());
      while (m.find()) {
        try {
          return LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
        } catch (java.time.DateTimeException e) {
          // not a date: look further along the name
        }
      }
      throw new ConfigException("command line", "FILE", "cannot tell the date of " + f
          + ": put it in the name as YYYY-MM-DD, e.g. botcc-2009-04-24.rules");
    }
  }
}
