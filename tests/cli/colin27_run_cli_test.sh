#!/usr/bin/env bash
# The pipeline on a phantom built on real anatomy (`leptoscan phantom --anatomy colin27`): it runs through
# (brain extraction once stopped at "the brain mask is empty" there: the skull's inside reached the air
# through the skull base). Run by ctest. Its accuracy on this anatomy is for `leptoscan eval` to measure.

source "$(dirname "$0")/lib.sh"

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

finish
