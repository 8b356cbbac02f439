"""How far the candidate enhancement beside the dura reaches from it, on truth LM against the dura's fringe.

  dura_reach.py <eval --outputs folder> <phantom cohort>
      Every 26-connected component of candidates (enhancement.nii.gz > 0.3 left to the detectors or kept as
      sulcal: patterns 0 and 1) of at least 60 voxels, at least 30% of whose voxels touch dural enhancement
      (pattern 13), in each time point: its voxels, how many the sulcal detector kept, that share, its reach
      (mm: the distance from its farthest voxel centre to the dural enhancement's surface, half a voxel
      nearer than the nearest dural voxel centre, as filters/surface_distance.h measures) and the truth under
      it (truth/<date>/labels.nii.gz: lesion kinds, look-alike labels, none). Ends with the reach of the
      components on a truth linear lesion against those on no lesion (pipeline/timepoint_analysis.h:
      min_sulcal_dura_depth_mm).
"""
import collections
import json
import os
import sys

import nibabel
import numpy as np
from scipy import ndimage

from eval_outputs import load, time_points

DURA, SULCAL = 13, 1


def truth_under(mask, labels, truth):
    kinds = collections.Counter()
    names = {number: name for name, number in truth["look_alike_labels"].items()}
    for value, count in collections.Counter(labels[mask].astype(int).tolist()).items():
        if 0 < value < 1000:
            kinds[truth["lesions"][value - 1]["kind"]] += count
        else:
            kinds[names.get(value, "none")] += count
    return dict(kinds)


def main(outputs, cohort):
    reach_of = {"linear": [], "no lesion": []}
    for subject, date, truth_folder, found in time_points(outputs, cohort):
        truth = json.load(open(os.path.join(truth_folder, "truth.json")))
        labels = load(os.path.join(truth_folder, "labels.nii.gz"))
        patterns = load(os.path.join(found, "patterns.nii.gz"))
        spacing = nibabel.load(os.path.join(found, "patterns.nii.gz")).header.get_zooms()[:3]
        candidates = (load(os.path.join(found, "enhancement.nii.gz")) > 0.3) & np.isin(patterns, (0, SULCAL))
        dura = patterns == DURA
        if not dura.any():
            continue
        beside = ndimage.binary_dilation(dura, np.ones((3, 3, 3)))
        reach = ndimage.distance_transform_edt(~dura, sampling=spacing) - min(spacing) / 2
        numbered, count = ndimage.label(candidates, np.ones((3, 3, 3)))
        sizes = ndimage.sum(np.ones_like(numbered), numbered, range(count + 1))
        for number in np.nonzero(sizes[1:] >= 60)[0] + 1:
            inside = numbered == number
            share = (inside & beside).sum() / inside.sum()
            if share < 0.3:
                continue
            kinds = truth_under(inside, labels, truth)
            farthest = reach[inside].max()
            print(subject, date, "voxels", inside.sum(), "sulcal", (patterns[inside] == SULCAL).sum(),
                  "touching %.2f" % share, "reach %.1f mm" % farthest, kinds)
            lesion = [k for k in kinds if k not in ("none", "dura", "vessel", "choroid_plexus", "pituitary")]
            if lesion == ["linear"]:
                reach_of["linear"].append(farthest)
            elif not lesion:
                reach_of["no lesion"].append(farthest)
    for group, values in reach_of.items():
        if values:
            print(f"{group}: {len(values)} components, reach {min(values):.1f}-{max(values):.1f} mm")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
