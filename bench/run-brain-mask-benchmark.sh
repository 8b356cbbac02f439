#!/usr/bin/env bash
# Brain extraction against mia-3dbrainextractT1 (Debian's mia-tools), in one hyperfine run on the same input
# (results: bench/RESULTS.md, "Anatomy (issue 6)"). Input: Colin27 with its skull (ch2.nii.gz of
# mricron-data); accuracy: each mask's Dice against ch2bet > 0 (bench/brain/mask_dice.py).
# Usage: bench/run-brain-mask-benchmark.sh [runs]   (after building the brain_extract target)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
brain_extract="$root/build/bin/brain_extract"
runs=${1:-5}
templates=/usr/share/mricron/templates
source "$root/bench/lib.sh"
require_executable "$brain_extract" brain_extract
require_tools mia-3dbrainextractT1 hyperfine
# mia reads .nii only, uncompressed.
gzip -dc "$templates/ch2.nii.gz" > "$work/ch2.nii"

# mia refuses to overwrite its output: each run starts without it.
hyperfine -N -w 1 -r "$runs" --export-json "$work/times.json" --prepare "rm -f $work/mia.nii" \
  -n leptoscan "$brain_extract $work/ch2.nii $work/leptoscan.nii.gz" \
  -n mia-3dbrainextractT1 "mia-3dbrainextractT1 -i $work/ch2.nii -o $work/mia.nii" >&2
median_ratio "$work/times.json" leptoscan mia-3dbrainextractT1
/usr/bin/python3 "$root/bench/brain/mask_dice.py" "$templates/ch2bet.nii.gz" "$work/leptoscan.nii.gz" "$work/mia.nii"
