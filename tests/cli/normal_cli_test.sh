#!/usr/bin/env bash
# Issue 7's target for a head without LM: a `normal` phantom subject run through the pipeline reports
# no LM item, and not one voxel of the truth's dura, vessels, choroid plexus or pituitary carries an LM
# pattern (sulcal, ependymal, cranial nerve or nodule) in patterns.nii.gz. Run by ctest.

source "$(dirname "$0")/lib.sh"

# Two normal heads (the subject id seeds motion, noise and bias): before the fixes PH0001 reported both
# VII/VIII nerves (the dura of their foramina) and NORMAL a "sulcal" strip along the superior sagittal sinus.
for subject in PH0001 NORMAL; do
  run 0 -q phantom "$work/phantoms" --scenario normal --followups 0 --subject "$subject"
done
run 0 -q batch "$work/phantoms" "$work/results" -j 2 --keep-identifiers

lm_items_present() {
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

for subject in PH0001 NORMAL; do
  date=$(ls "$work/phantoms/$subject" | grep -v truth)
  findings="$work/results/$subject/$date/findings.json"
  check "$subject has findings" test -s "$findings"
  check "$subject: no LM item is present in a normal head" lm_items_present "$findings"
  check "$subject: no dura, vessel, choroid plexus or pituitary voxel carries an LM pattern" \
    no_lm_on_look_alikes "$work/results/$subject/$date/patterns.nii.gz" "$work/phantoms/$subject/truth/$date/labels.nii.gz"
done

finish
