"""The LM nodules of a phantom cohort that `leptoscan eval` missed, and what the pipeline called their voxels.

  missed_nodules.py <eval --outputs folder> <phantom cohort>
      Every truth nodule (not parenchymal) with both diameters >= 5 mm that no voxel of pattern 4 or 5 of
      its time point's patterns.nii.gz touches: its size and centre, and the pattern values of its
      enhancing voxels (enhancement.nii.gz > 0.3; 0 a candidate no detector kept, 12 vessel, 13 dura,
      14 plexus, 15 pituitary, 16 extracranial). Spine nodules are listed without voxels (their labels are
      on the spine grid).
"""
import collections
import glob
import json
import os
import sys

import nibabel
import numpy as np


def load(path):
    return np.asarray(nibabel.load(path).dataobj)


def main(outputs, cohort):
    ids = {}
    with open(os.path.join(outputs, "identifiers.tsv")) as table:
        for line in table:
            if not line.startswith("subject"):
                folder, subject = line.strip().split("\t")
                ids[subject] = folder
    total = collections.Counter()
    for subject, folder in sorted(ids.items()):
        for truth_folder in sorted(glob.glob(os.path.join(cohort, subject, "truth", "2*"))):
            date = os.path.basename(truth_folder)
            lesions = json.load(open(os.path.join(truth_folder, "truth.json")))["lesions"]
            measurable = [(number, lesion) for number, lesion in enumerate(lesions, start=1)
                          if lesion["kind"] == "nodule" and lesion.get("location") != "parenchymal"
                          and min(lesion["diameters_mm"]) >= 5]
            if not measurable:
                continue
            labels = load(os.path.join(truth_folder, "labels.nii.gz"))
            patterns = load(os.path.join(outputs, folder, date, "patterns.nii.gz"))
            enhancing = load(os.path.join(outputs, folder, date, "enhancement.nii.gz")) > 0.3
            for number, lesion in measurable:
                inside = labels == number
                if np.isin(patterns[inside], (4, 5)).any():
                    continue
                called = collections.Counter(patterns[inside & enhancing].astype(int).tolist())
                total.update(called)
                print(subject, date, lesion["id"], lesion["compartment"], lesion["diameters_mm"],
                      [round(x) for x in lesion["center_mm"]], dict(sorted(called.items())))
    print("enhancing voxels of the missed brain nodules by pattern:", dict(sorted(total.items())))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
