package org.bottrace.detect.stage;

import com.github.benmanes.caffeine.cache.Cache;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.bottrace.config.ConfigException;
import org.bottrace.config.ConfigNode;
import org.bottrace.detect.Detector;
import org.bottrace.detect.DetectorContext;
import org.bottrace.event.EveAlert;
import org.bottrace.event.Event;
import org.bottrace.event.Micros;
import org.bottrace.finding.Finding;
import org.bottrace.state.StateStore;

/**
 * {@code Bot::Infection}: the stages of one host's infection joined into one story, in the spirit of
 * BotHunter's dialog model: an inbound exploit or scan alert on it, a download, C&amp;C contact, an
 * outbound propagation scan, a DNS anomaly. From the other detectors' findings (IRC::BotClient,
 * Intel::Listed with role cc, Bot::Download, Scan::Propagation, DNS::*) and from Suricata alerts under a
 * documented policy (see {@link #stageOf(EveAlert)}). Two distinct stages within {@code window}, at least
 * one of them the host's own doing (not an inbound exploit or scan: being attacked is not being
 * infected), make an infection; one stage alone never does. The score is the number of distinct stages,
 * and the notice is written again when a stage is added, with the ordered timeline (the first step of
 * each kind) and the uids to pivot on.
 */
public final class InfectionStory implements Detector {
  static final String NOTE = "Bot::Infection";
  private static final int MAX_STEPS = 32;
  private static final Pattern STRONG = Pattern.compile("(?i)\\b(cnc|c&c|c2|botnet|trojan)\\b");
  private static final Pattern EXPLOIT = Pattern.compile("(?i)\\b(exploit|shellcode|overflow|rce)\\b");

  /** One step of a story. */
  record Step(long ts, String stage, String what, String ref) {}

  /** A host's story; fields concrete for checkpoints. */
  static final class Story {
    String host;
    TreeMap<String, Long> stages = new TreeMap<>();
    ArrayList<Step> steps = new ArrayList<>();

    Story() {}
  }

  private final DetectorContext ctx;
  private final Cache<String, Story> stories;
  private final long minStages;

  InfectionStory(DetectorContext ctx, ConfigNode c) throws ConfigException {
    this.ctx = ctx;
    Duration window = c.positiveDuration("window", Duration.ofHours(24));
    this.minStages = c.integer("min_stages", 2, 2, 10);
    this.stories = ctx.cache("infection.stories", c.integer("max_hosts", 0, 0, 100_000_000), window, null,
        StateStore.Codec.of(String.class, Story.class));
  }

  /**
   * The stage an alert is evidence of, and on which host: chat policy rules (ET CHAT, GPL CHAT) and
   * severity 3 are none (bottrace's own feedback rules never reach a detector, see EveKinds); a trojan category or a CnC/C&amp;C/C2/botnet/trojan signature is C&amp;C contact by
   * the side in the home networks (else the source); an exploit signature or a privilege-gain category
   * is an inbound exploit on the destination; a scan signature or category is an inbound scan of the
   * destination. Returns {stage, host} or null.
   */
  String[] stageOf(EveAlert a) {
    String sig = a.signature() == null ? "" : a.signature();
    String cat = a.category() == null ? "" : a.category();
    if (sig.startsWith("ET CHAT") || sig.startsWith("GPL CHAT") || a.severity() >= 3) {
      return null;
    }
    String src = a.flow().origH();
    String dst = a.flow().respH();
    if (STRONG.matcher(cat).find() || STRONG.matcher(sig).find()) {
      return new String[] {"cc_contact", ctx.home().contains(dst) && !ctx.home().contains(src) ? dst : src};
    }
    if (EXPLOIT.matcher(sig).find() || cat.contains("Privilege Gain") || cat.contains("Executable code")) {
      return new String[] {"inbound_exploit", dst};
    }
    if (sig.contains(" SCAN ") || cat.contains("Network Scan")) {
      return new String[] {"inbound_scan", dst};
    }
    return null;
  }

