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

for subject in PH0001 NORMAL; do
  date=$(ls "$work/phantoms/$subject" | grep -v truth)
  findings="$work/results/$subject/$date/findings.json"
  check "$subject has findings" test -s "$findings"
  check "$subject: no LM item is present in a normal head" no_lm_items "$findings"
  check "$subject: no dura, vessel, choroid plexus or pituitary voxel carries an LM pattern" \
    no_lm_on_look_alikes "$work/results/$subject/$date/patterns.nii.gz" "$work/phantoms/$subject/truth/$date/labels.nii.gz"
done

finish
