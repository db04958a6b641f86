#!/usr/bin/env bash
# bottrace benchmark: one command, run from the project root:   bash src/jmh/bench.sh
#
# 1. generates (once) bench-data/conn.log (5,000,000 Zeek TSV rows, a fifth of them IRC, about a million
#    hosts) from a fixed seed, bench-data/conn.json (its first 1,000,000 rows as Zeek JSON), and two EVE
#    files of 1,000,000 events copied from the real Suricata 7.0.10 EVE of the test captures, shifted
#    forward in time and in address: bench-data/eve-mix.json, a busy site's mix (a benign company's
#    flows, DNS, HTTP, TLS and files with one IRC C&C server's share of IRC-as-ftp events and alerts),
#    and bench-data/eve.json, the worst case (every copy a botnet, a notice every few events);
# 2. times cat and awk over each file, then `bottrace replay` over each and over conn.log and eve-mix.json together, whole
#    process (JVM start included), printing bottrace's time as a multiple of awk's and cat's on the same
#    file in the same run, with the heap capped as the shipped unit caps it (-Xmx512m);
# 3. runs the JMH benchmarks: records/s per reader (ParserBench, from memory) and per detector alone over
#    records parsed beforehand (DetectorBench), and the list look-ups (ListBench);
# 4. measures the latency of `bottrace run` from a line's append to its notice's write (p50, p99).
# Options: CONN=N JSON=N EVE=N (sizes), HEAP=512m, JMH=0 to skip JMH, LATENCY=0 to skip the latency run,
# LATENCY_SECONDS=N, IRC_FLOOD=N (IRC sessions of the flood run, 0 to skip), REGEN=1 to regenerate the data.
set -euo pipefail
cd "$(dirname "$0")/../.."
CONN=${CONN:-5000000}
EVE=${EVE:-1000000}
JSON=${JSON:-1000000}   # conn.json: the first JSON rows of conn.log as Zeek JSON
HEAP=${HEAP:-512m}   # the shipped systemd unit's
DATA=bench-data
mvn -B -q -DskipTests package test-compile
mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath >/dev/null
CP="target/test-classes:target/classes:$(cat target/bench.classpath)"
if [ "${REGEN:-0}" = 1 ] || [ ! -s "$DATA/conn.log" ] || [ ! -s "$DATA/conn.json" ] || [ ! -s "$DATA/eve.json" ] \
    || [ ! -s "$DATA/eve-mix.json" ]; then
  echo "generating $CONN conn.log rows (the first $JSON as conn.json too) and $EVE EVE events in $DATA/ ..."
  java -cp "$CP" org.bottrace.bench.GenerateLogs "$DATA" "$CONN" "$EVE" "$JSON"
fi
cat "$DATA/conn.log" "$DATA/conn.json" "$DATA/eve-mix.json" "$DATA/eve.json" > /dev/null   # warm the page cache for everyone alike

secs() { local s e; s=$(date +%s.%N); "$@" > /dev/null; e=$(date +%s.%N); echo "$e - $s" | bc; }
rate() { echo "scale=0; $1 / $2" | bc; }
ratio() { echo "scale=2; $1 / $2" | bc | sed 's/^\./0./'; }
echo "machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1); $(java -version 2>&1 | head -1)"
printf '\n%-40s %10s %9s %12s %8s %8s  %s\n' "run (whole process)" "records" "seconds" "records/s" "x awk" "x cat" \
  "peak RSS, live heap after GC"
row() { printf '%-40s %10s %9.2f %12s %8s %8s  %s\n' "$1" "$2" "$3" "$(rate "$2" "$3")" "$4" "$5" "$6"; }
# bottrace's time is the whole process's, JVM start included, beside cat's and awk's on the same file in
# the same run; x awk and x cat are bottrace's seconds over theirs (1.00: as fast; above: slower)
bottrace() { # label records files...
  local label=$1 n=$2; shift 2
  rm -f target/bench.stats.json
  local s e t
  s=$(date +%s.%N)
  if /usr/bin/time -f '%M' -o target/bench.rss java -Xmx$HEAP ${GCOPT:-} -jar target/bottrace.jar replay -q \
      --stats target/bench.stats.json "$@" > /dev/null 2> target/bench.err; then
    e=$(date +%s.%N); t=$(echo "$e - $s" | bc)
    heap=$(python3 -c "import json;print(json.load(open('target/bench.stats.json'))['heap_after_gc_peak_bytes']//1048576)")
    row "$label" "$n" "$t" "$(ratio "$t" "$AWK")" "$(ratio "$t" "$CAT")" "$(( $(tail -1 target/bench.rss) / 1024 ))M, live ${heap}M"
  else
    e=$(date +%s.%N); t=$(echo "$e - $s" | bc)
    printf '%-40s %10s %9.2f  failed: %s\n' "$label" "$n" "$t" "$(grep -m1 '^bottrace' target/bench.err | cut -c1-90)"
  fi
}
for f in conn.log conn.json eve-mix.json eve.json; do
  n=$(grep -vc '^#' "$DATA/$f")
  CAT=$(secs cat "$DATA/$f")
  row "cat $f" "$n" "$CAT" "" "1.00" "-"
  if [ "$f" = conn.log ]; then
    AWK=$(secs awk -F'\t' '$12=="S0"{c++} END{print c}' "$DATA/$f")
    row "awk -F'\\t' (count S0 rows)" "$n" "$AWK" "1.00" "$(ratio "$AWK" "$CAT")" "-"
  elif [ "$f" = conn.json ]; then
    AWK=$(secs awk '/"conn_state":"S0"/{c++} END{print c}' "$DATA/$f")
    row "awk (count S0 rows)" "$n" "$AWK" "1.00" "$(ratio "$AWK" "$CAT")" "-"
  else
    AWK=$(secs awk '/"event_type":"flow"/{c++} END{print c}' "$DATA/$f")
    row "awk (count flow events)" "$n" "$AWK" "1.00" "$(ratio "$AWK" "$CAT")" "-"
  fi
  bottrace "bottrace replay $f (-Xmx$HEAP)" "$n" "$DATA/$f"
