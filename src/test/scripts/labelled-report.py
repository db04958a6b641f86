#!/usr/bin/env python3
"""What bottrace says about each labelled host of the real (GPL, so not copied) datasets in the team's
shared corpus: Stratosphere's labelled Zeek logs, RITA's test data, Slips' samples.

Run from the project root after `mvn -B -q -DskipTests package`:
    python3 src/test/scripts/labelled-report.py [../shared/data]
Prints, per dataset, every notice bottrace wrote (other than IRC::ControlSession) and, for the labelled
logs, every host by label with the notices on it; exits 1 if any notice names a host whose every labelled
row is Benign.
"""
import collections, json, os, subprocess, sys

DATA = sys.argv[1] if len(sys.argv) > 1 else "../shared/data"
SETS = [
    ("Stratosphere 001 NjRAT (labelled conn)", "stratosphere_security-datasets-for-testing/001-zeek-scenario-malicious"),
    ("Stratosphere 003 Android RAT", "stratosphere_security-datasets-for-testing/003-zeek-scenario-malicious"),
    ("Stratosphere 005 Simda DGA", "stratosphere_security-datasets-for-testing/005-zeek-scenario-malicious"),
    ("Stratosphere 008 mixed, inbound 6667/6697 scans (labelled conn)", "stratosphere_security-datasets-for-testing/008-zeek-mixed/data"),
    ("Stratosphere 009 Kovter (labelled dns)", "stratosphere_security-datasets-for-testing/009-zeek-malicious/data"),
    ("RITA missing_host (scanned host)", "activecm_rita/missing_host"),
    ("RITA proxy", "activecm_rita/proxy"),
    ("RITA json_with_all_fields (dnscat2)", "activecm_rita/json_with_all_fields"),
    ("Slips test6 EVE", "stratosphere_slips/test6-malicious.suricata.json"),
    ("Slips test18 CTU-SME-11", "stratosphere_slips/test18-malicious-ctu-sme-11-win"),
    ("Slips test9 mixed", "stratosphere_slips/test9-mixed-zeek-dir"),
    ("Slips test10 mixed", "stratosphere_slips/test10-mixed-zeek-dir"),
]


def labels(path):
    """host -> Counter of labels, from labelled Zeek TSV files under path."""
    out = collections.defaultdict(collections.Counter)
    files = [path] if os.path.isfile(path) else [os.path.join(path, f) for f in sorted(os.listdir(path))]
    for f in files:
        if not os.path.isfile(f) or f.endswith(".json"):
            continue
        fields = None
        with open(f, errors="replace") as fh:
            for line in fh:
                if line.startswith("#fields"):
                    fields = line.rstrip("\n").split("\t")[1:]
                    continue
                if line.startswith("#") or fields is None or "label" not in fields:
                    continue
                row = line.rstrip("\n").split("\t")
                if len(row) != len(fields):
                    continue
                r = dict(zip(fields, row))
                lab = r["label"]
                for h in (r.get("id.orig_h"), r.get("id.resp_h")):
                    if h:
                        out[h][lab] += 1
    return out


bad = 0
for title, rel in SETS:
    path = os.path.join(DATA, rel)
    if not os.path.exists(path):
        print(f"== {title}: {path} not there, skipped")
        continue
    run = subprocess.run(["java", "-jar", "target/bottrace.jar", "replay", "-q", path], capture_output=True, text=True)
    notices = [json.loads(l) for l in run.stdout.splitlines() if l.strip()]
    notices = [n for n in notices if n["note"] != "IRC::ControlSession"]
    print(f"== {title}: {len(notices)} notice(s)")
    for n in notices:
        print(f"   {n['note']:<20} {n['msg'][:140]}")
    lab = labels(path)
    if not lab:
        continue
    named = collections.defaultdict(list)
    for n in notices:
        for h in (n.get("src"), n.get("dst")):
            if h:
                named[h].append(n["note"])
    shown = 0
    for host, c in sorted(lab.items(), key=lambda kv: -sum(kv[1].values())):
        said = sorted(set(named.get(host, [])))
        benign_only = set(c) <= {"Benign"}
        if benign_only and said:
            bad += 1
        if said or ("Malicious" in c and shown < 8):
            shown += 1
            print(f"   {host:<40} {dict(c)} -> {', '.join(said) if said else 'nothing'}")
    malicious = [h for h, c in lab.items() if "Malicious" in c]
    print(f"   hosts with Malicious rows: {len(malicious)}, with a notice: {sum(1 for h in malicious if named.get(h))}")
    print(f"   hosts labelled only Benign: {sum(1 for c in lab.values() if set(c) <= {'Benign'})}, with a notice: "
          f"{sum(1 for h, c in lab.items() if set(c) <= {'Benign'} and named.get(h))}")
sys.exit(1 if bad else 0)
