#!/usr/bin/env bash
# Pseudonyms: a study whose PatientID, PatientName, birth date and accession number are distinctive
# strings, run by default, leaves none of them in any output file or the log (folder, tables, pages,
# findings, DICOM SEG); the subject is LS-<HMAC-SHA-256 of the PatientID under the key>, the key and
# identifiers.tsv are private to their owner, the SEG still refers to the source study. The same key gives
# the same pseudonym in another output folder, another key another one. --keep-identifiers names the
# subject by PatientID and copies the patient into the SEG.
source "$(dirname "$0")/lib.sh"
cohort="$LEPTOSCAN_TEST_DATA/phantoms"
source_subject=$(ls "$cohort" | grep '^PH' | sed -n 1p)
id="SECRET-ID-4711"
identifying=("$id" "Doe^Janet" "Janet" "19510203" "ACC-9931")

# One time point of a phantom subject, under a neutral folder name, with identifying attributes.
mkdir -p "$work/root/case-a"
cp -r "$(ls -d "$cohort/$source_subject"/2* | sort | head -1)" "$work/root/case-a/"
find "$work/root" -name '*.dcm' -exec dcmodify -nb -q -m "PatientID=$id" -m "PatientName=Doe^Janet" \
  -i "PatientBirthDate=19510203" -m "AccessionNumber=ACC-9931" {} +
source_file=$(find "$work/root" -name '*.dcm' | head -1)

run 0 run --help
check "run --help explains --keep-identifiers" contains out "--keep-identifiers"

run 0 run "$work/root/case-a" "$work/results"
cp "$work/err" "$work/run.log"
subject=$(pseudonym "$work/results/.leptoscan-key" "$id")
check "the subject folder is the keyed pseudonym" test -f "$work/results/$subject/manifest.json"
check "the pseudonym has the documented form" grep -Eq '^LS-[0-9a-f]{10}$' <<<"$subject"
for s in "${identifying[@]}"; do
  check "no output file and no log line holds $s" bash -c "
    ! grep -rlaF -- '$s' '$work/results' '$work/run.log' | grep -v '/identifiers.tsv$'"
done
check "the key and identifiers.tsv are readable by their owner only" bash -c "
  test \$(stat -c %a '$work/results/.leptoscan-key') = 600 && test \$(stat -c %a '$work/results/identifiers.tsv') = 600"
check "identifiers.tsv maps the pseudonym to the PatientID" cmp "$work/results/identifiers.tsv" \
  <(printf 'subject\tpatient_id\n%s\t%s\n' "$subject" "$id")
seg=$(ls "$work/results/$subject"/2*/segmentation.dcm)
check "the SEG is de-identified and still refers to the source study" /usr/bin/python3 -c "
import pathlib, pydicom
seg, src = pydicom.dcmread('$seg'), pydicom.dcmread('$source_file')
series = {pydicom.dcmread(f, stop_before_pixels=True).SeriesInstanceUID
          for f in pathlib.Path('$work/root').rglob('IM0001.dcm')}
assert seg.PatientID == '$subject' and seg.PatientName == '$subject' and seg.PatientIdentityRemoved == 'YES', seg
assert not seg.PatientBirthDate and not seg.AccessionNumber, seg
assert seg.StudyInstanceUID == src.StudyInstanceUID and seg.FrameOfReferenceUID == src.FrameOfReferenceUID
assert seg.ReferencedSeriesSequence[0].SeriesInstanceUID in series"
check "dciodvfy accepts the de-identified SEG" bash -c "! dciodvfy '$seg' 2>&1 | grep -q '^Error'"

# The pseudonym depends on the key only: another output folder with the same key agrees (a Slurm job is
# written without running anything), one with its own key does not.
run 0 slurm "$work/root" "$work/same-key" --pseudonym-key "$work/results/.leptoscan-key"
check "the same key gives the same pseudonym in another folder" \
  test "$(cut -f2 "$work/same-key/slurm/cases.tsv" | tail -1)" = "$subject"
check "the Slurm task files hold the pseudonym, not the PatientID" bash -c "
  grep -qx -- '$subject' '$work/same-key/slurm/tasks/1.args' && ! grep -rqF -- '$id' '$work/same-key/slurm'"
run 0 slurm "$work/root" "$work/other-key"
other=$(cut -f2 "$work/other-key/slurm/cases.tsv" | tail -1)
check "another key gives another pseudonym" test "$other" = "$(pseudonym "$work/other-key/.leptoscan-key" "$id")" -a \
  "$other" != "$subject"
printf 'short\n' >"$work/short.key"
run 1 run "$work/root/case-a" "$work/short" --pseudonym-key "$work/short.key"
check "a short key is refused naming it" contains err "short.key: a pseudonym key needs at least 32 characters"
run 2 run "$work/root/case-a" "$work/both" --keep-identifiers --pseudonym-key "$work/results/.leptoscan-key"
check "--keep-identifiers excludes --pseudonym-key" contains err "excludes"

run 0 run "$work/root/case-a" "$work/kept" --keep-identifiers
check "--keep-identifiers names the folder by PatientID" test -f "$work/kept/$id/manifest.json"
check "and the tables too" grep -q "^$id	ok" "$work/kept/results.tsv"
check "and writes neither key nor identifiers" test ! -e "$work/kept/.leptoscan-key" -a ! -e "$work/kept/identifiers.tsv"
check "the SEG carries the source's patient for a PACS" /usr/bin/python3 -c "
import glob, pydicom
seg = pydicom.dcmread(glob.glob('$work/kept/$id/2*/segmentation.dcm')[0])
assert seg.PatientID == '$id' and seg.PatientName == 'Doe^Janet' and seg.PatientBirthDate == '19510203', seg
assert seg.AccessionNumber == 'ACC-9931' and 'PatientIdentityRemoved' not in seg, seg"
finish
