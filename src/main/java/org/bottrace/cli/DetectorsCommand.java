package org.bottrace.cli;

import java.util.concurrent.Callable;
import org.bottrace.detect.DetectorFactory;
import org.bottrace.pipeline.Pipeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code bottrace detectors}: lists the detectors this build has. */
@Command(name = "detectors", mixinStandardHelpOptions = true,
    description = "Lists the detectors, whether they run by default, and what they find.")
final class DetectorsCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    for (DetectorFactory f : Pipeline.factories().values()) {
      spec.commandLine().getOut().printf("%-22s %-8s %s%n", f.name(), f.enabledByDefault() ? "default" : "opt-in",
          f.summary());
    }
    return ExitCode.OK;
  }
}
