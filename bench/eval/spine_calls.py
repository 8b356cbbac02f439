"""What the spine detector called the enhancing voxels of each truth spine lesion of a phantom cohort.

  spine_calls.py <eval --outputs folder> <phantom cohort>
      For every time point with a spine study: per truth spine lesion (truth/<date>/spine_labels.nii.gz), the
      spine_patterns.nii.gz values of its enhancing voxels (spine_enhancement.nii.gz > 0.3; 1 cord-surface
      linear, 2 nerve roots, 4 nodule, 5 intramedullary, 8 cord, 9 thecal sac, 13 normal: outside the sac or
      on its outer voxel layer, pipeline/spine_analysis.h). Then, per lesion location and for the dura and
      vessel look-alikes, the totals and how far (mm) the voxels called normal lie from the voxels labelled
      1-9 (a voxel of the sac's outer layer called normal is not labelled sac, so this is no distance to the
      sac's mask).
"""
import collections
import json
import os
import sys

import nibabel
import numpy as np
from scipy import ndimage

from eval_outputs import load, time_points

NORMAL = 13
INSIDE = (1, 2, 4, 5, 8, 9)


def main(outputs, cohort):
    called = collections.defaultdict(collections.Counter)
    away = collections.defaultdict(list)
    for subject, date, truth_folder, found in time_points(outputs, cohort):
        labels_path = os.path.join(truth_folder, "spine_labels.nii.gz")
        if not os.path.exists(labels_path):
            continue
        truth = json.load(open(os.path.join(truth_folder, "truth.json")))
        labels = load(labels_path)
        patterns_image = nibabel.load(os.path.join(found, "spine_patterns.nii.gz"))
        patterns = np.asarray(patterns_image.dataobj)
        enhancing = load(os.path.join(found, "spine_enhancement.nii.gz")) > 0.3
        from_masks = ndimage.distance_transform_edt(~np.isin(patterns, INSIDE),
                                                    sampling=patterns_image.header.get_zooms()[:3])
        groups = [(number, lesion["id"], lesion["location"])
                  for number, lesion in enumerate(truth["lesions"], start=1) if lesion["id"].startswith("S")]
        groups += [(number, name, name) for name, number in truth["look_alike_labels"].items()]
        row = []
        for number, name, group in groups:
            voxels = (labels == number) & enhancing
            counts = collections.Counter(patterns[voxels].astype(int).tolist())
            called[group].update(counts)
            away[group].extend(from_masks[voxels & (patterns == NORMAL)].tolist())
            if not name.startswith("S"):
                continue
            row.append(f"{name} {group} {int(voxels.sum())} {dict(sorted(counts.items()))}")
        print(subject, date, "; ".join(row))
    for group, counts in called.items():
        total = sum(counts.values())
        line = f"{group}: {total} enhancing voxels, {counts[NORMAL] / max(total, 1):.0%} called normal"
        if away[group]:
            p = np.percentile(away[group], [10, 50, 90])
            line += f", those {p[0]:.1f} / {p[1]:.1f} / {p[2]:.1f} mm from the voxels labelled 1-9 (10th/50th/90th)"
        print(line, dict(sorted(counts.items())))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
