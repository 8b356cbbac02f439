"""Dice of brain masks against ch2bet (bench/run-brain-mask-benchmark.sh).

  mask_dice.py <ch2bet.nii.gz> <mask.nii.gz>...
      For each mask (voxels > 0, on ch2bet's grid): its Dice against ch2bet > 0.
"""
import sys

import nibabel
import numpy as np


def main(reference_path, mask_paths):
    reference = np.asarray(nibabel.load(reference_path).dataobj) > 0
    for path in mask_paths:
        mask = np.asarray(nibabel.load(path).dataobj) > 0
        if mask.shape != reference.shape:
            sys.exit(f"{path}: grid {mask.shape} is not ch2bet's {reference.shape}")
        dice = 2 * np.count_nonzero(mask & reference) / (np.count_nonzero(mask) + np.count_nonzero(reference))
        print(f"{path}: Dice {dice:.4f} against ch2bet")


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2:])
