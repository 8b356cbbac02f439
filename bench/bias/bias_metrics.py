"""Bias correction benchmark helpers (bench/run-bias-benchmark.sh).

  bias_metrics.py make <ch2.nii.gz> <ch2bet.nii.gz> <biased.nii.gz> <mask.nii.gz>
      Colin27 times the smooth field of tests/filters/bias_correction_test.cxx (a left-right ramp, an
      anterior-posterior bowl and a head-foot ramp, about +-25%), and the ch2bet brain as a mask.
  bias_metrics.py score <ch2.nii.gz> <mask.nii.gz> <biased.nii.gz> <corrected.nii.gz> <reference.nii.gz>
      White-matter CV (voxels within 10% of the white-matter peak of the unbiased scan) of the original,
      the biased and the corrected scan, and the residual bias: the CV over the brain of corrected /
      reference, where reference is the same tool's correction of the unbiased scan (Colin27 has some
      bias of its own), against the CV of biased / original (the applied field).
"""
import sys

import nibabel
import numpy as np


def load(path):
    image = nibabel.load(path)
    return image, np.asarray(image.dataobj, dtype=np.float64)


def cv(values):
    return float(values.std() / values.mean())


def make(ch2, ch2bet, biased_path, mask_path):
    image, data = load(ch2)
    ijk = np.indices(data.shape).reshape(3, -1)
    world = image.affine[:3, :3] @ ijk + image.affine[:3, 3:4]
    centre = image.affine[:3, :3] @ ((np.array(data.shape) - 1) / 2) + image.affine[:3, 3]
    x, y, z = ((world.T - centre) / [90, 100, 90]).T
    field = np.exp(0.2 * x - 0.2 * y * y + 0.12 * z).reshape(data.shape)
    nibabel.save(nibabel.Nifti1Image((data * field).astype(np.float32), image.affine), biased_path)
    _, brain = load(ch2bet)
    nibabel.save(nibabel.Nifti1Image((brain > 0).astype(np.uint8), image.affine), mask_path)


def score(ch2, mask_path, biased_path, corrected_path, reference_path):
    _, original = load(ch2)
    brain = load(mask_path)[1] > 0
    biased, corrected, reference = (load(p)[1] for p in (biased_path, corrected_path, reference_path))
    counts, edges = np.histogram(original[brain], bins=128)
    upper = edges[:-1] > np.median(original[brain])
    peak = edges[:-1][upper][np.argmax(counts[upper])] + (edges[1] - edges[0]) / 2
    wm = brain & (np.abs(original / peak - 1) < 0.1)
    inside = brain & (reference > 0) & (original > 0)
    print(f"white-matter CV: original {cv(original[wm]):.4f}, biased {cv(biased[wm]):.4f}, "
          f"corrected {cv(corrected[wm]):.4f}; bias over the brain: applied {cv(biased[inside] / original[inside]):.4f}, "
          f"residual {cv(corrected[inside] / reference[inside]):.4f}")


if __name__ == "__main__":
    {"make": make, "score": score}[sys.argv[1]](*sys.argv[2:])
