#!/usr/bin/env bash
# Issues 6 and 7 end to end: a `spine` phantom subject (cord coating, thickened cauda equina roots and
# nodules; a normal brain) run through the pipeline reports the spine imaged and the spine items its truth
# has, with the spine lesions in spine_patterns.nii.gz; a subject without a spine study keeps the spine
# items NE; `leptoscan eval` counts the spine items. Run by ctest.

source "$(dirname "$0")/lib.sh"

# PH0305 (seed 9) has all three kinds of spinal LM, its nodule measurable; NOSPINE has no spine study.
run 0 -q phantom "$work/phantoms" --scenario spine --subject PH0305 --seed 9 --followups 0
run 0 -q phantom "$work/phantoms" --scenario normal --subject NOSPINE --followups 0
run 0 -q batch "$work/phantoms" "$work/results" -j 2 --keep-identifiers

spine_items_as_truth() {
  /usr/bin/python3 - "$1" "$2" <<'PY'
import json, sys
found, truth = (json.load(open(path)) for path in sys.argv[1:3])
assert found["imaged"]["spine"] is True, found["imaged"]
bad = [(name, found["items"][name]["status"], truth["items"][name]["status"])
       for name in ("spine_nodules", "spine_linear", "spinal_nerve_roots")
       if found["items"][name]["status"] != truth["items"][name]["status"]]
print("spine items (found, truth) that differ:", bad or "none")
spine = [l for l in found["lesions"] if l["compartment"] == "spine"]
assert spine and all(l["id"].startswith(("SN", "SL", "SR")) for l in spine), spine
sys.exit(1 if bad else 0)
PY
}

spine_patterns_hold_the_lesions() {
  /usr/bin/python3 - "$1" <<'PY'
import sys
import nibabel as nib
import numpy as np
labels = set(np.unique(np.asarray(nib.load(sys.argv[1]).dataobj)).astype(int).tolist())
# linear 1, roots 2, nodule 4, cord 8, sac 9, normal enhancement 13
missing = {1, 2, 4, 8, 9, 13} - labels
print(sys.argv[1], "labels", sorted(labels), "missing", sorted(missing) or "none")
sys.exit(1 if missing else 0)
PY
}

spine_not_evaluable() {
  /usr/bin/python3 - "$1" <<'PY'
import json, sys
found = json.load(open(sys.argv[1]))
assert found["imaged"]["spine"] is False, found["imaged"]
for name in ("spine_nodules", "spine_linear", "spinal_nerve_roots"):
    assert found["items"][name]["status"] == "ne", (name, found["items"][name])
PY
}

date=$(ls "$work/phantoms/PH0305" | grep -v truth)
check "PH0305: the spine is imaged and its items are the truth's" \
  spine_items_as_truth "$work/results/PH0305/$date/findings.json" "$work/phantoms/PH0305/truth/$date/truth.json"
check "PH0305: spine_patterns.nii.gz holds each kind of lesion, the cord, the sac and normal enhancement" \
  spine_patterns_hold_the_lesions "$work/results/PH0305/$date/spine_patterns.nii.gz"
date=$(ls "$work/phantoms/NOSPINE" | grep -v truth)
check "NOSPINE: without a spine study the spine items stay NE" \
  spine_not_evaluable "$work/results/NOSPINE/$date/findings.json"
check "NOSPINE: no spine outputs" test ! -e "$work/results/NOSPINE/$date/spine_patterns.nii.gz"

# eval on the batch's outputs: the spine items are counted where the truth has the spine imaged.
run 0 eval "$work/phantoms" -o "$work/eval.json" --outputs "$work/results" --reuse-outputs --keep-identifiers
check "eval counts the spine items" /usr/bin/python3 -c "
import json
items = json.load(open('$work/eval.json'))['metrics']['items']
for name in ('spine_nodules', 'spine_linear', 'spinal_nerve_roots'):
    i = items[name]
    print(name, i)
    assert i['true_positives'] == 1 and i['false_negatives'] == 0 and i['detected_ne'] == 0, name
    assert i['truth_ne'] == 1, name  # the subject without a spine study
"

finish
