"""Features of the LM nodules `leptoscan eval` found, for those on truth nodules against those on other lesions.

  nodule_features.py <eval --outputs folder> <phantom cohort>
      Every 26-connected component of pattern 4 (LM nodule) in each time point's patterns.nii.gz that
      overlaps a truth lesion (truth/<date>/labels.nii.gz): of the voxels within two 26-neighbour steps of it,
      the share that are candidates (enhancement.nii.gz > 0.3 and not suppressed as vessel, dura, plexus,
      pituitary or extracranial: patterns 12-16), the length of the mean unit vector from its centroid to
      those (one-sidedness: 1 when they lie to one side, near 0 when they surround it), and its largest depth
      (voxels). Prints percentiles per group and how many of each group the detector's rule keeps
      (filters/nodules.h: share <= 0.06 or one-sidedness >= 0.5) and the share alone would keep.
"""
import json
import os
import sys

import numpy as np
from scipy import ndimage

from eval_outputs import load, time_points

SUPPRESSED = (12, 16)  # pipeline/timepoint_analysis.h: kPatternNormalEnhancement + vessel .. extracranial


def components(outputs, cohort):
    for subject, date, truth_folder, found in time_points(outputs, cohort):
        lesions = json.load(open(os.path.join(truth_folder, "truth.json")))["lesions"]
        labels = load(os.path.join(truth_folder, "labels.nii.gz"))
        patterns = load(os.path.join(found, "patterns.nii.gz"))
        candidates = (load(os.path.join(found, "enhancement.nii.gz")) > 0.3) & ~(
            (patterns >= SUPPRESSED[0]) & (patterns <= SUPPRESSED[1]))
        numbered, count = ndimage.label(patterns == 4, structure=np.ones((3, 3, 3)))
        for box_number, box in enumerate(ndimage.find_objects(numbered), start=1):
            box = tuple(slice(max(0, s.start - 3), s.stop + 3) for s in box)
            inside = numbered[box] == box_number
            on = [int(v) for v in np.unique(labels[box][inside]) if 0 < v < 1000]
            if not on:
                continue
            shell = ndimage.binary_dilation(inside, np.ones((3, 3, 3)), iterations=2) & ~inside
            around = np.array(np.nonzero(shell & candidates[box])).T - np.array(np.nonzero(inside)).mean(1)
            one_sided = 1.0
            if len(around):
                one_sided = np.linalg.norm((around / np.linalg.norm(around, axis=1)[:, None]).mean(0))
            yield (lesions[on[0] - 1]["kind"] == "nodule", len(around) / shell.sum(), one_sided,
                   ndimage.distance_transform_edt(inside).max())


def main(outputs, cohort):
    rows = list(components(outputs, cohort))
    for on_nodule, name in ((True, "on truth nodules"), (False, "on other lesions")):
        group = np.array([row[1:] for row in rows if row[0] == on_nodule], float)
        print(f"{name}: {len(group)} components")
        if len(group):
            for column, feature in enumerate(("share of candidates around", "one-sidedness",
                                              "largest depth (voxels)")):
                print(f"  {feature}: 10/25/50/75/90th percentiles",
                      np.percentile(group[:, column], [10, 25, 50, 75, 90]).round(3))
    for name, keep in (("share <= 0.06 or one-sidedness >= 0.5", lambda row: row[1] <= 0.06 or row[2] >= 0.5),
                       ("share <= 0.06", lambda row: row[1] <= 0.06)):
        kept = [sum(1 for row in rows if row[0] == on_nodule and keep(row)) for on_nodule in (True, False)]
        print(f"{name}: keeps {kept[0]} on nodules, {kept[1]} on other lesions")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
