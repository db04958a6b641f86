package org.bottrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.bottrace.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckCommandTest {
  @TempDir
  Path dir;

  private Run check(String yaml) throws Exception {
    Path f = dir.resolve("bottrace.yaml");
    Files.writeString(f, yaml);
    return Run.of("check", "--config", f.toString());
  }

  private String file() {
    return dir.resolve("bottrace.yaml").toString();
  }

  @Test
  void check_referenceConfigIsValid() {
    Run r = Run.of("check", "--config", "src/main/resources/reference.yaml");
    assertEquals(0, r.code(), r.err());
    assertEquals("src/main/resources/reference.yaml: OK; detectors: Bot::Download, Bot::Infection, C2::Beacon, DNS::Anomalies,"
        + " Host::Summary, IRC::Botnet, IRC::FlowBotnet, Intel::Listed, Scan::Propagation\n", r.out());
  }

  @Test
  void check_exampleConfigIsValid() {
    assertEquals(0, Run.of("check", "--config", "examples/bottrace.yaml").code());
  }

  @Test
  void check_unknownKeyNamesItAndTheValidOnes() throws Exception {
    Run r = check("notices:\n  formt: zeek\n");
    assertEquals(2, r.code());
    assertEquals("bottrace: " + file() + ": key 'notices.formt': unknown key; valid keys here are [format, "
        + "min_severity, suppress_interval]\n", r.err());
  }

  @Test
  void check_badDuration() throws Exception {
    Run r = check("time:\n  lateness: soon\n");
    assertEquals(2, r.code());
    assertEquals("bottrace: " + file() + ": key 'time.lateness': expected a duration such as 500ms, 30s, 5m, 1h or 2d"
        + " (at most 36500d), found \"soon\"\n", r.err());
  }

  @Test
  void check_durationTooLongForMicroseconds_isAConfigurationError() throws Exception {
    Run r = check("time:\n  lateness: 99999999999999999d\n");
    assertEquals(2, r.code(), r.err());
    assertEquals("bottrace: " + file() + ": key 'time.lateness': expected a duration such as 500ms, 30s, 5m, 1h or 2d"
        + " (at most 36500d), found \"99999999999999999d\"\n", r.err());
    r = check("time:\n  lateness: 36501d\n");
    assertEquals(2, r.code(), r.err());
  }

  @Test
  void check_rejectsWhatRunCouldNotWrite() throws Exception {
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    Run r = check("follow:\n  state_dir: " + file + "\n");
    assertEquals(2, r.code(), r.err());
    assertEquals("bottrace: " + file() + ": key 'follow.state_dir': " + file + " is a file, not a folder\n", r.err());
    r = check("follow:\n  out: " + dir + "\n");
    assertEquals(2, r.code(), r.err());
    assertEquals("bottrace: " + file() + ": key 'follow.out': " + dir + " is a folder, not a file\n", r.err());
    r = check("follow:\n  status_file: " + dir.resolve("no/such/status.json") + "\n");
    assertEquals(2, r.code(), r.err());
    assertEquals("bottrace: " + file() + ": key 'follow.status_file': the folder of " + dir.resolve("no/such/status.json")
        + " does not exist\n", r.err());
  }

  @Test
  void check_badNetwork() throws Exception {
    Run r = check("home_networks: [10.0.0.0/33]\n");
    assertEquals(2, r.code());
    assertEquals("bottrace: " + file() + ": key 'home_networks': expected networks in CIDR form such as 10.0.0.0/8,"
        + " found '10.0.0.0/33'\n", r.err());
  }

  @Test
  void check_unknownDetector() throws Exception {
    Run r = check("detectors:\n  IRC::Bogus: {}\n");
    assertEquals(2, r.code());
    assertEquals("bottrace: " + file() + ": key 'detectors.IRC::Bogus': unknown detector; available detectors are "
        + "[Bot::Download, Bot::Infection, C2::Beacon, DNS::Anomalies, Host::Summary, IRC::Botnet, IRC::FlowBotnet,"
        + " Intel::Listed, Scan::Propagation]\n",
        r.err());
  }

  @Test
  void check_controlSessionSectionOfEarlierVersions_saysWhereItWent() throws Exception {
    Run r = check("detectors:\n  IRC::ControlSession:\n    quiet: 2m\n");
    assertEquals(2, r.code());
    assertEquals("bottrace: " + file() + ": key 'detectors.IRC::ControlSession': IRC::ControlSession is now part of"
        + " IRC::Botnet: configure it as IRC::Botnet.control_sessions (enabled, quiet)\n", r.err());
  }

  @Test
  void check_botnetMechanismParameters() throws Exception {
    Run r = check("detectors:\n  IRC::Botnet:\n    evaluate_every: 0s\n");
    assertEquals(2, r.code());
    assertEquals("bottrace: " + file() + ": key 'detectors.IRC::Botnet.evaluate_every': expected a positive duration,"
        + " found PT0S\n", r.err());
    r = check("detectors:\n  IRC::Botnet:\n    sn_tn:\n      max_interval_cv: -1\n");
    assertEquals(2, r.code());
    assertEquals("bottrace: " + file() + ": key 'detectors.IRC::Botnet.sn_tn.max_interval_cv': expected a number from"
        + " 0.0 to 100.0, found -1\n", r.err());
    r = check("detectors:\n  IRC::Botnet:\n    names:\n      standard_ports: [\"6667\", \"7000-6000\"]\n");
    assertEquals(2, r.code());
    assertEquals("bottrace: " + file() + ": key 'detectors.IRC::Botnet.names.standard_ports': expected a port or a"
        + " range like 6660-6669, found '7000-6000'\n", r.err());
    r = check("detectors:\n  IRC::Botnet:\n    herder:\n      min_comands: 3\n");
    assertEquals(2, r.code());
    assertTrue(r.err().startsWith("bottrace: " + file() + ": key 'detectors.IRC::Botnet.herder.min_comands': unknown"),
        r.err());
    assertTrue(r.err().contains("min_commands"), "the valid keys are listed: " + r.err());
  }

  @Test
  void check_detectorParameterWrong() throws Exception {
    Run r = check("detectors:\n  IRC::Botnet:\n    control_sessions:\n      quiet: 0s\n");
    assertEquals(2, r.code());
    assertEquals("bottrace: " + file() + ": key 'detectors.IRC::Botnet.control_sessions.quiet': expected a positive"
        + " duration,"
        + " found PT0S\n", r.err());
  }

  @Test
  void check_listFileMissing() throws Exception {
    Run r = check("detectors:\n  Intel::Listed:\n    lists:\n      - name: cc\n        path: nowhere.txt\n");
    assertEquals(2, r.code());
    assertEquals("bottrace: " + file() + ": key 'detectors.Intel::Listed.lists[0].path': no such file: "
        + dir.resolve("nowhere.txt") + "\n", r.err());
  }

  @Test
  void check_notYaml() throws Exception {
    Run r = check("home_networks: [10.0.0.0/8\n");
    assertEquals(2, r.code());
    assertEquals(true, r.err().startsWith("bottrace: " + file() + ": not valid YAML: "), r.err());
  }

  @Test
  void check_missingFile() {
    Run r = Run.of("check", "--config", dir.resolve("none.yaml").toString());
    assertEquals(2, r.code());
    assertEquals("bottrace: " + dir.resolve("none.yaml") + ": no such file\n", r.err());
  }

  @Test
  void check_withoutConfigOption_isUsageError() {
    Run r = Run.of("check");
    assertEquals(2, r.code());
    assertEquals("bottrace: Missing required option: '--config=FILE'\nTry 'bottrace check --help' for more.\n", r.err());
  }

  /** check writes nothing: the list history named in the configuration is not created. */
  @Test
  void check_hasNoSideEffects() throws Exception {
    Path list = Files.writeString(dir.resolve("cc.txt"), "192.0.2.10\n");
    Run r = check("enrichment:\n  history: " + dir.resolve("history") + "\n  lists:\n    - {name: cc, path: " + list
        + ", role: cc}\n");
    assertEquals(0, r.code(), r.err());
    try (java.util.stream.Stream<Path> files = Files.list(dir)) {
      assertEquals(java.util.List.of("bottrace.yaml", "cc.txt"), files.map(p -> p.getFileName().toString()).sorted()
          .toList());
    }
    Run missing = check("enrichment:\n  history: " + dir.resolve("no/such/history") + "\n");
    assertEquals(2, missing.code());
    assertTrue(missing.err().contains("key 'enrichment.history': no such folder for the list history"), missing.err());
  }

  /** A disabled detector's keys are checked too: a typo there would surface the day it is enabled. */
  @Test
  void check_validatesADisabledDetectorsKeys() throws Exception {
    Run r = check("detectors:\n  C2::Beacon:\n    enabled: false\n    min_conections: 30\n");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("key 'detectors.C2::Beacon.min_conections': unknown key"), r.err());
    Run replay = Run.of("replay", "-q", "--config", file(), org.bottrace.TestFiles.data("zeek/conn.log").toString());
    assertEquals(0, replay.code(), "a run does not read a disabled section: " + replay.err());
  }

  /** A list's role is one bottrace knows: `ccc` is a typo, not a new role. */
  @Test
  void check_listRolesAreKnown() throws Exception {
    Path list = Files.writeString(dir.resolve("cc.txt"), "192.0.2.10\n");
    Run r = check("enrichment:\n  lists:\n    - {name: cc, path: " + list + ", role: ccc}\n");
    assertEquals(2, r.code());
    assertEquals("bottrace: " + file() + ": key 'enrichment.lists[0].role': expected one of [cc, bulletproof, download,"
        + " compromised, blacklist] or a role of your own as x-name, found 'ccc'\n", r.err());
    assertEquals(0, check("enrichment:\n  lists:\n    - {name: tor, path: " + list + ", role: x-tor-exit}\n").code());
  }
}
