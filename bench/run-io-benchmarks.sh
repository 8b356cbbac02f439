#!/usr/bin/env bash
# DICOM input benchmarks against dcm2niix, in one run on the same files (results: bench/RESULTS.md).
#  1. convert: the 316-file 0.5 mm Colin27 series to uncompressed NIfTI, leptoscan vs dcm2niix (hyperfine).
#  2. index: a corpus of 3,160 files (ten copies of that series, each with its own SeriesInstanceUID):
#     leptoscan index vs dcm2niix -b o (dcm2niix reads every header and groups series, writing only
#     its JSON sidecars), plus leptoscan's in-process throughput with Google Benchmark.
# Usage: bench/run-io-benchmarks.sh   (after scripts/build, which builds the fixtures)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$root/build"
leptoscan="$build/bin/leptoscan"
series="$build/testdata/colin05"
[ -x "$leptoscan" ] && [ -d "$series" ] || { echo "run scripts/build first" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# compare TITLE FILES RUNS PEER_COMMAND LEPTOSCAN_COMMAND: hyperfine both, print medians and the ratio.
compare() {
  local title=$1 files=$2 runs=$3
  echo "## $title"
  hyperfine -N -w 2 -r "$runs" --export-json "$work/result.json" "$4" "$5" >&2
  python3 - "$work/result.json" "$files" <<'PY'
import json, sys
peer, ours = json.load(open(sys.argv[1]))["results"]
files = int(sys.argv[2])
print(f"peer `{peer['command']}`: median {peer['median']:.3f} s (mean {peer['mean']:.3f} ± {peer['stddev']:.3f})")
print(f"leptoscan: median {ours['median']:.3f} s (mean {ours['mean']:.3f} ± {ours['stddev']:.3f}), "
      f"{files / ours['median']:.0f} files/s")
print(f"ratio leptoscan/peer (medians) = {ours['median'] / peer['median']:.2f}")
PY
}

compare "convert: 316-file 0.5 mm Colin27 series -> .nii" 316 15 \
  "dcm2niix -z n -o $work -f d2n $series" "$leptoscan -q convert $series $work/leptoscan.nii"

corpus="$work/corpus"
mkdir "$corpus" "$work/sidecars"
for copy in $(seq 1 10); do
  cp -r "$series" "$corpus/series$copy"
  dcmodify -nb -q -gse "$corpus/series$copy"/*.dcm
done
compare "index: 3,160 files in 10 series" 3160 10 \
  "dcm2niix -b o -o $work/sidecars $corpus" "$leptoscan -q index $corpus --json $work/index.json"
echo "## index throughput in-process (Google Benchmark)"
"$build/bin/index_throughput" "$corpus" 2>/dev/null | grep -E "BM_"
