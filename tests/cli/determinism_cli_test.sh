#!/usr/bin/env bash
# The same subject and parameters on 1 and on 3 threads (more than this machine's cores, so that the
# image filters split their work differently): byte-identical findings, scores, tables, identifiers and
# DICOM SEG. Run timings live in the manifests and summary.json only.
source "$(dirname "$0")/lib.sh"
cohort="$LEPTOSCAN_TEST_DATA/phantoms"
subject=$(ls "$cohort" | grep '^PH' | sed -n 1p)

run 0 run --help
check "run --help explains --threads" contains out "--threads"

mkdir -p "$work/root"
cp -r "$cohort/$subject" "$work/root/$subject"
rm -rf "$work/root/$subject/truth"
for threads in 1 3; do
  run 0 batch "$work/root" "$work/threads$threads" -j 1 --threads "$threads" --pseudonym-key "$work/key"
done
check "the runs compared hold findings, scores and a SEG" test "$(cd "$work/threads1" &&
  ls results.tsv identifiers.tsv */scores.tsv */scores.json */2*/findings.json */2*/score.json */2*/segmentation.dcm |
  wc -l)" -eq 9
check "1 and 3 threads give byte-identical findings, scores, tables and SEG" bash -c "
  cd '$work/threads1' && for f in results.tsv identifiers.tsv */scores.tsv */scores.json */2*/findings.json \
    */2*/score.json */2*/segmentation.dcm; do cmp \"\$f\" '$work/threads3/'\"\$f\" || exit 1; done"
finish
