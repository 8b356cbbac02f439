"""What the bench/eval scripts share: the time points of a phantom cohort that an eval's outputs hold."""
import glob
import os

import nibabel
import numpy as np


def load(path):
    return np.asarray(nibabel.load(path).dataobj)


def time_points(outputs, cohort):
    """(subject, date, truth folder, output folder) per time point, in subject and date order: the subjects of
    the outputs' identifiers.tsv (their folders there are pseudonyms), the dates of <cohort>/<subject>/truth."""
    folders = {}
    with open(os.path.join(outputs, "identifiers.tsv")) as table:
        for line in table:
            if not line.startswith("subject"):
                folder, subject = line.strip().split("\t")
                folders[subject] = folder
    for subject, folder in sorted(folders.items()):
        for truth_folder in sorted(glob.glob(os.path.join(cohort, subject, "truth", "2*"))):
            date = os.path.basename(truth_folder)
            yield subject, date, truth_folder, os.path.join(outputs, folder, date)
