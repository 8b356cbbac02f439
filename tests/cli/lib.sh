# Shared by the command-line tests: source it, run checks, end with `finish`.
# Needs LEPTOSCAN_BIN (set by ctest). Gives $bin, a scratch folder $work removed on exit, and:
#   check WHAT command...     the command must succeed
#   run EXIT args...          leptoscan args must exit with EXIT; its stdout/stderr land in $work/out, $work/err
#   run_program PROGRAM EXIT args...   the same for another executable
#   contains out|err TEXT     the last run's stdout or stderr contains TEXT
#   pseudonym KEY_FILE ID     the subject id leptoscan gives PatientID ID under that key, computed here
#   no_lm_items FINDINGS       fails when a brain LM item of the findings document is present
#   no_lm_on_look_alikes PATTERNS LABELS   fails when a truth dura, vessel, plexus or pituitary voxel
#                             carries an LM pattern
#   finish                    prints "N passed, M failed" and exits non-zero on any failure
set -uo pipefail

bin=${LEPTOSCAN_BIN:?set by ctest}
# The phantoms these tests analyse are analytic heads: their template, not the default Colin27 one. A test
# of the default unsets it.
export LEPTOSCAN_TEMPLATE=analytic
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
passes=0

check() {
  local what=$1
  shift
  if "$@"; then passes=$((passes + 1)); else echo "FAIL: $what" >&2; failures=$((failures + 1)); fi
}

run() { run_program "$bin" "$@"; }

# run_program PROGRAM EXIT args...: run for another executable (leptoscan-view).
run_program() {
  local program=$1 expected=$2
  shift 2
  "$program" "$@" >"$work/out" 2>"$work/err"
  local got=$?
  if [ "$got" -ne "$expected" ]; then
    echo "FAIL: $(basename "$program") $* exited $got, expected $expected; stderr:" >&2
    cat "$work/err" >&2
    failures=$((failures + 1))
  else
    passes=$((passes + 1))
  fi
}

contains() { grep -q -- "$2" "$work/$1"; }

# broken_subject SOURCE DEST PATIENT_ID: a copy of a phantom subject under another PatientID whose
# baseline series each lost the second half of one file's pixel data (the index, reading headers only,
# still lists them); the truncated files are listed in $work/victims.
broken_subject() {
  cp -r "$1" "$2"
  rm -rf "$2/truth"
  find "$2" -name '*.dcm' -exec dcmodify -nb -q -m "PatientID=$3" {} +
  local series victim
  for series in "$(ls -d "$2"/2* | sort | head -1)"/*/; do
    victim=$(ls "$series"*.dcm | sed -n 20p)
    truncate -s $(($(stat -c %s "$victim") / 2)) "$victim"
    echo "$victim" >>"$work/victims"
  done
}

# HMAC-SHA-256 of the PatientID under the key, independently of leptoscan (pipeline/pseudonyms.h).
pseudonym() {
  /usr/bin/python3 -c "
import hashlib, hmac, sys
key = open(sys.argv[1], 'rb').read().rstrip(b' \t\r\n')
print('LS-' + hmac.new(key, sys.argv[2].encode(), hashlib.sha256).hexdigest()[:10])" "$1" "$2"
}

finish() {
  echo "$passes passed, $failures failed"
  [ "$failures" -eq 0 ]
}

no_lm_items() {
  /usr/bin/python3 - "$1" <<'PY'
import json, sys
items = json.load(open(sys.argv[1]))["items"]
present = [name for name in ("brain_nodules", "brain_linear", "ependymal", "cranial_nerves")
           if items[name]["status"] == "present"]
print(sys.argv[1], "LM items present:", present or "none")
sys.exit(1 if present else 0)
PY
}

no_lm_on_look_alikes() {
  /usr/bin/python3 - "$1" "$2" <<'PY'
import sys
import nibabel as nib
import numpy as np
patterns = nib.load(sys.argv[1])
truth = nib.load(sys.argv[2])
assert np.allclose(patterns.affine, truth.affine), "patterns and truth are on different grids"
p = np.asarray(patterns.dataobj)
t = np.asarray(truth.dataobj)
look_alikes = {1001: "dura", 1002: "vessel", 1003: "choroid plexus", 1004: "pituitary"}
patterns_lm = {1: "sulcal", 2: "ependymal", 3: "cranial nerve", 4: "nodule"}
bad = 0
for label, name in look_alikes.items():
    for pattern, pattern_name in patterns_lm.items():
        count = int(np.count_nonzero((t == label) & (p == pattern)))
        if count:
            print(f"{sys.argv[1]}: {count} {name} voxels reported as {pattern_name}")
            bad += count
sys.exit(1 if bad else 0)
PY
}