done
n=$(( $(grep -vc '^#' "$DATA/conn.log") + $(grep -c . "$DATA/eve-mix.json") ))
CAT=$(secs cat "$DATA/conn.log" "$DATA/eve-mix.json")
AWK=$(secs awk -F'\t' '$12=="S0"{c++} /"event_type":"flow"/{d++} END{print c, d}' "$DATA/conn.log" "$DATA/eve-mix.json")
row "cat both" "$n" "$CAT" "" "1.00" "-"
row "awk both" "$n" "$AWK" "1.00" "$(ratio "$AWK" "$CAT")" "-"
bottrace "bottrace replay both (-Xmx$HEAP)" "$n" "$DATA/conn.log" "$DATA/eve-mix.json"
# the same with the throughput collector, for batch replays (the unit's `run` keeps G1 for its pauses)
GCOPT=-XX:+UseParallelGC bottrace "bottrace replay both (ParallelGC)" "$n" "$DATA/conn.log" "$DATA/eve-mix.json"

# an IRC flood: IRC_FLOOD sessions (NICK, USER, JOIN) to one server, under the shipped unit's heap; the
# server holds IRC::Botnet.max_clients (10,000) of them: live heap per held session
FLOOD=${IRC_FLOOD:-100000}
if [ "$FLOOD" -gt 0 ]; then
  mkdir -p "$DATA/flood"
  if [ ! -s "$DATA/flood/irc.log" ] || [ "${REGEN:-0}" = 1 ]; then
    python3 - "$FLOOD" "$DATA/flood/irc.log" <<'PY'
import sys
n, out = int(sys.argv[1]), sys.argv[2]
hdr = ["#separator \\x09", "#set_separator\t,", "#empty_field\t(empty)", "#unset_field\t-", "#path\tirc",
       "#open\t2026-11-22-01-15-53",
       "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tnick\tuser\tcommand\tvalue\taddl\tdcc_file_name\tdcc_file_size\tdcc_mime_type\tfuid",
       "#types\ttime\tstring\taddr\tport\taddr\tport\tstring\tstring\tstring\tstring\tstring\tstring\tcount\tstring\tstring"]
with open(out, "w") as w:
    w.write("\n".join(hdr) + "\n")
    for i in range(n):
        ts = 1795300000000000 + i * 10000
        pre = "\tC%xflood\t10.%d.%d.%d\t%d\t198.51.100.7\t6667\t" % (i, i >> 16 & 255, i >> 8 & 255, i & 255, 40000 + i % 20000)
        nick = "u%x" % (i * 7919 % 1000003)
        rows = ["-\t-\tNICK\t%s\t-" % nick, "%s\t-\tUSER\t%s\t0 * %s" % (nick, nick, nick), "%s\t%s\tJOIN\t#lobby\t-" % (nick, nick)]
        for k in range(3):
            t = ts + k * 1000
            w.write("%d.%06d%s%s\t-\t-\t-\t-\n" % (t // 1000000, t % 1000000, pre, rows[k]))
PY
  fi
  n=$(grep -vc '^#' "$DATA/flood/irc.log")
  row "cat flood irc.log" "$n" "$(secs cat "$DATA/flood/irc.log")" "" "" "-"
  /usr/bin/time -f '%M' -o target/bench.rss java -Xmx512m -jar target/bottrace.jar replay -q \
    --stats target/bench.stats.json "$DATA/flood/irc.log" > /dev/null
  el=$(python3 -c "import json;print(json.load(open('target/bench.stats.json'))['elapsed_s'])")
  heap=$(python3 -c "import json;print(json.load(open('target/bench.stats.json'))['heap_after_gc_peak_bytes']//1048576)")
  per=$(python3 -c "import json;print(json.load(open('target/bench.stats.json'))['heap_after_gc_peak_bytes']//10000//1024)")
  row "bottrace replay IRC flood (-Xmx512m)" "$n" "$el" "" "" "$(( $(cat target/bench.rss) / 1024 ))M live ${heap}M, ${per} KiB per held session"
fi

if [ "${JMH:-1}" = 1 ]; then
  echo
  java -cp "$CP" org.openjdk.jmh.Main ParserBench -wi 2 -w 2 -i 3 -r 3 -f 1 2>&1 | sed -n '/^Benchmark/,$p'
  # each detector alone over the same parsed records ("none": the pipeline and the enrichment alone)
  java -cp "$CP" org.openjdk.jmh.Main DetectorBench 2>&1 | sed -n '/^Benchmark/,$p'
  java -Xmx2g -cp "$CP" org.openjdk.jmh.Main ListBench -wi 1 -w 2 -i 2 -r 5 -f 1 2>&1 | sed -n "/^Benchmark/,\$p"
fi

if [ "${LATENCY:-1}" = 1 ]; then
  echo
  # bottrace run following a live conn.log: from a line's append to its notice's write
  java -cp "$CP" org.bottrace.bench.FollowLatency target/bottrace.jar "${LATENCY_SECONDS:-30}" 200
  # near the readers' rates, with the unit's collector (G1) and with the throughput one
  java -cp "$CP" org.bottrace.bench.FollowLatency target/bottrace.jar 30 50000
  BOTTRACE_JVM="-Xmx512m -XX:+UseParallelGC" java -cp "$CP" org.bottrace.bench.FollowLatency target/bottrace.jar 30 50000
fi
