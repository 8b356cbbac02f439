#!/usr/bin/env bash
# leptoscan register as its --help shows it: Colin27 onto itself gives an identity transform in ITK's
# format and a resampled volume; a 2-D input is refused naming the file; usage errors exit 2.
set -uo pipefail
bin=${LEPTOSCAN_BIN:?set by ctest}
colin=/usr/share/mricron/templates/ch2.nii.gz
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

"$bin" register --help >"$work/help" || fail "--help exits 0"
grep -q "^Examples:" "$work/help" || fail "--help has examples"

"$bin" register "$colin" "$colin" -o "$work/t.tfm" --resampled "$work/r.nii.gz" 2>"$work/err" || fail "register exits 0"
grep -q "final metric (Mattes MI) -" "$work/err" || fail "register logs the final metric"
head -1 "$work/t.tfm" | grep -q "#Insight Transform File V1.0" || fail "the transform is an ITK transform file"
# Onto itself: every parameter (versor, translation in mm) within 0.01 of zero.
awk '/^Parameters:/ { for (i = 2; i <= NF; i++) if ($i > 0.01 || $i < -0.01) exit 1 }' "$work/t.tfm" ||
  fail "registering Colin27 onto itself gives the identity: $(grep ^Parameters "$work/t.tfm")"
[ -s "$work/r.nii.gz" ] || fail "--resampled writes the volume"

/usr/bin/python3 -c "
import nibabel as nib, numpy as np
nib.save(nib.Nifti1Image(np.random.default_rng(1).random((64, 64, 1), dtype=np.float32), np.eye(4)), '$work/slice.nii.gz')"
"$bin" register "$colin" "$work/slice.nii.gz" -o "$work/s.tfm" 2>"$work/err"
[ $? -eq 1 ] || fail "a 2-D moving image exits 1"
grep -q "slice.nii.gz: moving image is 2-D" "$work/err" || fail "the 2-D error names the file: $(cat "$work/err")"
[ ! -e "$work/s.tfm" ] || fail "nothing is written on failure"

"$bin" register "$colin" -o "$work/u.tfm" 2>/dev/null
[ $? -eq 2 ] || fail "a missing argument exits 2"

[ "$failures" -eq 0 ] && echo "register cli: all checks passed"
exit "$failures"
