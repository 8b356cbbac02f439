#!/usr/bin/env bash
# `leptoscan score` as a user meets it: help with examples, the README's example run on the hand-written
# documents in testdata/findings, score documents and TSV, and exit codes 1 (bad file) and 2 (usage).

source "$(dirname "$0")/lib.sh"
examples=${LEPTOSCAN_FINDINGS:?set by ctest}
json() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }

bl=$examples/P001_baseline.json
fu1=$examples/P001_fu1.json
fu2=$examples/P001_fu2.json

run 0 --help
check "--help lists score" contains out "score"
run 0 score --help
check "score --help has examples" contains out "Examples:"
check "score --help shows an example command line" contains out "leptoscan score --baseline bl.json --followup fu1.json"

# The README example: two follow-ups, table on stdout, series document and TSV.
run 0 score --baseline "$bl" --followup "$fu1" --followup "$fu2" -o "$work/score.json" --tsv "$work/score.tsv"
check "table has the items" contains out "cranial_nerves"
check "table has the composite" contains out "composite mm2  *608.5  *190.0  *284.0"
check "table gives fu1 PR by its rule" contains out "fu1: composite 608.5 -> 190.0 mm2 (-68.8%) <= -50.0%: PR"
check "table gives fu2 PD by the new nodule" contains out "fu2: new nodule N3: PD"
check "table gives best response and first PD" contains out "best response PR; first progression fu2 (2024-07-01, day 122)"
check "series document" test "$(json "$work/score.json" "d['schema'], d['best_response'], d['first_progression']['days_from_baseline']")" = "leptoscan.score-series/1 PR 122"
check "TSV has a header and two rows" test "$(wc -l <"$work/score.tsv")" -eq 3

# One follow-up: the contract's score document; the follow-up order on the command line does not matter.
run 0 score --baseline "$bl" --followup "$fu1" -o "$work/one.json"
check "single score document" test "$(json "$work/one.json" "d['schema'], d['response'], d['parameters']['pd_change']")" = "leptoscan.score/1 PR 0.25"
run 0 score --baseline "$bl" --followup "$fu2" --followup "$fu1" --tsv "$work/swapped.tsv"
check "follow-ups sorted by date" test "$(cut -f4 "$work/swapped.tsv" | tr '\n' ' ')" = "followup_timepoint fu1 fu2 "

# Profile, parameters and transform.
run 0 score --baseline "$bl" --followup "$fu1" --profile lano-2019 -o "$work/lano.json"
check "lano-2019 with the spine not imaged is NE" test "$(json "$work/lano.json" "d['profile'], d['response']")" = "lano-2019 NE"
printf '{"pr_change": -0.7}' >"$work/strict.json"
run 0 score --baseline "$bl" --followup "$fu1" --params "$work/strict.json" -o "$work/strict_score.json"
check "parameters file changes the response" test "$(json "$work/strict_score.json" "d['response'], d['parameters']['pr_change']")" = "SD -0.7"
printf '#Insight Transform File V1.0\n#Transform 0\nTransform: Euler3DTransform_double_3_3\nParameters: 0 0 0 100 0 0\nFixedParameters: 0 0 0\n' >"$work/far.tfm"
run 0 score --baseline "$bl" --followup "$fu1" --transform "$work/far.tfm" -o "$work/far.json"
check "a transform moves follow-up lesions away: new nodule, PD" test "$(json "$work/far.json" "d['response'], d['new_lesions'], d['matching']['transform'] is not None")" = "PD ['N1'] True"

# Usage errors: exit 2.
run 2 score --followup "$fu1"
run 2 score --baseline "$bl"
run 2 score --baseline "$bl" --followup "$fu1" --profile recist
run 2 score --baseline "$work/missing.json" --followup "$fu1"
run 2 score --baseline "$bl" --followup "$fu1" --followup "$fu2" --transform "$work/far.tfm"
check "transform count error is explained" contains err "one --transform per --followup"

# Documents that break the contract: exit 1, the file and the field named, no output written.
python3 - "$fu1" "$work" <<'PY'
import json, sys
source, work = sys.argv[1], sys.argv[2]
def write(name, change):
    d = json.load(open(source)); change(d); json.dump(d, open(f"{work}/{name}", "w"))
write("unknown_status.json", lambda d: d["items"]["brain_nodules"].update(status="maybe"))
write("missing_item.json", lambda d: d["items"].pop("ependymal"))
write("duplicate.json", lambda d: d["lesions"][1].update(id="N1"))
write("negative.json", lambda d: d["lesions"][0].update(diameters_mm=[8.0, -5.0]))
write("wrong_type.json", lambda d: d["lesions"][0].update(center_mm="12,3,4"))
PY
run 1 score --baseline "$bl" --followup "$work/unknown_status.json" -o "$work/bad.json"
check "unknown status names file and field" contains err "unknown_status.json: items.brain_nodules.status: unknown status \"maybe\""
check "no score written after an error" test ! -e "$work/bad.json"
run 1 score --baseline "$bl" --followup "$work/missing_item.json"
check "missing item suggests --missing-as-ne" contains err "items.ependymal: required item is missing (use --missing-as-ne"
run 0 score --baseline "$bl" --followup "$work/missing_item.json" --missing-as-ne
check "missing item scored NE when asked" contains out "ependymal  *absent  *ne (ne)"
run 1 score --baseline "$bl" --followup "$work/duplicate.json"
check "duplicate id named" contains err "duplicate.json: lesions\[1\].id: duplicate id \"N1\""
run 1 score --baseline "$bl" --followup "$work/negative.json"
check "negative diameter named" contains err "lesions\[0\].diameters_mm\[1\]"
run 1 score --baseline "$bl" --followup "$work/wrong_type.json"
check "wrong type named" contains err "lesions\[0\].center_mm: expected an array, got string"
printf 'not json' >"$work/garbage.json"
run 1 score --baseline "$work/garbage.json" --followup "$fu1"
check "invalid JSON named" contains err "garbage.json: not valid JSON"
printf '{"pd_chnage": 0.3}' >"$work/typo.json"
run 1 score --baseline "$bl" --followup "$fu1" --params "$work/typo.json"
check "unknown parameter named" contains err "typo.json: pd_chnage: unknown parameter"
printf 'Transform: AffineTransform_double_3_3\n' >"$work/bad.tfm"
run 1 score --baseline "$bl" --followup "$fu1" --transform "$work/bad.tfm"
check "bad transform named" contains err "bad.tfm: not an ITK transform file"
run 1 score --baseline "$fu1" --followup "$bl"
check "follow-up before baseline refused" contains err "is not after the baseline date"
check "no partial files left" test -z "$(find "$work" -name '.partial-*')"

finish
