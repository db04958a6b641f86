#!/usr/bin/env bash
# bottrace through Kafka: records/s of `bottrace run --kafka` and of the Streams application with 1, 2 and 4
# instances, on the same records, beside `bottrace replay`, cat and awk of the same rows from a file. Run from the project root:
#   bash src/jmh/kafka-bench.sh
# It starts a single-node KRaft broker (Kafka's test kit) in the benchmark's own JVM, so the broker shares
# this machine's cores with what it measures. Options: ROWS=N (200000), PARTITIONS=N (4), INSTANCES=1,2,4,
# BENCH_JVM="-XX:StartFlightRecording=filename=/tmp/NAME.jfr" (JVM options of each process; NAME: its name).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROWS=${ROWS:-200000}
PARTITIONS=${PARTITIONS:-4}
INSTANCES=${INSTANCES:-1,2,4}
mvn -B -q -DskipTests package test-compile
mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath >/dev/null
CP="target/test-classes:target/classes:$(cat target/bench.classpath)"
if [ ! -s bench-data/conn.json ]; then
  java -cp "$CP" org.bottrace.bench.GenerateLogs bench-data 5000000 1000000 1000000
fi
head -n "$ROWS" bench-data/conn.json > target/kafka-bench-conn.json
secs() { local s e; s=$(date +%s.%N); "$@" > /dev/null; e=$(date +%s.%N); echo "$e - $s" | bc; }
CAT=$(secs cat target/kafka-bench-conn.json)
AWK=$(secs awk -F'"conn_state":"' '$2 ~ /^S0/' target/kafka-bench-conn.json)
printf 'the same %s rows, from a file: cat %.3f s, awk (conn_state S0) %.3f s\n' "$ROWS" "$CAT" "$AWK"
s=$(date +%s.%N)
java -Xmx1g -jar target/bottrace.jar replay -q --out /dev/null target/kafka-bench-conn.json
e=$(date +%s.%N)
t=$(echo "$e - $s" | bc)
printf 'bottrace replay of the same %s rows from a file: %.2f s, %s rows/s\n' "$ROWS" "$t" "$(echo "$ROWS / $t" | bc)"
java -cp "$CP" org.bottrace.bench.KafkaBench target/bottrace.jar target/bottrace-streams.jar \
  target/kafka-bench-conn.json "$ROWS" "$PARTITIONS" "$INSTANCES"
