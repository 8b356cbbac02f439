"""The cranial nerve findings of a phantom cohort's eval and the candidate enhancement they are part of.

  nerve_components.py <eval --outputs folder> <phantom cohort>
      For each 26-connected group of pattern 3 (cranial nerve) in each time point's patterns.nii.gz: its
      voxels, the voxels of the candidate components it touches (enhancement.nii.gz > 0.3 and not
      suppressed as vessel, dura, plexus, pituitary or extracranial: patterns 12-16), the share of those
      components on a nerve (pattern 3), and the truth lesion kinds under it (truth/<date>/labels.nii.gz).
      A nerve's enhancement is most of what it connects to; a cisternal layer crossing a nerve's course is
      a few voxels of a large component.
"""
import collections
import json
import os
import sys

import numpy as np
from scipy import ndimage

from eval_outputs import load, time_points

SUPPRESSED = (12, 16)  # pipeline/timepoint_analysis.h: kPatternNormalEnhancement + vessel .. extracranial


def main(outputs, cohort):
    for subject, date, truth_folder, found in time_points(outputs, cohort):
        patterns = load(os.path.join(found, "patterns.nii.gz"))
        if not (patterns == 3).any():
            continue
        lesions = json.load(open(os.path.join(truth_folder, "truth.json")))["lesions"]
        kinds = {number: lesion["kind"] for number, lesion in enumerate(lesions, start=1)}
        labels = load(os.path.join(truth_folder, "labels.nii.gz"))
        candidates = (load(os.path.join(found, "enhancement.nii.gz")) > 0.3) & ~(
            (patterns >= SUPPRESSED[0]) & (patterns <= SUPPRESSED[1]))
        components, _ = ndimage.label(candidates, structure=np.ones((3, 3, 3)))
        groups, count = ndimage.label(patterns == 3, structure=np.ones((3, 3, 3)))
        for group in range(1, count + 1):
            inside = groups == group
            touched = np.isin(components, [c for c in np.unique(components[inside]) if c])
            on_nerve = (touched & (patterns == 3)).sum()
            under = collections.Counter(kinds[int(v)] for v in labels[inside] if 0 < v < 1000)
            print(subject, date, f"group {inside.sum()} voxels, components {touched.sum()},",
                  f"share on a nerve {on_nerve / max(touched.sum(), 1):.3f}", dict(under))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
