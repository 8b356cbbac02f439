#!/usr/bin/env bash
# The batch fixture (batch_fixture.sh: a good and a broken subject, on 3 threads, more than this machine's
# cores) and the same batch on 1 thread, so that the image filters split their work differently:
# byte-identical findings, scores, tables, identifiers and DICOM SEG. Run timings live in the manifests and
# summary.json only.
source "$(dirname "$0")/lib.sh"
fixture="$LEPTOSCAN_TEST_DATA/batch"

run 0 run --help
check "run --help explains --threads" contains out "--threads"

run 1 batch "$fixture/root" "$work/threads1" -j 1 --threads 1 --pseudonym-key "$fixture/lab.key"
ln -s "$fixture/out" "$work/threads3"
check "the runs compared hold findings, scores and a SEG" test "$(cd "$work/threads1" &&
  ls results.tsv identifiers.tsv */scores.tsv */scores.json */2*/findings.json */2*/score.json */2*/segmentation.dcm |
  wc -l)" -eq 9
check "1 and 3 threads give byte-identical findings, scores, tables and SEG" bash -c "
  cd '$work/threads1' && for f in results.tsv identifiers.tsv */scores.tsv */scores.json */2*/findings.json \
    */2*/score.json */2*/segmentation.dcm; do cmp \"\$f\" '$work/threads3/'\"\$f\" || exit 1; done"
finish
