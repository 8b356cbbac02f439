"""Features of the LM nodules `leptoscan eval` found, for those on truth nodules against those on other lesions.

  nodule_features.py <eval --outputs folder> <phantom cohort>
      Every 26-connected component of pattern 4 (LM nodule) in each time point's patterns.nii.gz that
      overlaps a truth lesion (truth/<date>/labels.nii.gz): the share of the 2-voxel shell around it that
      enhances (enhancement.nii.gz > 0.3) and its largest depth (voxels). Prints percentiles per group and
      how many of each group a shell limit keeps.
"""
import glob
import json
import os
import sys

import nibabel
import numpy as np
from scipy import ndimage


def load(path):
    return np.asarray(nibabel.load(path).dataobj)


def components(outputs, cohort):
    ids = {}
    with open(os.path.join(outputs, "identifiers.tsv")) as table:
        for line in table:
            if not line.startswith("subject"):
                folder, subject = line.strip().split("\t")
                ids[subject] = folder
    for subject, folder in sorted(ids.items()):
        for truth_folder in sorted(glob.glob(os.path.join(cohort, subject, "truth", "2*"))):
            date = os.path.basename(truth_folder)
            lesions = json.load(open(os.path.join(truth_folder, "truth.json")))["lesions"]
            labels = load(os.path.join(truth_folder, "labels.nii.gz"))
            patterns = load(os.path.join(outputs, folder, date, "patterns.nii.gz"))
            enhancing = load(os.path.join(outputs, folder, date, "enhancement.nii.gz")) > 0.3
            numbered, count = ndimage.label(patterns == 4, structure=np.ones((3, 3, 3)))
            for box_number, box in enumerate(ndimage.find_objects(numbered), start=1):
                box = tuple(slice(max(0, s.start - 3), s.stop + 3) for s in box)
                inside = numbered[box] == box_number
                on = [int(v) for v in np.unique(labels[box][inside]) if 0 < v < 1000]
                if not on:
                    continue
                shell = ndimage.binary_dilation(inside, np.ones((3, 3, 3)), iterations=2) & ~inside
                yield (lesions[on[0] - 1]["kind"] == "nodule", (shell & enhancing[box]).sum() / shell.sum(),
                       ndimage.distance_transform_edt(inside).max())


def main(outputs, cohort):
    rows = list(components(outputs, cohort))
    for on_nodule, name in ((True, "on truth nodules"), (False, "on other lesions")):
        group = np.array([row[1:] for row in rows if row[0] == on_nodule], float)
        print(f"{name}: {len(group)} components")
        if len(group):
            for column, feature in enumerate(("shell share enhancing", "largest depth (voxels)")):
                print(f"  {feature}: 10/25/50/75/90th percentiles",
                      np.percentile(group[:, column], [10, 25, 50, 75, 90]).round(3))
    for limit in (0.1, 0.15, 0.2):
        kept = [sum(1 for row in rows if row[0] == on_nodule and row[1] <= limit) for on_nodule in (True, False)]
        print(f"shell share <= {limit}: keeps {kept[0]} on nodules, {kept[1]} on other lesions")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
