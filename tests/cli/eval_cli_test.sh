#!/usr/bin/env bash
# leptoscan eval on the phantom cohort of the fixture (3 subjects, baseline and follow-up): every subject
# runs with the template of the cohort's anatomy, the table and eval.json carry the metrics, the detected
# findings are valid documents that `leptoscan score` accepts; --reuse-outputs keeps what is up to date; a
# folder without phantom subjects is refused naming it.
source "$(dirname "$0")/lib.sh"
unset LEPTOSCAN_TEMPLATE  # eval picks the template of the anatomy the cohort was written with
cohort="$LEPTOSCAN_TEST_DATA/phantoms"

run 0 eval --help
check "--help has examples" grep -q "^Examples:" "$work/out"

run 0 phantom "$work/unused" --template "$work/template"
check "phantom --template writes the template" test -s "$work/template/priors.nii.gz"

run 0 eval "$cohort" -o "$work/eval.json" -j 2 --outputs "$work/found"
check "the table shows the response agreement" contains out "response_kappa"
check "the table marks targets" contains out ">= 0.95"
check "eval.json lists three subjects without errors" /usr/bin/python3 -c "
import json, sys
d = json.load(open('$work/eval.json'))
assert len(d['subjects']) == 3 and not any('error' in s for s in d['subjects']), d['subjects']
assert d['metrics']['schema'] == 'leptoscan.evaluation/1'"
check "the TSV is beside it" grep -q "^metric" "$work/eval.tsv"
subject=$(ls "$work/found" | grep '^LS-' | head -1)
check "the case folders are named by pseudonym" test "$(ls "$work/found" | grep -c '^LS-')" -eq 3
check "the analytic cohort was analysed with the analytic template" grep -q '"template": "analytic"' \
  "$work/found/$subject/manifest.json"
dates=($(ls -d "$work/found/$subject"/2* | xargs -n1 basename))
check "a pattern map per time point" test -s "$work/found/$subject/${dates[0]}/patterns.nii.gz"
run 0 score --baseline "$work/found/$subject/${dates[0]}/findings.json" \
  --followup "$work/found/$subject/${dates[1]}/findings.json" -o "$work/score.json"
check "score accepts the detected findings" grep -q '"response"' "$work/score.json"

# leptoscan-view on a phantom subject's outputs: a nodule the pipeline found where the truth has one is
# drawn in the nodule colour on its slice (no display needed) and in the 3-D view, and a review in the
# window (under xvfb-run, keys typed by --keys) records its decisions in review.json.
view() { run_program "${LEPTOSCAN_VIEW:?set by ctest}" "$@"; }
colours=${SCREENSHOT_COLOURS:?set by ctest}
value() { awk -v key="$1" '$1 == key { print $2 }' "$work/colours"; }
read -r found_subject found_date found_id < <(/usr/bin/python3 - "$cohort" "$work/found" << 'PY'
import csv, glob, json, math, os, sys
cohort, found = sys.argv[1:]
ids = {r['subject']: r['patient_id'] for r in csv.DictReader(open(found + '/identifiers.tsv'), delimiter='\t')}
for subject in sorted(ids, key=ids.get):
    for findings in sorted(glob.glob(f'{found}/{subject}/2*/findings.json')):
        date = os.path.basename(os.path.dirname(findings))
        truth = json.load(open(f'{cohort}/{ids[subject]}/truth/{date.replace("-", "")}/truth.json'))
        nodules = [l['center_mm'] for l in truth['lesions'] if l['kind'] == 'nodule']
        for lesion in json.load(open(findings))['lesions']:
            if lesion['kind'] == 'nodule' and any(math.dist(lesion['center_mm'], t) < 5 for t in nodules):
                print(subject, date, lesion['id'])
                sys.exit()
PY
)
check "the pipeline found a truth nodule in the phantom cohort" test -n "$found_id"
case_folder="$work/found/$found_subject"
view 0 "$case_folder" --timepoint "$found_date" --snapshot "$work/found-nodule.png" --finding "$found_id"
"$colours" "$work/found-nodule.png" 255,40,40 235,0,235 >"$work/colours"
check "the found nodule is drawn in its colour on a phantom's slice" test "$(value 255,40,40)" -gt $(($(value 235,0,235) + 20))
if command -v xvfb-run >/dev/null; then
  view 0 "$case_folder" --timepoint "$found_date" --snapshot "$work/found-3d.png" --finding "$found_id" --view 3d
  "$colours" "$work/found-3d.png" 255,40,40 235,0,235 >"$work/colours"
  check "the 3-D view draws the found nodule in its colour" test "$(value 255,40,40)" -gt $(($(value 235,0,235) + 20))
  # The window steps through the lesions (the list shows the items first): accept one, reject the next.
  view 0 "$case_folder" --timepoint "$found_date" --list
  listed=($(awk -F'\t' '/^  / && !/^  items\./ { sub(/^  /, "", $1); print $1 }' "$work/out" | head -2))
  check "the time point has two lesions or more" test "${#listed[@]}" -eq 2
  check "a scripted review in the window" timeout 120 xvfb-run -a -s "-screen 0 1280x1024x24" \
    "$LEPTOSCAN_VIEW" "$case_folder" --timepoint "$found_date" --reviewer tester --keys anxsq
  check "the window's decisions are in review.json" test "$(/usr/bin/python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
print(sorted((x['finding'], x['decision']) for x in d['review']['decisions'] if not x['finding'].startswith('items.')))" \
    "$case_folder/$found_date/review.json")" \
    = "$(/usr/bin/python3 -c "import sys; print(sorted([(sys.argv[1], 'accepted'), (sys.argv[2], 'rejected')]))" "${listed[@]}")"
else
  echo "skipped the 3-D view and the window: xvfb-run is not installed (scripts/setup installs it)"
fi

run 0 eval "$cohort" -o "$work/again.json" --outputs "$work/found" --reuse-outputs
check "--reuse-outputs keeps the analyses and gives the same metrics" /usr/bin/python3 -c "
import json
m = json.load(open('$work/found/$subject/manifest.json'))
assert all(s['status'] == 'skipped' for s in m['stages'] if s['stage'] == 'analysis'), m['stages']
assert json.load(open('$work/again.json'))['metrics'] == json.load(open('$work/eval.json'))['metrics']"
run 2 eval "$cohort" --reuse-outputs
check "--reuse-outputs needs --outputs" contains err "--outputs"

mkdir -p "$work/empty"
run 1 eval "$work/empty" -o "$work/e.json"
check "a folder without subjects is named" contains err "empty: holds no phantom subject"

finish
