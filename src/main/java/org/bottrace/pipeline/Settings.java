package org.bottrace.pipeline;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.bottrace.config.ConfigException;
import org.bottrace.config.ConfigNode;
import org.bottrace.enrich.DomainSet;
import org.bottrace.enrich.IpSet;

/**
 * The top level of the configuration file; every key and default is documented in
 * {@code src/main/resources/reference.yaml}. Detector sections are read by the detectors themselves.
 *
 * @param file how messages name the configuration
 * @param home the home networks
 * @param homeText the home networks as written
 * @param allowHosts allowlisted hosts and networks
 * @param allowDomains allowlisted domains (and their subdomains)
 * @param lateness how far behind the watermark a record may arrive before it counts as late
 * @param idleAdvance follow mode: after this long without input from a source, the wall clock may
 *     advance its watermark
 * @param maxEntries default size bound of each cache
 * @param suppressInterval the same note, src, dst and sub is written at most once per this interval
 * @param format notice format: json or zeek
 * @param detectors the {@code detectors:} section, for the detectors to consume
 */
public record Settings(String file, IpSet home, List<String> homeText, IpSet allowHosts, DomainSet allowDomains,
    Duration lateness, Duration idleAdvance, long maxEntries, Duration suppressInterval, String format,
    ConfigNode detectors) {

  /** RFC 1918. */
  public static final List<String> DEFAULT_HOME = List.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16");

  /** Settings when no configuration file is given. */
  public static Settings defaults() {
    try {
      return read(ConfigNode.empty("(defaults)", ""));
    } catch (ConfigException e) {
      throw new IllegalStateException("the defaults do not validate: " + e.getMessage(), e);
    }
  }

  /**
   * Reads a configuration file (YAML; JSON is YAML too).
   *
   * @throws ConfigException if it is missing, unreadable, not YAML, or any key is wrong
   */
  public static Settings load(Path path) throws ConfigException {
    String name = path.toString();
    JsonNode root;
    try {
      byte[] bytes = Files.readAllBytes(path);
      root = new ObjectMapper(new YAMLFactory()).readTree(bytes);
    } catch (NoSuchFileException e) {
      throw new ConfigException(name, "", "no such file");
    } catch (JacksonException e) {
      String m = e.getOriginalMessage();
      throw new ConfigException(name, "", "not valid YAML: " + (m == null ? e.getClass().getSimpleName()
          : m.lines().findFirst().orElse(m)) + locate(e));
    } catch (IOException e) {
      throw new ConfigException(name, "", "cannot be read: " + e.getMessage());
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      root = new ObjectMapper().createObjectNode();
    }
    if (!root.isObject()) {
      throw new ConfigException(name, "", "expected a section of keys at the top, found " + root.getNodeType());
    }
    Path dir = path.toAbsolutePath().getParent();
    return read(new ConfigNode(name, dir, "", (ObjectNode) root));
  }

  private static String locate(JacksonException e) {
    return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
        + e.getLocation().getColumnNr() + ")";
  }

  private static Settings read(ConfigNode c) throws ConfigException {
    List<String> homeText = c.strings("home_networks", DEFAULT_HOME);
    IpSet home = networks(c, "home_networks", homeText);
    ConfigNode allow = c.child("allowlist");
    IpSet allowHosts = new IpSet();
    for (String h : allow.strings("hosts", List.of())) {
      if (h.contains("/") || !allowHosts.add(h, h)) {
        throw allow.error("hosts", "expected IP addresses, found '" + h + "' (networks go under allowlist.networks)");
      }
    }
    for (String n : allow.strings("networks", List.of())) {
      if (!allowHosts.add(n, n)) {
        throw allow.error("networks", "expected networks in CIDR form such as 192.0.2.0/24, found '" + n + "'");
      }
    }
    DomainSet allowDomains = new DomainSet();
    for (String d : allow.strings("domains", List.of())) {
      if (!allowDomains.add(d, d)) {
        throw allow.error("domains", "expected DNS names such as example.com, found '" + d + "'");
      }
    }
    allow.finish();
    ConfigNode time = c.child("time");
    Duration lateness = time.duration("lateness", Duration.ofSeconds(60));
    Duration idle = time.duration("idle_advance", Duration.ofMinutes(5));
    time.finish();
    ConfigNode state = c.child("state");
    long maxEntries = state.integer("max_entries", 100_000, 100, 100_000_000);
    state.finish();
    ConfigNode notices = c.child("notices");
    Duration suppress = notices.duration("suppress_interval", Duration.ofHours(1));
    String format = notices.string("format", "json");
    if (!format.equals("json") && !format.equals("zeek")) {
      throw notices.error("format", "expected json or zeek, found '" + format + "'");
    }
    notices.finish();
    ConfigNode detectors = c.child("detectors");
    c.finish();
    return new Settings(c.file(), home, homeText, allowHosts, allowDomains, lateness, idle, maxEntries, suppress,
        format, detectors);
  }

  private static IpSet networks(ConfigNode c, String key, List<String> text) throws ConfigException {
    IpSet s = new IpSet();
    for (String n : text) {
      if (!s.add(n, n)) {
        throw c.error(key, "expected networks in CIDR form such as 10.0.0.0/8, found '" + n + "'");
      }
    }
    return s;
  }
}