  @Override
  public void onEvent(Event e) {
    if (e instanceof EveAlert a) {
      String[] s = stageOf(a);
      if (s != null) {
        step(s[1], s[0], a.ts(), "alert " + a.sid() + " " + a.signature() + " [" + a.category() + ", severity "
            + a.severity() + ", " + a.flow().origH() + " -> " + a.flow().respH() + "]", a.flowRef());
      }
    }
  }

  @Override
  public void onFinding(Finding f) {
    String stage = f.stage() == null ? null : f.stage().label();
    if (stage != null && f.src() != null) {
      step(f.src(), stage, f.ts(), f.note() + ": " + f.msg(), f.uid());
    }
  }

  private void step(String host, String stage, long ts, String what, String ref) {
    Story s = stories.get(host, k -> {
      Story n = new Story();
      n.host = host;
      return n;
    });
    boolean newStage = !stage.equals("cc_resolution") && !s.stages.containsKey(stage);
    if (!stage.equals("cc_resolution")) {
      s.stages.merge(stage, ts, Math::min);
    }
    String text = what.length() > 200 ? what.substring(0, 200) : what;
    boolean again = s.steps.stream().anyMatch(x -> x.stage().equals(stage) && x.what().equals(text));
    if (!again && s.steps.size() < MAX_STEPS) {
      s.steps.add(new Step(ts, stage, text, ref)); // the first of each kind: the timeline stays readable
    }
    stories.put(host, s);
    boolean ownDoing = s.stages.keySet().stream().anyMatch(x -> !x.startsWith("inbound_"));
    if (newStage && s.stages.size() >= minStages && ownDoing) {
      report(s);
    }
  }

  private void report(Story s) {
    List<Step> ordered = new ArrayList<>(s.steps);
    ordered.sort((a, b) -> Long.compare(a.ts(), b.ts()));
    List<Map<String, Object>> timeline = new ArrayList<>();
    List<String> refs = new ArrayList<>();
    for (Step st : ordered) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("ts", Micros.formatEpoch(st.ts()));
      m.put("stage", st.stage());
      m.put("what", st.what());
      if (st.ref() != null) {
        m.put("uid", st.ref());
        refs.add(st.ref());
      }
      timeline.add(m);
    }
    long first = ordered.get(0).ts();
    long last = ordered.get(ordered.size() - 1).ts();
    // stages in the order they happened
    List<Map.Entry<String, Long>> byTime = new ArrayList<>(s.stages.entrySet());
    byTime.sort(Map.Entry.comparingByValue());
    List<String> stages = new ArrayList<>();
    for (Map.Entry<String, Long> e : byTime) {
      stages.add(e.getKey());
    }
    ctx.emit(Finding.builder(NOTE, last)
        .rated(stages.size() >= 3 ? Finding.Severity.CRITICAL : Finding.Severity.HIGH, Finding.agreeing(stages.size()))
        .msg(String.format(Locale.ROOT, "%s infected: %d stages (%s) within %.0f s", s.host, stages.size(),
            String.join(", ", stages), (last - first) / 1e6))
        .src(s.host)
        .actor(Finding.Actor.BOT)
        .uids(refs)
        .key(s.host)
        .window(first / 1_000_000L * 1_000_000L)
        .evidence("host", s.host)
        .evidence("host_internal", ctx.home().contains(s.host))
        .evidence("score", (double) stages.size())
        .evidence("stages", stages)
        .evidence("timeline", timeline)
        .facts(stages)
        .build());
  }

  /** Registers {@code Bot::Infection}. */
  public static final class Factory extends org.bottrace.detect.NamedFactory {
    public Factory() {
      super(NOTE, "a host's infection stages (exploit or scan alert, download, C&C contact, propagation, DNS) joined",
          (c, context) -> new InfectionStory(context, c));
    }
  }
}
