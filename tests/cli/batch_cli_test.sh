#!/usr/bin/env bash
# leptoscan batch and run on the two subjects of the batch fixture (batch_fixture.sh): one good, one whose
# post-contrast series is truncated. A first batch is killed part-way; the rerun finishes the good subject
# (outputs whole, manifest with checksums, results.tsv, summary.json and summary.html) and records the bad
# one's stage and file in error.json without stopping; the fixture's uninterrupted run with -j 1 gave the
# same outputs; a rerun skips every finished stage; `run --baseline` picks the later study;
# inputs are never written to. Every run shares the fixture's pseudonym key, as a lab would keep the
# subject ids stable across output folders.
source "$(dirname "$0")/lib.sh"
fixture="$LEPTOSCAN_TEST_DATA/batch"
root="$fixture/root"
good=$(ls "$root" | grep '^PH')

run 0 batch --help
check "batch --help has examples" grep -q "^Examples:" "$work/out"
run 0 run --help
check "run --help has examples" grep -q "^Examples:" "$work/out"

find "$root" -type f -exec sha256sum {} + | sort >"$work/inputs.before"
key="$fixture/lab.key"

# Killed during the first subject's analysis: nothing half-written may look finished.
timeout -s KILL 25 "$bin" -q batch "$root" "$work/out1" -j 2 --pseudonym-key "$key" >/dev/null 2>&1
check "the killed run left no stage manifest without its outputs" /usr/bin/python3 -c "
import json, pathlib, sys
for m in pathlib.Path('$work/out1').rglob('*.stage.json'):
    for name in json.load(open(m))['outputs']:
        assert (m.parent / name).exists(), (m, name)"

run 1 batch "$root" "$work/out1" -j 2 --pseudonym-key "$key"
check "the exit code and log say a subject failed" contains err "1 of 2 subjects failed"
good_subject=$(pseudonym "$key" "$good")
bad_subject=$(pseudonym "$key" "BAD^1/../x")
bad_folder="$work/out1/$bad_subject"
check "a failed subject has its error.json" test -f "$bad_folder/error.json"
check "error.json names the stage and the truncated file" /usr/bin/python3 -c "
import json
e = json.load(open('$bad_folder/error.json'))
victims = open('$fixture/victims').read().split()
assert e['stage'] == 'analysis' and any(v in e['message'] for v in victims), e"
subject="$work/out1/$good_subject"
dates=($(ls -d "$subject"/2* | xargs -n1 basename))
check "two time points" test "${#dates[@]}" -eq 2
for f in manifest.json parameters.json report.html scores.tsv scores.json ${dates[0]}/findings.json ${dates[0]}/patterns.nii.gz \
  ${dates[0]}/post.nii.gz ${dates[0]}/pre_in_post.nii.gz ${dates[0]}/pre_to_post.tfm ${dates[1]}/score.json \
  ${dates[1]}/baseline_to_followup.tfm ${dates[1]}/post_in_baseline.nii.gz; do
  check "$f is written" test -s "$subject/$f"
done
check "the findings as a DICOM SEG on the post-contrast series that dciodvfy accepts" bash -c "
  dciodvfy '$subject/${dates[0]}/segmentation.dcm' 2>&1 | grep -q '^Segmentation' &&
  ! dciodvfy '$subject/${dates[0]}/segmentation.dcm' 2>&1 | grep -q '^Error'"
check "a self-contained report" bash -c "
  grep -q 'data:image/png;base64' '$subject/report.html' && ! grep -Eq 'src=\"(http|file)' '$subject/report.html'"
check "no temporary file is left" test -z "$(find "$work/out1" -name '.partial-*')"
check "the manifest records the inputs' checksums" /usr/bin/python3 -c "
import hashlib, json, pathlib
m = json.load(open('$subject/manifest.json'))
post = m['inputs'][0]['post']
files = sorted(pathlib.Path(post['folder']).glob('*.dcm'))
digest = hashlib.sha256()
for f in files:
    digest.update(f.name.encode() + b'\0' + hashlib.sha256(f.read_bytes()).hexdigest().encode() + b'\n')
