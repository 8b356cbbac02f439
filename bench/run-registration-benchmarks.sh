#!/usr/bin/env bash
# Registration benchmark against elastix and plastimatch, in one hyperfine run on the same input
# (results: bench/RESULTS.md, "Registration (issue 6)").
#  Moving image: Colin27 (ch2.nii.gz) resampled by plastimatch warp through a known rigid transform S
#  (5 degrees about the left-right axis through the MNI origin, then (3, -4, 2) mm in LPS), i.e.
#  moving(x) = ch2(S(x)) with linear interpolation, stored as uint8 like the original.
#  Error: each tool's output transform T (fixed -> moving points) is parsed (ITK .tfm or elastix's
#  TransformParameters.0.txt) and the TRE is the mean over the ch2bet brain voxels p of |S(T(p)) - p|,
#  which for a rigid S is the distance between T and the true inverse of S (registration/tre.py).
# Usage: bench/run-registration-benchmarks.sh [runs]   (after building the leptoscan target)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
leptoscan="$root/build/bin/leptoscan"
runs=${1:-5}
fixed=/usr/share/mricron/templates/ch2.nii.gz
source "$root/bench/lib.sh"
require_executable "$leptoscan" leptoscan
require_tools elastix plastimatch hyperfine

# sin(2.5 deg) = 0.0436193874: the versor of a 5 degree rotation about x.
cat >"$work/truth.tfm" <<'TFM'
#Insight Transform File V1.0
#Transform 0
Transform: VersorRigid3DTransform_double_3_3
Parameters: 0.043619387365336 0 0 3 -4 2
FixedParameters: 0 0 0
TFM
plastimatch warp --input "$fixed" --xf "$work/truth.tfm" --output-img "$work/moving.nii.gz" \
  --interpolation linear >/dev/null

# plastimatch with its default metric (MSE, the faster of its two; same-contrast images) and the
# same pyramid as leptoscan; its Mattes MI is reported below from a single run.
plastimatch_config() {
  cat <<CFG
[GLOBAL]
fixed=$fixed
moving=$work/moving.nii.gz
xform_out=$work/plastimatch.tfm

[STAGE]
xform=rigid
optim=versor
impl=itk
metric=$1
max_its=100
res=4 4 4

[STAGE]
res=2 2 2

[STAGE]
res=1 1 1
CFG
}
plastimatch_config mse >"$work/plastimatch_mse.txt"
plastimatch_config mi >"$work/plastimatch_mi.txt"
mkdir "$work/elastix"

echo "## Colin27, 5 deg + (3, -4, 2) mm: wall time (hyperfine, $runs runs)"
hyperfine -N -w 1 -r "$runs" --export-json "$work/result.json" \
  "$leptoscan -q register $fixed $work/moving.nii.gz -o $work/leptoscan.tfm" \
  "elastix -f $fixed -m $work/moving.nii.gz -p $root/bench/registration/elastix_rigid.txt -out $work/elastix" \
  "plastimatch register $work/plastimatch_mse.txt" >&2
python3 - "$work/result.json" <<'PY'
import json, sys
ours, elastix, plastimatch = json.load(open(sys.argv[1]))["results"]
for name, r in (("leptoscan", ours), ("elastix", elastix), ("plastimatch (mse)", plastimatch)):
    spread = f" ± {r['stddev']:.2f}" if r["stddev"] is not None else ""  # none with one run
    print(f"{name}: median {r['median']:.2f} s (mean {r['mean']:.2f}{spread})")
print(f"ratio leptoscan/elastix = {ours['median'] / elastix['median']:.2f}, "
      f"leptoscan/plastimatch = {ours['median'] / plastimatch['median']:.2f}")
PY
echo "## error over the ch2bet brain mask"
/usr/bin/python3 "$root/bench/registration/tre.py" "$work/truth.tfm" leptoscan "$work/leptoscan.tfm" \
  elastix "$work/elastix/TransformParameters.0.txt" "plastimatch (mse)" "$work/plastimatch.tfm"
/usr/bin/time -f "plastimatch (mi), one run: %e s" -o "$work/mi_time" plastimatch register "$work/plastimatch_mi.txt" \
  >/dev/null 2>&1
cat "$work/mi_time"
/usr/bin/python3 "$root/bench/registration/tre.py" "$work/truth.tfm" "plastimatch (mi)" "$work/plastimatch.tfm"
