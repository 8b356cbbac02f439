#!/usr/bin/env bash
# The batch the command-line tests compare against, run once per build tree (ctest fixture batch_outputs)
# in $LEPTOSCAN_TEST_DATA/batch: root/ holds the phantom cohort's first subject and BAD, a copy of its
# second whose baseline series each lost half of one file (victims lists them), under the PatientID
# "BAD^1/../x"; out/ is `leptoscan batch root out -j 1 --threads 3` under the key lab.key. The tests
# read root/, lab.key and out/ and write only in their own folders.
source "$(dirname "$0")/lib.sh"
cohort="$LEPTOSCAN_TEST_DATA/phantoms"
fixture="$LEPTOSCAN_TEST_DATA/batch"
rm -rf "$fixture"
mkdir -p "$fixture/root"
cp -r "$cohort/$(ls "$cohort" | grep '^PH' | sed -n 1p)" "$fixture/root/"
broken_subject "$cohort/$(ls "$cohort" | grep '^PH' | sed -n 2p)" "$fixture/root/BAD" "BAD^1/../x"
cp "$work/victims" "$fixture/victims"

run 1 batch "$fixture/root" "$fixture/out" -j 1 --threads 3 --pseudonym-key "$fixture/lab.key"
check "the batch failed the broken subject only" contains err "1 of 2 subjects failed"
finish
