#!/usr/bin/env bash
# Phantom generation speed (issue 4 goal: a 1 mm brain subject with two visits, T1 pre and post each,
# in under 10 s). No peer generates such studies, so the time is compared with the goal.
# Usage: bench/run-phantom-benchmark.sh   (after scripts/build)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
leptoscan="$root/build/bin/leptoscan"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "## one subject, scenario mixed, 1 mm, baseline + follow-up, T1 pre + post"
hyperfine -N -w 1 -r 5 --prepare "rm -rf $work/one" --export-json "$work/one.json" \
  "$leptoscan -q phantom $work/one --scenario mixed --seed 1" >&2
python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['results'][0]; print(f\"median {r['median']:.2f} s (min {r['min']:.2f}, max {r['max']:.2f}) over {len(r['times'])} runs\")" "$work/one.json"
echo "## the same on the Colin27 head (its derivation from mricron-data included)"
hyperfine -N -w 1 -r 5 --prepare "rm -rf $work/colin" --export-json "$work/colin.json" \
  "$leptoscan -q phantom $work/colin --anatomy colin27 --scenario mixed --seed 1" >&2
python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['results'][0]; print(f\"median {r['median']:.2f} s (min {r['min']:.2f}, max {r['max']:.2f}) over {len(r['times'])} runs\")" "$work/colin.json"
echo "## cohort of 20, seed 1"
start=$(date +%s.%N)
"$leptoscan" -q phantom "$work/cohort" --cohort 20 --seed 1
python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f} s for 20 subjects')" "$start" "$(date +%s.%N)"