assert post['files'] == len(files) and post['sha256'] == digest.hexdigest(), post"
check "the registered images are NIfTI on the baseline grid" /usr/bin/python3 -c "
import nibabel
a = nibabel.load('$subject/${dates[0]}/post.nii.gz'); b = nibabel.load('$subject/${dates[1]}/post_in_baseline.nii.gz')
assert a.shape == b.shape and abs(a.affine - b.affine).max() < 1e-4"
check "results.tsv: the follow-up row and the failed row" /usr/bin/python3 -c "
import csv
rows = list(csv.DictReader(open('$work/out1/results.tsv'), delimiter='\t'))
assert len(rows) == 2, rows
ok = [r for r in rows if r['status'] == 'ok'][0]; failed = [r for r in rows if r['status'] == 'failed'][0]
assert ok['subject'] == '$good_subject' and ok['response'] in ('CR', 'PR', 'SD', 'PD', 'NE') and ok['brain_nodules'], ok
assert ok['source'].startswith('leptoscan ') and failed['error'], failed"
check "summary.json counts the failure" /usr/bin/python3 -c "
import json
s = json.load(open('$work/out1/summary.json'))
assert s['subjects'] == 2 and s['failed'] == 1, s"

check "summary.html links the report and shows the failure" bash -c "
  grep -q 'href=\"$good_subject/report.html\"' '$work/out1/summary.html' &&
  grep -q 'href=\"$bad_subject/error.json\"' '$work/out1/summary.html'"

# Kept identifiers are sanitised into a folder name that stays inside the output folder.
run 1 run "$root/BAD" "$work/kept" --keep-identifiers
check "a hostile PatientID stays inside the output folder" test -f "$work/kept/BAD_1_.._x/error.json"

# The fixture's uninterrupted run, one subject at a time: the same results as this killed and resumed run
# with two subjects at once (run timings and the pages aside).
check "-j 1 uninterrupted and -j 2 killed then resumed give identical outputs" /usr/bin/python3 -c "
import gzip, pathlib, pydicom
one, two = pathlib.Path('$work/out1'), pathlib.Path('$fixture/out')
timed = {'manifest.json', 'summary.json', 'summary.html', 'report.html'}
files = sorted(p.relative_to(two) for p in two.rglob('*') if p.is_file() and p.name not in timed
               and not p.name.endswith('.stage.json'))
assert len(files) > 15, files
def content(path):
    if path.suffix == '.gz': return gzip.decompress(path.read_bytes())
    if path.suffix == '.dcm': return pydicom.dcmread(path).PixelData
    return path.read_bytes()
differ = [str(f) for f in files if content(one / f) != content(two / f)]
assert not differ, differ"

# A rerun under the other response criteria finds every analysis and registration up to date.
run 1 batch "$root" "$work/out1" --profile lano-2019 --pseudonym-key "$key"
check "a rerun skips the finished stages and rescores" /usr/bin/python3 -c "
import json
manifest = json.load(open('$subject/manifest.json'))
assert json.load(open('$subject/${dates[1]}/score.json'))['profile'] == 'lano-2019'
stages = manifest['stages']
skipped = {(s['stage'], s['timepoint']) for s in stages if s['status'] == 'skipped'}
assert {('analysis', '${dates[0]}'), ('analysis', '${dates[1]}'), ('registration', '${dates[1]}')} <= skipped, stages"

# The later study as baseline: its analysis is reused, nothing is left to compare.
run 0 run "$root/$good" "$work/out1" --baseline "${dates[1]}" --pseudonym-key "$key"
check "run --baseline scores from the chosen study" /usr/bin/python3 -c "
import csv
rows = list(csv.DictReader(open('$work/out1/results.tsv'), delimiter='\t'))
assert len(rows) == 1 and rows[0]['baseline_date'].replace('-', '') == '${dates[1]}' and rows[0]['response'] == '', rows"
check "the new baseline keeps no score" test ! -e "$subject/${dates[1]}/score.json"
run 1 run "$root/$good" "$work/out1" --baseline 1999-01-01 --pseudonym-key "$key"
check "an unknown baseline date lists the dates there are" contains err "no study with a post-contrast 3-D T1 is dated 1999-01-01"

find "$root" -type f -exec sha256sum {} + | sort >"$work/inputs.after"
check "inputs are never written to" cmp -s "$work/inputs.before" "$work/inputs.after"
finish
