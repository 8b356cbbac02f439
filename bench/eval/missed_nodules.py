"""The LM nodules of a phantom cohort that `leptoscan eval` missed, and what the pipeline called their voxels.

  missed_nodules.py <eval --outputs folder> <phantom cohort>
      Every truth nodule (not parenchymal) with both diameters >= 5 mm that no voxel of pattern 4 or 5 of
      its time point's patterns.nii.gz touches: its size and centre, and the pattern values of its
      enhancing voxels (enhancement.nii.gz > 0.3; 0 a candidate no detector kept, 12 vessel, 13 dura,
      14 plexus, 15 pituitary, 16 extracranial), and the radius (mm) of the largest ball that fits in its
      enhancement, not counting extracranial and dural voxels (the thickness ClassifyEnhancement tests against
      the widest vein, filters/normal_enhancement.h). Spine nodules are listed without voxels (their labels
      are on the spine grid).
"""
import collections
import json
import os
import sys

import nibabel
import numpy as np
from scipy import ndimage

from eval_outputs import load, time_points


def ball_radius(inside, mask, spacing):
    """Radius (mm) of the largest ball centred in `inside` that `mask` holds: from a voxel centre to the
    nearest centre outside, less half a voxel (filters/surface_distance.h measures to the surface between)."""
    box = tuple(slice(max(0, s.start - 4), s.stop + 4) for s in ndimage.find_objects(inside.astype(np.uint8))[0])
    depth = ndimage.distance_transform_edt(mask[box], sampling=spacing)[inside[box]]
    return max(0.0, depth.max() - min(spacing) / 2)


def main(outputs, cohort):
    total = collections.Counter()
    for subject, date, truth_folder, found in time_points(outputs, cohort):
        lesions = json.load(open(os.path.join(truth_folder, "truth.json")))["lesions"]
        measurable = [(number, lesion) for number, lesion in enumerate(lesions, start=1)
                      if lesion["kind"] == "nodule" and lesion.get("location") != "parenchymal"
                      and min(lesion["diameters_mm"]) >= 5]
        if not measurable:
            continue
        labels = load(os.path.join(truth_folder, "labels.nii.gz"))
        patterns = load(os.path.join(found, "patterns.nii.gz"))
        spacing = nibabel.load(os.path.join(found, "patterns.nii.gz")).header.get_zooms()[:3]
        enhancing = load(os.path.join(found, "enhancement.nii.gz")) > 0.3
        for number, lesion in measurable:
            inside = labels == number
            if np.isin(patterns[inside], (4, 5)).any():
                continue
            called = collections.Counter(patterns[inside & enhancing].astype(int).tolist())
            total.update(called)
            ball = ("ball radius %.2f mm" % ball_radius(inside, enhancing & ~np.isin(patterns, (13, 16)), spacing)
                    if inside.any() else "")
            print(subject, date, lesion["id"], lesion["compartment"], lesion["diameters_mm"],
                  [round(x) for x in lesion["center_mm"]], dict(sorted(called.items())), ball)
    print("enhancing voxels of the missed brain nodules by pattern:", dict(sorted(total.items())))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
