#!/usr/bin/env bash
# `leptoscan phantom` as a user meets it: help, usage errors, what it says it wrote, no overwriting,
# and byte-identical output for the same seed.
source "$(dirname "$0")/lib.sh"

run 0 phantom --help
check "help has examples" contains out "leptoscan phantom /data/phantoms --scenario mixed"
check "help lists the scenarios" contains out "pd-new"
run 2 phantom "$work/a"
run 2 phantom "$work/a" --scenario nodular --cohort 2
run 2 phantom "$work/a" --scenario no-such-scenario
run 2 phantom "$work/a" --scenario nodular --spacing 2
run 2 phantom "$work/a" --scenario nodular --anatomy no-such-head
run 0 phantom --help
check "help names the Colin27 head" contains out "colin27"
check "help names the spine scenario and --spine" contains out "--scenario spine"
check "help has --spine" contains out "--spine"

run 0 phantom "$work/a" --scenario nodular --seed 5 --spacing 1x1x3
check "says what it wrote" contains err "wrote $work/a/PH0001 (nodular"
check "baseline and follow-up studies" test "$(find "$work/a/PH0001" -mindepth 1 -maxdepth 1 -name '20*' | wc -l)" -eq 2
check "truth per visit" test "$(find "$work/a/PH0001/truth" -name truth.json | wc -l)" -eq 2
check "expected responses" python3 -m json.tool "$work/a/PH0001/truth/expected.json" /dev/null
"$bin" -q index "$work/a/PH0001" --tsv "$work/series.tsv"
check "slices 3 mm apart" python3 -c "
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter='\t'))
sys.exit(not (len(rows) == 4 and all(abs(float(r['slice_spacing_mm']) - 3) < 1e-6 for r in rows)))" "$work/series.tsv"
run 1 phantom "$work/a" --scenario nodular --seed 5 --spacing 1x1x3
check "an existing subject is not overwritten" contains err "already exists"

run 0 phantom "$work/b" --scenario nodular --seed 5 --spacing 1x1x3
check "same seed, byte-identical output" diff -r "$work/a" "$work/b"
run 0 phantom "$work/c" --scenario nodular --seed 6 --spacing 1x1x3
check "another seed, other output" bash -c "! diff -rq '$work/a' '$work/c' > /dev/null"
check "no partial folders left" test -z "$(find "$work" -name '.partial-*')"

# A cohort rotates the vendors: every series is named, and acquired, in its manufacturer's style (seed 1
# once gave PH0001 Siemens tags and sagittal slices under GE's "Ax T1 BRAVO").
run 0 phantom "$work/v" --cohort 3 --seed 1 --followups 0 --spacing 1x1x3
"$bin" -q index "$work/v" --tsv "$work/vendors.tsv"
check "series named in their manufacturer's style" python3 -c "
import csv, sys
style = {'SIEMENS': ('t1_mprage_sag', 'sagittal'), 'GE MEDICAL SYSTEMS': ('Ax T1 BRAVO', 'axial'),
         'Philips Medical Systems': ('sT1W_3D_TFE', 'coronal')}
rows = list(csv.DictReader(open(sys.argv[1]), delimiter='\t'))
bad = [r for r in rows if r['manufacturer'] not in style
       or not r['series_description'].startswith(style[r['manufacturer']][0])
       or r['orientation'] != style[r['manufacturer']][1]]
print(*[(r['patient_id'], r['manufacturer'], r['series_description'], r['orientation']) for r in bad], sep='\n')
sys.exit(len(rows) != 6 or len(set(r['manufacturer'] for r in rows)) != 3 or bool(bad))" "$work/vendors.tsv"

run 0 phantom "$work/s1" --scenario spine --seed 3 --followups 0
check "says it wrote a spine subject" contains err "wrote $work/s1/PH0001 (spine"
"$bin" -q index "$work/s1/PH0001" --tsv "$work/spine.tsv"
check "sagittal spine T1 before and after contrast, 3 mm slices" python3 -c "
import csv, sys
rows = {r['role']: r for r in csv.DictReader(open(sys.argv[1]), delimiter='\t')}
spine = [rows.get('spine_t1_pre'), rows.get('spine_t1_post')]
sys.exit(not (all(spine) and all(r['orientation'] == 'sagittal' and abs(float(r['slice_spacing_mm']) - 3) < 1e-6
                                  for r in spine)))" "$work/spine.tsv"
check "spine truth" test -s "$(ls "$work"/s1/PH0001/truth/*/spine_labels.nii.gz)"
run 0 phantom "$work/s2" --scenario spine --seed 3 --followups 0
check "same seed, byte-identical spine subject" diff -r "$work/s1" "$work/s2"

finish
