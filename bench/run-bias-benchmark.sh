#!/usr/bin/env bash
# Bias field correction against cmtk mrbias, in one hyperfine run on the same input (results:
# bench/RESULTS.md, "Registration (issue 6)"). Input: Colin27 (ch2) times a known smooth field of about
# +-25% (bench/bias/bias_metrics.py make); both tools fit their field within the ch2bet brain mask. Error:
# white-matter CV and the residual bias over the brain (bias_metrics.py score).
# Usage: bench/run-bias-benchmark.sh [runs]   (after building the bias_correct target)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bias_correct="$root/build/bin/bias_correct"
runs=${1:-5}
templates=/usr/share/mricron/templates
source "$root/bench/lib.sh"
require_executable "$bias_correct" bias_correct
require_tools cmtk hyperfine
metrics="/usr/bin/python3 $root/bench/bias/bias_metrics.py"
$metrics make "$templates/ch2.nii.gz" "$templates/ch2bet.nii.gz" "$work/biased.nii.gz" "$work/mask.nii.gz"

hyperfine -N -w 1 -r "$runs" --export-json "$work/times.json" \
  -n leptoscan "$bias_correct $work/biased.nii.gz $work/leptoscan.nii.gz $work/mask.nii.gz" \
  -n "cmtk mrbias" "cmtk mrbias --mask $work/mask.nii.gz --write-float $work/biased.nii.gz $work/cmtk.nii.gz" >&2
median_ratio "$work/times.json" leptoscan "cmtk mrbias"

# Each tool's correction of the unbiased scan is its reference for the residual.
"$bias_correct" "$templates/ch2.nii.gz" "$work/leptoscan-ref.nii.gz" "$work/mask.nii.gz"
cmtk mrbias --mask "$work/mask.nii.gz" --write-float "$templates/ch2.nii.gz" "$work/cmtk-ref.nii.gz" >/dev/null
for tool in leptoscan cmtk; do
  echo -n "$tool: "
  $metrics score "$templates/ch2.nii.gz" "$work/mask.nii.gz" "$work/biased.nii.gz" "$work/$tool.nii.gz" \
    "$work/$tool-ref.nii.gz"
done
