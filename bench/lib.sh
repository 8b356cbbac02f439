# Shared by the peer benchmarks (bench/run-*-benchmark*.sh): source it after `set -euo pipefail`.
#   require_executable PATH TARGET   stops unless PATH (a build output) exists: build TARGET first
#   require_tools TOOL...            stops unless every TOOL is on PATH (scripts/setup installs them)
#   median_ratio TIMES.JSON OURS PEER   from hyperfine's --export-json: both medians and OURS / PEER
# It also gives a scratch folder $work, removed on exit.

require_executable() {
  [ -x "$1" ] || { echo "build the $2 target first" >&2; exit 1; }
}

require_tools() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "$tool missing: run scripts/setup" >&2; exit 1; }
  done
}

median_ratio() {
  python3 -c "
import json, sys
r = {x['command']: x['median'] for x in json.load(open(sys.argv[1]))['results']}
ours, peer = sys.argv[2], sys.argv[3]
print(f'median wall time: {ours} {r[ours]:.2f} s, {peer} {r[peer]:.2f} s, ratio {r[ours] / r[peer]:.2f}')" "$@"
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
