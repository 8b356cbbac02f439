#!/usr/bin/env bash
# leptoscan eval on the phantom cohort of the fixture (3 subjects, baseline and follow-up): every subject
# runs, the table and eval.json carry the metrics, the detected findings are valid documents that
# `leptoscan score` accepts; --reuse-outputs keeps what is up to date; a folder without phantom subjects
# is refused naming it.
source "$(dirname "$0")/lib.sh"
cohort="$LEPTOSCAN_TEST_DATA/phantoms"

run 0 eval --help
check "--help has examples" grep -q "^Examples:" "$work/out"

run 0 phantom "$work/unused" --template "$work/template"
check "phantom --template writes the template" test -s "$work/template/priors.nii.gz"

run 0 eval "$cohort" -o "$work/eval.json" -j 2 --template "$work/template" --outputs "$work/found"
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
dates=($(ls -d "$work/found/$subject"/2* | xargs -n1 basename))
check "a pattern map per time point" test -s "$work/found/$subject/${dates[0]}/patterns.nii.gz"
run 0 score --baseline "$work/found/$subject/${dates[0]}/findings.json" \
  --followup "$work/found/$subject/${dates[1]}/findings.json" -o "$work/score.json"
check "score accepts the detected findings" grep -q '"response"' "$work/score.json"

run 0 eval "$cohort" -o "$work/again.json" --template "$work/template" --outputs "$work/found" --reuse-outputs
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
