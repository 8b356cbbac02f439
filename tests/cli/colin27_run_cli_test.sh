#!/usr/bin/env bash
# The pipeline on a phantom built on real anatomy (`leptoscan phantom --anatomy colin27`): it runs through
# (brain extraction once stopped at "the brain mask is empty" there: the skull's inside reached the air
# through the skull base), and with the default template (Colin27, which the build makes from mricron-data)
# it reports no LM on this normal head and puts no LM pattern on the truth's dura, vessels, choroid plexus or
# pituitary: the dura beside the right VII/VIII nerve was a "nerve" in 58 of 60 scans of a 30-subject
# cohort, and a falx the plane search missed 1811 mm2 of "sulcal LM". (The analytic template, the default
# before, does not fit this anatomy: Evans 0.49 and false LM, bench/RESULTS.md.)
# Run by ctest. Its accuracy on LM is for `leptoscan eval` to measure.

source "$(dirname "$0")/lib.sh"
unset LEPTOSCAN_TEMPLATE

run 0 -q phantom "$work/phantoms" --anatomy colin27 --scenario normal --followups 0 --subject COLIN
run 0 -q run "$work/phantoms/COLIN" "$work/results" --keep-identifiers
date=$(ls "$work/phantoms/COLIN" | grep -v truth)
findings="$work/results/COLIN/$date/findings.json"
check "the Colin27 subject has findings" test -s "$findings"

check "a pattern map beside them" test -s "$work/results/COLIN/$date/patterns.nii.gz"
check "the findings hold every item of the contract" /usr/bin/python3 -c "
import json, sys
items = json.load(open(sys.argv[1]))['items']
sys.exit(0 if len(items) == 8 and all(i['status'] in ('present', 'absent', 'ne') for i in items.values()) else 1)
" "$findings"
check "the normal Colin27 head has no LM item" no_lm_items "$findings"
check "no dura, vessel, choroid plexus or pituitary voxel carries an LM pattern" \
  no_lm_on_look_alikes "$work/results/COLIN/$date/patterns.nii.gz" "$work/phantoms/COLIN/truth/$date/labels.nii.gz"

finish
