#!/usr/bin/env bash
# leptoscan register as its --help shows it: Colin27 onto itself gives an identity transform in ITK's
# format and a resampled volume; a 2-D input is refused naming the file; usage errors exit 2.
source "$(dirname "$0")/lib.sh"
colin=/usr/share/mricron/templates/ch2.nii.gz

run 0 register --help
check "--help has examples" grep -q "^Examples:" "$work/out"

run 0 register "$colin" "$colin" -o "$work/t.tfm" --resampled "$work/r.nii.gz"
check "register logs the final metric" contains err "final metric (Mattes MI) -"
check "the transform is an ITK transform file" bash -c "head -1 '$work/t.tfm' | grep -q '#Insight Transform File V1.0'"
# Onto itself: every parameter (versor, translation in mm) within 0.01 of zero.
check "registering Colin27 onto itself gives the identity" \
  awk '/^Parameters:/ { for (i = 2; i <= NF; i++) if ($i > 0.01 || $i < -0.01) exit 1 }' "$work/t.tfm"
check "--resampled writes the volume" test -s "$work/r.nii.gz"

/usr/bin/python3 -c "
import nibabel as nib, numpy as np
nib.save(nib.Nifti1Image(np.random.default_rng(1).random((64, 64, 1), dtype=np.float32), np.eye(4)), '$work/slice.nii.gz')"
run 1 register "$colin" "$work/slice.nii.gz" -o "$work/s.tfm"
check "the 2-D error names the file" contains err "slice.nii.gz: moving image is 2-D"
check "nothing is written on failure" test ! -e "$work/s.tfm"

run 2 register "$colin" -o "$work/u.tfm"

finish
