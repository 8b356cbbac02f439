#!/usr/bin/env bash
# End-to-end speed and memory (issue 8 goals: one subject with two time points, 1 mm, pre + post each, in
# under 60 s on 2 cores with a peak under 3 GiB), the time of each stage, and batch throughput with -j 1
# and -j 2 on the same phantom cohort. No peer runs this pipeline, so times are compared with the goals.
# Usage: bench/run-pipeline-benchmark.sh [SUBJECTS]   (after scripts/build; default 4 subjects)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
leptoscan="$root/build/bin/leptoscan"
subjects="${1:-4}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$leptoscan" -q phantom "$work/cohort" --cohort "$subjects" --seed 3
first=$(ls "$work/cohort" | grep '^PH' | head -n 1)
# Phantom ids identify no one: the case folders keep them, and the two batches below compare by subject.
# The phantoms are analytic heads: their template, built in memory, not the default Colin27 one.
export LEPTOSCAN_TEMPLATE=analytic

echo "## leptoscan run, one subject ($first), every stage computed"
/usr/bin/time -v "$leptoscan" -q run "$work/cohort/$first" "$work/one" --keep-identifiers 2>"$work/time.txt"
grep -E "Elapsed|Maximum resident|User time|System time|Percent of CPU" "$work/time.txt"
python3 - "$work/one/$first/manifest.json" <<'EOF'
import collections, json, sys
stages = json.load(open(sys.argv[1]))["stages"]
total = collections.OrderedDict()
for s in stages:
    total[s["stage"]] = total.get(s["stage"], 0) + s["seconds"]
print("stage seconds (summed over time points): " + ", ".join(f"{k} {v:.1f}" for k, v in total.items()))
EOF
echo "## leptoscan run again: every stage up to date"
/usr/bin/time -f "%e s wall" "$leptoscan" -q run "$work/cohort/$first" "$work/one" --keep-identifiers

for jobs in 1 2; do
  echo "## leptoscan batch -j $jobs, $subjects subjects"
  start=$(date +%s.%N)
  "$leptoscan" -q batch "$work/cohort" "$work/batch-j$jobs" -j "$jobs" --keep-identifiers || true
  python3 -c "import sys; s = float(sys.argv[2]) - float(sys.argv[1]); n = int(sys.argv[3]); print(f'{s:.1f} s, {s / n:.1f} s per subject, {3600 * n / s:.0f} subjects per hour')" \
    "$start" "$(date +%s.%N)" "$subjects"
done
cmp "$work/batch-j1/results.tsv" "$work/batch-j2/results.tsv" && echo "results.tsv identical for -j 1 and -j 2"
