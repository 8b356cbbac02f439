#!/usr/bin/env bash
# The leptoscan command line as a user meets it: help and version, exit codes 0/1/2, index and
# convert outputs, clear errors naming the file, inputs left untouched. Run by ctest.

source "$(dirname "$0")/lib.sh"
data=${LEPTOSCAN_TEST_DATA:?set by ctest}

checksum() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha1sum | sha1sum); }
before=$(checksum "$data/colin1mm")

# Help, version, usage errors.
run 0 --version
check "--version prints the version" contains out "leptoscan 0\."
run 0 --help
check "--help lists index" contains out "index"
check "--help lists convert" contains out "convert"
for cmd in index convert; do
  run 0 "$cmd" --help
  check "$cmd --help has examples" contains out "Examples:"
  check "$cmd --help shows an example command line" contains out "leptoscan $cmd /data"
done
run 2
run 2 no-such-command
run 2 index
run 2 index /no/such/folder
run 2 convert "$data/colin1mm"
run 2 convert "$data/colin1mm" "$work/x.nii" --slice-gaps maybe
run 2 convert "$data/colin1mm" "$work/x.txt"
check "a bad output name is explained" contains err "must end in .nii or .nii.gz"

# index: table on stdout, JSON and TSV files, summary on stderr.
run 0 index "$data/mixed"
check "index prints the series table" contains out "Colin27"
check "index summary counts skipped files" contains err "skipped 3 non-DICOM"
run 0 index "$data/mixed" "$data/philips" --json "$work/index.json" --tsv "$work/series.tsv"
check "index --json is valid JSON" python3 -m json.tool "$work/index.json" /dev/null
check "index --tsv has a header and two series" test "$(wc -l <"$work/series.tsv")" -eq 3
check "TSV columns carry units" grep -q "repetition_time_ms" "$work/series.tsv"
check "nothing printed to stdout with --json" test ! -s "$work/out"
printf '{"roles": [{"description": "MPRAGE", "role": "t1_post"}]}' >"$work/roles.json"
run 0 index "$data/philips" --roles "$work/roles.json" --tsv "$work/roles.tsv"
check "role override applies" grep -q "t1_post" "$work/roles.tsv"
printf '{"roles": [{"description": "MPRAGE", "role": "t9"}]}' >"$work/bad_roles.json"
run 1 index "$data/philips" --roles "$work/bad_roles.json"
check "bad override file is named" contains err "bad_roles.json"

# convert: NIfTI and sidecar, clear errors, nothing half-written.
run 0 convert "$data/colin1mm" "$work/colin.nii.gz"
check "convert writes NIfTI" test -s "$work/colin.nii.gz"
check "convert writes a sidecar" python3 -m json.tool "$work/colin.json" /dev/null
check "convert reports what it wrote" contains err "181x217x181"
run 1 convert "$data/colin1mm" "$work/limited.nii.gz" --max-voxels 1000000
check "a series over --max-voxels is refused naming the limit" contains err "181x217x181 voxels exceed the limit of 1000000 voxels"
check "a refused series writes nothing" test ! -e "$work/limited.nii.gz"
run 1 convert "$data/MR_truncated.dcm" "$work/truncated.nii"
check "truncated file is named in the error" contains err "MR_truncated.dcm"
check "no output after an error" test ! -e "$work/truncated.nii"
run 1 convert "$data/two_echoes" "$work/echoes.nii"
check "several volumes: error suggests --split" contains err "use --split"
run 0 convert "$data/two_echoes" "$work/echoes.nii" --split
check "--split writes echo 1" test -s "$work/echoes_echo1.nii"
check "--split writes echo 2" test -s "$work/echoes_echo2.nii"
mkdir "$work/two_series"
cp "$data/colin1mm/IM-0001-0001.dcm" "$data/philips/philips_mprage.dcm" "$work/two_series/"
run 1 convert "$work/two_series" "$work/one.nii"
check "several series: error lists them" contains err "choose one with --series"
uid=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['patients'][0]['studies'][0]['series'][0]['series_uid'])" "$work/index.json")
run 0 convert "$work/two_series" "$work/one.nii" --series "$uid"
check "--series picks one series" test -s "$work/one.nii"
run 1 convert "$data/colin_gap" "$work/gap.nii" --slice-gaps refuse
check "refused gap names the folder" contains err "colin_gap"
check "no partial files left" test -z "$(find "$work" -name '.partial-*')"

check "inputs were not modified" test "$before" = "$(checksum "$data/colin1mm")"

finish
